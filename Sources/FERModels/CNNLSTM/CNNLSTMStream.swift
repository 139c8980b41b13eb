import FERCore

// The CNN+LSTM baseline stream (as in Pan et al.): a small CNN applied to every
// frame (3×3 conv with bias, ReLU, 2×2 max-pool per layer), then an LSTM over
// the per-frame features; the stream's feature is the LSTM's final h.
//
// Names: cnn.<l>.weight, cnn.<l>.bias, lstm.<LSTM names>.

/// Per-frame CNN + LSTM over a clip [N, T, C, S, S] → [N, hidden].
public final class CNNLSTMStream: Module {
  let convs: [Conv2d]
  let lstm: LSTM
  public var featureSize: Int { lstm.hiddenSize }

  public init(inputChannels: Int, inputSize: Int, spec: CNNLSTMSpec, rng: inout SeededRNG) {
    var convs: [Conv2d] = []
    var channels = inputChannels, side = inputSize
    for width in spec.channels {
      convs.append(Conv2d(channels, width, kernel: 3, rng: &rng))
      channels = width
      side /= 2
    }
    self.convs = convs
    lstm = LSTM(inputSize: channels * side * side, hiddenSize: spec.hidden, rng: &rng)
  }

  public func callAsFunction(_ x: Tensor) -> Tensor {
    precondition(x.rank == 5, "CNNLSTMStream: input must be [N, T, C, H, W], got \(x.shape)")
    let (n, steps) = (x.shape[0], x.shape[1])
    var y = x.reshaped([n * steps, x.shape[2], x.shape[3], x.shape[4]])
    for conv in convs { y = conv(y).relu().maxPool2d(kernel: 2, stride: 2) }
    return lstm(y.reshaped([n, steps, -1]))
  }

  public var namedParameters: [(String, Tensor)] {
    convs.enumerated().flatMap { scoped("cnn.\($0.offset)", $0.element.namedParameters) }
      + scoped("lstm", lstm.namedParameters)
  }
}
