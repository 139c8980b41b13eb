import Testing
@testable import FERCore

@Suite("conv2d")
struct ConvolutionTests {
  /// One convolution configuration: input [n, c, h, w], weight [o, c, kh, kw].
  struct Case: CustomTestStringConvertible, Sendable {
    let n: Int, c: Int, h: Int, w: Int, o: Int, kh: Int, kw: Int
    let stride: Int, padding: Padding, bias: Bool
    var testDescription: String {
      "x[\(n),\(c),\(h),\(w)] w[\(o),\(c),\(kh),\(kw)] s\(stride) \(padding) bias \(bias)"
    }
    var pad: Int {
      if case .explicit(let p) = padding { return p }
      return -1  // .same: per axis, kernel/2
    }
  }

  static let cases: [Case] = [
    Case(n: 1, c: 1, h: 5, w: 5, o: 1, kh: 3, kw: 3, stride: 1, padding: .same, bias: true),
    Case(n: 2, c: 3, h: 7, w: 5, o: 4, kh: 3, kw: 3, stride: 1, padding: .same, bias: true),
    Case(n: 2, c: 2, h: 7, w: 5, o: 3, kh: 5, kw: 5, stride: 1, padding: .same, bias: false),
    Case(n: 3, c: 2, h: 7, w: 5, o: 3, kh: 5, kw: 5, stride: 2, padding: .same, bias: true),
    Case(n: 3, c: 2, h: 6, w: 6, o: 2, kh: 1, kw: 1, stride: 1, padding: .same, bias: true),
    Case(n: 2, c: 3, h: 5, w: 7, o: 2, kh: 3, kw: 3, stride: 2, padding: .explicit(0), bias: true),
    Case(n: 1, c: 2, h: 4, w: 5, o: 3, kh: 3, kw: 3, stride: 1, padding: .explicit(2), bias: false),
    Case(n: 2, c: 2, h: 6, w: 7, o: 3, kh: 3, kw: 5, stride: 1, padding: .same, bias: true),
    Case(n: 2, c: 2, h: 5, w: 5, o: 2, kh: 2, kw: 2, stride: 2, padding: .explicit(1), bias: true),
  ]

  @Test(arguments: cases)
  func gradients(_ t: Case) {
    let x = parameter([t.n, t.c, t.h, t.w], seed: 1)
    let weight = parameter([t.o, t.c, t.kh, t.kw], seed: 2)
    let bias = parameter([t.o], seed: 3)
    checkGradients(t.bias ? [x, weight, bias] : [x, weight]) {
      Tensor.conv2d($0[0], weight: $0[1], bias: t.bias ? $0[2] : nil, stride: t.stride, padding: t.padding)
    }
  }

  @Test(arguments: cases)
  func matchesDirectDefinition(_ t: Case) {
    let x = parameter([t.n, t.c, t.h, t.w], seed: 4)
    let weight = parameter([t.o, t.c, t.kh, t.kw], seed: 5)
    let bias = t.bias ? parameter([t.o], seed: 6) : nil
    let y = Tensor.conv2d(x, weight: weight, bias: bias, stride: t.stride, padding: t.padding)
    let reference = DirectConvolution(t, x: x.data, weight: weight.data, bias: bias?.data)
    #expect(y.shape == [t.n, t.o, reference.outH, reference.outW])
    expectClose(y.data, reference.forward())
  }

  /// Small column budgets force every tiling: row bands of one image (1, 2 or 3 rows), several
  /// images per tile (evenly or not), one task or many; all must give the direct definition's
  /// values and gradients. The third case has GEMMs deeper than one 160-slice (K = 180, and
  /// up to 270 columns per tile).
  static let tilingCases = [
    Case(n: 5, c: 2, h: 7, w: 6, o: 3, kh: 3, kw: 3, stride: 1, padding: .same, bias: true),
    Case(n: 5, c: 2, h: 7, w: 6, o: 3, kh: 5, kw: 5, stride: 2, padding: .same, bias: true),
    Case(n: 3, c: 20, h: 9, w: 10, o: 3, kh: 3, kw: 3, stride: 1, padding: .same, bias: true),
  ]

  @Test(arguments: tilingCases, [(16, 1), (300, 2), (200, 3), (1000, 1), (1600, 3), (1 << 16, 8)])
  func tilings(_ t: Case, budgetAndTasks: (Int, Int)) {
    let (budget, tasks) = budgetAndTasks
    var rng = SeededRNG(seed: 9)
    let x = Tensor.uniform([t.n, t.c, t.h, t.w], -1, 1, rng: &rng).data
    let w = Tensor.uniform([t.o, t.c, t.kh, t.kw], -1, 1, rng: &rng).data
    let b = Tensor.uniform([t.o], -1, 1, rng: &rng).data
    let reference = DirectConvolution(t, x: x, weight: w, bias: b)
    let dy = Tensor.uniform([t.n, t.o, reference.outH, reference.outW], -1, 1, rng: &rng).data
    let g = ConvGeometry(
      channels: t.c, height: t.h, width: t.w, kernelH: t.kh, kernelW: t.kw, stride: t.stride,
      padH: reference.padH, padW: reference.padW)
    let plan = ConvPlan(geometry: g, batch: t.n, outChannels: t.o, columnBudget: budget, tasks: tasks)
    var y = [Float](repeating: .nan, count: dy.count)
    var dx = [Float](repeating: .nan, count: x.count)
    var dw = [Float](repeating: .nan, count: w.count)
    var db = [Float](repeating: .nan, count: t.o)
    convolutionForward(plan, input: x, weight: w, bias: b, output: &y)
    convolutionBackward(plan, input: x, weight: w, outputGrad: dy, inputGrad: &dx, weightGrad: &dw, biasGrad: &db)
    let expected = reference.backward(dy)
    expectClose(y, reference.forward())
    expectClose(dx, expected.dx)
    expectClose(dw, expected.dw)
    expectClose(db, expected.db)
  }

  /// A kernel that picks the right-hand neighbour: cross-correlation reads x[i, j+1]
  /// (a flipped, true convolution would read x[i, j−1]); zero padding fills the last column.
  @Test func crossCorrelationWithZeroPadding() {
    let x = Tensor(shape: [1, 1, 3, 3], data: [1, 2, 3, 4, 5, 6, 7, 8, 9])
    let weight = Tensor(shape: [1, 1, 3, 3], data: [0, 0, 0, 0, 0, 1, 0, 0, 0])
    let y = Tensor.conv2d(x, weight: weight, bias: Tensor(shape: [1], data: [0.5]))
    #expect(y.data == [2.5, 3.5, 0.5, 5.5, 6.5, 0.5, 8.5, 9.5, 0.5])
  }

  /// A 2×2 box filter at stride 2 sums blocks; channels mix through the weight.
  @Test func strideTwoBoxFilterOverChannels() {
    let plane: [Float] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]
    let x = Tensor(shape: [1, 2, 4, 4], data: plane + plane.map { $0 * 100 })
    // Output channel 0 reads channel 0; output channel 1 reads channel 1 with weight 0.01.
    let weight = Tensor(shape: [2, 2, 2, 2], data: [1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0.01, 0.01, 0.01, 0.01])
    let y = Tensor.conv2d(x, weight: weight, bias: nil, stride: 2, padding: .explicit(0))
    #expect(y.shape == [1, 2, 2, 2])
    // Blocks: 1+2+5+6, 3+4+7+8, 9+10+13+14, 11+12+15+16.
    expectClose(y.data, [14, 22, 46, 54, 14, 22, 46, 54])
  }

  /// 'same' padding at stride 2 rounds the output size up: 7×5 → 4×3.
  @Test func sameStrideTwoSize() {
    let y = Tensor.conv2d(
      Tensor.zeros([2, 1, 7, 5]), weight: Tensor.zeros([3, 1, 5, 5]), bias: nil, stride: 2, padding: .same)
    #expect(y.shape == [2, 3, 4, 3])
  }

  @Test func gradientOnlyForWeight() {
    let x = Tensor.full([2, 2, 4, 3], 1)
    let weight = parameter([2, 2, 3, 3], seed: 8)
    Tensor.conv2d(x, weight: weight, bias: nil).sum().backward()
    #expect(x.grad == nil)
    #expect(weight.grad?.count == weight.count)
  }
}

/// Element-wise comparison with an absolute-plus-relative tolerance.
func expectClose(
  _ actual: [Float], _ expected: [Float], tolerance: Float = 1e-4, sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(actual.count == expected.count, sourceLocation: sourceLocation)
  let bad = zip(actual, expected).enumerated().filter { abs($1.0 - $1.1) > tolerance * (1 + abs($1.1)) || $1.0.isNaN }
  let mismatches = bad.count
  #expect(mismatches == 0, "first mismatches (index, actual, expected): \(bad.prefix(5))", sourceLocation: sourceLocation)
}

/// The convolution written straight from its definition, loop by loop, forward and backward.
struct DirectConvolution {
  let t: ConvolutionTests.Case
  let x: [Float], weight: [Float], bias: [Float]?
  let padH: Int, padW: Int, outH: Int, outW: Int

  init(_ t: ConvolutionTests.Case, x: [Float], weight: [Float], bias: [Float]?) {
    self.t = t
    self.x = x
    self.weight = weight
    self.bias = bias
    (padH, padW) = t.pad < 0 ? (t.kh / 2, t.kw / 2) : (t.pad, t.pad)
    outH = (t.h + 2 * padH - t.kh) / t.stride + 1
    outW = (t.w + 2 * padW - t.kw) / t.stride + 1
  }

  /// Calls `body(output index, input index, weight index)` for every product in the sum.
  func forEachProduct(_ body: (Int, Int, Int) -> Void) {
    for n in 0..<t.n {
      for o in 0..<t.o {
        for oh in 0..<outH {
          for ow in 0..<outW {
            let out = ((n * t.o + o) * outH + oh) * outW + ow
            for c in 0..<t.c {
              for i in 0..<t.kh {
                for j in 0..<t.kw {
                  let ih = oh * t.stride - padH + i, iw = ow * t.stride - padW + j
                  guard ih >= 0 && ih < t.h && iw >= 0 && iw < t.w else { continue }
                  body(out, ((n * t.c + c) * t.h + ih) * t.w + iw, ((o * t.c + c) * t.kh + i) * t.kw + j)
                }
              }
            }
          }
        }
      }
    }
  }

  func forward() -> [Float] {
    var y = [Float](repeating: 0, count: t.n * t.o * outH * outW)
    if let bias {
      for i in y.indices { y[i] = bias[(i / (outH * outW)) % t.o] }
    }
    forEachProduct { out, input, w in y[out] += x[input] * weight[w] }
    return y
  }

  func backward(_ dy: [Float]) -> (dx: [Float], dw: [Float], db: [Float]) {
    var dx = [Float](repeating: 0, count: x.count)
    var dw = [Float](repeating: 0, count: weight.count)
    var db = [Float](repeating: 0, count: t.o)
    forEachProduct { out, input, w in
      dx[input] += dy[out] * weight[w]
      dw[w] += dy[out] * x[input]
    }
    for i in dy.indices { db[(i / (outH * outW)) % t.o] += dy[i] }
    return (dx, dw, db)
  }
}
