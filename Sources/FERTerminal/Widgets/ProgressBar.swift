// One line of progress: "fold 2/5 ▕██████▌    ▏  63%  ETA 3m07s  12.3 clips/s".
// The bar fills in eighths of a cell (▏▎▍▌▋▊▉█), or [=====>    ] in ASCII. When
// the line is narrow, the rate goes first, then the ETA, then the label.

/// A progress line, drawn into one row of a grid region.
public struct ProgressBar: Sendable, Widget {
  /// Done so far, 0…1 (clamped; NaN counts as 0).
  public var fraction: Double
  public var label: String
  /// Seconds left, when known.
  public var etaSeconds: Double?
  /// Work per second and its unit ("clips/s"), when known.
  public var rate: Double?
  public var rateUnit: String
  /// The rate already written out ("41.2 clips/s"); shown when `rate` is nil.
  public var rateText: String?

  public init(
    fraction: Double, label: String = "", etaSeconds: Double? = nil, rate: Double? = nil, rateUnit: String = "items/s",
    rateText: String? = nil
  ) {
    self.fraction = fraction
    self.label = label
    self.etaSeconds = etaSeconds
    self.rate = rate
    self.rateUnit = rateUnit
    self.rateText = rateText
  }

  var clampedFraction: Double { fraction.isNaN ? 0 : min(max(fraction, 0), 1) }

  static let partials: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉"]
  /// The narrowest bar worth drawing, edges included.
  static let minimumBarWidth = 7

  public func drawContents(into grid: inout CellGrid, capabilities: TerminalCapabilities) {
    let width = grid.bounds.width
    let percent = NumberFormatting.percent(clampedFraction)
    let eta = etaSeconds.map { "ETA " + NumberFormatting.duration(seconds: $0) }
    let throughput = rate.map { NumberFormatting.rate($0, unit: rateUnit) } ?? rateText
    // Drop parts from the least to the most important until the bar has room.
    var parts: (label: String?, eta: String?, rate: String?) = (label.isEmpty ? nil : label, eta, throughput)
    func textWidth() -> Int {
      (parts.label.map { $0.count + 1 } ?? 0) + 1 + 4 + (parts.eta.map { $0.count + 2 } ?? 0) + (parts.rate.map { $0.count + 2 } ?? 0)
    }
    if width - textWidth() < Self.minimumBarWidth { parts.rate = nil }
    if width - textWidth() < Self.minimumBarWidth { parts.eta = nil }
    if width - textWidth() < Self.minimumBarWidth { parts.label = nil }

    var x = 0
    if let label = parts.label { x = grid.put(label, x: x, y: 0, style: .bold) + 1 }
    let barWidth = max(2, width - textWidth())
    drawBar(x: x, width: barWidth, into: &grid, capabilities: capabilities)
    x += barWidth + 1
    let padded = String(repeating: " ", count: max(0, 4 - percent.count)) + percent
    x = grid.put(padded, x: x, y: 0, style: .bold)
    if let eta = parts.eta { x = grid.put(eta, x: x + 2, y: 0) }
    if let rate = parts.rate { grid.put(rate, x: x + 2, y: 0, style: .dim) }
  }

  /// The bar with its edges: ▕…▏ or […].
  private func drawBar(x: Int, width: Int, into grid: inout CellGrid, capabilities: TerminalCapabilities) {
    let inner = width - 2
    let fill: Style = capabilities.hasColor ? .foreground(.green) : .plain
    grid.put(capabilities.unicode ? "▕" : "[", x: x, y: 0)
    grid.put(capabilities.unicode ? "▏" : "]", x: x + width - 1, y: 0)
    guard inner > 0 else { return }
    if capabilities.unicode {
      let eighths = Int((clampedFraction * Double(inner * 8)).rounded(.down))
      for cell in 0..<(eighths / 8) { grid.put("█", x: x + 1 + cell, y: 0, style: fill) }
      // A single eighth (▏) would read as the bar's right edge: it shows from two eighths.
      if eighths % 8 > 1 { grid.put(Self.partials[eighths % 8 - 1], x: x + 1 + eighths / 8, y: 0, style: fill) }
    } else {
      let filled = Int((clampedFraction * Double(inner)).rounded(.down))
      for cell in 0..<filled { grid.put("=", x: x + 1 + cell, y: 0, style: fill) }
      if filled < inner && clampedFraction > 0 { grid.put(">", x: x + 1 + filled, y: 0, style: fill) }
    }
  }
}
