// The forward pass of the fused ConvLSTM gate step (Ops/ConvLSTMGates.swift) on
// raw buffers, eight positions at a time. Written with explicit SIMD because
// the scalar loop stayed scalar (five exps per element: an eighth of a training
// step at bench-small). A tail shorter than eight goes through the same lanes
// from zero-padded copies, so there is one formula, not two; full blocks load
// and store straight (a lane-count check on every load made the compiler split
// the whole step into scalar and 4-wide pieces).

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
  /// Runs the gate equations for n samples of `plane` positions each, split
  /// over the cores in blocks of eight positions of one sample. Every element
  /// comes from the same lane formula wherever its block falls, so the split
  /// never changes a bit.
  package func forward(samples n: Int, plane: Int, useCurrentCell: Bool) {
    let blocksPerSample = (plane + 7) / 8
    parallelFor(n * blocksPerSample, minimumPerTask: 512) { blocks in
      for block in blocks {
        let s = block / blocksPerSample, p = block % blocksPerSample * 8
        let width = min(8, plane - p)
        if width == 8 {
          step(self, sample: s, position: p, plane: plane, useCurrentCell: useCurrentCell)
        } else {
          tail(sample: s, position: p, width: width, plane: plane, useCurrentCell: useCurrentCell)
        }
      }
    }
  }

  /// The last, partial block of a sample: the same step on zero-padded copies of its lanes.
  private func tail(sample s: Int, position p: Int, width: Int, plane: Int, useCurrentCell: Bool) {
    // Scratch planes of 8: the sample's four gate blocks, c_{t−1}, three peepholes, five kept, two results.
    withUnsafeTemporaryAllocation(of: Float.self, capacity: 16 * 8) { scratch in
      let b = scratch.baseAddress!
      b.update(repeating: 0, count: 16 * 8)
      for gate in 0..<4 { (b + gate * 8).update(from: preactivations + (s * 4 + gate) * plane + p, count: width) }
      b.advanced(by: 32).update(from: previousCell + s * plane + p, count: width)
      b.advanced(by: 40).update(from: peepholeInput + p, count: width)
      b.advanced(by: 48).update(from: peepholeForget + p, count: width)
      b.advanced(by: 56).update(from: peepholeOutput + p, count: width)
      let lanes = ConvLSTMGateBuffers(
        preactivations: b, previousCell: b + 32, peepholeInput: b + 40, peepholeForget: b + 48,
        peepholeOutput: b + 56, input: b + 64, forget: b + 72, candidate: b + 80, output: b + 88, cell: b + 96,
        result: b + 112)
      step(lanes, sample: 0, position: 0, plane: 8, useCurrentCell: useCurrentCell)
      for (k, kept) in [input, forget, candidate, output, cell].enumerated() {
        (kept + s * plane + p).update(from: b + 64 + 8 * k, count: width)
      }
      (result + s * 2 * plane + p).update(from: b + 112, count: width)
      (result + s * 2 * plane + plane + p).update(from: b + 120, count: width)
    }
  }
}

/// The gate equations on the eight positions p..<p+8 of sample s.
@inline(__always)
private func step(_ buffers: ConvLSTMGateBuffers, sample s: Int, position p: Int, plane: Int, useCurrentCell: Bool) {
  let aBase = s * 4 * plane + p, base = s * plane + p, oBase = s * 2 * plane + p
  let cp0 = load(buffers.previousCell + base)
  let i = FastMath.sigmoid(load(buffers.preactivations + aBase) + load(buffers.peepholeInput + p) * cp0)
  let f = FastMath.sigmoid(load(buffers.preactivations + aBase + plane) + load(buffers.peepholeForget + p) * cp0)
  let g = FastMath.tanh(load(buffers.preactivations + aBase + 2 * plane))
  let c = f * cp0 + i * g
  let o = FastMath.sigmoid(
    load(buffers.preactivations + aBase + 3 * plane)
      + load(buffers.peepholeOutput + p) * (useCurrentCell ? c : cp0))
  store(i, buffers.input + base)
  store(f, buffers.forget + base)
  store(g, buffers.candidate + base)
  store(o, buffers.output + base)
  store(c, buffers.cell + base)
  store(o * FastMath.tanh(c), buffers.result + oBase)
  store(c, buffers.result + oBase + plane)
}

@inline(__always)
private func load(_ src: UnsafePointer<Float>) -> FastMath.Lanes {
  UnsafeRawPointer(src).loadUnaligned(as: FastMath.Lanes.self)
}

@inline(__always)
private func store(_ v: FastMath.Lanes, _ dst: UnsafeMutablePointer<Float>) {
  UnsafeMutableRawPointer(dst).storeBytes(of: v, as: FastMath.Lanes.self)
}
