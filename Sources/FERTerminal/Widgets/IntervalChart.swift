// Rows of estimates with their 95 % intervals: a bar from 0 to the mean and a
// whisker over the interval, the numbers at the right. What an ablation's rows
// look like side by side, so overlapping intervals are seen at once.

/// Horizontal bars with interval whiskers.
public struct IntervalChart: Sendable, Widget {
  public struct Row: Sendable {
    public var label: String
    public var mean: Double
    /// nil: no interval (one value).
    public var interval: ClosedRange<Double>?

    public init(label: String, mean: Double, interval: ClosedRange<Double>?) {
      self.label = label
      self.mean = mean
      self.interval = interval
    }
  }

  public var rows: [Row]
  /// Unit shown after the numbers ("%").
  public var unit: String
  public var caption: String

  public init(rows: [Row], unit: String = "", caption: String = "") {
    self.rows = rows
    self.unit = unit
    self.caption = caption
  }

  public func drawContents(into grid: inout CellGrid, capabilities: TerminalCapabilities) {
    let size = grid.bounds
    let ellipsis = BoxGlyphs.forCapabilities(capabilities).ellipsis
    guard !rows.isEmpty else { return }
    let texts = rows.map { r in
      String(format: "%.1f", r.mean) + (r.interval.map { String(format: " [%.1f, %.1f]", $0.lowerBound, $0.upperBound) } ?? "") + unit
    }
    let labelWidth = min(rows.map(\.label.count).max() ?? 0, 12)
    let textWidth = texts.map(\.count).max() ?? 0
    let track = size.width - labelWidth - textWidth - 3
    guard track >= 6 else {
      for (i, text) in texts.enumerated().prefix(size.height) {
        grid.put(fitted(rows[i].label + " " + text, width: size.width, ellipsis: ellipsis), x: 0, y: i)
      }
      return
    }
    let values: [Double] = rows.flatMap { r -> [Double] in [r.mean] + (r.interval.map { [$0.lowerBound, $0.upperBound] } ?? []) } + [0]
    let low = values.min() ?? 0, high = max(values.max() ?? 1, low + 1e-9)
    func column(_ v: Double) -> Int { Int(((v - low) / (high - low) * Double(track - 1)).rounded()) }
    let barStyle: Style = capabilities.hasColor ? .foreground(.cyan) : .dim
    let whiskerStyle: Style = capabilities.hasColor ? .foreground(.yellow, .bold) : .bold
    let bar: Character = capabilities.unicode ? "█" : "="
    let (leftEnd, line, rightEnd, point): (Character, Character, Character, Character) =
      capabilities.unicode ? ("├", "─", "┤", "┼") : ("|", "-", "|", "+")
    let shownRows = min(rows.count, size.height - (caption.isEmpty ? 0 : 1))
    for (i, row) in rows.prefix(shownRows).enumerated() {
      grid.put(fitted(row.label, width: labelWidth, ellipsis: ellipsis), x: 0, y: i, style: .bold)
      let x0 = labelWidth + 1
      let zero = column(0), mean = column(row.mean)
      for c in min(zero, mean)...max(zero, mean) { grid.put(bar, x: x0 + c, y: i, style: barStyle) }
      if let interval = row.interval {
        let a = column(interval.lowerBound), b = column(interval.upperBound)
        for c in a...b { grid.put(line, x: x0 + c, y: i, style: whiskerStyle) }
        grid.put(leftEnd, x: x0 + a, y: i, style: whiskerStyle)
        grid.put(rightEnd, x: x0 + b, y: i, style: whiskerStyle)
        grid.put(point, x: x0 + mean, y: i, style: whiskerStyle)
      }
      grid.put(texts[i], x: size.width - texts[i].count, y: i)
    }
    if !caption.isEmpty, shownRows < size.height {
      grid.put(fitted(caption, width: size.width, ellipsis: ellipsis), x: 0, y: shownRows, style: .dim)
    }
  }
}
