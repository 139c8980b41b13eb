import FERCore

/// A fully connected layer: weight [out, in] ("weight"), bias [out] ("bias").
public final class Linear: Module {
  public var weight: Tensor
  public var bias: Tensor?

  /// PyTorch's default initialisation.
  public init(_ inputSize: Int, _ outputSize: Int, bias: Bool = true, rng: inout SeededRNG) {
    precondition(inputSize > 0 && outputSize > 0, "Linear: sizes must be positive, got \(inputSize) → \(outputSize)")
    weight = WeightInitializer.kaimingUniform.weight([outputSize, inputSize], rng: &rng)
    self.bias = bias ? Tensor.initialBias(outputSize, fanIn: inputSize, rng: &rng) : nil
  }

  public func callAsFunction(_ x: Tensor) -> Tensor { Tensor.linear(x, weight: weight, bias: bias) }

  public var namedParameters: [(String, Tensor)] {
    [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
  }
}
