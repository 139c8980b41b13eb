import FERCore

// Gradient-flow instrumentation of a ConvLSTM layer. Each use of h_t is routed
// through an identity node of its own (a reshape to the same shape), and those
// nodes keep their gradients, so after `backward()`:
//
//   hidden[t].grad    = ∂L/∂h_t, the total
//   recurrent[t].grad = the part arriving through W_h * h_t at step t+1
//   skip[t].grad      = the part arriving through the temporal skip into h_{t+2}
//   upward[t].grad    = the part arriving from above (the next layer or the stream's feature)
//   cells[t].grad     = ∂L/∂c_t through the cell state of step t+1
//
// and hidden = recurrent + skip + upward. The last step's recurrent node has no
// user, so its gradient stays nil (zero).

/// Per-step tensors of one layer, recorded for a gradient-flow report.
public final class ConvLSTMProbe {
  public internal(set) var hidden: [Tensor] = []
  public internal(set) var recurrent: [Tensor] = []
  public internal(set) var skip: [Tensor] = []
  public internal(set) var upward: [Tensor] = []
  public internal(set) var cells: [Tensor] = []

  public init() {}

  /// Keeps `tensor`'s gradient and appends it to the given list; returns it for chaining.
  @discardableResult
  func track(_ tensor: Tensor, in list: ReferenceWritableKeyPath<ConvLSTMProbe, [Tensor]>) -> Tensor {
    tensor.retainsGrad = true
    self[keyPath: list].append(tensor)
    return tensor
  }
}
