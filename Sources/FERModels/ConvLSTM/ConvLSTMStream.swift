import FERCore

// A stream of stacked ConvLSTM layers (the seed's figure 2). After each layer a
// 2×2 max-pool is applied to every time step's h (the recurrence inside the
// layer uses the unpooled h). The stream's feature is the last layer's final
// hidden state, pooled and flattened.
//
// Parameter names: layers.<l>.<ConvLSTMLayer names>.

/// Stacked (Enhanced) ConvLSTM layers over one input sequence.
public final class ConvLSTMStream: Module {
  public let layers: [ConvLSTMLayer]
  /// Size of the feature vector: last channels × (side / 2^layers)².
  public let featureSize: Int

  public init(inputChannels: Int, inputSize: Int, spec: ConvLSTMSpec, rng: inout SeededRNG) {
    var layers: [ConvLSTMLayer] = []
    var channels = inputChannels, side = inputSize
    for (hiddenChannels, kernel) in zip(spec.channels, spec.kernels) {
      layers.append(
        ConvLSTMLayer(
          inputChannels: channels, hiddenChannels: hiddenChannels, kernel: kernel, height: side, width: side,
          switches: spec, rng: &rng))
      channels = hiddenChannels
      side /= 2
    }
    self.layers = layers
    featureSize = channels * side * side
  }

  /// Hidden states of every layer, before pooling: [layer][t] → [N, C, H, W].
  /// `probes`, one per layer when given, record each layer's gradient paths; in the
  /// top layer what arrives from above is the head's part (only its last step is used).
  public func hiddenStates(_ x: Tensor, probes: [ConvLSTMProbe]? = nil) -> [[Tensor]] {
    precondition(probes == nil || probes?.count == layers.count, "ConvLSTMStream: give one probe per layer")
    var all: [[Tensor]] = []
    var input = x
    for (l, layer) in layers.enumerated() {
      probes?[l].keepsInputProjection = l > 0
      let hidden = layer(input, probe: probes?[l])
      all.append(hidden)
      if l + 1 < layers.count {
        // Pool every step for the next layer: [N, T, C, H, W] → [N, T, C, H/2, W/2].
        let (n, steps) = (x.shape[0], hidden.count)
        let stacked = Tensor.stack(hidden, axis: 1)
        if let probes {  // how layer l's part from above splits into the next layer's W_x and W_xs
          probes[l].above = LayerAbove(hidden: stacked, next: layers[l + 1], probe: probes[l + 1])
        }
        let s = stacked.shape
        input = stacked.reshaped([n * steps, s[2], s[3], s[4]]).maxPool2d(kernel: 2, stride: 2)
          .reshaped([n, steps, s[2], s[3] / 2, s[4] / 2])
      }
    }
    return all
  }

  /// The stream's feature for a clip batch x [N, T, C, S, S]: [N, featureSize].
  public func callAsFunction(_ x: Tensor, probes: [ConvLSTMProbe]? = nil) -> Tensor {
    features(from: hiddenStates(x, probes: probes))
  }

  /// The feature from already computed hidden states: only the last step of the last layer is pooled.
  public func features(from hidden: [[Tensor]]) -> Tensor {
    guard let last = hidden.last?.last else { preconditionFailure("ConvLSTMStream: no hidden states") }
    return last.maxPool2d(kernel: 2, stride: 2).flattened()
  }

  public var namedParameters: [(String, Tensor)] {
    layers.enumerated().flatMap { scoped("layers.\($0.offset)", $0.element.namedParameters) }
  }
}
