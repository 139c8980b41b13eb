import FERCore

/// Group normalization with a per-channel scale ("weight", ones) and shift ("bias", zeros).
public final class GroupNorm: Module {
  public var weight: Tensor
  public var bias: Tensor
  public let groups: Int

  public init(groups: Int, channels: Int) {
    precondition(groups > 0 && channels % groups == 0, "GroupNorm: \(groups) groups must divide \(channels) channels")
    self.groups = groups
    weight = Tensor.full([channels], 1, requiresGrad: true)
    bias = Tensor.zeros([channels], requiresGrad: true)
  }

  public func callAsFunction(_ x: Tensor) -> Tensor {
    Tensor.groupNorm(x, groups: groups, weight: weight, bias: bias)
  }

  public var namedParameters: [(String, Tensor)] { [("weight", weight), ("bias", bias)] }
}
