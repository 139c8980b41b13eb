import FERCore

// The model spec: everything needed to build a model, as plain Codable data.
// It is stored in every checkpoint's metadata and in every session, so a
// model can be rebuilt exactly from a file. `validate()` turns a bad spec
// into a sentence that says what to change before any tensor is allocated.

/// The four input streams of the seed's figure 2.
public enum StreamKind: String, Codable, Sendable, CaseIterable, Comparable {
  /// ConvLSTM (or CNN+LSTM) over the RGB face frames [N, T, 3, S, S].
  case rgb
  /// ConvLSTM (or CNN+LSTM) over the optical flow [N, T′, 2, S, S].
  case flow
  /// ResNet over the dynamic image of the RGB clip [N, 3, S, S].
  case rgbDynamic = "rgb_dynamic"
  /// ResNet over the dynamic image of the flow clip [N, 2, S, S].
  case flowDynamic = "flow_dynamic"

  /// Channels of this stream's input.
  public var inputChannels: Int { self == .rgb || self == .rgbDynamic ? 3 : 2 }
  /// Whether the stream sees a sequence (true) or a single dynamic image.
  public var isSequence: Bool { self == .rgb || self == .flow }

  public static func < (a: StreamKind, b: StreamKind) -> Bool {
    allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
  }
}

/// The sequence model used on the RGB and flow streams.
public enum SequenceBackbone: String, Codable, Sendable, CaseIterable {
  /// Stacked (Enhanced) ConvLSTM layers.
  case convLSTM = "convlstm"
  /// Per-frame CNN, then an LSTM over the frame features (the baseline of Pan et al.).
  case cnnLSTM = "cnn_lstm"
}

/// The (Enhanced) ConvLSTM stream: layer sizes and the three switches.
public struct ConvLSTMSpec: Codable, Sendable, Equatable {
  /// Hidden channels per layer.
  public var channels: [Int] = [16, 32, 48, 64]
  /// Square kernel size per layer (odd).
  public var kernels: [Int] = [5, 5, 3, 3]
  /// The temporal skip: h_{t−2} added to h_t.
  public var temporalSkip = true
  /// The spatial skip: W_xs * x_t added to h_t.
  public var spatialSkip = true
  /// Group normalization of h_t.
  public var groupNorm = true
  /// Groups of the group norm (must divide every layer's channels).
  public var groups = 4
  /// Which cell state the output-gate peephole sees.
  public var outputPeephole: OutputPeephole = .previous

  public init() {}

  /// All three switches off: Shi et al.'s ConvLSTM.
  public var isConventional: Bool { !temporalSkip && !spatialSkip && !groupNorm }
}

/// The ResNet used on dynamic images (BasicBlocks, small-input stem).
public struct ResNetSpec: Codable, Sendable, Equatable {
  /// 10 (one block per stage) or 18 (two blocks per stage).
  public var depth = 18
  /// Channels of the first stage; stages use width·(1, 2, 4, 8).
  public var width = 16
  public init() {}
}

/// The CNN+LSTM baseline: a small per-frame CNN and an LSTM over its features.
public struct CNNLSTMSpec: Codable, Sendable, Equatable {
  /// Channels of the per-frame conv layers (3×3, ReLU, 2×2 max-pool each).
  public var channels: [Int] = [16, 32, 64]
  /// LSTM hidden size.
  public var hidden = 128
  public init() {}
}

/// The fusion head: per-stream projections summed (the first FC layer), then two more FC layers.
public struct HeadSpec: Codable, Sendable, Equatable {
  /// Output sizes of the first two FC layers; the third outputs the classes.
  public var hidden: [Int] = [256, 128]
  /// Dropout probability before the second and third FC layers (0 disables).
  public var dropout: Float = 0
  public init() {}
}

/// A whole model.
public struct ModelSpec: Codable, Sendable, Equatable {
  /// A preset's name, or "custom".
  public var name = "custom"
  /// Streams in the model (any non-empty subset).
  public var streams: [StreamKind] = StreamKind.allCases
  public var backbone: SequenceBackbone = .convLSTM
  public var convLSTM = ConvLSTMSpec()
  public var resnet = ResNetSpec()
  public var cnnLSTM = CNNLSTMSpec()
  public var head = HeadSpec()
  /// Side of the square face crops and dynamic images.
  public var inputSize = 48
  /// Number of expression classes.
  public var classes = 6
  /// Standardise each RGB clip over time before its stream (ClipStandardisation.swift).
  public var centreFrames = true

  public init() {}
}

// MARK: - Decoding with defaults
// A spec written by hand may name only what it changes: every missing field
// takes its default, so `{"streams": ["rgb"]}` is a valid spec.

extension KeyedDecodingContainer {
  fileprivate func value<T: Decodable>(_ key: Key, or fallback: T) throws -> T {
    try decodeIfPresent(T.self, forKey: key) ?? fallback
  }
}

extension ConvLSTMSpec {
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let d = ConvLSTMSpec()
    channels = try c.value(.channels, or: d.channels)
    kernels = try c.value(.kernels, or: d.kernels)
    temporalSkip = try c.value(.temporalSkip, or: d.temporalSkip)
    spatialSkip = try c.value(.spatialSkip, or: d.spatialSkip)
    groupNorm = try c.value(.groupNorm, or: d.groupNorm)
    groups = try c.value(.groups, or: d.groups)
    outputPeephole = try c.value(.outputPeephole, or: d.outputPeephole)
  }
}

extension ResNetSpec {
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    depth = try c.value(.depth, or: ResNetSpec().depth)
    width = try c.value(.width, or: ResNetSpec().width)
  }
}

extension CNNLSTMSpec {
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    channels = try c.value(.channels, or: CNNLSTMSpec().channels)
    hidden = try c.value(.hidden, or: CNNLSTMSpec().hidden)
  }
}

extension HeadSpec {
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    hidden = try c.value(.hidden, or: HeadSpec().hidden)
    dropout = try c.value(.dropout, or: HeadSpec().dropout)
  }
}

extension ModelSpec {
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let d = ModelSpec()
    name = try c.value(.name, or: d.name)
    streams = try c.value(.streams, or: d.streams)
    backbone = try c.value(.backbone, or: d.backbone)
    convLSTM = try c.value(.convLSTM, or: d.convLSTM)
    resnet = try c.value(.resnet, or: d.resnet)
    cnnLSTM = try c.value(.cnnLSTM, or: d.cnnLSTM)
    head = try c.value(.head, or: d.head)
    inputSize = try c.value(.inputSize, or: d.inputSize)
    classes = try c.value(.classes, or: d.classes)
    centreFrames = try c.value(.centreFrames, or: d.centreFrames)
  }
}

// Unknown words are refused with the accepted ones listed (FileError+Decoding.swift),
// not with Swift's "Cannot initialize StreamKind from invalid String value".
extension StreamKind {
  public init(from decoder: any Decoder) throws { try self.init(decodingOneOf: decoder) }
}

extension SequenceBackbone {
  public init(from decoder: any Decoder) throws { try self.init(decodingOneOf: decoder) }
}

extension OutputPeephole {
  public init(from decoder: any Decoder) throws { try self.init(decodingOneOf: decoder) }
}

/// Which cell state the output-gate peephole sees.
public enum OutputPeephole: String, Codable, Sendable, CaseIterable {
  /// c_{t−1}, as the Enhanced ConvLSTM paper prints it (the default).
  case previous
  /// c_t, as in Shi et al. 2015.
  case current
}
