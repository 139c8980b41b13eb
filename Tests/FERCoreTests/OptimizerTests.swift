import Foundation
import Testing
@testable import FERCore

@Suite("SGD, Adam, AdamW, gradient clipping")
struct OptimizerTests {
  /// The optimizer each reference case was run with in make_core_references.py.
  static func optimizer(for name: String) -> any Optimizer {
    switch name {
    case "sgd": return SGD(learningRate: 0.05)
    case "sgd_momentum_decay": return SGD(learningRate: 0.05, momentum: 0.9, weightDecay: 0.01)
    case "sgd_nesterov": return SGD(learningRate: 0.05, momentum: 0.9, nesterov: true, weightDecay: 1e-3)
    case "sgd_dampening": return SGD(learningRate: 0.05, momentum: 0.8, dampening: 0.3)
    case "adam": return Adam(learningRate: 0.05)
    case "adam_l2": return Adam(learningRate: 0.05, beta1: 0.8, beta2: 0.99, epsilon: 1e-6, weightDecay: 0.1)
    case "adamw": return AdamW(learningRate: 0.05, weightDecay: 0.1)
    default: fatalError("no optimizer for reference case \(name)")
    }
  }

  /// Sets step `step`'s learning rate and gradients of a reference case, then steps.
  static func run(
    _ c: CoreReferences.OptimizerCase, step: Int, optimizer: any Optimizer, parameters: [Tensor]
  ) {
    optimizer.zeroGrad(parameters)
    optimizer.learningRate = c.learningRates[step]
    for (p, g) in zip(parameters, c.grads[step]) { p.grad = g }
    optimizer.step(parameters)
  }

  static func parameters(_ c: CoreReferences.OptimizerCase) -> [Tensor] {
    zip(c.shapes, c.initial).map { Tensor(shape: $0, data: $1, requiresGrad: true) }
  }

  @Test func matchTorch() {
    let cases = CoreReferences.shared.optimizers
    #expect(cases.count == 7)
    for c in cases {
      let params = Self.parameters(c)
      let optimizer = Self.optimizer(for: c.name)
      for step in 0..<c.learningRates.count {
        Self.run(c, step: step, optimizer: optimizer, parameters: params)
        for (i, p) in params.enumerated() {
          expectMatches(p.data, c.after[step][i], rtol: 1e-5, atol: 1e-6, "\(c.name) step \(step) parameter \(i)")
        }
      }
    }
  }

  @Test func resumesFromCodableState() throws {
    // Checkpoint after two steps, restore into a new optimizer, finish: same parameters as an uninterrupted run.
    for c in CoreReferences.shared.optimizers {
      let straight = Self.parameters(c), resumed = Self.parameters(c)
      let first = Self.optimizer(for: c.name)
      for step in 0..<c.learningRates.count { Self.run(c, step: step, optimizer: first, parameters: straight) }

      let before = Self.optimizer(for: c.name)
      for step in 0..<2 { Self.run(c, step: step, optimizer: before, parameters: resumed) }
      let after = Self.optimizer(for: c.name)
      try Self.restore(after, from: Self.encode(before))
      for step in 2..<c.learningRates.count { Self.run(c, step: step, optimizer: after, parameters: resumed) }
      for (a, b) in zip(straight, resumed) { #expect(a.data == b.data, "\(c.name)") }
    }
  }

  static func encode<O: Optimizer>(_ optimizer: O) throws -> Data { try JSONEncoder().encode(optimizer.state) }
  static func restore<O: Optimizer>(_ optimizer: O, from data: Data) throws {
    optimizer.state = try JSONDecoder().decode(O.State.self, from: data)
  }

  @Test func handComputedFirstSteps() {
    // SGD: 1 − 0.1·0.5.
    let p = Tensor(shape: [1], data: [1], requiresGrad: true)
    p.grad = [0.5]
    SGD(learningRate: 0.1).step([p])
    #expect(p.data == [0.95])
    // SGD momentum: the buffer starts as the gradient, then b = 0.9·0.5 + 0.5 → p = 0.95 − 0.1·0.95.
    let q = Tensor(shape: [1], data: [1], requiresGrad: true)
    let sgd = SGD(learningRate: 0.1, momentum: 0.9)
    q.grad = [0.5]; sgd.step([q])
    q.grad = [0.5]; sgd.step([q])
    #expect(abs(q.data[0] - 0.855) < 1e-6)
    // Adam's first step moves by lr·g/(|g| + ε) ≈ lr; AdamW first shrinks by 1 − lr·λ.
    let a = Tensor(shape: [2], data: [1, -1], requiresGrad: true)
    a.grad = [2, -0.001]
    Adam(learningRate: 0.1).step([a])
    expectMatches(a.data, [0.9, -0.9], rtol: 1e-5, "Adam")
    let w = Tensor(shape: [1], data: [2], requiresGrad: true)
    w.grad = [3]
    AdamW(learningRate: 0.1, weightDecay: 0.5).step([w])
    expectMatches(w.data, [2 * 0.95 - 0.1], rtol: 1e-5, "AdamW")
  }

  @Test func parametersWithoutGradientsAreLeftAlone() {
    let a = parameter([3], seed: 81), b = parameter([2], seed: 82)
    let saved = b.data
    a.grad = [1, 2, 3]
    let adam = Adam()
    adam.step([a, b])
    #expect(b.data == saved)
    #expect(adam.state.moments[0]?.step == 1 && adam.state.moments[1] == nil)
  }

  @Test func zeroGradForgetsGradients() {
    let a = parameter([3], seed: 83)
    (a * a).sum().backward()
    #expect(a.grad != nil)
    SGD(learningRate: 0.1).zeroGrad([a])
    #expect(a.grad == nil)
  }

  @Test func clipMatchesTorch() {
    for c in CoreReferences.shared.clipGradNorm {
      let params = c.grads.map { g in
        let p = Tensor.zeros([g.count], requiresGrad: true)
        p.grad = g
        return p
      }
      let norm = clipGradientNorm(params, maxNorm: c.maxNorm)
      expectMatches([norm], [c.norm], rtol: 1e-6, "norm (max \(c.maxNorm))")
      for (p, expected) in zip(params, c.clipped) { expectMatches(p.grad, expected, rtol: 1e-6, atol: 1e-7, "clipped") }
    }
  }

  @Test func clipHandValues() {
    // Norm of (3, 4) and (12) is 13; clipped to 6.5 the gradients halve (up to the 1e-6 guard).
    let a = Tensor.zeros([2], requiresGrad: true), b = Tensor.zeros([1], requiresGrad: true)
    let none = Tensor.zeros([4], requiresGrad: true)
    a.grad = [3, 4]; b.grad = [12]
    #expect(clipGradientNorm([a, none, b], maxNorm: 6.5) == 13)
    expectMatches(a.grad! + b.grad!, [1.5, 2, 6], rtol: 1e-6, "clipped")
    #expect(none.grad == nil)
    // Below the maximum nothing changes.
    let clipped = a.grad
    #expect(abs(clipGradientNorm([a, b], maxNorm: 100) - 6.5) < 1e-5)
    #expect(a.grad == clipped)
  }
}
