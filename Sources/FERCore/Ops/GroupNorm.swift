// Group normalization (Wu & He 2018), the GN of the Enhanced ConvLSTM's
// h_t = GN(o_t ∘ tanh(c_t) + h_{t−2} + W_xs * x_t). Same semantics as
// torch.nn.functional.group_norm: statistics per sample over each group of C/G
// channels and all spatial positions, biased variance, per-channel affine.

extension Tensor {
  /// Group norm of x [N, C, H, W] (or [N, C], or [N, C, any spatial axes…]),
  /// with a learned per-channel scale `weight` [C] and shift `bias` [C].
  ///
  /// - Precondition: `groups` divides C; x is not empty.
  public static func groupNorm(
    _ x: Tensor, groups: Int, weight: Tensor, bias: Tensor, epsilon: Float = 1e-5
  ) -> Tensor {
    precondition(x.rank >= 2, "groupNorm: input \(x.shape) needs at least [N, C]")
    let channels = x.shape[1]
    precondition(
      groups > 0 && channels % groups == 0,
      "groupNorm: \(groups) groups do not divide \(channels) channels; choose a divisor of \(channels)")
    precondition(weight.shape == [channels], "groupNorm: weight \(weight.shape) should be [\(channels)]")
    precondition(bias.shape == [channels], "groupNorm: bias \(bias.shape) should be [\(channels)]")
    precondition(x.count > 0, "groupNorm: input \(x.shape) is empty")
    precondition(epsilon >= 0, "groupNorm: epsilon \(epsilon) must not be negative")

    let plan = PlaneNormalization(groupNormOf: x.shape, groups: groups)
    let (mean, variance) = plan.statistics(x.data)
    let invStd = variance.map { 1 / ($0 + epsilon).squareRoot() }
    let out = plan.normalize(x.data, mean: mean, invStd: invStd, weight: weight.data, bias: bias.data)
    return Tensor(shape: x.shape, data: out, op: "groupNorm", inputs: [x, weight, bias]) { g in
      let grads = plan.backward(
        g, x: x.data, mean: mean, invStd: invStd, weight: weight.data,
        batchStatistics: true, needInput: x.requiresGrad)
      if let dx = grads.dx { x.accumulateGrad(dx) }
      weight.accumulateGrad(grads.dWeight)
      bias.accumulateGrad(grads.dBias)
    }
  }
}
