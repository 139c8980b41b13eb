import FERCore

/// A 2-D convolution layer: weight [out, in, k, k] ("weight"), optional bias [out] ("bias").
public final class Conv2d: Module {
  public var weight: Tensor
  public var bias: Tensor?
  public let stride: Int
  public let padding: Padding

  /// PyTorch's default initialisation (Kaiming uniform with a = √5, bias uniform ±1/√fan_in).
  public init(
    _ inputChannels: Int, _ outputChannels: Int, kernel: Int, stride: Int = 1, padding: Padding = .same,
    bias: Bool = true, rng: inout SeededRNG
  ) {
    precondition(inputChannels > 0 && outputChannels > 0, "Conv2d: channel counts must be positive")
    let shape = [outputChannels, inputChannels, kernel, kernel]
    weight = WeightInitializer.kaimingUniform.weight(shape, rng: &rng)
    self.bias = bias ? Tensor.initialBias(outputChannels, fanIn: fans(ofWeightShape: shape).fanIn, rng: &rng) : nil
    self.stride = stride
    self.padding = padding
  }

  public func callAsFunction(_ x: Tensor) -> Tensor {
    Tensor.conv2d(x, weight: weight, bias: bias, stride: stride, padding: padding)
  }

  public var namedParameters: [(String, Tensor)] {
    [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
  }
}
