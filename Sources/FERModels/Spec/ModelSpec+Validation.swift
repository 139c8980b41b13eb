// Spec validation: every rule has a message that names the field, the value and
// what to change.

/// A model spec that cannot be built.
public struct ModelSpecError: Error, CustomStringConvertible, Equatable {
  public let description: String
  init(_ description: String) { self.description = description }
}

/// The ranges a spec's numbers must lie in: wide enough for any model FERLab
/// trains on a CPU, narrow enough that no product of them overflows or asks for
/// terabytes before a single weight is read.
public enum ModelSpecLimits {
  public static let inputSize = 8...1024
  public static let classes = 2...1000
  public static let layers = 1...8
  public static let channels = 1...1024
  public static let kernel = 1...15
  public static let hidden = 1...16384
  public static let resnetWidth = 1...512
  /// At most this many weights (4 bytes each): 2 GB.
  public static let parameters = 500_000_000
}

/// `field is value: use low to high` unless `value` lies in `range`.
private func check(_ field: String, _ value: Int, _ range: ClosedRange<Int>) throws {
  guard range.contains(value) else { throw ModelSpecError("\(field) is \(value): use \(range.lowerBound) to \(range.upperBound)") }
}

extension ModelSpec {
  /// Throws the first problem found, as a sentence saying what to change. Every number
  /// lies in ModelSpecLimits before any arithmetic on it; the backbones' fields are checked
  /// only where a stream uses them; last, the weights they imply.
  public func validate() throws {
    typealias L = ModelSpecLimits
    guard !streams.isEmpty else { throw ModelSpecError("streams is empty: choose at least one of rgb, flow, rgb_dynamic, flow_dynamic") }
    guard Set(streams).count == streams.count else { throw ModelSpecError("streams \(streams.map(\.rawValue)) lists a stream twice") }
    try check("classes", classes, L.classes)
    try check("inputSize", inputSize, L.inputSize)
    guard head.hidden.count == 2 else {
      throw ModelSpecError("head.hidden is \(head.hidden): give the two sizes of the first two FC layers, e.g. [256, 128]")
    }
    for (i, h) in head.hidden.enumerated() { try check("head.hidden[\(i)]", h, L.hidden) }
    guard (0..<1).contains(head.dropout) else { throw ModelSpecError("head.dropout is \(head.dropout): use a probability in [0, 1)") }
    if streams.contains(where: \.isSequence) {
      switch backbone {
      case .convLSTM: try validateConvLSTM()
      case .cnnLSTM: try validateCNNLSTM()
      }
    }
    if streams.contains(where: { !$0.isSequence }) {
      guard resnet.depth == 10 || resnet.depth == 18 else { throw ModelSpecError("resnet.depth is \(resnet.depth): use 10 or 18") }
      try check("resnet.width", resnet.width, L.resnetWidth)
    }
    let weights = estimatedParameterCount
    guard weights <= L.parameters else {
      throw ModelSpecError(
        "the spec asks for about \(weights) weights (\(weights / 250_000) MB); FERLab builds at most \(L.parameters): use fewer or narrower layers or a smaller inputSize")
    }
  }

  /// An upper estimate of the weights, from numbers already inside ModelSpecLimits (no overflow).
  var estimatedParameterCount: Int {
    var total = 0
    var featureSizes: [Int] = []
    for kind in streams {
      if kind.isSequence, backbone == .convLSTM {
        var cin = kind.inputChannels, side = inputSize
        for (ch, k) in zip(convLSTM.channels, convLSTM.kernels) {
          // W_x* and W_h* (4 gates), W_xs, peepholes [3, C, side, side], norm and biases.
          total += 4 * ch * (cin + ch) * k * k + ch * cin * k * k + 3 * ch * side * side + 6 * ch
          cin = ch
          side = max(side / 2, 1)
        }
        featureSizes.append(cin * side * side)
      } else if kind.isSequence {
        var cin = kind.inputChannels, side = inputSize
        for ch in cnnLSTM.channels {
          total += ch * cin * 9 + ch
          cin = ch
          side = max(side / 2, 1)
        }
        total += 4 * cnnLSTM.hidden * (cin * side * side + cnnLSTM.hidden + 2)
        featureSizes.append(cnnLSTM.hidden)
      } else {
        let w = resnet.width
        total += 18 * 8 * w * 8 * w * 9  // every 3×3 of a ResNet-18 at its widest, an upper bound
        featureSizes.append(8 * w)
      }
    }
    let (d1, d2) = (head.hidden.first ?? 0, head.hidden.last ?? 0)
    total += featureSizes.reduce(0, +) * d1 + d1 * d2 + d2 * classes + d1 + d2 + classes
    return total
  }

  private func validateConvLSTM() throws {
    let c = convLSTM
    guard !c.channels.isEmpty else { throw ModelSpecError("convLSTM.channels is empty: give one channel count per layer") }
    try check("convLSTM.channels count", c.channels.count, ModelSpecLimits.layers)
    guard c.kernels.count == c.channels.count else {
      throw ModelSpecError(
        "convLSTM.kernels has \(c.kernels.count) entries but convLSTM.channels has \(c.channels.count): give one kernel per layer")
    }
    for (layer, ch) in c.channels.enumerated() { try check("convLSTM.channels[\(layer)]", ch, ModelSpecLimits.channels) }
    for (layer, k) in c.kernels.enumerated() {
      try check("convLSTM.kernels[\(layer)]", k, ModelSpecLimits.kernel)
      guard k % 2 == 1 else { throw ModelSpecError("convLSTM.kernels[\(layer)] is \(k): 'same' padding needs an odd kernel (3, 5, …)") }
    }
    if c.groupNorm {
      try check("convLSTM.groups", c.groups, ModelSpecLimits.channels)
      for (layer, ch) in c.channels.enumerated() where ch % c.groups != 0 {
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
    guard !cnnLSTM.channels.isEmpty else {
      throw ModelSpecError("cnnLSTM.channels is empty: give one channel count per layer, e.g. [16, 32, 64]")
    }
    try check("cnnLSTM.channels count", cnnLSTM.channels.count, ModelSpecLimits.layers)
    for (layer, ch) in cnnLSTM.channels.enumerated() { try check("cnnLSTM.channels[\(layer)]", ch, ModelSpecLimits.channels) }
    guard inputSize >> cnnLSTM.channels.count >= 1 else {
      throw ModelSpecError("inputSize \(inputSize) is too small for \(cnnLSTM.channels.count) CNN layers: use fewer layers")
    }
    try check("cnnLSTM.hidden", cnnLSTM.hidden, ModelSpecLimits.hidden)
  }
}
