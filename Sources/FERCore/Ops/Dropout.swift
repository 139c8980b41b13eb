// Inverted dropout: in training each value is zeroed with probability p and
// the survivors are scaled by 1/(1−p), so the expected value is unchanged and
// evaluation is the identity. The mask comes from the caller's SeededRNG, so a
// training run replays exactly.

extension Tensor {
  /// Zeroes each value with probability `p` and scales the rest by 1/(1−p) when
  /// `training`; returns `self` unchanged when not training or when p = 0.
  /// Draws one uniform number per element from `rng` (none when it returns `self`).
  ///
  /// - Precondition: p in [0, 1]; p = 1 zeroes everything.
  public func dropout(_ p: Float, rng: inout SeededRNG, training: Bool) -> Tensor {
    precondition((0...1).contains(p), "dropout: probability \(p) must lie in [0, 1]")
    guard training, p > 0 else { return self }
    let keepScale: Float = p < 1 ? 1 / (1 - p) : 0
    // mask[i] is 0 for dropped values and 1/(1−p) for kept ones.
    var mask = [Float](repeating: 0, count: count)
    for i in 0..<count where rng.nextUniform() >= p { mask[i] = keepScale }
    var out = [Float](repeating: 0, count: count)
    out.withUnsafeMutableBufferPointer { o in
      data.withUnsafeBufferPointer { x in
        mask.withUnsafeBufferPointer { m in
          for i in 0..<o.count { o[i] = x[i] * m[i] }
        }
      }
    }
    let input = self
    return Tensor(shape: shape, data: out, op: "dropout", inputs: [self]) { g in
      var gx = [Float](repeating: 0, count: input.count)
      for i in 0..<gx.count { gx[i] = g[i] * mask[i] }
      input.accumulateGrad(gx)
    }
  }
}
