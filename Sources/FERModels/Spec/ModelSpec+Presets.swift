// Named presets: the seed's full model, the ablation rows (a)–(e) of its
// Table I, the CNN+LSTM baseline, and small configurations for tests and benchmarks.

extension ModelSpec {
  /// Names accepted by `preset(named:)`, in display order.
  public static let presetNames = ["paper", "a", "b", "c", "d", "e", "cnn-lstm", "small", "tiny", "bench-small"]

  /// A preset by name; nil for an unknown name.
  public static func preset(named name: String) -> ModelSpec? {
    var spec = ModelSpec()
    spec.name = name
    switch name {
    case "paper", "e":  // (e) = (a) + (c): the proposed model
      break
    case "a":  // ResNet streams on the dynamic images only
      spec.streams = [.rgbDynamic, .flowDynamic]
    case "b":  // conventional ConvLSTM streams
      spec.streams = [.rgb, .flow]
      spec.convLSTM.setSwitches(false)
    case "c":  // Enhanced ConvLSTM streams
      spec.streams = [.rgb, .flow]
    case "d":  // (a) + (b)
      spec.convLSTM.setSwitches(false)
    case "cnn-lstm":
      spec.streams = [.rgb, .flow]
      spec.backbone = .cnnLSTM
    case "small":  // a quick four-stream model for live training at a terminal
      spec.convLSTM.channels = [8, 16, 16]
      spec.convLSTM.kernels = [5, 3, 3]
      spec.resnet.depth = 10
      spec.resnet.width = 8
      spec.cnnLSTM.channels = [8, 16]
      spec.cnnLSTM.hidden = 32
      spec.head.hidden = [64, 32]
      spec.inputSize = 32
    case "tiny":  // for tests: every stream, a few thousand parameters
      spec.convLSTM.channels = [4, 4]
      spec.convLSTM.kernels = [3, 3]
      spec.convLSTM.groups = 2
      spec.resnet.depth = 10
      spec.resnet.width = 4
      spec.cnnLSTM.channels = [4]
      spec.cnnLSTM.hidden = 8
      spec.head.hidden = [16, 8]
      spec.inputSize = 8
    case "bench-small":  // the Enhanced ConvLSTM RGB stream of the benchmarks
      spec.streams = [.rgb]
    default:
      return nil
    }
    return spec
  }
}

extension ConvLSTMSpec {
  /// Sets temporal skip, spatial skip and group norm together.
  public mutating func setSwitches(_ on: Bool) {
    temporalSkip = on
    spatialSkip = on
    groupNorm = on
  }
}
