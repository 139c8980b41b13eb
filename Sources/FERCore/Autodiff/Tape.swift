// Reverse-mode differentiation over the graph recorded by ops (define-by-run).
// The tape is the graph's nodes in topological order, rebuilt from the root on
// each backward call; pullbacks run from the root back to the leaves, so every
// node's gradient is complete before it is pushed further.

/// The nodes reachable from a root, in an order where inputs come before users.
public struct Tape {
  public private(set) var nodes: [Tensor] = []

  /// Records the graph under `root` (iterative depth-first post-order: clips of
  /// 64 frames make graphs too deep for recursion).
  public init(root: Tensor) {
    var visited = Set<ObjectIdentifier>()
    var stack: [(Tensor, Bool)] = [(root, false)]
    while let (node, expanded) = stack.popLast() {
      if expanded {
        nodes.append(node)
        continue
      }
      guard visited.insert(ObjectIdentifier(node)).inserted else { continue }
      stack.append((node, true))
      for input in node.inputs where input.requiresGrad && !visited.contains(ObjectIdentifier(input)) {
        stack.append((input, false))
      }
    }
  }

  /// Runs every pullback from the root back to the leaves.
  public func run() {
    for node in nodes.reversed() {
      guard let pullback = node.pullback, let g = node.grad else { continue }
      pullback(g)
      // Intermediate gradients are not needed once pushed on; leaves keep theirs.
      if !node.retainsGrad { node.grad = nil }
    }
  }
}

extension Tensor {
  /// Back-propagates from this tensor. A scalar seeds with 1; any other shape
  /// needs `seed`, the gradient of some loss with respect to this tensor.
  public func backward(seed: [Float]? = nil) {
    precondition(requiresGrad, "backward(): \(op) result of shape \(shape) does not depend on any parameter")
    if let seed {
      precondition(seed.count == count, "backward(): seed has \(seed.count) values, tensor \(shape) has \(count)")
      accumulateGrad(seed)
    } else {
      precondition(count == 1, "backward(): tensor of shape \(shape) is not a scalar; pass a seed")
      accumulateGrad([1])
    }
    Tape(root: self).run()
  }
}
