// 2-D convolution, the op the ConvLSTM spends its time in. Semantics are
// PyTorch's conv2d: cross-correlation, zero padding, weight [O, C, kh, kw].
// The arithmetic lives in Kernels/: ConvGEMM.swift (im2col + sgemm, any shape) and
// WinogradConv.swift (F(m, r) tiles, stride-1 same-padded 3×3 and 5×5, less arithmetic).

/// Which kernel computes a convolution.
public enum ConvolutionAlgorithm: Sendable {
  /// Winograd where it pays (stride 1, same padding, 3×3 or 5×5, 8 or more input
  /// channels, an image its tiles cover with little waste), im2col + GEMM otherwise.
  case automatic
  /// As `.automatic`, and 3×3 kernels by Winograd's F(6, 3) too where that pays (stride 1, same
  /// padding, 8 or more input channels, at least 128 tiles in the batch). F(6, 3) rounds about
  /// ten times as coarsely as a dot product: a ConvLSTM, whose group norms leave that rounding
  /// as it is, asks for it; the ResNets' batch norms amplify it, and they stay on `.automatic`.
  case automaticWithWinograd3x3
  /// im2col + GEMM: exact dot products, any shape.
  case gemm
  /// Winograd F(m, r) on 8×8 tiles; stride 1, same padding, a 3×3, 5×5 or 7×7 kernel.
  case winograd

  /// When set, `.automatic` convolutions in this task use it wherever it handles their shape
  /// (im2col + GEMM elsewhere): a test runs a whole model on one path this way.
  @TaskLocal package static var automaticOverride: ConvolutionAlgorithm?
}

/// Zero padding added on each side of the image before a convolution.
public enum Padding: Equatable, Sendable {
  /// kernel/2 on each side (odd kernels only): stride 1 keeps H×W, stride 2 gives ⌈H/2⌉×⌈W/2⌉.
  case same
  /// The same number of zeros on every side.
  case explicit(Int)
}

extension Tensor {
  /// y = x ⋆ weight + bias for x [N, C, H, W], weight [O, C, kh, kw], bias [O];
  /// y is [N, O, Ho, Wo] with Ho = (H + 2·pad − kh) / stride + 1 (likewise Wo).
  /// Winograd rounds differently from a dot product: results agree to float tolerance.
  public static func conv2d(
    _ x: Tensor, weight: Tensor, bias: Tensor?, stride: Int = 1, padding: Padding = .same,
    algorithm: ConvolutionAlgorithm = .automatic
  ) -> Tensor {
    let plan = convolutionPlan(x.shape, weight: weight.shape, bias: bias?.shape, stride: stride, padding: padding)
    let g = plan.geometry
    let (n, o) = (plan.batch, plan.outChannels)
    let winograd: WinogradPlan?
    switch algorithm {
    case .gemm: winograd = nil
    case .automatic, .automaticWithWinograd3x3:
      let wanted = ConvolutionAlgorithm.automaticOverride.map { $0 == .winograd && WinogradPlan.handles(g) }
      let suits = WinogradPlan.suits(g, batch: n, allowing3x3: algorithm == .automaticWithWinograd3x3)
      winograd = wanted ?? suits ? WinogradPlan(plan) : nil
    case .winograd:
      precondition(
        WinogradPlan.handles(g),
        "conv2d: .winograd needs stride 1, padding .same and a square 3×3, 5×5 or 7×7 kernel, got weight \(weight.shape), stride \(stride); use .automatic")
      winograd = WinogradPlan(plan)
    }
    let outCount = n * o * g.positions
    let out = [Float](unsafeUninitializedCapacity: outCount) { buffer, initialized in
      x.data.withUnsafeBufferPointer { xp in
        weight.data.withUnsafeBufferPointer { wp in
          withOptionalBuffer(bias?.data) { bp in
            if let winograd {
              winogradForward(
                winograd, input: xp.baseAddress!, filter: winogradFilter(winograd, weight, flipped: false), bias: bp,
                output: buffer.baseAddress!)
            } else {
              convolutionForward(
                plan, input: xp.baseAddress!, weight: wp.baseAddress!, bias: bp, output: buffer.baseAddress!)
            }
          }
        }
      }
      initialized = outCount
    }
    let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
    return Tensor(shape: [n, o, g.outH, g.outW], data: out, op: "conv2d", inputs: inputs) { dy in
      var gx = x.requiresGrad ? [Float](repeating: 0, count: x.count) : []
      var gw = weight.requiresGrad ? [Float](repeating: 0, count: weight.count) : []
      var gb = bias?.requiresGrad == true ? [Float](repeating: 0, count: o) : []
      var weightGradDeferred = false
      x.data.withUnsafeBufferPointer { xp in
        weight.data.withUnsafeBufferPointer { wp in
          dy.withUnsafeBufferPointer { dyp in
            gx.withUnsafeMutableBufferPointer { gxp in
              gw.withUnsafeMutableBufferPointer { gwp in
                gb.withUnsafeMutableBufferPointer { gbp in
                  let (inputGrad, weightGrad, biasGrad) = (
                    x.requiresGrad ? gxp.baseAddress : nil, weight.requiresGrad ? gwp.baseAddress : nil,
                    bias?.requiresGrad == true ? gbp.baseAddress : nil
                  )
                  guard let winograd else {
                    convolutionBackward(
                      plan, input: xp.baseAddress!, weight: wp.baseAddress!, outputGrad: dyp.baseAddress!,
                      inputGrad: inputGrad, weightGrad: weightGrad, biasGrad: biasGrad)
                    return
                  }
                  if let biasGrad {
                    convolutionBiasGradient(
                      dyp.baseAddress!, batch: n, channels: o, positions: g.positions, into: biasGrad)
                  }
                  // A recurrence's shared weight takes this step's part into its sum instead.
                  let deferred = weightGrad != nil
                    && (weight.companion as? RecurrentWeightGradient)?.add(
                      winograd, input: xp.baseAddress!, outputGrad: dyp.baseAddress!) == true
                  winogradBackward(
                    winograd, input: xp.baseAddress!,
                    flippedFilter: inputGrad == nil ? nil : winogradFilter(winograd, weight, flipped: true),
                    outputGrad: dyp.baseAddress!, inputGrad: inputGrad, weightGrad: deferred ? nil : weightGrad)
                  weightGradDeferred = deferred
                }
              }
            }
          }
        }
      }
      if x.requiresGrad { x.accumulateGrad(gx) }
      if weight.requiresGrad {
        if !weightGradDeferred {
          weight.accumulateGrad(gw)
        } else if weight.grad == nil {
          // The part went into the shared weight's sum; a gradient (zeros: `gw` was not written)
          // must reach the node for its pullback, which adds the sum, to run.
          weight.accumulateGrad(gw)
        }
      }
      if let bias, bias.requiresGrad { bias.accumulateGrad(gb) }
    }
  }

  /// Checks the shapes of a convolution and sizes its GEMM chunks; a mismatch stops with what to change.
  package static func convolutionPlan(
    _ x: [Int], weight w: [Int], bias: [Int]?, stride: Int, padding: Padding
  ) -> ConvPlan {
    precondition(x.count == 4, "conv2d: input \(x) should be [N, C, H, W]; reshape a clip [N, T, C, H, W] to [N·T, C, H, W]")
    precondition(
      w.count == 4 && w[1] == x[1],
      "conv2d: weight \(w) should be [O, \(x[1]), kh, kw] to match the input's \(x[1]) channels (input \(x))")
    precondition(x.allSatisfy { $0 > 0 }, "conv2d: input \(x) is empty")
    precondition(w.allSatisfy { $0 > 0 }, "conv2d: weight \(w) is empty")
    precondition(stride >= 1, "conv2d: stride \(stride) must be 1 or more")
    if let bias {
      precondition(bias == [w[0]], "conv2d: bias \(bias) should be [\(w[0])], one value per output channel of weight \(w)")
    }
    let (padH, padW): (Int, Int)
    switch padding {
    case .same:
      precondition(
        w[2] % 2 == 1 && w[3] % 2 == 1,
        "conv2d: padding .same needs an odd kernel, weight \(w) has \(w[2])×\(w[3]); use .explicit(p) for even kernels")
      (padH, padW) = (w[2] / 2, w[3] / 2)
    case .explicit(let p):
      precondition(p >= 0, "conv2d: padding .explicit(\(p)) must be 0 or more")
      (padH, padW) = (p, p)
    }
    precondition(
      x[2] + 2 * padH >= w[2] && x[3] + 2 * padW >= w[3],
      "conv2d: a \(w[2])×\(w[3]) kernel does not fit a \(x[2])×\(x[3]) image padded by \(padH)×\(padW); pad more or use a smaller kernel")
    let geometry = ConvGeometry(
      channels: x[1], height: x[2], width: x[3], kernelH: w[2], kernelW: w[3], stride: stride, padH: padH, padW: padW)
    return ConvPlan(geometry: geometry, batch: x[0], outChannels: w[0])
  }
}

extension Tensor {
  /// This convolution weight as the steps of a recurrence use it (a ConvLSTM's W_h at every
  /// step), for `conv2d`. Where those convolutions run as Winograd's, their weight gradients
  /// are summed in Winograd's domain (the partial sums of WinogradWeightGradient) and
  /// transformed back once, when the backward pass reaches this node, which it does after
  /// every step's convolution: the transform, the partials' zeroing and their sum are paid
  /// once per pass instead of once per step. The sum runs over the steps in the order the
  /// backward pass visits them. Without gradient recording it is the weight itself.
  public func sharedAcrossSteps() -> Tensor {
    guard requiresGrad && GradientRecording.isEnabled else { return self }
    let sum = RecurrentWeightGradient()
    let weight = self
    return Tensor(shape: shape, data: data, op: "sharedWeight", inputs: [self], companion: sum) { g in
      guard let extra = sum.result(count: weight.count) else { return weight.accumulateGrad(g) }
      var total = g
      total.withUnsafeMutableBufferPointer { t in
        extra.withUnsafeBufferPointer { addInPlace(t.baseAddress!, $0.baseAddress!, t.count) }
      }
      weight.accumulateGrad(total)
    }
  }
}

/// The weight-gradient sum a shared weight carries (`Tensor.sharedAcrossSteps`). Pullbacks run
/// one at a time, on the thread running the backward pass.
package final class RecurrentWeightGradient: @unchecked Sendable {
  private var sum: WinogradWeightGradient?

  /// Takes the weight gradient of one Winograd convolution into the sum; false (nothing taken)
  /// when its plan differs from the first one's, and the caller computes it itself.
  func add(_ plan: WinogradPlan, input: UnsafePointer<Float>, outputGrad: UnsafePointer<Float>) -> Bool {
    if sum == nil { sum = WinogradWeightGradient(plan) }
    guard let sum, sum.plan == plan else { return false }
    sum.add(input: input, outputGrad: outputGrad)
    return true
  }

  /// The summed weight gradient [O, C, r, r] (nil when nothing was added); the sum is then released.
  func result(count: Int) -> [Float]? {
    guard let sum else { return nil }
    self.sum = nil
    return uninitializedFloats(count) { sum.result(into: $0.baseAddress!) }
  }
}

/// `weight`'s filters in Winograd's domain, transformed once per value of `weight.data`.
private func winogradFilter(_ plan: WinogradPlan, _ weight: Tensor, flipped: Bool) -> WinogradFilter {
  weight.derived(flipped ? "winograd filter, flipped" : "winograd filter") {
    weight.data.withUnsafeBufferPointer { WinogradFilter(plan, weight: $0.baseAddress!, flipped: flipped) }
  }
}

/// Runs `body` with a pointer to `values`' storage, or nil when there are none.
private func withOptionalBuffer<R>(_ values: [Float]?, _ body: (UnsafePointer<Float>?) -> R) -> R {
  guard let values else { return body(nil) }
  return values.withUnsafeBufferPointer { body($0.baseAddress) }
}
