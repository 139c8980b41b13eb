// Batch normalization (Ioffe & Szegedy 2015) for the ResNet streams, with
// torch.nn.BatchNorm semantics: training normalises with the batch's
// statistics over N and the spatial axes (biased variance) and moves the
// running statistics towards them (unbiased variance); evaluation normalises
// with the running statistics.

/// The running statistics of one batch-norm layer, and its hyper-parameters.
/// A class because every training forward updates it in place; Codable so a
/// checkpoint can keep it.
public final class BatchNormState: Codable {
  public let channels: Int
  /// Weight of the new batch in the running update (PyTorch's default 0.1).
  public let momentum: Float
  public let epsilon: Float
  /// Running mean [C], starts at 0.
  public var runningMean: [Float]
  /// Running (unbiased) variance [C], starts at 1.
  public var runningVariance: [Float]
  /// Training forwards seen (PyTorch's num_batches_tracked).
  public var batchesTracked: Int

  /// - Precondition: `channels` > 0, `momentum` in [0, 1], `epsilon` ≥ 0.
  public init(channels: Int, momentum: Float = 0.1, epsilon: Float = 1e-5) {
    precondition(channels > 0, "BatchNormState: channels must be positive, got \(channels)")
    precondition((0...1).contains(momentum), "BatchNormState: momentum \(momentum) must lie in [0, 1]")
    precondition(epsilon >= 0, "BatchNormState: epsilon \(epsilon) must not be negative")
    self.channels = channels
    self.momentum = momentum
    self.epsilon = epsilon
    runningMean = [Float](repeating: 0, count: channels)
    runningVariance = [Float](repeating: 1, count: channels)
    batchesTracked = 0
  }

  /// running ← (1 − momentum)·running + momentum·batch, with the variance made unbiased (×M/(M−1)).
  fileprivate func update(mean: [Float], biasedVariance: [Float], valuesPerChannel m: Int) {
    let correction = Float(m) / Float(m - 1)
    for c in 0..<channels {
      runningMean[c] = (1 - momentum) * runningMean[c] + momentum * mean[c]
      runningVariance[c] = (1 - momentum) * runningVariance[c] + momentum * biasedVariance[c] * correction
    }
    batchesTracked += 1
  }
}

extension Tensor {
  /// Batch norm of x [N, C, H, W] (or [N, C], or [N, C, any spatial axes…]) with
  /// scale `weight` [C] and shift `bias` [C]. With `training` the batch's statistics
  /// are used and `state`'s running statistics updated; otherwise the running ones.
  ///
  /// - Precondition: training sees more than one value per channel (N·H·W > 1).
  public static func batchNorm(
    _ x: Tensor, weight: Tensor, bias: Tensor, state: BatchNormState, training: Bool
  ) -> Tensor {
    precondition(x.rank >= 2, "batchNorm: input \(x.shape) needs at least [N, C]")
    let channels = x.shape[1]
    precondition(
      channels == state.channels,
      "batchNorm: input has \(channels) channels, the layer's state was built for \(state.channels)")
    precondition(weight.shape == [channels], "batchNorm: weight \(weight.shape) should be [\(channels)]")
    precondition(bias.shape == [channels], "batchNorm: bias \(bias.shape) should be [\(channels)]")
    precondition(x.count > 0, "batchNorm: input \(x.shape) is empty")

    let plan = PlaneNormalization(batchNormOf: x.shape)
    let mean: [Float], invStd: [Float]
    if training {
      precondition(
        plan.groupSize > 1,
        "batchNorm: training needs more than one value per channel, input is \(x.shape); use a batch larger than 1")
      let stats = plan.statistics(x.data)
      mean = stats.mean
      invStd = stats.variance.map { 1 / ($0 + state.epsilon).squareRoot() }
      state.update(mean: stats.mean, biasedVariance: stats.variance, valuesPerChannel: plan.groupSize)
    } else {
      mean = state.runningMean
      invStd = state.runningVariance.map { 1 / ($0 + state.epsilon).squareRoot() }
    }
    let out = plan.normalize(x.data, mean: mean, invStd: invStd, weight: weight.data, bias: bias.data)
    return Tensor(shape: x.shape, data: out, op: "batchNorm", inputs: [x, weight, bias]) { g in
      let grads = plan.backward(
        g, x: x.data, mean: mean, invStd: invStd, weight: weight.data,
        batchStatistics: training, needInput: x.requiresGrad)
      if let dx = grads.dx { x.accumulateGrad(dx) }
      weight.accumulateGrad(grads.dWeight)
      bias.accumulateGrad(grads.dBias)
    }
  }
}
