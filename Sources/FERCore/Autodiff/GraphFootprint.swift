// The memory a recorded graph holds until its backward pass: every tensor
// reachable from the root (each storage once: a reshape shares its input's
// array), and what the pullbacks keep besides their inputs. That is the
// activation memory of a training step, counted from the tensors actually
// allocated, which the model's memory estimate is checked against.

/// The bytes held by the graph under a root.
public struct GraphFootprint: Sendable, Equatable {
  /// Float32 values of the graph's tensors, each storage counted once, leaves (parameters, inputs) included.
  public var tensorBytes = 0
  /// Of those, the bytes of leaves that track gradients (the parameters).
  public var parameterBytes = 0
  /// Buffers the pullbacks keep beside their inputs (gate activations, pooling indices, masks).
  public var savedBytes = 0
  /// Tensors in the graph.
  public var tensors = 0

  /// Activations: everything but the parameters.
  public var activationBytes: Int { tensorBytes - parameterBytes + savedBytes }

  /// Bytes a pullback keeps per value of its op's output, besides its inputs: the fused ConvLSTM
  /// step keeps i, f, g and o (four [N, C, H, W] blocks) for its cell output, the fused gates the
  /// same four for their two-block output (ConvLSTMGates.swift); max-pooling keeps one Int32
  /// index per output value; dropout its Float mask. The other ops keep only their inputs or a
  /// few values per group.
  static let savedBytesPerOutputValue: [String: Int] = [
    "convLSTMStep": 16, "convLSTMGates": 8, "maxPool2d": 4, "dropout": 4,
  ]

  /// The footprint of the graph recorded under `root`, and of `held` tensors the caller keeps
  /// alive beside it (such as the input batch, which leaves the graph where the first op that
  /// tracks gradients reads a copy of it), each storage once.
  public init(of root: Tensor, holding held: [Tensor] = []) {
    var visited = Set<ObjectIdentifier>()
    var storages = Set<UnsafeRawPointer>(), parameterStorages = Set<UnsafeRawPointer>()
    var stack = held.reversed() + [root]
    while let node = stack.popLast() {
      guard visited.insert(ObjectIdentifier(node)).inserted else { continue }
      tensors += 1
      let base = node.data.withUnsafeBufferPointer { $0.baseAddress.map(UnsafeRawPointer.init) }
      if let base, storages.insert(base).inserted { tensorBytes += 4 * node.count }
      // A parameter's storage may be reached first through a node sharing it (a recurrence's shared weight).
      if let base, node.inputs.isEmpty && node.requiresGrad, parameterStorages.insert(base).inserted {
        parameterBytes += 4 * node.count
      }
      savedBytes += (Self.savedBytesPerOutputValue[node.op] ?? 0) * node.count
      stack += node.inputs
    }
  }
}
