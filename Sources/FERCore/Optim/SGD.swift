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
    for (index, p) in parameters.enumerated() {
      guard var g = p.grad else { continue }
      precondition(g.count == p.count, "SGD.step: parameter \(index) \(p.shape) has \(g.count) gradient values")
      if weightDecay != 0 {
        for i in 0..<g.count { g[i] += weightDecay * p.data[i] }
      }
      if momentum != 0 {
        // Taken out of the state while updated, so the update is in place.
        var buffer = state.momentumBuffers[index] ?? []
        state.momentumBuffers[index] = nil
        if buffer.isEmpty {
          buffer = g
        } else {
          precondition(
            buffer.count == p.count,
            "SGD.step: parameter \(index) \(p.shape) does not match its momentum buffer of \(buffer.count) values")
          for i in 0..<g.count { buffer[i] = momentum * buffer[i] + (1 - dampening) * g[i] }
        }
        if nesterov {
          for i in 0..<g.count { g[i] += momentum * buffer[i] }
        } else {
          g = buffer
        }
        state.momentumBuffers[index] = buffer
      }
      let lr = learningRate
      p.data.withUnsafeMutableBufferPointer { x in
        for i in 0..<x.count { x[i] -= lr * g[i] }
      }
    }
  }
}
