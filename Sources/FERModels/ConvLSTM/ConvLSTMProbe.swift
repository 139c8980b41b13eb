import FERCore

// Gradient-flow instrumentation of a ConvLSTM layer (DESIGN.md, "Gradient flow by
// path"). ∂L/∂h_t is the sum of the parts that reach h_t along five paths:
//
//   recurrence     W_h * h_t in the gates of step t+1
//   temporalSkip   h_{t+2} = GN(… + h_t)
//   aboveGates     the next layer's input-to-gate convolution W_x*, via the 2×2 max-pool
//   aboveSpatial   the next layer's spatial skip W_xs*, via the max-pool
//   head           the stream's feature (last layer, last step)
//
// Each use of h_t inside the layer, and h_t as the layer returns it, goes
// through an identity node of its own (a reshape to the same shape) that keeps
// its gradient, so after `backward()`:
//
//   hidden[t].grad    = ∂L/∂h_t, the total
//   recurrent[t].grad = the recurrence part (nil at the last step: it feeds no later step)
//   skip[t].grad      = the temporal-skip part (nil for the last two steps, or when the skip is off)
//   upward[t].grad    = what arrives from above: the head, or the next layer's input
//   cells[t].grad     = ∂L/∂c_t through the cell state of step t+1
//
// The next layer convolves its input with W_x and W_xs stacked, as one
// convolution: that is what the unprobed forward does, and the probed forward
// must compute the same totals bit for bit, because recorded `flow` sessions
// replay them. So the upward part of a lower layer is split after the backward
// pass instead (ConvLSTMProbe+Above.swift): the max-pool and each convolution's
// input gradient are run again on their own block of the next layer's gradient.

/// A path by which the loss reaches h_t of a ConvLSTM layer.
public enum GradientPath: String, CaseIterable, Codable, Sendable {
  case recurrence, temporalSkip, aboveGates, aboveSpatial, head

  /// How a table or a chart names the path.
  public var title: String {
    switch self {
    case .recurrence: "recurrence"
    case .temporalSkip: "temporal skip"
    case .aboveGates: "above: gates"
    case .aboveSpatial: "above: spatial skip"
    case .head: "head"
    }
  }
}

/// Per-step tensors of one layer, recorded for a gradient-flow report.
public final class ConvLSTMProbe {
  /// h_t as the layer computed it; `grad` is ∂L/∂h_t, the total. [N, C, H, W] per step.
  public internal(set) var hidden: [Tensor] = []
  /// c_t; `grad` is ∂L/∂c_t through the cell state of step t+1.
  public internal(set) var cells: [Tensor] = []
  var recurrent: [Tensor] = []
  var skip: [Tensor] = []
  var upward: [Tensor] = []

  /// Set by the stream on every layer but the bottom one: keep the gradient of the
  /// layer's input convolutions, which the layer below splits its upward part with.
  var keepsInputProjection = false
  /// This layer's input convolutions, all steps: [N, T·(4C (+C)), H, W]; gradient kept.
  var inputProjection: Tensor?
  /// Set by the stream on every layer but the top one: where h_t goes above.
  var above: LayerAbove?
  /// The split of `upward` when the layer above has a spatial skip, computed on first use after `backward()`.
  var aboveParts: (gates: [[Float]?], spatial: [[Float]?])?

  /// Test hook: adds `by` [N, C, H, W] to h_t at `step` (after the group norm) in the probed forward.
  package var nudge: (step: Int, by: Tensor)?

  public init() {}

  /// The part of ∂L/∂h_t that arrived along `path` after `backward()`, laid out as
  /// h_t [N, C, H, W]; nil when nothing reached h_t that way. The above parts run a
  /// small backward pass of their own on first use, so read them with gradient recording on.
  public func gradient(along path: GradientPath, step t: Int) -> [Float]? {
    switch path {
    case .recurrence: return recurrent.indices.contains(t) ? recurrent[t].grad : nil
    case .temporalSkip: return skip.indices.contains(t) ? skip[t].grad : nil
    case .head: return above == nil && upward.indices.contains(t) ? upward[t].grad : nil
    case .aboveGates, .aboveSpatial:
      guard let above, upward.indices.contains(t) else { return nil }
      // Without a spatial skip above, all that comes from above goes through W_x.
      guard above.spatial != nil else { return path == .aboveGates ? upward[t].grad : nil }
      if aboveParts == nil { aboveParts = above.split() }
      let parts = path == .aboveGates ? aboveParts?.gates : aboveParts?.spatial
      return parts.flatMap { $0.indices.contains(t) ? $0[t] : nil }
    }
  }

  /// Keeps `tensor`'s gradient and appends it to the given list; returns it for chaining.
  @discardableResult
  func track(_ tensor: Tensor, in list: ReferenceWritableKeyPath<ConvLSTMProbe, [Tensor]>) -> Tensor {
    tensor.retainsGrad = true
    self[keyPath: list].append(tensor)
    return tensor
  }
}
