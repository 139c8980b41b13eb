import Foundation

// The classification loss and the softmax. Both subtract the row maximum
// before exponentiating (log-sum-exp), so logits in the thousands neither
// overflow nor lose the small differences between classes.

extension Tensor {
  /// Mean cross-entropy of softmax(logits) against integer labels, for logits [N, K]
  /// and labels in 0..<K. With `classWeights` [K] the mean is PyTorch's weighted
  /// one, Σᵢ w_yᵢ·lᵢ / Σᵢ w_yᵢ (a batch whose labels all weigh 0 gives loss 0
  /// and no gradient, where PyTorch would give NaN).
  public static func softmaxCrossEntropy(logits: Tensor, labels: [Int], classWeights: [Float]? = nil) -> Tensor {
    precondition(logits.rank == 2, "softmaxCrossEntropy: logits \(logits.shape) should be [N, K]")
    let (n, k) = (logits.shape[0], logits.shape[1])
    precondition(n > 0 && k > 0, "softmaxCrossEntropy: logits \(logits.shape) are empty")
    precondition(labels.count == n, "softmaxCrossEntropy: \(labels.count) labels for a batch of \(n)")
    if let bad = labels.first(where: { !(0..<k).contains($0) }) {
      preconditionFailure("softmaxCrossEntropy: label \(bad) is outside 0..<\(k) (the logits have \(k) classes)")
    }
    if let classWeights {
      precondition(
        classWeights.count == k, "softmaxCrossEntropy: \(classWeights.count) class weights for \(k) classes")
      precondition(
        classWeights.allSatisfy { $0 >= 0 && $0.isFinite },
        "softmaxCrossEntropy: class weights must be finite and non-negative, got \(classWeights)")
    }
    let sampleWeights = labels.map { classWeights?[$0] ?? 1 }
    let totalWeight = sampleWeights.reduce(0.0) { $0 + Double($1) }

    // probabilities [N, K], kept for the backward pass.
    var probabilities = [Float](repeating: 0, count: n * k)
    var loss = 0.0
    probabilities.withUnsafeMutableBufferPointer { pp in
      logits.data.withUnsafeBufferPointer { zp in
        for i in 0..<n {
          let lse = softmaxRow(zp.baseAddress! + i * k, into: pp.baseAddress! + i * k, count: k)
          loss += Double(sampleWeights[i]) * Double(lse - zp[i * k + labels[i]])
        }
      }
    }
    let value = totalWeight > 0 ? Float(loss / totalWeight) : 0
    return Tensor(shape: [], data: [value], op: "softmaxCrossEntropy", inputs: [logits]) { g in
      guard totalWeight > 0 else { return }
      // ∂/∂z_ik = g·w_yᵢ/W·(p_ik − [k = yᵢ])
      var dz = probabilities
      for i in 0..<n {
        let scale = g[0] * Float(Double(sampleWeights[i]) / totalWeight)
        dz[i * k + labels[i]] -= 1
        for j in 0..<k { dz[i * k + j] *= scale }
      }
      logits.accumulateGrad(dz)
    }
  }

  /// Softmax along the last axis. Differentiable: dx = y ∘ (g − Σ g∘y) per row.
  public func softmax() -> Tensor {
    precondition(rank >= 1, "softmax: a scalar has no class axis")
    let k = shape[rank - 1]
    let rows = k == 0 ? 0 : count / k
    var out = [Float](repeating: 0, count: count)
    out.withUnsafeMutableBufferPointer { yp in
      data.withUnsafeBufferPointer { xp in
        for r in 0..<rows { softmaxRow(xp.baseAddress! + r * k, into: yp.baseAddress! + r * k, count: k) }
      }
    }
    let input = self, result = out
    return Tensor(shape: shape, data: out, op: "softmax", inputs: [self]) { g in
      var dx = [Float](repeating: 0, count: input.count)
      for r in 0..<rows {
        var dot: Float = 0
        for j in 0..<k { dot += g[r * k + j] * result[r * k + j] }
        for j in 0..<k { dx[r * k + j] = result[r * k + j] * (g[r * k + j] - dot) }
      }
      input.accumulateGrad(dx)
    }
  }
}

/// Writes softmax(z[0..<count]) to `p` and returns log Σ exp(z).
@inline(__always)
@discardableResult
private func softmaxRow(_ z: UnsafePointer<Float>, into p: UnsafeMutablePointer<Float>, count k: Int) -> Float {
  var m = -Float.infinity
  for j in 0..<k { m = max(m, z[j]) }
  var total: Float = 0
  for j in 0..<k {
    let e = expf(z[j] - m)
    p[j] = e
    total += e
  }
  let inv = 1 / total
  for j in 0..<k { p[j] *= inv }
  return m + logf(total)
}
