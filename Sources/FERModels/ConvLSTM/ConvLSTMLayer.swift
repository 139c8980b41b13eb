import FERCore

// One (Enhanced) ConvLSTM layer run over a whole sequence (the seed's equations 1 and 2):
//
//   [i f g o] pre-activations = W_x * x_t + W_h * h_{t−1} + b           (gates fused: ConvLSTMGates.swift)
//   h̃_t = o_t ∘ tanh(c_t)
//   h_t = GN(h̃_t + h_{t−2} + W_xs * x_t)      each term / GN behind its own switch (the sum in the
//                                              fused step, GN an op of its own)
//
// The input convolutions do not depend on the recurrence, so W_x (and W_xs,
// stacked under it) run for all T steps as one batched convolution before the
// time loop; inside the loop only W_h * h_{t−1} is sequential.
//
// Parameter names (relative to the layer):
//   conv_x.weight [4C, Cin, k, k], conv_x.bias [4C]   gate blocks in the order i, f, g, o
//   conv_h.weight [4C, C, k, k]                       no bias (b lives in conv_x)
//   w_ci, w_cf, w_co [C, H, W]                         peepholes
//   conv_s.weight [C, Cin, k, k]                       spatial skip (no bias), when on
//   norm.weight, norm.bias [C]                         group norm, when on

/// One ConvLSTM layer with the Enhanced ConvLSTM's switches.
public final class ConvLSTMLayer: Module {
  public let inputConv: Conv2d
  public let hiddenConv: Conv2d
  public var peepholeInput, peepholeForget, peepholeOutput: Tensor
  public let spatialConv: Conv2d?
  public let norm: GroupNorm?
  public let temporalSkip: Bool
  public let outputPeephole: OutputPeephole
  public let hiddenChannels: Int

  /// A layer for inputs of `inputChannels` channels at height × width.
  public init(
    inputChannels: Int, hiddenChannels: Int, kernel: Int, height: Int, width: Int,
    switches: ConvLSTMSpec, rng: inout SeededRNG
  ) {
    self.hiddenChannels = hiddenChannels
    inputConv = Conv2d(inputChannels, 4 * hiddenChannels, kernel: kernel, rng: &rng)
    inputConv.bias?.data.addForgetGateOffset(hiddenChannels)
    hiddenConv = Conv2d(hiddenChannels, 4 * hiddenChannels, kernel: kernel, bias: false, rng: &rng)
    // Peepholes start at zero: the cell begins as a plain ConvLSTM and learns to look at c.
    peepholeInput = Tensor.zeros([hiddenChannels, height, width], requiresGrad: true)
    peepholeForget = Tensor.zeros([hiddenChannels, height, width], requiresGrad: true)
    peepholeOutput = Tensor.zeros([hiddenChannels, height, width], requiresGrad: true)
    spatialConv =
      switches.spatialSkip ? Conv2d(inputChannels, hiddenChannels, kernel: kernel, bias: false, rng: &rng) : nil
    norm = switches.groupNorm ? GroupNorm(groups: switches.groups, channels: hiddenChannels) : nil
    temporalSkip = switches.temporalSkip
    outputPeephole = switches.outputPeephole
  }

  /// Runs the layer over a sequence x [N, T, Cin, H, W]; returns h_t [N, C, H, W] for every step.
  /// With a probe, every use of h_t and c_t becomes a graph node of its own whose
  /// gradient after `backward()` is the part of ∂L/∂h_t that flowed along that path
  /// (ConvLSTMProbe.swift); the values computed are those of the unprobed forward.
  public func callAsFunction(_ x: Tensor, probe: ConvLSTMProbe? = nil) -> [Tensor] {
    precondition(x.rank == 5, "ConvLSTMLayer: input must be [N, T, C, H, W], got \(x.shape)")
    let (n, steps, cin, height, width) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3], x.shape[4])
    let ch = hiddenChannels
    precondition(
      peepholeInput.shape == [ch, height, width],
      "ConvLSTMLayer: built for \(peepholeInput.shape.suffix(2)) inputs, got \(height)×\(width)")

    // All steps' input convolutions at once: [N·T, Cin, H, W] → [N·T, 4C (+C), H, W].
    let gateChannels = spatialConv == nil ? 4 * ch : 5 * ch
    let stackedWeight = spatialConv.map { Tensor.concat([inputConv.weight, $0.weight], axis: 0) } ?? inputConv.weight
    let stackedBias = inputConv.bias.map { b in
      spatialConv == nil ? b : Tensor.concat([b, Tensor.zeros([ch])], axis: 0)
    }
    let projected = Tensor.conv2d(
      x.reshaped([n * steps, cin, height, width]), weight: stackedWeight, bias: stackedBias, padding: inputConv.padding,
      algorithm: .automaticWithWinograd3x3
    ).reshaped([n, steps * gateChannels, height, width])  // step t: channels t·(4C (+C)) ..< (t+1)·(4C (+C))
    if let probe, probe.keepsInputProjection {  // the layer below splits its part from above with this gradient
      projected.retainsGrad = true
      probe.inputProjection = projected
    }

    // W_h as every step uses it: the steps' weight gradients are summed before being transformed back.
    let recurrentWeight = hiddenConv.weight.sharedAcrossSteps()
    var outputs: [Tensor] = []  // h_t as the layer returns it
    var recurrentUse: Tensor? = nil  // h_{t−1} as W_h sees it
    var skipUses: [Tensor] = []  // h_t as the temporal skip of step t+2 sees it
    var cell = Tensor.zeros([n, ch, height, width])
    for t in 0..<steps {
      // The fused step reads step t's blocks of `projected` in place (its pullback adds into those
      // regions), adds W_h * h_{t−1} (h_0 = 0 contributes nothing) and the skips that are on:
      // h_{t−2} (h_{−1} = h_0 = 0 before t = 2) and W_xs * x_t.
      let stepStart = t * gateChannels
      let recurrent = recurrentUse.map {
        Tensor.conv2d(
          $0, weight: recurrentWeight, bias: nil, padding: hiddenConv.padding, algorithm: .automaticWithWinograd3x3)
      }
      let step = Tensor.convLSTMStep(
        inputProjection: projected, gateChannel: stepStart, recurrent: recurrent, previousCell: cell,
        peepholes: (peepholeInput, peepholeForget, peepholeOutput),
        skip: temporalSkip && t >= 2 ? skipUses[t - 2] : nil, spatialChannel: spatialConv == nil ? nil : stepStart + 4 * ch,
        outputSeesCurrentCell: outputPeephole == .current)
      var h = step.hidden
      cell = probe?.track(step.cell, in: \.cells) ?? step.cell
      if let norm {
        h = norm(h)
      }
      guard let probe else {
        outputs.append(h)
        recurrentUse = h
        skipUses.append(h)
        continue
      }
      if let nudge = probe.nudge, nudge.step == t { h = h + nudge.by }
      probe.track(h, in: \.hidden)
      recurrentUse = probe.track(h.reshaped(h.shape), in: \.recurrent)
      if temporalSkip { skipUses.append(probe.track(h.reshaped(h.shape), in: \.skip)) }
      outputs.append(probe.track(h.reshaped(h.shape), in: \.upward))
    }
    return outputs
  }

  public var namedParameters: [(String, Tensor)] {
    var items = scoped("conv_x", inputConv.namedParameters) + scoped("conv_h", hiddenConv.namedParameters)
    items += [("w_ci", peepholeInput), ("w_cf", peepholeForget), ("w_co", peepholeOutput)]
    if let spatialConv { items += scoped("conv_s", spatialConv.namedParameters) }
    if let norm { items += scoped("norm", norm.namedParameters) }
    return items
  }
}
