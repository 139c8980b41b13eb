// The forward pass of the fused ConvLSTM gate step (Ops/ConvLSTMGates.swift) on
// raw buffers, sixteen positions at a time. Written with explicit SIMD because
// the scalar loop stayed scalar (five exps per element: an eighth of a training
// step at bench-small). A tail shorter than sixteen goes through the same lanes
// from zero-padded copies, so there is one formula, not two.

/// The buffers of one gate step; every pointer covers the sizes in its comment.
package struct ConvLSTMGateBuffers {
  /// a [N, 4·plane] pre-activations, c_{t−1} [N, plane], peepholes [plane] each.
  package let preactivations, previousCell, peepholeInput, peepholeForget, peepholeOutput: UnsafePointer<Float>
  /// Kept for backward: i, f, g, o, c, each [N, plane].
  package let input, forget, candidate, output, cell: UnsafeMutablePointer<Float>
  /// [N, 2·plane]: h̃ then c per sample.
  package let result: UnsafeMutablePointer<Float>
}

extension ConvLSTMGateBuffers {
  /// Runs the gate equations for n samples of `plane` positions each.
  package func forward(samples n: Int, plane: Int, useCurrentCell: Bool) {
    for s in 0..<n {
      let aBase = s * 4 * plane, base = s * plane, oBase = s * 2 * plane
      var p = 0
      while p < plane {
        let width = min(16, plane - p)
        let load = { (src: UnsafePointer<Float>) -> FastMath.Lanes in
          if width == 16 { return UnsafeRawPointer(src).loadUnaligned(as: FastMath.Lanes.self) }
          var v = FastMath.Lanes(repeating: 0)
          for k in 0..<width { v[k] = src[k] }
          return v
        }
        let store = { (dst: UnsafeMutablePointer<Float>, v: FastMath.Lanes) in
          if width == 16 {
            UnsafeMutableRawPointer(dst).storeBytes(of: v, as: FastMath.Lanes.self)
          } else {
            for k in 0..<width { dst[k] = v[k] }
          }
        }
        let cp0 = load(previousCell + base + p)
        let i = FastMath.sigmoid(load(preactivations + aBase + p) + load(peepholeInput + p) * cp0)
        let f = FastMath.sigmoid(load(preactivations + aBase + plane + p) + load(peepholeForget + p) * cp0)
        let g = FastMath.tanh(load(preactivations + aBase + 2 * plane + p))
        let c = f * cp0 + i * g
        let o = FastMath.sigmoid(
          load(preactivations + aBase + 3 * plane + p) + load(peepholeOutput + p) * (useCurrentCell ? c : cp0))
        store(input + base + p, i)
        store(forget + base + p, f)
        store(candidate + base + p, g)
        store(output + base + p, o)
        store(cell + base + p, c)
        store(result + oBase + p, o * FastMath.tanh(c))
        store(result + oBase + plane + p, c)
        p += width
      }
    }
  }
}
