import FERCore

// How much memory one training step of a spec needs, before anything is built,
// for a `--max-memory` check. A step holds the weights, their gradients and
// Adam's two moments (4 copies of the parameters), every value the forward pass
// keeps for the backward pass, and during the backward pass the gradients of
// those values that are alive at once. The activations dominate, and among them
// the ConvLSTM layers: per layer, time step and sample, in floats of C·H·W
// (ConvLSTMLayer.swift, ConvLSTMGates.swift, ConvLSTMStream.swift):
//
//   4 (5)  the batched input convolution W_x * x_t (and W_xs * x_t, stacked under it), which
//          the fused step reads each step's blocks of in place
//   4      W_h * h_{t−1} (from t = 1 on), which the fused step adds to the gates' block
//   6      the fused step's outputs, h (h̃ and the skips that are on) and c, and i, f, g, o,
//          which it keeps for its backward
//   1      the group norm's output, when on
//   1.5    the layer's h stacked over time, 2×2 max-pooled (¼) with its indices (¼), below the last layer
//
// Everything is counted in Double, so no spec can overflow the estimate. The
// estimate is checked against the tensors one forward pass actually keeps
// (GraphFootprint) in ModelMemoryTests.

/// The memory a training step needs, by part (bytes).
public struct TrainingMemoryEstimate: Sendable, Equatable, CustomStringConvertible {
  public let batch: Int
  public let steps: Int
  /// The weights, 4 bytes each.
  public let parameterBytes: Int
  /// Their gradients (one copy).
  public let gradientBytes: Int
  /// Adam's first and second moments (two copies).
  public let optimizerBytes: Int
  /// Values the forward pass keeps for the backward pass, the input batch included.
  public let activationBytes: Int
  /// Of the activations, those of the ConvLSTM layers.
  public let convLSTMActivationBytes: Int
  /// During the backward pass: gradients of activations alive at once (the largest layer's),
  /// the transformed filters Winograd's convolutions keep, and the largest layer's partial
  /// sums of its recurrent weight gradient.
  public let backwardWorkingBytes: Int
  /// Of those, Winograd's filters and gradient sums: sized by the weights, not by the batch.
  public let winogradBufferBytes: Int
  /// ConvLSTM layers over all sequence streams.
  public let convLSTMLayers: Int

  /// The sum of the parts (saturating at Int.max, as each part does).
  public var totalBytes: Int {
    [parameterBytes, gradientBytes, optimizerBytes, activationBytes, backwardWorkingBytes].reduce(0) { sum, part in
      let (total, overflow) = sum.addingReportingOverflow(part)
      return overflow ? Int.max : total
    }
  }

  /// "about 1.9 GiB: 1.6 GiB activations (1.5 GiB in 8 ConvLSTM layers × 16 steps × batch 8), …".
  public var description: String {
    var activations = "\(formatBytes(activationBytes)) activations"
    if convLSTMLayers > 0 {
      activations += " (\(formatBytes(convLSTMActivationBytes)) in \(convLSTMLayers) ConvLSTM layer\(convLSTMLayers == 1 ? "" : "s") × \(steps) steps × batch \(batch))"
    } else {
      activations += " (\(steps) steps × batch \(batch))"
    }
    let weights = formatBytes(parameterBytes + gradientBytes + optimizerBytes)
    return "about \(formatBytes(totalBytes)): \(activations), \(weights) weights with their gradients and Adam's moments, "
      + "\(formatBytes(backwardWorkingBytes)) backward working memory"
  }
}

/// "1.9 GiB", "120 MiB", "12 KiB", "512 B".
public func formatBytes(_ bytes: Int) -> String {
  let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
  var value = Double(bytes)
  var unit = 0
  while value >= 1024 && unit < units.count - 1 {
    value /= 1024
    unit += 1
  }
  if unit == 0 { return "\(bytes) B" }
  return value < 10 ? "\((value * 10).rounded() / 10) \(units[unit])" : "\(Int(value.rounded())) \(units[unit])"
}

extension ModelSpec {
  /// The memory of one training step (forward, backward, Adam) on a batch of `batch` clips
  /// of `steps` frames; values below 1 count as 1. Meant for specs that pass `validate()`.
  public func trainingMemory(batch: Int, steps: Int) -> TrainingMemoryEstimate {
    let (n, t) = (Double(max(batch, 1)), Double(max(steps, 1)))
    var count = MemoryCount()
    for kind in streams {
      let channels = Double(kind.inputChannels), side = Double(inputSize)
      let input = n * (kind.isSequence ? t : 1) * channels * side * side
      // The batch itself; the RGB clip's standardisation adds its normalised copy (the centred
      // one between is freed: no op before the first convolution tracks gradients).
      count.activations += input * (kind == .rgb && centreFrames ? 2 : 1)
      switch (kind.isSequence, backbone) {
      case (true, .convLSTM): count.addConvLSTMStream(self, inputChannels: kind.inputChannels, n: n, t: t)
      case (true, .cnnLSTM): count.addCNNLSTMStream(self, inputChannels: kind.inputChannels, n: n, t: t)
      case (false, _): count.addResNet(resnet, inputChannels: kind.inputChannels, side: inputSize, n: n)
      }
    }
    count.addHead(self, n: n)
    let p = count.parameters
    return TrainingMemoryEstimate(
      batch: max(batch, 1), steps: max(steps, 1), parameterBytes: bytes(p), gradientBytes: bytes(p),
      optimizerBytes: bytes(2 * p), activationBytes: bytes(count.activations),
      convLSTMActivationBytes: bytes(count.convLSTMActivations),
      backwardWorkingBytes: bytes(count.largestLayerGradients + count.filterCaches + count.recurrentGradientSums),
      winogradBufferBytes: bytes(count.filterCaches + count.recurrentGradientSums), convLSTMLayers: count.convLSTMLayers)
  }

  /// The exact number of weights the spec builds (FERModel.parameterCount), in Double.
  var weightCount: Double {
    var count = MemoryCount()
    for kind in streams {
      switch (kind.isSequence, backbone) {
      case (true, .convLSTM): count.addConvLSTMStream(self, inputChannels: kind.inputChannels, n: 1, t: 1)
      case (true, .cnnLSTM): count.addCNNLSTMStream(self, inputChannels: kind.inputChannels, n: 1, t: 1)
      case (false, _): count.addResNet(resnet, inputChannels: kind.inputChannels, side: inputSize, n: 1)
      }
    }
    count.addHead(self, n: 1)
    return count.parameters
  }
}

/// Floats as bytes, saturating instead of trapping past Int.max.
private func bytes(_ floats: Double) -> Int {
  let value = 4 * floats
  return value < Double(Int.max) ? Int(value) : Int.max
}
