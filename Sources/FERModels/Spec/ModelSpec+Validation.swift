// Spec validation: every rule has a message that names the field, the value and
// what to change.

/// A model spec that cannot be built.
public struct ModelSpecError: Error, CustomStringConvertible, Equatable {
  public let description: String
  init(_ description: String) { self.description = description }
}

extension ModelSpec {
  /// Throws the first problem found, as a sentence saying what to change.
  public func validate() throws {
    guard !streams.isEmpty else { throw ModelSpecError("streams is empty: choose at least one of rgb, flow, rgb_dynamic, flow_dynamic") }
    guard Set(streams).count == streams.count else { throw ModelSpecError("streams \(streams.map(\.rawValue)) lists a stream twice") }
    guard classes >= 2 else { throw ModelSpecError("classes is \(classes): a classifier needs at least 2") }
    guard inputSize >= 8 else { throw ModelSpecError("inputSize is \(inputSize): use 8 pixels or more") }
    guard head.hidden.count == 2, head.hidden.allSatisfy({ $0 > 0 }) else {
      throw ModelSpecError("head.hidden is \(head.hidden): give the two positive sizes of the first two FC layers, e.g. [256, 128]")
    }
    guard (0..<1).contains(head.dropout) else { throw ModelSpecError("head.dropout is \(head.dropout): use a probability in [0, 1)") }
    if streams.contains(where: \.isSequence) {
      switch backbone {
      case .convLSTM: try validateConvLSTM()
      case .cnnLSTM: try validateCNNLSTM()
      }
    }
    if streams.contains(where: { !$0.isSequence }) {
      guard resnet.depth == 10 || resnet.depth == 18 else { throw ModelSpecError("resnet.depth is \(resnet.depth): use 10 or 18") }
      guard resnet.width > 0 else { throw ModelSpecError("resnet.width is \(resnet.width): use a positive channel count") }
    }
  }

  private func validateConvLSTM() throws {
    let c = convLSTM
    guard !c.channels.isEmpty else { throw ModelSpecError("convLSTM.channels is empty: give one channel count per layer") }
    guard c.kernels.count == c.channels.count else {
      throw ModelSpecError(
        "convLSTM.kernels has \(c.kernels.count) entries but convLSTM.channels has \(c.channels.count): give one kernel per layer")
    }
    for (layer, k) in c.kernels.enumerated() where k < 1 || k % 2 == 0 {
      throw ModelSpecError("convLSTM.kernels[\(layer)] is \(k): 'same' padding needs an odd kernel (3, 5, …)")
    }
    for (layer, ch) in c.channels.enumerated() where ch < 1 {
      throw ModelSpecError("convLSTM.channels[\(layer)] is \(ch): use a positive channel count")
    }
    if c.groupNorm {
      for (layer, ch) in c.channels.enumerated() where c.groups < 1 || ch % c.groups != 0 {
        throw ModelSpecError(
          "convLSTM.groups is \(c.groups) but layer \(layer) has \(ch) channels: groups must divide every layer's channels")
      }
    }
    let finalSide = inputSize >> c.channels.count
    guard finalSide >= 1 else {
      throw ModelSpecError(
        "inputSize \(inputSize) is too small for \(c.channels.count) ConvLSTM layers (each halves the side): use fewer layers or a larger inputSize")
    }
  }

  private func validateCNNLSTM() throws {
    guard !cnnLSTM.channels.isEmpty, cnnLSTM.channels.allSatisfy({ $0 > 0 }) else {
      throw ModelSpecError("cnnLSTM.channels is \(cnnLSTM.channels): give positive channel counts, e.g. [16, 32, 64]")
    }
    guard inputSize >> cnnLSTM.channels.count >= 1 else {
      throw ModelSpecError("inputSize \(inputSize) is too small for \(cnnLSTM.channels.count) CNN layers: use fewer layers")
    }
    guard cnnLSTM.hidden > 0 else { throw ModelSpecError("cnnLSTM.hidden is \(cnnLSTM.hidden): use a positive size") }
  }
}
