import FERSystem
// The fused ConvLSTM cell step (Ops/ConvLSTMGates.swift) on raw buffers, eight
// positions at a time. Written with explicit SIMD because the scalar loop stayed
// scalar (five exps per element). A tail shorter than eight goes through the same
// lanes from zero-padded copies, so there is one formula, not two; full blocks
// load and store straight (a lane-count check on every load made the compiler
// split the whole step into scalar and 4-wide pieces; so did a condition on the
// skips inside the lanes, hence one loop per combination of skips).
//
// The forward keeps i, f, g and o for the backward (c is an output). Recomputing them
// from the pre-activations instead, which the graph keeps anyway, saves those four
// blocks' memory but measured slower: the backward then does the forward's five
// exps again, in a function the compiler would not inline into its loop.
//
// Every per-sample buffer with a stride S has sample s at s·S.

/// The buffers of one cell step; `plane` = C·H·W is one gate block of one sample.
package struct ConvLSTMStepBuffers {
  /// a = x (+ r): x's four gate blocks at `x + s·xStride` (a step's block of the batched
  /// input convolution), r [N, 4·plane] (W_h * h_{t−1}; nil when h_{t−1} = 0).
  package var x: UnsafePointer<Float>
  package var xStride: Int
  package var recurrent: UnsafePointer<Float>?
  /// c_{t−1} [N, plane]; peepholes [plane] each.
  package var previousCell, peepholeInput, peepholeForget, peepholeOutput: UnsafePointer<Float>
  /// Added to h̃ = o∘tanh(c), in this order: the temporal skip h_{t−2} [N, plane] and the spatial
  /// skip (a block of the batched input convolution, `spatial + s·spatialStride`); nil when off.
  package var skip: UnsafePointer<Float>?
  package var spatial: UnsafePointer<Float>?
  package var spatialStride: Int
  package var outputSeesCurrentCell: Bool
  /// i, f, g, o [N, plane] each, `keptBlock` floats apart: written by the forward, read by the backward.
  package var kept: UnsafeMutablePointer<Float>
  package var keptBlock: Int
  /// h (h̃ and the skips) and c, sample s at `hidden + s·hiddenStride`, `cell + s·cellStride`.
  package var hidden: UnsafeMutablePointer<Float>
  package var hiddenStride: Int
  package var cell: UnsafeMutablePointer<Float>
  package var cellStride: Int
}

/// Which skips a step adds, as types (see the top of the file).
private protocol SkipTerms { static var temporal: Bool { get }; static var spatial: Bool { get } }
private enum NoSkips: SkipTerms { static let temporal = false, spatial = false }
private enum TemporalSkip: SkipTerms { static let temporal = true, spatial = false }
private enum SpatialSkip: SkipTerms { static let temporal = false, spatial = true }
private enum BothSkips: SkipTerms { static let temporal = true, spatial = true }

extension ConvLSTMStepBuffers {
  /// Runs the step for n samples, split over the cores in blocks of eight positions of one
  /// sample. Every element comes from the same lane formula wherever its block falls, so the
  /// split never changes a bit.
  package func forward(samples n: Int, plane: Int) {
    switch (skip != nil, spatial != nil) {
    case (false, false): forward(NoSkips.self, samples: n, plane: plane)
    case (true, false): forward(TemporalSkip.self, samples: n, plane: plane)
    case (false, true): forward(SpatialSkip.self, samples: n, plane: plane)
    case (true, true): forward(BothSkips.self, samples: n, plane: plane)
    }
  }

  private func forward<Skips: SkipTerms>(_ skips: Skips.Type, samples n: Int, plane: Int) {
    let blocksPerSample = (plane + 7) / 8
    parallelFor(n * blocksPerSample, minimumPerTask: 512) { blocks in
      for block in blocks {
        let s = block / blocksPerSample, p = block % blocksPerSample * 8
        let width = min(8, plane - p)
        if width == 8 {
          forwardLanes(self, skips, sample: s, position: p, plane: plane)
          continue
        }
        withUnsafeTemporaryAllocation(of: Float.self, capacity: ConvLSTMStepBuffers.scratchFloats) { scratch in
          let padded = self.padded(sample: s, position: p, width: width, plane: plane, scratch: scratch.baseAddress!)
          forwardLanes(padded, skips, sample: 0, position: 0, plane: 8)
          for k in 0..<4 { (kept + k * keptBlock + s * plane + p).update(from: padded.kept + 8 * k, count: width) }
          (hidden + s * hiddenStride + p).update(from: padded.hidden, count: width)
          (cell + s * cellStride + p).update(from: padded.cell, count: width)
        }
      }
    }
  }

  /// The gradients of the step given ∂L/∂h (sample s at `hiddenGrad + s·hiddenGradStride`; its part
  /// through the skips is ∂L/∂h itself, for the caller to pass on) and ∂L/∂c (likewise; nil: zero).
  /// Overwritten: ∂L/∂a [N, 4·plane] and ∂L/∂c_{t−1} [N, plane]. Added to: the peephole gradients
  /// [plane] each, the samples in order at each position, so the split over cores never changes a bit.
  package func backward(
    samples n: Int, plane: Int, hiddenGrad: UnsafePointer<Float>, hiddenGradStride: Int,
    cellGrad: UnsafePointer<Float>?, cellGradStride: Int,
    preactivationGrad: UnsafeMutablePointer<Float>, previousCellGrad: UnsafeMutablePointer<Float>,
    peepholeGrads: (input: UnsafeMutablePointer<Float>, forget: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>)
  ) {
    parallelFor((plane + 7) / 8, minimumPerTask: 512) { blocks in
      for block in blocks {
        let p = block * 8, width = min(8, plane - p)
        if width == 8 {
          var sums = (load8(peepholeGrads.input + p), load8(peepholeGrads.forget + p), load8(peepholeGrads.output + p))
          for s in 0..<n {
            backwardLanes(
              self, sample: s, position: p, plane: plane, dh: load8(hiddenGrad + s * hiddenGradStride + p),
              dcNext: cellGrad.map { load8($0 + s * cellGradStride + p) } ?? SIMD8(),
              da: preactivationGrad + s * 4 * plane + p, daStride: plane, dcPrev: previousCellGrad + s * plane + p,
              peepholeSums: &sums)
          }
          store8(sums.0, peepholeGrads.input + p)
          store8(sums.1, peepholeGrads.forget + p)
          store8(sums.2, peepholeGrads.output + p)
          continue
        }
        withUnsafeTemporaryAllocation(of: Float.self, capacity: ConvLSTMStepBuffers.scratchFloats + 10 * 8) { scratch in
          // After the padded buffers: ∂L/∂h, ∂L/∂c, ∂L/∂a (4), ∂L/∂c_{t−1} and the three peephole sums, 8 each.
          let extra = scratch.baseAddress! + ConvLSTMStepBuffers.scratchFloats
          let (dh, dc, da, dcPrev, kept) = (extra, extra + 8, extra + 16, extra + 48, extra + 56)
          let sumsOut = [peepholeGrads.input, peepholeGrads.forget, peepholeGrads.output]
          kept.update(repeating: 0, count: 24)
          for k in 0..<3 { (kept + 8 * k).update(from: sumsOut[k] + p, count: width) }
          var sums = (load8(kept), load8(kept + 8), load8(kept + 16))
          for s in 0..<n {
            let padded = self.padded(sample: s, position: p, width: width, plane: plane, scratch: scratch.baseAddress!)
            dh.update(repeating: 0, count: 16)
            dh.update(from: hiddenGrad + s * hiddenGradStride + p, count: width)
            if let cellGrad { dc.update(from: cellGrad + s * cellGradStride + p, count: width) }
            backwardLanes(
              padded, sample: 0, position: 0, plane: 8, dh: load8(dh), dcNext: load8(dc), da: da, daStride: 8,
              dcPrev: dcPrev, peepholeSums: &sums)
            for gate in 0..<4 { (preactivationGrad + (s * 4 + gate) * plane + p).update(from: da + gate * 8, count: width) }
            (previousCellGrad + s * plane + p).update(from: dcPrev, count: width)
          }
          store8(sums.0, kept)
          store8(sums.1, kept + 8)
          store8(sums.2, kept + 16)
          for k in 0..<3 { (sumsOut[k] + p).update(from: kept + 8 * k, count: width) }
        }
      }
    }
  }

  /// Floats of the zero-padded copy of one partial block: 4 of x, 4 of r, c_{t−1}, 3 peepholes,
  /// the 2 skips, 4 kept, h and c, 8 each.
  static let scratchFloats = 20 * 8

  /// The same step over zero-padded copies of the partial block (positions p..<p+width) of sample s,
  /// in `b` (`scratchFloats`), as sample 0 at position 0 of planes of 8. The kept values and c are
  /// copied in too, for the backward.
  fileprivate func padded(
    sample s: Int, position p: Int, width: Int, plane: Int, scratch b: UnsafeMutablePointer<Float>
  ) -> ConvLSTMStepBuffers {
    b.update(repeating: 0, count: ConvLSTMStepBuffers.scratchFloats)
    for gate in 0..<4 {
      (b + gate * 8).update(from: x + s * xStride + gate * plane + p, count: width)
      if let recurrent { (b + 32 + gate * 8).update(from: recurrent + (s * 4 + gate) * plane + p, count: width) }
      (b + 112 + gate * 8).update(from: kept + gate * keptBlock + s * plane + p, count: width)
    }
    (b + 64).update(from: previousCell + s * plane + p, count: width)
    (b + 72).update(from: peepholeInput + p, count: width)
    (b + 80).update(from: peepholeForget + p, count: width)
    (b + 88).update(from: peepholeOutput + p, count: width)
    if let skip { (b + 96).update(from: skip + s * plane + p, count: width) }
    if let spatial { (b + 104).update(from: spatial + s * spatialStride + p, count: width) }
    (b + 152).update(from: cell + s * cellStride + p, count: width)
    return ConvLSTMStepBuffers(
      x: b, xStride: 32, recurrent: recurrent == nil ? nil : b + 32, previousCell: b + 64, peepholeInput: b + 72,
      peepholeForget: b + 80, peepholeOutput: b + 88, skip: skip == nil ? nil : b + 96,
      spatial: spatial == nil ? nil : b + 104, spatialStride: 8, outputSeesCurrentCell: outputSeesCurrentCell,
      kept: b + 112, keptBlock: 8, hidden: b + 144, hiddenStride: 8, cell: b + 152, cellStride: 8)
  }
}

/// The step at positions p..<p+8 of sample s: i, f, g, o kept, h and c written.
@inline(__always)
private func forwardLanes<Skips: SkipTerms>(
  _ b: ConvLSTMStepBuffers, _: Skips.Type, sample s: Int, position p: Int, plane: Int
) {
  let a = b.x + s * b.xStride + p
  var (a0, a1, a2, a3) = (load8(a), load8(a + plane), load8(a + 2 * plane), load8(a + 3 * plane))
  if let recurrent = b.recurrent {
    // a = input part + recurrent part: the one addition the layer's separate add op made.
    let r = recurrent + s * 4 * plane + p
    a0 += load8(r)
    a1 += load8(r + plane)
    a2 += load8(r + 2 * plane)
    a3 += load8(r + 3 * plane)
  }
  let cp0 = load8(b.previousCell + s * plane + p)
  let i = FastMath.sigmoid(a0 + load8(b.peepholeInput + p) * cp0)
  let f = FastMath.sigmoid(a1 + load8(b.peepholeForget + p) * cp0)
  let g = FastMath.tanh(a2)
  let c = f * cp0 + i * g
  let o = FastMath.sigmoid(a3 + load8(b.peepholeOutput + p) * (b.outputSeesCurrentCell ? c : cp0))
  let k = b.kept + s * plane + p
  store8(i, k)
  store8(f, k + b.keptBlock)
  store8(g, k + 2 * b.keptBlock)
  store8(o, k + 3 * b.keptBlock)
  var h = o * FastMath.tanh(c)
  if Skips.temporal { h += load8(b.skip.unsafelyUnwrapped + s * plane + p) }
  if Skips.spatial { h += load8(b.spatial.unsafelyUnwrapped + s * b.spatialStride + p) }
  store8(h, b.hidden + s * b.hiddenStride + p)
  store8(c, b.cell + s * b.cellStride + p)
}

/// The gradients at positions p..<p+8 of sample s (see `backward`).
@inline(__always)
private func backwardLanes(
  _ b: ConvLSTMStepBuffers, sample s: Int, position p: Int, plane: Int, dh: SIMD8<Float>, dcNext: SIMD8<Float>,
  da: UnsafeMutablePointer<Float>, daStride: Int, dcPrev: UnsafeMutablePointer<Float>,
  peepholeSums: inout (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>)
) {
  let one = SIMD8<Float>(repeating: 1)
  let k = b.kept + s * plane + p
  let (i, f, g, o) = (load8(k), load8(k + b.keptBlock), load8(k + 2 * b.keptBlock), load8(k + 3 * b.keptBlock))
  let (c, cp0) = (load8(b.cell + s * b.cellStride + p), load8(b.previousCell + s * plane + p))
  let (wi, wf, wo) = (load8(b.peepholeInput + p), load8(b.peepholeForget + p), load8(b.peepholeOutput + p))
  let tc = FastMath.tanh(c)
  var dc = dcNext + dh * o * (one - tc * tc)
  let dao = dh * tc * o * (one - o)
  var dcp = SIMD8<Float>(repeating: 0)
  if b.outputSeesCurrentCell {
    dc += dao * wo
    peepholeSums.2 += dao * c
  } else {
    dcp += dao * wo
    peepholeSums.2 += dao * cp0
  }
  let dai = dc * g * i * (one - i)
  let daf = dc * cp0 * f * (one - f)
  let dag = dc * i * (one - g * g)
  dcp += dc * f + dai * wi + daf * wf
  peepholeSums.0 += dai * cp0
  peepholeSums.1 += daf * cp0
  store8(dai, da)
  store8(daf, da + daStride)
  store8(dag, da + 2 * daStride)
  store8(dao, da + 3 * daStride)
  store8(dcp, dcPrev)
}
