import FERCore

// conv2d forward, backward and both on the convolution shapes of a ConvLSTM
// stream, against a plain sgemm of the forward's GEMM size on all cores in the same run.
//
// The batch is 4 clips × 16 frames = 64 images (the input convolutions run on all
// time steps at once). For x [64, C, H, W] and weight [O, C, k, k] the forward is
// one GEMM of M = O, N = 64·H·W, K = C·k·k (2·M·N·K flops); the backward is two
// of the same size (weight and input gradients), so twice that. All of x, weight
// and bias track gradients.

extension Benchmark {
  static let conv = Benchmark(
    name: "conv",
    summary: "conv2d (stride 1, same padding) on the ConvLSTM stream's shapes, batch 64, vs plain sgemm",
    run: runConvBenchmark)
}

private struct ConvShape {
  let channels: Int, outChannels: Int, size: Int, kernel: Int
  let batch = 64
  var m: Int { outChannels }
  var n: Int { batch * size * size }
  var k: Int { channels * kernel * kernel }
  var forwardFlops: Double { 2 * Double(m) * Double(n) * Double(k) }
  var label: String { "\(channels)→\(outChannels) \(size)×\(size) k\(kernel)" }
}

private let streamShapes = [
  ConvShape(channels: 3, outChannels: 16, size: 48, kernel: 5),
  ConvShape(channels: 16, outChannels: 32, size: 24, kernel: 5),
  ConvShape(channels: 32, outChannels: 48, size: 12, kernel: 3),
  ConvShape(channels: 48, outChannels: 64, size: 6, kernel: 3),
]

/// Median seconds of forward, backward, forward+backward and the plain sgemm.
private struct ConvTimings {
  var forward = 0.0, backward = 0.0, both = 0.0, sgemm = 0.0
  static func + (a: ConvTimings, b: ConvTimings) -> ConvTimings {
    ConvTimings(
      forward: a.forward + b.forward, backward: a.backward + b.backward, both: a.both + b.both, sgemm: a.sgemm + b.sgemm)
  }
}

private func measure(_ shape: ConvShape) -> ConvTimings {
  var rng = SeededRNG(seed: 42)
  let x = Tensor.uniform([shape.batch, shape.channels, shape.size, shape.size], -1, 1, rng: &rng, requiresGrad: true)
  let weight = Tensor.uniform(
    [shape.outChannels, shape.channels, shape.kernel, shape.kernel], -0.1, 0.1, rng: &rng, requiresGrad: true)
  let bias = Tensor.uniform([shape.outChannels], -0.1, 0.1, rng: &rng, requiresGrad: true)
  let seed = Tensor.uniform([shape.batch, shape.outChannels, shape.size, shape.size], -1, 1, rng: &rng).data
  func clearGrads() { for t in [x, weight, bias] { t.zeroGrad() } }

  var y = x  // the forward result whose backward the second case times
  // The plain GEMM: A [M, K] · B [K, N] → C [M, N].
  let a = Tensor.uniform([shape.m, shape.k], -1, 1, rng: &rng).data
  let b = Tensor.uniform([shape.k, shape.n], -1, 1, rng: &rng).data
  var c = [Float](repeating: 0, count: shape.m * shape.n)
  let seconds = medianSeconds([
    TimedCase { _ = Tensor.conv2d(x, weight: weight, bias: bias) },
    TimedCase(prepare: { clearGrads(); y = Tensor.conv2d(x, weight: weight, bias: bias) }) { y.backward(seed: seed) },
    TimedCase(prepare: clearGrads) { Tensor.conv2d(x, weight: weight, bias: bias).backward(seed: seed) },
    TimedCase {
      a.withUnsafeBufferPointer { ap in
        b.withUnsafeBufferPointer { bp in
          c.withUnsafeMutableBufferPointer { cp in
            sgemmOnAllCores(
              m: shape.m, n: shape.n, k: shape.k, a: ap.baseAddress!, b: bp.baseAddress!, c: cp.baseAddress!)
          }
        }
      }
    },
  ], repeats: 15)
  return ConvTimings(forward: seconds[0], backward: seconds[1], both: seconds[2], sgemm: seconds[3])
}

/// The reference GEMM on every compute thread: BLAS runs each call on the calling
/// thread (BLAS.swift), so the columns of B and C are split into one block per
/// thread, as a threaded BLAS would split them.
private func sgemmOnAllCores(
  m: Int, n: Int, k: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>
) {
  parallelFor(n, rangesPerThread: 1) { columns in
    sgemm(
      m: m, n: columns.count, k: k, a: a, lda: k, b: b + columns.lowerBound, ldb: n,
      c: c + columns.lowerBound, ldc: n)
  }
}

private func runConvBenchmark() {
  var table = Table(
    "shape", "GEMM M×N×K", "fwd ms", "f+b ms", "fwd GF/s", "bwd GF/s", "f+b GF/s", "sgemm GF/s", "f+b/sgemm")
  func add(_ label: String, _ gemm: String, flops: Double, _ t: ConvTimings) {
    let gflops = { (work: Double, seconds: Double) in work / seconds * 1e-9 }
    let both = gflops(3 * flops, t.both), plain = gflops(flops, t.sgemm)
    table.add(
      label, gemm, fixed(t.forward * 1e3, 2), fixed(t.both * 1e3, 2),
      fixed(gflops(flops, t.forward)), fixed(gflops(2 * flops, t.backward)), fixed(both), fixed(plain),
      fixed(both / plain, 2))
  }
  var total = ConvTimings()
  var totalFlops = 0.0
  for shape in streamShapes {
    let t = measure(shape)
    add(shape.label, "\(shape.m)×\(shape.n)×\(shape.k)", flops: shape.forwardFlops, t)
    total = total + t
    totalFlops += shape.forwardFlops
  }
  add("total", "", flops: totalFlops, total)
  print(table.render())
  print("fwd = 2·M·N·K flops, bwd = twice that, f+b = three times; ratio = f+b GF/s over sgemm GF/s of the forward's GEMM")
}
