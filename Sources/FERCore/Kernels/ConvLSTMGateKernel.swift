// The forward pass of the fused ConvLSTM gate step (Ops/ConvLSTMGates.swift) on
// raw buffers, eight positions at a time. Written with explicit SIMD because
// the scalar loop stayed scalar (five exps per element: an eighth of a training
// step at bench-small). A tail shorter than eight goes through the same lanes
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

/// Eight values from `src`, or the first `width` of them and zeros.
@inline(__always)
private func loadLanes(_ src: UnsafePointer<Float>, _ width: Int) -> FastMath.Lanes {
  if width == 8 { return UnsafeRawPointer(src).loadUnaligned(as: FastMath.Lanes.self) }
  var v = FastMath.Lanes(repeating: 0)
  for k in 0..<width { v[k] = src[k] }
  return v
}

/// Writes the first `width` lanes of `v` to `dst`.
@inline(__always)
private func storeLanes(_ dst: UnsafeMutablePointer<Float>, _ v: FastMath.Lanes, _ width: Int) {
  if width == 8 {
    UnsafeMutableRawPointer(dst).storeBytes(of: v, as: FastMath.Lanes.self)
  } else {
    for k in 0..<width { dst[k] = v[k] }
  }
}

extension ConvLSTMGateBuffers {
  /// Runs the gate equations for n samples of `plane` positions each, split
  /// over the cores in blocks of eight positions of one sample. Every element
  /// comes from the same lane formula wherever its block falls, so the split
  /// never changes a bit.
  package func forward(samples n: Int, plane: Int, useCurrentCell: Bool) {
    let blocksPerSample = (plane + 7) / 8
    parallelFor(n * blocksPerSample, minimumPerTask: 512) { blocks in
      for block in blocks {
        let s = block / blocksPerSample, p = block % blocksPerSample * 8
        let aBase = s * 4 * plane, base = s * plane, oBase = s * 2 * plane
        let width = min(8, plane - p)
        let cp0 = loadLanes(previousCell + base + p, width)
        let i = FastMath.sigmoid(
          loadLanes(preactivations + aBase + p, width) + loadLanes(peepholeInput + p, width) * cp0)
        let f = FastMath.sigmoid(
          loadLanes(preactivations + aBase + plane + p, width) + loadLanes(peepholeForget + p, width) * cp0)
        let g = FastMath.tanh(loadLanes(preactivations + aBase + 2 * plane + p, width))
        let c = f * cp0 + i * g
        let o = FastMath.sigmoid(
          loadLanes(preactivations + aBase + 3 * plane + p, width)
            + loadLanes(peepholeOutput + p, width) * (useCurrentCell ? c : cp0))
        storeLanes(input + base + p, i, width)
        storeLanes(forget + base + p, f, width)
        storeLanes(candidate + base + p, g, width)
        storeLanes(output + base + p, o, width)
        storeLanes(cell + base + p, c, width)
        storeLanes(result + oBase + p, o * FastMath.tanh(c), width)
        storeLanes(result + oBase + plane + p, c, width)
      }
    }
  }
}
