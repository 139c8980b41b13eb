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
}
