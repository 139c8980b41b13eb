// Seeded weight and bias initialisers with PyTorch's formulas, so a model
// starts from the same distribution as its PyTorch peer (not the same values:
// the generators differ).
//
//   fan_in  = I·kh·kw, fan_out = O·kh·kw   for a weight [O, I, kh, kw] (or [O, I])
//   Kaiming uniform, a = √5 (nn.Conv2d / nn.Linear default): bound = 1/√fan_in
//   Kaiming uniform, ReLU gain √2:                           bound = √(6/fan_in)
//   Xavier uniform:                                          bound = gain·√(6/(fan_in + fan_out))
//   bias (nn.Conv2d / nn.Linear default):                    bound = 1/√fan_in

/// The fan-in and fan-out of a weight of shape [O, I, …kernel]: the kernel's
/// size times I and O respectively.
public func fans(ofWeightShape shape: [Int]) -> (fanIn: Int, fanOut: Int) {
  precondition(shape.count >= 2, "fans: a weight needs at least [out, in] axes, got \(shape)")
  let receptive = shape[2...].reduce(1, *)
  return (shape[1] * receptive, shape[0] * receptive)
}

/// How a weight tensor is drawn (every option is uniform on [−bound, bound)).
public enum WeightInitializer: String, Codable, Sendable, CaseIterable {
  /// PyTorch's default for convolutions and linear layers (kaiming_uniform_ with a = √5).
  case kaimingUniform
  /// kaiming_uniform_ with the ReLU gain √2 (He et al. 2015).
  case kaimingUniformReLU
  /// xavier_uniform_ with gain 1 (Glorot & Bengio 2010).
  case xavierUniform

  /// Half-width of the uniform distribution for a weight of this shape.
  public func bound(forWeightShape shape: [Int]) -> Float {
    let (fanIn, fanOut) = fans(ofWeightShape: shape)
    precondition(fanIn > 0 && fanOut > 0, "\(rawValue): weight \(shape) has no inputs or outputs to scale by")
    switch self {
    case .kaimingUniform: return 1 / Float(fanIn).squareRoot()
    case .kaimingUniformReLU: return (6 / Float(fanIn)).squareRoot()
    case .xavierUniform: return (6 / Float(fanIn + fanOut)).squareRoot()
    }
  }

  /// A weight parameter of `shape` drawn from `rng`.
  public func weight(_ shape: [Int], rng: inout SeededRNG) -> Tensor {
    let bound = bound(forWeightShape: shape)
    return Tensor.uniform(shape, -bound, bound, rng: &rng, requiresGrad: true)
  }
}

extension Tensor {
  /// A bias parameter [count] uniform on [−1/√fanIn, 1/√fanIn), PyTorch's default
  /// for a layer whose weight has this fan-in.
  public static func initialBias(_ count: Int, fanIn: Int, rng: inout SeededRNG) -> Tensor {
    precondition(fanIn > 0, "initialBias: fan-in must be positive, got \(fanIn)")
    let bound = 1 / Float(fanIn).squareRoot()
    return Tensor.uniform([count], -bound, bound, rng: &rng, requiresGrad: true)
  }
}
