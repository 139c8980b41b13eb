// Stochastic gradient descent with momentum, as torch.optim.SGD:
//
//   g ← grad + λ·p                                  (weight decay λ, L2 form)
//   b ← g on the first step, then μ·b + (1 − τ)·g   (momentum μ, dampening τ)
//   g ← g + μ·b with Nesterov, else g ← b
//   p ← p − lr·g

/// SGD with optional momentum, dampening, Nesterov momentum and weight decay.
public final class SGD: Optimizer {
  /// Momentum buffers by parameter position; nil until a parameter's first step.
  public struct State: Codable, Equatable, Sendable {
    public var momentumBuffers: [[Float]?] = []
  }

  public var learningRate: Float
  public let momentum: Float
  public let dampening: Float
  public let nesterov: Bool
  public let weightDecay: Float
  public var state = State()

  /// - Precondition: all values non-negative; Nesterov needs momentum > 0 and no dampening.
  public init(learningRate: Float, momentum: Float = 0, dampening: Float = 0, nesterov: Bool = false, weightDecay: Float = 0) {
    precondition(learningRate >= 0, "SGD: learning rate \(learningRate) must not be negative")
    precondition(momentum >= 0, "SGD: momentum \(momentum) must not be negative")
    precondition(dampening >= 0, "SGD: dampening \(dampening) must not be negative")
    precondition(weightDecay >= 0, "SGD: weight decay \(weightDecay) must not be negative")
    precondition(
      !nesterov || (momentum > 0 && dampening == 0),
      "SGD: Nesterov momentum needs momentum > 0 and dampening 0 (got momentum \(momentum), dampening \(dampening))")
    self.learningRate = learningRate
    self.momentum = momentum
    self.dampening = dampening
    self.nesterov = nesterov
    self.weightDecay = weightDecay
  }

  public func step(_ parameters: [Tensor]) {
    prepareSlots(&state.momentumBuffers, for: parameters, optimizer: "SGD")
    let (lr, mu, keep, decay, nesterov) = (learningRate, momentum, 1 - dampening, weightDecay, self.nesterov)
    for (index, p) in parameters.enumerated() {
      guard let grad = p.grad else { continue }
      precondition(grad.count == p.count, "SGD.step: parameter \(index) \(p.shape) has \(grad.count) gradient values")
      // Taken out of the state while updated, so the update is in place; empty before the first step.
      var buffer = state.momentumBuffers[index] ?? []
      state.momentumBuffers[index] = nil
      let first = buffer.isEmpty
      if mu != 0 {
        if first { buffer = [Float](repeating: 0, count: p.count) }
        precondition(
          buffer.count == p.count,
          "SGD.step: parameter \(index) \(p.shape) does not match its momentum buffer of \(buffer.count) values")
      }
      p.data.withUnsafeMutableBufferPointer { x in
        buffer.withUnsafeMutableBufferPointer { b in
          for i in 0..<x.count {
            var d = decay != 0 ? grad[i] + decay * x[i] : grad[i]
            if mu != 0 {
              b[i] = first ? d : mu * b[i] + keep * d
              d = nesterov ? d + mu * b[i] : b[i]
            }
            x[i] -= lr * d
          }
        }
      }
      if mu != 0 { state.momentumBuffers[index] = buffer }
    }
  }
}
