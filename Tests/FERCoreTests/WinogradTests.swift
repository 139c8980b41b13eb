import Testing
@testable import FERCore
import FERSystem

@Suite("Winograd convolution")
struct WinogradTests {
  /// y = Aᵀ [(G g) ∘ (Bᵀ d)] is the r-tap correlation of d, for every kernel size the tiles take.
  @Test(arguments: [3, 5, 7])
  func matricesComputeACorrelation(kernel r: Int) {
    let f = WinogradMatrices(kernel: r)
    #expect(f.outputs == 8 - r + 1)
    var rng = SeededRNG(seed: UInt64(r))
    for _ in 0..<10 {
      let d = Tensor.uniform([8], -1, 1, rng: &rng).data.map(Double.init)
      let g = Tensor.uniform([r], -1, 1, rng: &rng).data.map(Double.init)
      let gg = (0..<8).map { i in (0..<r).reduce(0.0) { $0 + Double(f.kernelTransform[i * r + $1]) * g[$1] } }
      let bd = (0..<8).map { i in (0..<8).reduce(0.0) { $0 + Double(f.inputTransform[i * 8 + $1]) * d[$1] } }
      for k in 0..<f.outputs {
        let winograd = (0..<8).reduce(0.0) { $0 + Double(f.outputTransform[k * 8 + $1]) * gg[$1] * bd[$1] }
        let direct = (0..<r).reduce(0.0) { $0 + d[k + $1] * g[$1] }
        #expect(abs(winograd - direct) < 1e-5, "F(\(f.outputs), \(r)) output \(k): \(winograd) vs \(direct)")
      }
    }
  }

  /// Shapes that exercise partial tiles at the right and bottom edges, channel counts that are
  /// not whole SIMD lanes, one image and several, all three kernel sizes, and (the last) whole
  /// 4×4 tiles of eight channels beside partial ones, rows of 8 positions beside a tail.
  static let cases: [ConvolutionTests.Case] = [
    .init(n: 2, c: 8, h: 12, w: 12, o: 16, kh: 5, kw: 5, stride: 1, padding: .same, bias: true),
    .init(n: 1, c: 3, h: 7, w: 9, o: 5, kh: 3, kw: 3, stride: 1, padding: .same, bias: true),
    .init(n: 3, c: 13, h: 10, w: 6, o: 9, kh: 5, kw: 5, stride: 1, padding: .same, bias: false),
    .init(n: 2, c: 4, h: 6, w: 6, o: 20, kh: 3, kw: 3, stride: 1, padding: .same, bias: true),
    .init(n: 1, c: 2, h: 9, w: 5, o: 3, kh: 7, kw: 7, stride: 1, padding: .same, bias: true),
    .init(n: 2, c: 17, h: 9, w: 21, o: 24, kh: 5, kw: 5, stride: 1, padding: .same, bias: true),
  ]

  /// Forward and every gradient agree with the convolution's definition, whatever the
  /// number of tasks and the chunk size (one tile row per chunk, or all of them).
  @Test(arguments: cases, [(1, 1), (3, 64), (8, 1 << 17)])
  func matchesDirectDefinition(_ t: ConvolutionTests.Case, tasksAndBudget: (Int, Int)) {
    var rng = SeededRNG(seed: 11)
    let x = Tensor.uniform([t.n, t.c, t.h, t.w], -1, 1, rng: &rng).data
    let w = Tensor.uniform([t.o, t.c, t.kh, t.kw], -1, 1, rng: &rng).data
    let b = Tensor.uniform([t.o], -1, 1, rng: &rng).data
    let reference = DirectConvolution(t, x: x, weight: w, bias: b)
    let dy = Tensor.uniform([t.n, t.o, t.h, t.w], -1, 1, rng: &rng).data
    let plan = WinogradPlan(
      batch: t.n, channels: t.c, outChannels: t.o, height: t.h, width: t.w, kernel: t.kh,
      tasks: tasksAndBudget.0, chunkBudget: tasksAndBudget.1)
    var y = [Float](repeating: .nan, count: dy.count)
    var dx = [Float](repeating: .nan, count: x.count)
    var dw = [Float](repeating: .nan, count: w.count)
    let filter = WinogradFilter(plan, weight: w, flipped: false)
    let flipped = WinogradFilter(plan, weight: w, flipped: true)
    winogradForward(plan, input: x, filter: filter, bias: b, output: &y)
    winogradBackward(plan, input: x, flippedFilter: flipped, outputGrad: dy, inputGrad: &dx, weightGrad: &dw)
    let expected = reference.backward(dy)
    expectCloseToScale(y, reference.forward())
    expectCloseToScale(dx, expected.dx)
    expectCloseToScale(dw, expected.dw)
  }

  /// Winograd's rounding is relative to the scale of a result, not to each element: a weight
  /// gradient of 0.1 among gradients of 20 carries an error of a few units in 10⁻⁵ of 20
  /// (measured: at most 1e-5 of the largest magnitude on these cases). A wrong transform, tile
  /// or sum misses by the scale itself.
  func expectCloseToScale(
    _ actual: [Float], _ expected: [Float], sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let scale = expected.map { abs($0) }.max() ?? 0
    let bad = zip(actual, expected).enumerated().filter { abs($1.0 - $1.1) > 4e-5 * scale || $1.0.isNaN }
    #expect(actual.count == expected.count, sourceLocation: sourceLocation)
    #expect(bad.isEmpty, "scale \(scale); first mismatches (index, actual, expected): \(bad.prefix(5))", sourceLocation: sourceLocation)
  }

  /// The op with `.winograd` passes the finite-difference check, bias included. (Small
  /// sums: Winograd's rounding differs from point to point, which a difference quotient
  /// over many large outputs would amplify; the test above checks the gradients exactly.)
  @Test(arguments: [
    cases[1], ConvolutionTests.Case(n: 1, c: 2, h: 6, w: 5, o: 3, kh: 5, kw: 5, stride: 1, padding: .same, bias: false),
  ])
  func gradients(_ t: ConvolutionTests.Case) {
    let x = parameter([t.n, t.c, t.h, t.w], seed: 21)
    let weight = parameter([t.o, t.c, t.kh, t.kw], seed: 22)
    let bias = parameter([t.o], seed: 23)
    checkGradients(t.bias ? [x, weight, bias] : [x, weight]) {
      Tensor.conv2d($0[0], weight: $0[1], bias: t.bias ? $0[2] : nil, algorithm: .winograd)
    }
  }

  /// The transform-domain product against its definition: row blocks of four and the rows
  /// left over, column blocks of sixteen and a last eight, A read directly or transposed,
  /// C overwritten or added to.
  @Test(arguments: [(4, 16, 3), (7, 24, 5), (1, 8, 16), (13, 40, 1)], [false, true])
  func transformDomainProduct(size: (Int, Int, Int), transposedA: Bool) {
    let (m, n, k) = size
    var rng = SeededRNG(seed: UInt64(m * 100 + n))
    let a = Tensor.uniform([m * k], -1, 1, rng: &rng).data  // [m, k], or [k, m] when transposed
    let b = Tensor.uniform([k * (n + 3)], -1, 1, rng: &rng).data  // rows n + 3 apart
    let start = Tensor.uniform([m * (n + 5)], -1, 1, rng: &rng).data  // rows n + 5 apart
    let (aRow, aColumn) = transposedA ? (1, m) : (k, 1)
    for accumulate in [false, true] {
      var c = start
      transformDomainGEMM(
        m: m, n: n, k: k, a: a, aRow: aRow, aColumn: aColumn, b: b, ldb: n + 3, c: &c, ldc: n + 5,
        accumulate: accumulate)
      var expected = start
      for r in 0..<m {
        for j in 0..<n {
          let product = (0..<k).reduce(Float(0)) { $0 + a[r * aRow + $1 * aColumn] * b[$1 * (n + 3) + j] }
          expected[r * (n + 5) + j] = (accumulate ? start[r * (n + 5) + j] : 0) + product
        }
      }
      expectClose(c, expected)
    }
  }

  /// Results do not depend on how many threads compute them: the same bits on one or two.
  @Test func sameBitsOnAnyThreadCount() {
    let t = Self.cases[0]
    let x = parameter([t.n, t.c, t.h, t.w], seed: 31)
    let weight = parameter([t.o, t.c, t.kh, t.kw], seed: 32)
    func run(threads: Int) -> [[Float]] {
      let saved = ComputeThreads.count
      ComputeThreads.set(threads)
      defer { ComputeThreads.set(saved) }
      x.zeroGrad()
      weight.zeroGrad()
      let y = Tensor.conv2d(x, weight: weight, bias: nil, algorithm: .winograd)
      (y * y).sum().backward()
      return [y.data, x.grad!, weight.grad!]
    }
    #expect(run(threads: 1) == run(threads: 2))
  }

  /// `.automatic` takes Winograd only where it pays (`ferlab-bench conv` measures both).
  @Test func automaticChoice() {
    func suits(c: Int, size: Int, kernel: Int, stride: Int = 1, batch: Int = 4) -> Bool {
      let g = ConvGeometry(
        channels: c, height: size, width: size, kernelH: kernel, kernelW: kernel, stride: stride,
        padH: kernel / 2, padW: kernel / 2)
      return WinogradPlan.suits(g, batch: batch)
    }
    #expect(suits(c: 16, size: 48, kernel: 5))
    #expect(suits(c: 32, size: 24, kernel: 5))  // 144 tiles
    #expect(!suits(c: 32, size: 12, kernel: 5))  // 36 tiles
    #expect(!suits(c: 32, size: 12, kernel: 3, batch: 64))  // 3×3 stays on GEMM
    #expect(!suits(c: 3, size: 48, kernel: 5))  // too few input channels
    #expect(!suits(c: 16, size: 48, kernel: 5, stride: 2))
    #expect(!suits(c: 16, size: 7, kernel: 3, batch: 256))  // 12×12 of tiles for 7×7
    #expect(!suits(c: 16, size: 12, kernel: 1, batch: 256))
  }

  /// The transformed filter is kept while the weight is unchanged and rebuilt when it changes.
  @Test func filterFollowsTheWeight() {
    let x = parameter([1, 8, 8, 8], seed: 41)
    let weight = parameter([8, 8, 3, 3], seed: 42)
    let before = Tensor.conv2d(x, weight: weight, bias: nil, algorithm: .winograd).data
    #expect(Tensor.conv2d(x, weight: weight, bias: nil, algorithm: .winograd).data == before)
    weight.data.withUnsafeMutableBufferPointer { $0[0] += 1 }
    let after = Tensor.conv2d(x, weight: weight, bias: nil, algorithm: .winograd).data
    expectClose(after, Tensor.conv2d(x, weight: weight, bias: nil, algorithm: .gemm).data)
    #expect(after != before)
  }
}
