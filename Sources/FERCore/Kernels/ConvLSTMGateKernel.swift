import FERSystem
// The forward pass of the fused ConvLSTM gate step (Ops/ConvLSTMGates.swift) on
// raw buffers, eight positions at a time. Written with explicit SIMD because
// the scalar loop stayed scalar (five exps per element: an eighth of a training
// step at bench-small). A tail shorter than eight goes through the same lanes
// from zero-padded copies, so there is one formula, not two; full blocks load
// and store straight (a lane-count check on every load made the compiler split
// the whole step into scalar and 4-wide pieces).

/// The buffers of one gate step; every pointer covers the sizes in its comment.
package struct ConvLSTMGateBuffers {
  /// a: each sample's four gate blocks [4·plane], samples `preactivationStride` floats apart
  /// (a step's block inside the batched input convolution's output); c_{t−1} [N, plane],
  /// peepholes [plane] each.
  package let preactivations, previousCell, peepholeInput, peepholeForget, peepholeOutput: UnsafePointer<Float>
  package var preactivationStride: Int
  /// W_h * h_{t−1} [N, 4·plane], added to a (nil: h_{t−1} = 0).
  package var recurrent: UnsafePointer<Float>? = nil
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
      for gate in 0..<4 {
        let a = preactivations + s * preactivationStride + gate * plane + p
        let r = recurrent.map { $0 + (s * 4 + gate) * plane + p }
        for k in 0..<width { b[gate * 8 + k] = r.map { a[k] + $0[k] } ?? a[k] }
      }
      b.advanced(by: 32).update(from: previousCell + s * plane + p, count: width)
      b.advanced(by: 40).update(from: peepholeInput + p, count: width)
      b.advanced(by: 48).update(from: peepholeForget + p, count: width)
      b.advanced(by: 56).update(from: peepholeOutput + p, count: width)
      let lanes = ConvLSTMGateBuffers(
        preactivations: b, previousCell: b + 32, peepholeInput: b + 40, peepholeForget: b + 48,
        peepholeOutput: b + 56, preactivationStride: 32, input: b + 64, forget: b + 72, candidate: b + 80,
        output: b + 88, cell: b + 96, result: b + 112)
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
  let aBase = s * buffers.preactivationStride + p, base = s * plane + p, oBase = s * 2 * plane + p
  // a = input part + recurrent part: the same one addition the separate add op made.
  let rBase = s * 4 * plane + p
  @inline(__always) func a(_ gate: Int) -> SIMD8<Float> {
    let x = load8(buffers.preactivations + aBase + gate * plane)
    guard let recurrent = buffers.recurrent else { return x }
    return x + load8(recurrent + rBase + gate * plane)
  }
  let cp0 = load8(buffers.previousCell + base)
  let i = FastMath.sigmoid(a(0) + load8(buffers.peepholeInput + p) * cp0)
  let f = FastMath.sigmoid(a(1) + load8(buffers.peepholeForget + p) * cp0)
  let g = FastMath.tanh(a(2))
  let c = f * cp0 + i * g
  let o = FastMath.sigmoid(a(3) + load8(buffers.peepholeOutput + p) * (useCurrentCell ? c : cp0))
  store8(i, buffers.input + base)
  store8(f, buffers.forget + base)
  store8(g, buffers.candidate + base)
  store8(o, buffers.output + base)
  store8(c, buffers.cell + base)
  store8(o * FastMath.tanh(c), buffers.result + oBase)
  store8(c, buffers.result + oBase + plane)
}

// MARK: - Backward

/// The buffers of one gate step's backward pass; every pointer covers the sizes in its comment.
package struct ConvLSTMGateGradientBuffers {
  /// Kept by the forward: i, f, g, o, c, each [N, plane]; c_{t−1} [N, plane]; peepholes [plane] each.
  package let input, forget, candidate, output, cell, previousCell: UnsafePointer<Float>
  package let peepholeInput, peepholeForget, peepholeOutput: UnsafePointer<Float>
  /// ∂L/∂(h̃, c) [N, 2·plane], as the forward's result.
  package let resultGrad: UnsafePointer<Float>
  /// Overwritten: ∂L/∂a [N, 4·plane] and ∂L/∂c_{t−1} [N, plane].
  package let preactivationGrad, previousCellGrad: UnsafeMutablePointer<Float>
  /// Added to: ∂L/∂w_ci, ∂L/∂w_cf, ∂L/∂w_co [plane] each.
  package let peepholeInputGrad, peepholeForgetGrad, peepholeOutputGrad: UnsafeMutablePointer<Float>

  /// Split over positions in blocks of eight (the tail of each split through zero-padded
  /// copies): each position's peephole sums still add the samples in order, so the split
  /// never changes a bit.
  package func backward(samples n: Int, plane: Int, useCurrentCell: Bool) {
    parallelFor((plane + 7) / 8, minimumPerTask: 512) { blocks in
      for block in blocks {
        let p = block * 8, width = min(8, plane - block * 8)
        if width == 8 {
          backwardStep(self, samples: n, position: p, plane: plane, useCurrentCell: useCurrentCell)
        } else {
          for s in 0..<n { tail(sample: s, position: p, width: width, plane: plane, useCurrentCell: useCurrentCell) }
        }
      }
    }
  }

  /// Sample s of the last, partial block: the same step on zero-padded copies of its lanes.
  private func tail(sample s: Int, position p: Int, width: Int, plane: Int, useCurrentCell: Bool) {
    // Scratch planes of 8: i, f, g, o, c, c_{t−1}, three peepholes, two result gradients,
    // four pre-activation gradients, ∂c_{t−1}, three peephole gradients.
    withUnsafeTemporaryAllocation(of: Float.self, capacity: 20 * 8) { scratch in
      let b = scratch.baseAddress!
      b.update(repeating: 0, count: 20 * 8)
      for (k, kept) in [input, forget, candidate, output, cell, previousCell].enumerated() {
        (b + 8 * k).update(from: kept + s * plane + p, count: width)
      }
      for (k, peephole) in [peepholeInput, peepholeForget, peepholeOutput].enumerated() {
        (b + 48 + 8 * k).update(from: peephole + p, count: width)
      }
      (b + 72).update(from: resultGrad + s * 2 * plane + p, count: width)
      (b + 80).update(from: resultGrad + s * 2 * plane + plane + p, count: width)
      for (k, sum) in [peepholeInputGrad, peepholeForgetGrad, peepholeOutputGrad].enumerated() {
        (b + 136 + 8 * k).update(from: sum + p, count: width)
      }
      let lanes = ConvLSTMGateGradientBuffers(
        input: b, forget: b + 8, candidate: b + 16, output: b + 24, cell: b + 32, previousCell: b + 40,
        peepholeInput: b + 48, peepholeForget: b + 56, peepholeOutput: b + 64, resultGrad: b + 72,
        preactivationGrad: b + 88, previousCellGrad: b + 120, peepholeInputGrad: b + 136,
        peepholeForgetGrad: b + 144, peepholeOutputGrad: b + 152)
      backwardStep(lanes, samples: 1, position: 0, plane: 8, useCurrentCell: useCurrentCell)
      for gate in 0..<4 { (preactivationGrad + (s * 4 + gate) * plane + p).update(from: b + 88 + 8 * gate, count: width) }
      (previousCellGrad + s * plane + p).update(from: b + 120, count: width)
      for (k, sum) in [peepholeInputGrad, peepholeForgetGrad, peepholeOutputGrad].enumerated() {
        (sum + p).update(from: b + 136 + 8 * k, count: width)
      }
    }
  }
}

/// The gradients of the gate equations at positions p..<p+8 of every sample, samples in order.
@inline(__always)
private func backwardStep(
  _ buffers: ConvLSTMGateGradientBuffers, samples n: Int, position p: Int, plane: Int, useCurrentCell: Bool
) {
  let one = FastMath.Lanes(repeating: 1)
  let (wi, wf, wo) = (load8(buffers.peepholeInput + p), load8(buffers.peepholeForget + p), load8(buffers.peepholeOutput + p))
  var (dwi, dwf, dwo) = (
    load8(buffers.peepholeInputGrad + p), load8(buffers.peepholeForgetGrad + p), load8(buffers.peepholeOutputGrad + p)
  )
  for s in 0..<n {
    let k = s * plane + p, aBase = s * 4 * plane + p, oBase = s * 2 * plane + p
    let (i, f, g, o) = (load8(buffers.input + k), load8(buffers.forget + k), load8(buffers.candidate + k), load8(buffers.output + k))
    let (c, cp0) = (load8(buffers.cell + k), load8(buffers.previousCell + k))
    let tc = FastMath.tanh(c)
    let dh = load8(buffers.resultGrad + oBase)
    var dc = load8(buffers.resultGrad + oBase + plane) + dh * o * (one - tc * tc)
    let dao = dh * tc * o * (one - o)
    var dcPrev = FastMath.Lanes(repeating: 0)
    if useCurrentCell {
      dc += dao * wo
      dwo += dao * c
    } else {
      dcPrev += dao * wo
      dwo += dao * cp0
    }
    let dai = dc * g * i * (one - i)
    let daf = dc * cp0 * f * (one - f)
    let dag = dc * i * (one - g * g)
    dcPrev += dc * f + dai * wi + daf * wf
    dwi += dai * cp0
    dwf += daf * cp0
    store8(dai, buffers.preactivationGrad + aBase)
    store8(daf, buffers.preactivationGrad + aBase + plane)
    store8(dag, buffers.preactivationGrad + aBase + 2 * plane)
    store8(dao, buffers.preactivationGrad + aBase + 3 * plane)
    store8(dcPrev, buffers.previousCellGrad + k)
  }
  store8(dwi, buffers.peepholeInputGrad + p)
  store8(dwf, buffers.peepholeForgetGrad + p)
  store8(dwo, buffers.peepholeOutputGrad + p)
}
