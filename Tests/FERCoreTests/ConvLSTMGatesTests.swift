import Testing
@testable import FERCore

@Suite("fused ConvLSTM gates")
struct ConvLSTMGatesTests {
  /// The same step built from small ops: the reference the fused op must reproduce.
  static func composed(_ a: Tensor, _ cPrev: Tensor, _ wi: Tensor, _ wf: Tensor, _ wo: Tensor, _ outputSeesCurrentCell: Bool)
    -> Tensor
  {
    let ch = cPrev.shape[1]
    let ai = a.slice(axis: 1, 0..<ch), af = a.slice(axis: 1, ch..<(2 * ch))
    let ag = a.slice(axis: 1, (2 * ch)..<(3 * ch)), ao = a.slice(axis: 1, (3 * ch)..<(4 * ch))
    let i = (ai + wi * cPrev).sigmoid()
    let f = (af + wf * cPrev).sigmoid()
    let c = f * cPrev + i * ag.tanh()
    let o = (ao + wo * (outputSeesCurrentCell ? c : cPrev)).sigmoid()
    return Tensor.concat([o * c.tanh(), c], axis: 1)
  }

  /// (cell shape, whether the output peephole sees c_t).
  static let cases: [([Int], Bool)] = [([1, 2, 3, 3], false), ([3, 3, 5, 4], false), ([2, 4, 3, 5], true)]

  @Test(arguments: cases)
  func matchesComposedOps(cell: [Int], current: Bool) {
    let (n, ch, h, w) = (cell[0], cell[1], cell[2], cell[3])
    let inputs = [
      parameter([n, 4 * ch, h, w], seed: 1, low: -2, high: 2), parameter(cell, seed: 2),
      parameter([ch, h, w], seed: 3), parameter([ch, h, w], seed: 4), parameter([ch, h, w], seed: 5),
    ]
    let fused: ([Tensor]) -> Tensor = {
      Tensor.convLSTMGates(
        preactivations: $0[0], previousCell: $0[1], peepholes: ($0[2], $0[3], $0[4]), outputSeesCurrentCell: current)
    }
    let reference: ([Tensor]) -> Tensor = { Self.composed($0[0], $0[1], $0[2], $0[3], $0[4], current) }

    var rng = SeededRNG(seed: 99)
    let seed = Tensor.uniform([n, 2 * ch, h, w], -1, 1, rng: &rng)
    func gradients(_ f: ([Tensor]) -> Tensor) -> ([Float], [[Float]]) {
      for x in inputs { x.zeroGrad() }
      let y = f(inputs)
      (y * seed).sum().backward()
      return (y.data, inputs.map { $0.grad ?? [] })
    }
    let (yFused, gFused) = gradients(fused)
    let (yRef, gRef) = gradients(reference)
    for (u, v) in zip(yFused, yRef) { #expect(abs(u - v) <= 1e-6 + 1e-5 * abs(v)) }
    for (gu, gv) in zip(gFused, gRef) {
      #expect(gu.count == gv.count)
      for (u, v) in zip(gu, gv) { #expect(abs(u - v) <= 1e-5 + 1e-4 * abs(v)) }
    }
    checkGradients(inputs, fused)
  }

  /// The step as the layer runs it: the gates' block read in place from the batched input
  /// convolution x (here the second of two steps' blocks), W_h * h_{t−1} added, and the skips
  /// that are on added to h̃. Against the same step from slices, sums and the composed gates,
  /// values and every gradient; also with a loss that reads h alone or c alone.
  @Test(arguments: [(true, true, false), (false, false, false), (true, false, true), (false, true, true)])
  func stepMatchesComposedOps(skip: Bool, spatial: Bool, current: Bool) {
    let (n, ch, h, w) = (2, 3, 4, 5)
    let block = 5 * ch  // one step's block of x: four gates and the spatial skip
    let inputs = [
      parameter([n, 2 * block, h, w], seed: 11, low: -2, high: 2), parameter([n, 4 * ch, h, w], seed: 12),
      parameter([n, ch, h, w], seed: 13), parameter([ch, h, w], seed: 14), parameter([ch, h, w], seed: 15),
      parameter([ch, h, w], seed: 16), parameter([n, ch, h, w], seed: 17),
    ]
    func fused(_ t: [Tensor]) -> (Tensor, Tensor) {
      let step = Tensor.convLSTMStep(
        inputProjection: t[0], gateChannel: block, recurrent: t[1], previousCell: t[2], peepholes: (t[3], t[4], t[5]),
        skip: skip ? t[6] : nil, spatialChannel: spatial ? block + 4 * ch : nil, outputSeesCurrentCell: current)
      return (step.hidden, step.cell)
    }
    func reference(_ t: [Tensor]) -> (Tensor, Tensor) {
      let a = t[0].slice(axis: 1, block..<(block + 4 * ch)) + t[1]
      let state = Self.composed(a, t[2], t[3], t[4], t[5], current)
      var hidden = state.slice(axis: 1, 0..<ch)
      if skip { hidden = hidden + t[6] }
      if spatial { hidden = hidden + t[0].slice(axis: 1, (block + 4 * ch)..<(2 * block)) }
      return (hidden, state.slice(axis: 1, ch..<(2 * ch)))
    }
    var rng = SeededRNG(seed: 98)
    let (seedH, seedC) = (Tensor.uniform([n, ch, h, w], -1, 1, rng: &rng), Tensor.uniform([n, ch, h, w], -1, 1, rng: &rng))
    for uses in [(true, true), (true, false), (false, true)] {
      func loss(_ f: ([Tensor]) -> (Tensor, Tensor)) -> ([Float], [Float], [[Float]]) {
        for x in inputs { x.zeroGrad() }
        let (hidden, cell) = f(inputs)
        let l = uses.0 && uses.1
          ? (hidden * seedH).sum() + (cell * seedC).sum() : uses.0 ? (hidden * seedH).sum() : (cell * seedC).sum()
        l.backward()
        return (hidden.data, cell.data, inputs.map { $0.grad ?? [Float](repeating: 0, count: $0.count) })
      }
      let (hf, cf, gf) = loss(fused)
      let (hr, cr, gr) = loss(reference)
      for (u, v) in zip(hf + cf, hr + cr) { #expect(abs(u - v) <= 1e-6 + 1e-5 * abs(v)) }
      for (k, (gu, gv)) in zip(gf, gr).enumerated() {
        #expect(gu.count == gv.count)
        for (u, v) in zip(gu, gv) { #expect(abs(u - v) <= 1e-5 + 1e-4 * abs(v), "input \(k), uses \(uses)") }
      }
    }
    checkGradients(inputs) { t in
      let (hidden, cell) = fused(t)
      return Tensor.concat([hidden, cell], axis: 1)
    }
  }
}
