import FERCore

// Splitting the part of ∂L/∂h_t that a lower layer receives from above.
//
// In a stream, layer l's h_t [N, C, H, W] reaches layer l+1 only as its input:
// pooled 2×2 over every step, x = pool(h) [N·T, C, H/2, W/2], then convolved with
// W_x and W_xs stacked, y = [W_x; W_xs] ⋆ x [N·T, 4C' + C', H/2, W/2]. With
// dy = ∂L/∂y split into its gate block dy_g and its spatial block dy_s,
//
//   upward_t = poolᵀ(W_xᵀ ⋆ dy_g + W_xsᵀ ⋆ dy_s)_t = aboveGates_t + aboveSpatial_t,
//
// and each term is the gradient at h of ⟨W ⋆ pool(h), dy_block⟩: the pool and
// one convolution run again on a copy of h's values with the block as the
// seed. The pool picks the same maxima (same values), so the two parts add up
// to upward_t up to float rounding.

/// Where a lower layer's h_t goes in a stream: pooled into the next layer's input convolutions.
struct LayerAbove {
  /// The lower layer's h_t as the stream pools them: [N·T, C, H, W], sample-major (image s·T + t).
  let hidden: Tensor
  let steps: Int
  /// The next layer's W_x [4C', C, k, k] and, when its spatial skip is on, W_xs [C', C, k, k], as the forward used them.
  let gates: (weight: Tensor, padding: Padding)
  let spatial: (weight: Tensor, padding: Padding)?
  /// The next layer's probe, which keeps the gradient of its input convolutions.
  let next: ConvLSTMProbe

  init(hidden stacked: Tensor, next layer: ConvLSTMLayer, probe: ConvLSTMProbe) {
    let s = stacked.shape  // [N, T, C, H, W]
    hidden = Tensor(shape: [s[0] * s[1], s[2], s[3], s[4]], data: stacked.data)
    steps = s[1]
    gates = (layer.inputConv.weight.detached(), layer.inputConv.padding)
    spatial = layer.spatialConv.map { ($0.weight.detached(), $0.padding) }
    next = probe
  }

  /// The gate and spatial parts of each step's upward gradient ([N, C, H, W] each) when the
  /// next layer has a spatial skip, or nil before `backward()` has reached the next layer.
  func split() -> (gates: [[Float]?], spatial: [[Float]?])? {
    guard let spatial, let dy = next.inputProjection?.grad else { return nil }
    let gateChannels = gates.weight.shape[0], spatialChannels = spatial.weight.shape[0]
    let images = hidden.shape[0], positions = dy.count / (images * (gateChannels + spatialChannels))
    // dy [N, T·(4C' + C'), H', W'] is [N·T, 4C' + C', H'·W'] image by image: cut each image's two blocks.
    var gateSeed: [Float] = [], spatialSeed: [Float] = []
    gateSeed.reserveCapacity(images * gateChannels * positions)
    spatialSeed.reserveCapacity(images * spatialChannels * positions)
    for i in 0..<images {
      let start = i * (gateChannels + spatialChannels) * positions, cut = start + gateChannels * positions
      gateSeed += dy[start..<cut]
      spatialSeed += dy[cut..<(cut + spatialChannels * positions)]
    }
    return (
      perStep(inputGradient(gates.weight, padding: gates.padding, seed: gateSeed)),
      perStep(inputGradient(spatial.weight, padding: spatial.padding, seed: spatialSeed))
    )
  }

  /// poolᵀ(Wᵀ ⋆ seed): the gradient at h of ⟨W ⋆ pool(h), seed⟩, [N·T, C, H, W].
  private func inputGradient(_ weight: Tensor, padding: Padding, seed: [Float]) -> [Float]? {
    precondition(GradientRecording.isEnabled, "ConvLSTMProbe: read the above parts with gradient recording on")
    let h = Tensor(shape: hidden.shape, data: hidden.data, requiresGrad: true)
    Tensor.conv2d(
      h.maxPool2d(kernel: 2, stride: 2), weight: weight, bias: nil, padding: padding,
      algorithm: .automaticWithWinograd3x3  // as the layer's own input convolution
    ).backward(seed: seed)
    return h.grad
  }

  /// [N·T, C, H, W] sample-major → per step t, [N, C, H, W].
  private func perStep(_ grad: [Float]?) -> [[Float]?] {
    guard let grad else { return [[Float]?](repeating: nil, count: steps) }
    let samples = hidden.shape[0] / steps, inner = hidden.count / hidden.shape[0]
    return (0..<steps).map { t -> [Float]? in
      var step: [Float] = []
      step.reserveCapacity(samples * inner)
      for s in 0..<samples {
        let start = (s * steps + t) * inner
        step += grad[start..<(start + inner)]
      }
      return step
    }
  }
}
