import Foundation

// Adam (Kingma & Ba 2015) and AdamW (Loshchilov & Hutter 2019), as
// torch.optim.Adam and torch.optim.AdamW. Per parameter, at its step t:
//
//   Adam:  g ← grad + λ·p          AdamW:  p ← p·(1 − lr·λ),  g ← grad
//   m ← m + (1 − β₁)·(g − m)
//   v ← β₂·v + (1 − β₂)·g²
//   p ← p − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
//
// The only difference is where the weight decay λ enters: into the gradient
// (so Adam rescales it like any gradient), or straight onto the weights.

/// The moments of Adam and AdamW, by parameter position.
public struct AdamState: Codable, Equatable, Sendable {
  /// One parameter's step count and moment estimates.
  public struct Moments: Codable, Equatable, Sendable {
    public var step: Int
    public var first: [Float]
    public var second: [Float]
  }

  /// nil until a parameter's first step.
  public var moments: [Moments?] = []
}

/// Adam with L2 weight decay added to the gradient.
public final class Adam: Optimizer {
  public var learningRate: Float
  public let beta1: Float, beta2: Float, epsilon: Float, weightDecay: Float
  public var state = AdamState()

  /// - Precondition: betas in [0, 1); learning rate, epsilon and weight decay non-negative.
  public init(
    learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0
  ) {
    validateAdam("Adam", learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay)
    self.learningRate = learningRate
    self.beta1 = beta1; self.beta2 = beta2; self.epsilon = epsilon; self.weightDecay = weightDecay
  }

  public func step(_ parameters: [Tensor]) {
    adamStep(
      parameters, state: &state, name: "Adam", learningRate: learningRate,
      beta1: beta1, beta2: beta2, epsilon: epsilon, l2Decay: weightDecay, decoupledDecay: 0)
  }
}

/// Adam with decoupled weight decay (the weights shrink by lr·λ each step).
public final class AdamW: Optimizer {
  public var learningRate: Float
  public let beta1: Float, beta2: Float, epsilon: Float, weightDecay: Float
  public var state = AdamState()

  /// - Precondition: betas in [0, 1); learning rate, epsilon and weight decay non-negative.
  public init(
    learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8,
    weightDecay: Float = 1e-2
  ) {
    validateAdam("AdamW", learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay)
    self.learningRate = learningRate
    self.beta1 = beta1; self.beta2 = beta2; self.epsilon = epsilon; self.weightDecay = weightDecay
  }

  public func step(_ parameters: [Tensor]) {
    adamStep(
      parameters, state: &state, name: "AdamW", learningRate: learningRate,
      beta1: beta1, beta2: beta2, epsilon: epsilon, l2Decay: 0, decoupledDecay: weightDecay)
  }
}

private func validateAdam(
  _ name: String, learningRate: Float, beta1: Float, beta2: Float, epsilon: Float, weightDecay: Float
) {
  precondition(learningRate >= 0, "\(name): learning rate \(learningRate) must not be negative")
  precondition((0..<1).contains(beta1), "\(name): beta1 \(beta1) must lie in [0, 1)")
  precondition((0..<1).contains(beta2), "\(name): beta2 \(beta2) must lie in [0, 1)")
  precondition(epsilon >= 0, "\(name): epsilon \(epsilon) must not be negative")
  precondition(weightDecay >= 0, "\(name): weight decay \(weightDecay) must not be negative")
}

/// One Adam step over every parameter with a gradient; the two decays are the
/// Adam (into the gradient) and AdamW (onto the weights) forms.
private func adamStep(
  _ parameters: [Tensor], state: inout AdamState, name: String, learningRate lr: Float,
  beta1: Float, beta2: Float, epsilon: Float, l2Decay: Float, decoupledDecay: Float
) {
  prepareSlots(&state.moments, for: parameters, optimizer: name)
  for (index, p) in parameters.enumerated() {
    guard let grad = p.grad else { continue }
    precondition(grad.count == p.count, "\(name).step: parameter \(index) \(p.shape) has \(grad.count) gradient values")
    // Taken out of the state while updated, so the buffers are updated in place.
    var m = state.moments[index] ?? AdamState.Moments(
      step: 0, first: [Float](repeating: 0, count: p.count), second: [Float](repeating: 0, count: p.count))
    state.moments[index] = nil
    precondition(
      m.first.count == p.count && m.second.count == p.count,
      "\(name).step: parameter \(index) \(p.shape) does not match its moments of \(m.first.count) values")
    m.step += 1
    // Bias corrections in Double, as PyTorch computes these scalars in Python floats.
    let t = Double(m.step)
    let stepSize = Float(Double(lr) / (1 - pow(Double(beta1), t)))
    let correction2Sqrt = Float((1 - pow(Double(beta2), t)).squareRoot())
    let update = AdamUpdate(
      stepSize: stepSize, correction2Sqrt: correction2Sqrt, beta1: beta1, beta2: beta2, epsilon: epsilon,
      l2Decay: l2Decay, shrink: Float(1 - Double(lr) * Double(decoupledDecay)))
    p.data.withUnsafeMutableBufferPointer { x in
      grad.withUnsafeBufferPointer { g in
        m.first.withUnsafeMutableBufferPointer { m1 in
          m.second.withUnsafeMutableBufferPointer { m2 in
            update.apply(x: x, grad: g, first: m1, second: m2)
          }
        }
      }
    }
    state.moments[index] = m
  }
}

/// The element-wise Adam update with one step's scalars, eight lanes at a time.
/// Lane-wise IEEE arithmetic, so the result equals the scalar formula exactly.
private struct AdamUpdate {
  let stepSize: Float, correction2Sqrt: Float, beta1: Float, beta2: Float, epsilon: Float
  /// λ added to the gradient (Adam), and the factor 1 − lr·λ the weights shrink by (AdamW).
  let l2Decay: Float, shrink: Float

  @inline(__always)
  func lanes(_ x: inout SIMD8<Float>, _ grad: SIMD8<Float>, _ m1: inout SIMD8<Float>, _ m2: inout SIMD8<Float>) {
    if shrink != 1 { x *= shrink }
    let g = l2Decay != 0 ? grad + l2Decay * x : grad
    m1 += (1 - beta1) * (g - m1)
    m2 = beta2 * m2 + (1 - beta2) * g * g
    x -= stepSize * m1 / (m2.squareRoot() / correction2Sqrt + epsilon)
  }

  func apply(
    x: UnsafeMutableBufferPointer<Float>, grad: UnsafeBufferPointer<Float>,
    first: UnsafeMutableBufferPointer<Float>, second: UnsafeMutableBufferPointer<Float>
  ) {
    let n = x.count
    var i = 0
    if n >= 8 {
      let xp = UnsafeMutableRawPointer(x.baseAddress!), gp = UnsafeRawPointer(grad.baseAddress!)
      let p1 = UnsafeMutableRawPointer(first.baseAddress!), p2 = UnsafeMutableRawPointer(second.baseAddress!)
      while i + 8 <= n {
        let offset = 4 * i
        var xv = xp.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
        var m1 = p1.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
        var m2 = p2.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
        lanes(&xv, gp.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self), &m1, &m2)
        xp.storeBytes(of: xv, toByteOffset: offset, as: SIMD8<Float>.self)
        p1.storeBytes(of: m1, toByteOffset: offset, as: SIMD8<Float>.self)
        p2.storeBytes(of: m2, toByteOffset: offset, as: SIMD8<Float>.self)
        i += 8
      }
    }
    guard i < n else { return }
    // The tail through the same lanes, padded with zeros that are then discarded.
    var xv = SIMD8<Float>(), g = SIMD8<Float>(), m1 = SIMD8<Float>(), m2 = SIMD8<Float>()
    for k in 0..<(n - i) { xv[k] = x[i + k]; g[k] = grad[i + k]; m1[k] = first[i + k]; m2[k] = second[i + k] }
    lanes(&xv, g, &m1, &m2)
    for k in 0..<(n - i) { x[i + k] = xv[k]; first[i + k] = m1[k]; second[i + k] = m2[k] }
  }
}
