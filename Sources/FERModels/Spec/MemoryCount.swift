// The floats each part of a model holds during a training step, counted from
// the spec the way the modules build and run it (ModelSpec+Memory.swift sums
// them). Parameters are exact; activations follow the ops each module records.

/// Running totals, in floats.
struct MemoryCount {
  var parameters = 0.0
  var activations = 0.0
  var convLSTMActivations = 0.0
  /// The largest set of activation gradients alive at once in the backward pass (one layer's).
  var largestLayerGradients = 0.0
  /// Winograd's transformed filters, forward and flipped for the input gradient.
  var filterCaches = 0.0
  /// The largest layer's partial sums of W_h's weight gradient in Winograd's domain.
  var recurrentGradientSums = 0.0
  var convLSTMLayers = 0
  /// Feature sizes of the streams counted so far, in order (the head's inputs).
  var featureSizes: [Double] = []

  /// A ConvLSTM stream over [N, T, Cin, S, S] (ConvLSTMStream.swift, ConvLSTMLayer.swift).
  mutating func addConvLSTMStream(_ spec: ModelSpec, inputChannels: Int, n: Double, t: Double) {
    let cell = spec.convLSTM
    var cin = Double(inputChannels)
    var side = spec.inputSize
    for (l, (channels, kernel)) in zip(cell.channels, cell.kernels).enumerated() {
      let (c, k2, plane) = (Double(channels), Double(kernel * kernel), Double(side * side))
      let gates = cell.spatialSkip ? 5 * c : 4 * c  // the batched input convolution's channels
      // W_x and b, W_h, three peepholes [C, H, W], W_xs, the norm's scale and shift.
      parameters += 4 * c * cin * k2 + 4 * c + 4 * c * c * k2 + 3 * c * plane
      parameters += (cell.spatialSkip ? c * cin * k2 : 0) + (cell.groupNorm ? 2 * c : 0)
      // Per step, in units of N·C·H·W (see ModelSpec+Memory.swift); the recurrent term starts at t = 1.
      let isLast = l == cell.channels.count - 1
      let perStep = gates / c + 6 + (cell.groupNorm ? 1 : 0) + (isLast ? 0 : 1.5)
      let stepsWithRecurrence = max(t - 1, 0)
      var layer = n * c * plane * (t * perStep + 4 * stepsWithRecurrence)
      layer += gates * cin * k2 + gates  // the stacked W_x, W_xs and bias (a concat per forward)
      if isLast { layer += n * c * plane / 2 }  // the feature: the last step pooled, with its indices
      activations += layer
      convLSTMActivations += layer
      // Backward: the batched convolution's and the stacked h's gradients fill over all steps,
      // beside one step's: ∂L/∂a (4), ∂L/∂c_{t−1}, ∂L/∂h and ∂L/∂c handed to the fused step, the
      // group norm's and W_h's input gradients (6 more), in units of C·H·W.
      largestLayerGradients = max(largestLayerGradients, n * plane * (t * (gates + c) + 10 * c))
      // Winograd runs the 5×5 convolutions of 8 or more input channels, and the 3×3 ones with
      // enough tiles (WinogradConv.swift): per filter pair 8×8 transformed values plus a copy of
      // the source, forward and flipped. W_h's weight gradient is summed over the steps in four
      // partial sums of 64 × 4C × C values, until the backward pass leaves the layer.
      let tiles = { (m: Int) in Double(((side + m - 1) / m) * ((side + m - 1) / m)) }
      if kernel == 5 || kernel == 3 {
        let m = 9 - kernel
        if cin >= 8 && (kernel == 5 || n * t * tiles(m) >= 128) { filterCaches += 2 * gates * cin * (64 + k2) }
        if c >= 8 && (kernel == 5 || n * tiles(m) >= 128) {
          filterCaches += 2 * 4 * c * c * (64 + k2)
          recurrentGradientSums = max(recurrentGradientSums, 4 * 64 * 4 * c * c)
        }
      }
      convLSTMLayers += 1
      cin = c
      side /= 2
    }
    featureSizes.append(cin * Double(side * side))
  }

  /// A CNN+LSTM stream over [N, T, Cin, S, S] (CNNLSTMStream.swift, LSTM.swift).
  mutating func addCNNLSTMStream(_ spec: ModelSpec, inputChannels: Int, n: Double, t: Double) {
    var cin = Double(inputChannels)
    var side = spec.inputSize
    for channels in spec.cnnLSTM.channels {
      let c = Double(channels), plane = Double(side * side)
      parameters += c * cin * 9 + c
      // Convolution, ReLU, and the 2×2 max-pool (¼) with its indices (¼), for every frame.
      activations += n * t * c * plane * 2.5
      largestLayerGradients = max(largestLayerGradients, 2 * n * t * c * plane)
      cin = c
      side /= 2
    }
    let features = cin * Double(side * side), h = Double(spec.cnnLSTM.hidden)
    parameters += 4 * h * features + 4 * h * h + 8 * h
    // The input projection of all steps, then per step about 25 values of [N, H]: the step's
    // pre-activations, the recurrent product and sum, four gate slices and activations, c and h.
    activations += n * t * 4 * h + n * t * 25 * h
    featureSizes.append(h)
  }

  /// A ResNet over [N, Cin, S, S] (ResNet.swift, BasicBlock.swift).
  mutating func addResNet(_ spec: ResNetSpec, inputChannels: Int, side inputSide: Int, n: Double) {
    let w = Double(spec.width)
    var side = Double(inputSide)
    // Stem: 3×3 convolution, batch norm (scale, shift), ReLU.
    parameters += w * Double(inputChannels) * 9 + 2 * w
    activations += 3 * n * w * side * side
    var cin = w
    for (stage, width) in [w, 2 * w, 4 * w, 8 * w].enumerated() {
      for block in 0..<(spec.depth == 10 ? 1 : 2) {
        let stride2 = stage > 0 && block == 0
        if stride2 { side = (side / 2).rounded(.up) }
        let projects = stride2 || cin != width
        parameters += width * cin * 9 + 2 * width + width * width * 9 + 2 * width
        parameters += projects ? width * cin + 2 * width : 0
        // conv1, bn1, ReLU, conv2, bn2, the sum and its ReLU (+ the projection's conv and bn).
        activations += n * width * side * side * (7 + (projects ? 2 : 0))
        cin = width
      }
    }
    activations += 2 * n * cin  // global average pool and tanh
    featureSizes.append(cin)
  }

  /// The fusion head and the loss (FusionHead.swift).
  mutating func addHead(_ spec: ModelSpec, n: Double) {
    let (d1, d2) = (Double(spec.head.hidden.first ?? 0), Double(spec.head.hidden.last ?? 0))
    let k = Double(spec.classes)
    parameters += featureSizes.reduce(0, +) * d1 + d1 + d2 * d1 + d2 + k * d2 + k
    let dropout = spec.head.dropout > 0 ? 2.0 : 0.0  // the output and its mask, before fc2 and fc3
    activations += n * (Double(featureSizes.count) * 2 * d1 + 2 * d1 + dropout * (d1 + d2) + 2 * d2 + 3 * k)
  }
}
