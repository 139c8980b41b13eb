import FERCore

// A one-layer LSTM with PyTorch's nn.LSTM parameter layout and gate order
// (i, f, g, o): weight_ih_l0 [4H, F], weight_hh_l0 [4H, H], bias_ih_l0 and
// bias_hh_l0 [4H]. The input projection of all steps is one GEMM before the loop.

/// An LSTM over a sequence of feature vectors [N, T, F] → final hidden state [N, H].
public final class LSTM: Module {
  var weightIH: Tensor, weightHH: Tensor, biasIH: Tensor, biasHH: Tensor
  public let hiddenSize: Int

  /// PyTorch's initialisation (every tensor uniform ±1/√H), plus the forget-gate offset (ForgetGateBias.swift).
  public init(inputSize: Int, hiddenSize: Int, rng: inout SeededRNG) {
    self.hiddenSize = hiddenSize
    let bound = 1 / Float(hiddenSize).squareRoot()
    weightIH = Tensor.uniform([4 * hiddenSize, inputSize], -bound, bound, rng: &rng, requiresGrad: true)
    weightHH = Tensor.uniform([4 * hiddenSize, hiddenSize], -bound, bound, rng: &rng, requiresGrad: true)
    biasIH = Tensor.uniform([4 * hiddenSize], -bound, bound, rng: &rng, requiresGrad: true)
    biasHH = Tensor.uniform([4 * hiddenSize], -bound, bound, rng: &rng, requiresGrad: true)
    biasIH.data.addForgetGateOffset(hiddenSize)
  }

  public func callAsFunction(_ x: Tensor) -> Tensor {
    precondition(x.rank == 3, "LSTM: input must be [N, T, F], got \(x.shape)")
    let (n, steps, features) = (x.shape[0], x.shape[1], x.shape[2])
    let hs = hiddenSize
    let projected = Tensor.linear(x.reshaped([n * steps, features]), weight: weightIH, bias: biasIH + biasHH)
      .reshaped([n, steps, 4 * hs])
    var h: Tensor? = nil
    var c = Tensor.zeros([n, hs])
    for t in 0..<steps {
      var pre = projected.select(axis: 1, t)  // [N, 4H]
      if let h { pre = pre + Tensor.linear(h, weight: weightHH, bias: nil) }
      let i = pre.slice(axis: 1, 0..<hs).sigmoid()
      let f = pre.slice(axis: 1, hs..<(2 * hs)).sigmoid()
      let g = pre.slice(axis: 1, (2 * hs)..<(3 * hs)).tanh()
      let o = pre.slice(axis: 1, (3 * hs)..<(4 * hs)).sigmoid()
      c = f * c + i * g
      h = o * c.tanh()
    }
    guard let h else { preconditionFailure("LSTM: the sequence is empty") }
    return h
  }

  public var namedParameters: [(String, Tensor)] {
    [("weight_ih_l0", weightIH), ("weight_hh_l0", weightHH), ("bias_ih_l0", biasIH), ("bias_hh_l0", biasHH)]
  }
}
