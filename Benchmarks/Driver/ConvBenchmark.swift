import FERCore
import FERSystem

// conv2d forward + backward on the convolutions of an Enhanced ConvLSTM stream at
// bench-small, by im2col + GEMM and by Winograd, beside a plain sgemm of the GEMM
// path's size on all cores in the same run.
//
// Per layer there are two: the input convolution (W_x stacked over W_xs: 5C
// outputs) on all 4 clips × 16 frames = 64 images at once, and the recurrent one
// (W_h: 4C outputs) on the 4 images of one time step. For x [B, C, H, W] and weight
// [O, C, k, k] the GEMM path's forward is one GEMM of M = O, N = B·H·W, K = C·k·k
// (2·M·N·K flops) and its backward two more of that size. All of x, weight and
// bias track gradients, as in training (the first layer's input does not, there).

extension Benchmark {
  static let conv = Benchmark(
    name: "conv",
    summary: "conv2d f+b on the ConvLSTM stream's convolutions: im2col + GEMM vs Winograd, and GEMM vs plain sgemm",
    run: runConvBenchmark)
}

private struct ConvShape {
  let channels: Int, outChannels: Int, size: Int, kernel: Int, batch: Int, inputGrad: Bool
  var m: Int { outChannels }
  var n: Int { batch * size * size }
  var k: Int { channels * kernel * kernel }
  var forwardFlops: Double { 2 * Double(m) * Double(n) * Double(k) }
  var label: String { "\(channels)→\(outChannels) \(size)² k\(kernel) ×\(batch)" }
}

/// bench-small: 3×48×48 frames, channels 16/32/48/64, kernels 5/5/3/3, a 2×2 pool after each layer.
private let streamShapes: [ConvShape] = {
  var shapes: [ConvShape] = []
  var (input, size) = (3, 48)
  for (hidden, kernel) in [(16, 5), (32, 5), (48, 3), (64, 3)] {
    shapes.append(
      ConvShape(channels: input, outChannels: 5 * hidden, size: size, kernel: kernel, batch: 64, inputGrad: input != 3))
    shapes.append(
      ConvShape(channels: hidden, outChannels: 4 * hidden, size: size, kernel: kernel, batch: 4, inputGrad: true))
    (input, size) = (hidden, size / 2)
  }
  return shapes
}()

/// Median seconds of forward + backward by each algorithm, and of the plain sgemm.
private struct ConvTimings {
  var gemm = 0.0, winograd = 0.0, sgemm = 0.0
}

private func measure(_ shape: ConvShape) -> ConvTimings {
  var rng = SeededRNG(seed: 42)
  let x = Tensor.uniform(
    [shape.batch, shape.channels, shape.size, shape.size], -1, 1, rng: &rng, requiresGrad: shape.inputGrad)
  let weight = Tensor.uniform(
    [shape.outChannels, shape.channels, shape.kernel, shape.kernel], -0.1, 0.1, rng: &rng, requiresGrad: true)
  let bias = Tensor.uniform([shape.outChannels], -0.1, 0.1, rng: &rng, requiresGrad: true)
  let seed = Tensor.uniform([shape.batch, shape.outChannels, shape.size, shape.size], -1, 1, rng: &rng).data
  func clearGrads() { for t in [x, weight, bias] { t.zeroGrad() } }
  func step(_ algorithm: ConvolutionAlgorithm) -> TimedCase {
    TimedCase(prepare: clearGrads) {
      Tensor.conv2d(x, weight: weight, bias: bias, algorithm: algorithm).backward(seed: seed)
    }
  }

  // The plain GEMM: A [M, K] · B [K, N] → C [M, N].
  let a = Tensor.uniform([shape.m, shape.k], -1, 1, rng: &rng).data
  let b = Tensor.uniform([shape.k, shape.n], -1, 1, rng: &rng).data
  var c = [Float](repeating: 0, count: shape.m * shape.n)
  let seconds = medianSeconds([
    step(.gemm), step(.winograd),
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
  return ConvTimings(gemm: seconds[0], winograd: seconds[1], sgemm: seconds[2])
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

private func runConvBenchmark(_ options: BenchOptions) -> [String: Any]? {
  var table = Table(
    "shape", "GEMM M×N×K", "GEMM ms", "GEMM GF/s", "sgemm GF/s", "GEMM/sgemm", "Winograd ms", "speed-up", "automatic")
  var totals = (gemm: 0.0, winograd: 0.0, automatic: 0.0)
  for shape in streamShapes {
    let t = measure(shape)
    // f+b: the forward GEMM, the weight gradient's and (where the input tracks one) the input gradient's.
    let flops = shape.forwardFlops * (shape.inputGrad ? 3 : 2)
    let gemmRate = flops / t.gemm * 1e-9, plainRate = shape.forwardFlops / t.sgemm * 1e-9
    let geometry = ConvGeometry(
      channels: shape.channels, height: shape.size, width: shape.size, kernelH: shape.kernel, kernelW: shape.kernel,
      stride: 1, padH: shape.kernel / 2, padW: shape.kernel / 2)
    let picksWinograd = WinogradPlan.suits(geometry, batch: shape.batch)
    table.add(
      shape.label, "\(shape.m)×\(shape.n)×\(shape.k)", fixed(t.gemm * 1e3, 2), fixed(gemmRate), fixed(plainRate),
      fixed(gemmRate / plainRate, 2), fixed(t.winograd * 1e3, 2), fixed(t.gemm / t.winograd, 2),
      picksWinograd ? "Winograd" : "GEMM")
    totals.gemm += t.gemm
    totals.winograd += t.winograd
    totals.automatic += picksWinograd ? t.winograd : t.gemm
  }
  table.add(
    "total", "", fixed(totals.gemm * 1e3, 2), "", "", "", fixed(totals.winograd * 1e3, 2),
    fixed(totals.gemm / totals.winograd, 2), fixed(totals.automatic * 1e3, 2) + " ms")
  say(table.render())
  say("f+b = forward + backward, one call; ×4 shapes run once per time step. GEMM GF/s counts 2·M·N·K per GEMM")
  say("(3 GEMMs, 2 where the input needs no gradient); GEMM/sgemm: that rate over a plain sgemm of the forward's size.")
  return nil
}
