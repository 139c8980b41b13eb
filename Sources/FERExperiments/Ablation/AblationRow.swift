import FERModels

// The rows of the ablation grid: the seed's Table I rows (a)–(e), the CNN+LSTM
// baseline of its Table II, and any combination of the three switches. Each row
// is a change to one base spec, so the grid can run at any model size.

/// One configuration of the ablation grid.
public struct AblationRow: Codable, Sendable, Equatable {
  /// Short label: "a" … "e", "cnn-lstm", or a switch combination such as "T+S-N-".
  public let label: String
  /// What the row is, in words.
  public let title: String
  public let spec: ModelSpec
  /// The seed's published eNTERFACE'05 accuracy for this row, in percent, when it reports one.
  public let published: Double?

  public init(label: String, title: String, spec: ModelSpec, published: Double?) {
    self.label = label
    self.title = title
    self.spec = spec
    self.published = published
  }

  /// The seed's Table I rows and the CNN+LSTM baseline, built on `base` (its sizes are kept).
  public static func seedRows(base: ModelSpec) -> [AblationRow] {
    func row(_ label: String, _ title: String, _ published: Double?, _ change: (inout ModelSpec) -> Void) -> AblationRow {
      var spec = base
      spec.backbone = .convLSTM
      spec.convLSTM.setSwitches(true)
      change(&spec)
      spec.name = "\(base.name)/\(label)"
      return AblationRow(label: label, title: title, spec: spec, published: published)
    }
    return [
      row("a", "ResNet streams (dynamic images)", nil) { $0.streams = [.rgbDynamic, .flowDynamic] },
      row("b", "conventional ConvLSTM streams", 39.84) {
        $0.streams = [.rgb, .flow]
        $0.convLSTM.setSwitches(false)
      },
      row("c", "Enhanced ConvLSTM streams", 44.28) { $0.streams = [.rgb, .flow] },
      row("d", "(a) + (b)", 41.48) {
        $0.streams = StreamKind.allCases
        $0.convLSTM.setSwitches(false)
      },
      row("e", "(a) + (c), proposed", 45.29) { $0.streams = StreamKind.allCases },
      row("cnn-lstm", "CNN+LSTM baseline", 42.98) {
        $0.streams = [.rgb, .flow]
        $0.backbone = .cnnLSTM
      },
    ]
  }

  /// The seed's comparisons (first − second): what each addition is worth.
  public static let seedPairs = [("c", "b"), ("e", "c"), ("e", "d"), ("c", "cnn-lstm")]

  /// For a switch grid: every switch on against the same row with one switch off,
  /// and against every switch off (first − second).
  public static func switchPairs(_ switches: [ConvLSTMSwitch]) -> [(String, String)] {
    func label(off: Set<ConvLSTMSwitch>) -> String { switches.map { "\($0.letter)\(off.contains($0) ? "-" : "+")" }.joined() }
    let allOn = label(off: [])
    return switches.map { (allOn, label(off: [$0])) } + (switches.count > 1 ? [(allOn, label(off: Set(switches)))] : [])
  }

  /// Every combination of the given switches on the ConvLSTM streams of `base`
  /// (e.g. temporal × spatial: the 2×2 skip grid), other switches as in `base`.
  public static func switchGrid(base: ModelSpec, switches: [ConvLSTMSwitch]) -> [AblationRow] {
    precondition(!switches.isEmpty, "switchGrid: choose at least one switch")
    return (0..<(1 << switches.count)).map { bits in
      var spec = base
      spec.backbone = .convLSTM
      var label = ""
      for (i, s) in switches.enumerated() {
        let on = bits & (1 << i) != 0
        s.set(on, in: &spec.convLSTM)
        label += "\(s.letter)\(on ? "+" : "-")"
      }
      spec.name = "\(base.name)/\(label)"
      let title = switches.map { "\($0.rawValue) \($0.isOn(in: spec.convLSTM) ? "on" : "off")" }.joined(separator: ", ")
      return AblationRow(label: label, title: title, spec: spec, published: nil)
    }
  }
}

/// The three switches of the Enhanced ConvLSTM.
public enum ConvLSTMSwitch: String, Codable, Sendable, CaseIterable {
  case temporal, spatial, norm

  var letter: String { rawValue.prefix(1).uppercased() }

  public func isOn(in spec: ConvLSTMSpec) -> Bool {
    switch self {
    case .temporal: spec.temporalSkip
    case .spatial: spec.spatialSkip
    case .norm: spec.groupNorm
    }
  }

  public func set(_ on: Bool, in spec: inout ConvLSTMSpec) {
    switch self {
    case .temporal: spec.temporalSkip = on
    case .spatial: spec.spatialSkip = on
    case .norm: spec.groupNorm = on
    }
  }
}
