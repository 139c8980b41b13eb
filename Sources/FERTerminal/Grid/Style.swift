// The small palette cells are drawn in. Colours are named, not numbered: the
// Terminal maps them onto what the real terminal has (8 or 256 colours), and a
// monochrome terminal drops them, so widgets never depend on colour alone.

/// A colour from FERLab's palette.
public enum TerminalColor: Hashable, Sendable {
  /// The terminal's own foreground or background.
  case `default`
  case black, red, green, yellow, blue, magenta, cyan, white, gray
  /// A step of the heat ramp, dark (0) to bright (`heatSteps - 1`); out-of-range steps are clamped.
  case heat(Int)
  /// A picture's pixel: the nearest of xterm's 6×6×6 colour cube, or of the 8 basic colours.
  case rgb(UInt8, UInt8, UInt8)

  /// Number of steps in the heat ramp.
  public static let heatSteps = 6

  /// The heat step for a value in [0, 1]: 0 only for exactly zero (or NaN), so
  /// any non-zero share is visibly shaded.
  public static func heatStep(fraction: Double) -> Int {
    guard fraction > 0 else { return 0 }
    let nonZeroSteps = heatSteps - 1
    return 1 + min(nonZeroSteps - 1, Int(min(fraction, 1) * Double(nonZeroSteps)))
  }

  /// A readable text colour on top of a heat-ramp background.
  public static func textColor(onHeat step: Int) -> TerminalColor {
    step >= heatSteps - 2 ? .black : .white
  }

  /// Short name used by the styled snapshot rendering.
  var shortName: String {
    switch self {
    case .default: "default"
    case .black: "black"
    case .red: "red"
    case .green: "green"
    case .yellow: "yellow"
    case .blue: "blue"
    case .magenta: "magenta"
    case .cyan: "cyan"
    case .white: "white"
    case .gray: "gray"
    case .heat(let step): "heat\(min(max(step, 0), TerminalColor.heatSteps - 1))"
    case .rgb(let r, let g, let b): "rgb\(r / 51)\(g / 51)\(b / 51)"
    }
  }
}

/// How a cell is drawn: colours and attributes.
public struct Style: Hashable, Sendable {
  public struct Attributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let bold = Attributes(rawValue: 1 << 0)
    public static let dim = Attributes(rawValue: 1 << 1)
    public static let reverse = Attributes(rawValue: 1 << 2)
    public static let underline = Attributes(rawValue: 1 << 3)
  }

  public var foreground: TerminalColor
  public var background: TerminalColor
  public var attributes: Attributes

  public init(foreground: TerminalColor = .default, background: TerminalColor = .default, attributes: Attributes = []) {
    self.foreground = foreground
    self.background = background
    self.attributes = attributes
  }

  /// The terminal's default colours, no attributes.
  public static let plain = Style()
  public static let bold = Style(attributes: .bold)
  public static let dim = Style(attributes: .dim)
  public static let reverse = Style(attributes: .reverse)

  public static func foreground(_ color: TerminalColor, _ attributes: Attributes = []) -> Style {
    Style(foreground: color, attributes: attributes)
  }

  /// This style with more attributes.
  public func adding(_ extra: Attributes) -> Style {
    Style(foreground: foreground, background: background, attributes: attributes.union(extra))
  }

  /// Compact description for the styled snapshot rendering, e.g. "fg=red bg=heat3 bold".
  var summary: String {
    var parts: [String] = []
    if foreground != .default { parts.append("fg=\(foreground.shortName)") }
    if background != .default { parts.append("bg=\(background.shortName)") }
    if attributes.contains(.bold) { parts.append("bold") }
    if attributes.contains(.dim) { parts.append("dim") }
    if attributes.contains(.reverse) { parts.append("reverse") }
    if attributes.contains(.underline) { parts.append("underline") }
    return parts.isEmpty ? "plain" : parts.joined(separator: " ")
  }
}
