// Constructors for common leaves.

extension Tensor {
  /// A tensor of zeros.
  public static func zeros(_ shape: [Int], requiresGrad: Bool = false) -> Tensor {
    Tensor(shape: shape, data: [Float](repeating: 0, count: elementCount(shape)), requiresGrad: requiresGrad)
  }

  /// A tensor filled with one value.
  public static func full(_ shape: [Int], _ value: Float, requiresGrad: Bool = false) -> Tensor {
    Tensor(shape: shape, data: [Float](repeating: value, count: elementCount(shape)), requiresGrad: requiresGrad)
  }

  /// A scalar (shape `[]`).
  public static func scalar(_ value: Float) -> Tensor { Tensor(shape: [], data: [value]) }

  /// Values uniform in [low, high) from a seeded generator.
  public static func uniform(
    _ shape: [Int], _ low: Float = 0, _ high: Float = 1, rng: inout SeededRNG, requiresGrad: Bool = false
  ) -> Tensor {
    let values = (0..<elementCount(shape)).map { _ in rng.nextUniform(low, high) }
    return Tensor(shape: shape, data: values, requiresGrad: requiresGrad)
  }

  /// Values from N(mean, std²) from a seeded generator.
  public static func normal(
    _ shape: [Int], mean: Float = 0, std: Float = 1, rng: inout SeededRNG, requiresGrad: Bool = false
  ) -> Tensor {
    let values = (0..<elementCount(shape)).map { _ in mean + std * rng.nextNormal() }
    return Tensor(shape: shape, data: values, requiresGrad: requiresGrad)
  }
}
