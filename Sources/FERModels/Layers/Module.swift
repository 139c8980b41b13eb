import FERCore

// A module owns parameters (and buffers such as batch-norm running statistics)
// under PyTorch state_dict names. Layers only compose core ops; no layer
// writes a backward of its own.

/// Something with named parameters.
public protocol Module: AnyObject {
  /// Trainable tensors, named as PyTorch's `state_dict()` would name them, relative to this module.
  var namedParameters: [(String, Tensor)] { get }
  /// Non-trainable state saved with the model (e.g. "bn.running_mean"); empty by default.
  var namedBuffers: [(String, Buffer)] { get }
}

/// Access to a non-trainable state vector that lives outside a tensor (e.g. batch-norm running statistics).
public struct Buffer {
  public let get: () -> [Float]
  public let set: ([Float]) -> Void
}

extension Module {
  public var namedBuffers: [(String, Buffer)] { [] }
  /// The trainable tensors alone, in a fixed order.
  public var parameters: [Tensor] { namedParameters.map(\.1) }
  /// Total number of trainable scalars.
  public var parameterCount: Int { namedParameters.reduce(0) { $0 + $1.1.count } }
}

/// Prefixes child names ("conv" + "weight" → "conv.weight").
func scoped<T>(_ prefix: String, _ items: [(String, T)]) -> [(String, T)] {
  items.map { ("\(prefix).\($0.0)", $0.1) }
}

/// Mode of a forward pass: training (batch statistics, dropout) or evaluation.
public struct ForwardContext {
  public var training: Bool
  /// Drives dropout; advanced by every dropout call, so a seed fixes the masks.
  public var rng: SeededRNG

  public init(training: Bool, rng: SeededRNG = SeededRNG(seed: 0)) {
    self.training = training
    self.rng = rng
  }

  public static var evaluation: ForwardContext { ForwardContext(training: false) }
}
