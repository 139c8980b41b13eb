import FERCore

/// Batch normalization over [N, C, H, W] with affine "weight"/"bias" and the
/// running statistics saved as buffers "running_mean" and "running_var" (PyTorch's names).
public final class BatchNorm2d: Module {
  public var weight: Tensor
  public var bias: Tensor
  public let state: BatchNormState

  public init(_ channels: Int) {
    weight = Tensor.full([channels], 1, requiresGrad: true)
    bias = Tensor.zeros([channels], requiresGrad: true)
    state = BatchNormState(channels: channels)
  }

  /// Batch statistics (and a running-stat update) when training, running statistics otherwise.
  public func callAsFunction(_ x: Tensor, _ context: ForwardContext) -> Tensor {
    Tensor.batchNorm(x, weight: weight, bias: bias, state: state, training: context.training)
  }

  public var namedParameters: [(String, Tensor)] { [("weight", weight), ("bias", bias)] }

  public var namedBuffers: [(String, Buffer)] {
    let state = self.state
    return [
      ("running_mean", Buffer(get: { state.runningMean }, set: { state.runningMean = $0 })),
      ("running_var", Buffer(get: { state.runningVariance }, set: { state.runningVariance = $0 })),
    ]
  }
}
