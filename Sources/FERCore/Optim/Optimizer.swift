import Foundation

// What every optimizer does, and global gradient-norm clipping.
//
// An optimizer is handed the same parameter list at every step (a model's
// parameters in a fixed order); its per-parameter state (momentum buffers,
// Adam moments) is kept by position in that list, as PyTorch keeps it by
// position in a parameter group. The state is a Codable value so a training
// run can checkpoint it and resume bit for bit.

/// Updates parameters in place from their gradients.
public protocol Optimizer: AnyObject {
  /// The per-parameter buffers and counters, for checkpoints.
  associatedtype State: Codable, Equatable, Sendable

  /// The step size; a schedule may change it between steps.
  var learningRate: Float { get set }
  var state: State { get set }

  /// Updates every parameter that has a gradient (`data` from `grad`);
  /// parameters without a gradient are left alone, their state untouched.
  func step(_ parameters: [Tensor])
}

extension Optimizer {
  /// Forgets every parameter's gradient, ready for the next backward pass.
  public func zeroGrad(_ parameters: [Tensor]) {
    for p in parameters { p.zeroGrad() }
  }
}

/// Scales all gradients together so that their global L2 norm is at most
/// `maxNorm`, as torch.nn.utils.clip_grad_norm_: with total norm ‖g‖ the
/// gradients are multiplied by min(1, maxNorm / (‖g‖ + 1e-6)). Parameters
/// without a gradient are skipped. Returns ‖g‖ before clipping.
@discardableResult
public func clipGradientNorm(_ parameters: [Tensor], maxNorm: Float) -> Float {
  precondition(maxNorm > 0, "clipGradientNorm: maxNorm must be positive, got \(maxNorm)")
  var squares = 0.0
  for p in parameters {
    guard let g = p.grad else { continue }
    for v in g { squares += Double(v) * Double(v) }
  }
  let norm = Float(squares.squareRoot())
  let coefficient = min(1, maxNorm / (norm + 1e-6))
  // A coefficient of 1 leaves the gradients as they are (PyTorch multiplies by 1.0).
  if coefficient < 1 {
    for p in parameters where p.grad != nil {
      p.grad = p.grad.map { g in g.map { $0 * coefficient } }
    }
  }
  return norm
}

/// Checks that a step's parameter list matches the optimizer's state, sizing
/// the state on the first step. `states` holds one slot per parameter.
package func prepareSlots<Slot>(_ states: inout [Slot?], for parameters: [Tensor], optimizer: String) {
  if states.isEmpty { states = Array(repeating: nil, count: parameters.count) }
  precondition(
    states.count == parameters.count,
    "\(optimizer).step: called with \(parameters.count) parameters, its state holds \(states.count); "
      + "pass the same parameter list at every step")
}
