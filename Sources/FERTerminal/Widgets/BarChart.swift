// Vertical bars per time step, e.g. the gradient norm ‖∂L/∂h_t‖ at each t for a
// conventional and an enhanced ConvLSTM. Heights are drawn to an eighth of a
// cell with ▁▂▃▄▅▆▇█ (half cells with '.' in ASCII); a log scale shows gradients
// that vanish over decades. Two series stand side by side, or overlaid — the
// shorter bar drawn over the taller — when colour can tell them apart.

/// A bar chart over time steps, drawn into a region of a grid.
public struct BarChart: Sendable, Widget {
  public struct Series: Sendable {
    public var name: String
    /// One value per time step; NaN, infinite (and, on a log scale, non-positive) values draw no bar.
    public var values: [Double]
    /// nil picks a colour from the series' position.
    public var color: TerminalColor?

    public init(name: String, values: [Double], color: TerminalColor? = nil) {
      self.name = name
      self.values = values
      self.color = color
    }
  }

  public enum Arrangement: Sendable { case sideBySide, overlaid }

  public var series: [Series]
  public var arrangement: Arrangement
  public var logScale: Bool
  /// The label of the first time step (t = 1 by default); later steps count up from it.
  public var firstStep: Int
  /// Name of the x axis ("t"), shown at the right of the legend row.
  public var xLabel: String

  public init(series: [Series], arrangement: Arrangement = .sideBySide, logScale: Bool = false, firstStep: Int = 1, xLabel: String = "") {
    self.series = series
    self.arrangement = arrangement
    self.logScale = logScale
    self.firstStep = firstStep
    self.xLabel = xLabel
  }

  static let palette: [TerminalColor] = [.magenta, .cyan, .yellow, .green]
  static let asciiGlyphs: [Character] = ["#", "=", "+", "%"]
  static let unicodeGlyphs: [Character] = ["█", "▓", "▒", "░"]
  static let eighths: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇"]

  func color(of index: Int) -> TerminalColor { series[index].color ?? Self.palette[index % Self.palette.count] }

  func fullGlyph(of index: Int, _ capabilities: TerminalCapabilities) -> Character {
    let glyphs = capabilities.unicode ? Self.unicodeGlyphs : Self.asciiGlyphs
    // With colour every series is a solid block; colour tells them apart.
    return capabilities.hasColor && capabilities.unicode ? "█" : glyphs[index % glyphs.count]
  }

  /// Overlaid bars are only told apart by colour.
  func overlays(_ capabilities: TerminalCapabilities) -> Bool {
    arrangement == .overlaid && capabilities.hasColor && series.count > 1
  }

  public func drawContents(into grid: inout CellGrid, capabilities: TerminalCapabilities) {
    let size = grid.bounds
    let glyphs = BoxGlyphs.forCapabilities(capabilities)
    let axisStyle: Style = capabilities.hasColor ? .foreground(.gray) : .plain
    let frame = ChartFrame(height: size.height, hasSeries: !series.isEmpty)
    let plotRows = frame.plotRows

    let all = series.flatMap(\.values)
    let maxTicks = max(2, plotRows / 2 + 1)
    let scale = logScale
      ? AxisScale.log10(covering: all, maxTicks: maxTicks)
      : AxisScale.linear(covering: all, maxTicks: maxTicks, extendToTicks: true, includeZero: true)
    let yLabels = scale.ticks.map { scale.label($0) }
    let labelWidth = min(yLabels.map(\.count).max() ?? 1, size.width / 3)
    let plotX = labelWidth + 1
    let plotWidth = size.width - plotX
    let steps = series.map(\.values.count).max() ?? 0
    let barsPerStep = overlays(capabilities) ? 1 : max(1, series.count)
    guard plotRows >= 1, plotWidth >= barsPerStep + 1 else {
      grid.put(fitted("(chart needs more room)", width: size.width, ellipsis: glyphs.ellipsis), x: 0, y: 0, style: .dim)
      return
    }

    // Widest bars (up to 3 columns) that fit every step with a gap before each group.
    let (barWidth, gap) = [(3, 1), (2, 1), (1, 1), (1, 0)].first { steps * (barsPerStep * $0.0 + $0.1) <= plotWidth } ?? (1, 0)
    let groupWidth = barsPerStep * barWidth + gap
    let shownSteps = min(steps, plotWidth / groupWidth)

    // Tick positions count cell edges: edge 0 is the axis line, edge plotRows the top.
    frame.drawAxes(
      into: &grid, axisX: labelWidth, plotWidth: plotWidth, ticks: Array(zip(scale.ticks, yLabels)),
      row: { tick in scale.position(tick, count: plotRows + 1).flatMap { $0 >= 1 ? plotRows - $0 : nil } },
      glyphs: glyphs, style: axisStyle)
    if let label = yLabels.first, scale.ticks.first.flatMap({ scale.position($0, count: plotRows + 1) }) == 0 {
      // The bottom tick sits on the axis row.
      let text = fitted(label, width: labelWidth, ellipsis: glyphs.ellipsis)
      grid.put(text, x: labelWidth - text.count, y: plotRows)
    }

    for step in 0..<shownSteps {
      let groupX = plotX + step * groupWidth + gap
      drawGroup(step: step, x: groupX, barWidth: barWidth, rows: plotRows, scale: scale, into: &grid, capabilities: capabilities)
    }

    if frame.labelRows == 1 {
      drawStepLabels(shown: shownSteps, of: steps, plotX: plotX + gap, groupWidth: groupWidth, span: barsPerStep * barWidth, y: plotRows + 1, into: &grid)
    }
    if frame.legendRows == 1 { drawLegend(into: &grid, y: size.height - 1, x: plotX, capabilities: capabilities) }
  }

  /// Bar height in eighths of a cell; any positive value shows at least one eighth.
  func eighths(_ value: Double, rows: Int, scale: AxisScale) -> Int? {
    let f = scale.fraction(value)
    guard f.isFinite else { return nil }
    let e = Int((min(max(f, 0), 1) * Double(rows * 8)).rounded())
    return value > 0 ? max(1, e) : e
  }

  private func drawGroup(
    step: Int, x: Int, barWidth: Int, rows: Int, scale: AxisScale, into grid: inout CellGrid, capabilities: TerminalCapabilities
  ) {
    let heights = series.map { $0.values.indices.contains(step) ? eighths($0.values[step], rows: rows, scale: scale) : nil }
    if overlays(capabilities) {
      // Tallest first; each shorter bar is drawn over it, its top cell keeping the
      // taller bar's colour as background so both heights stay visible.
      let drawn = heights.enumerated().compactMap { index, h in h.map { (index, $0) } }
      var covered: (eighths: Int, color: TerminalColor)? = nil
      for (index, h) in drawn.sorted(by: { $0.1 > $1.1 }) {
        drawBar(x: x, width: barWidth, eighths: h, rows: rows, series: index, under: covered, into: &grid, capabilities: capabilities)
        covered = (h, color(of: index))
      }
    } else {
      for (index, h) in heights.enumerated() {
        guard let h else { continue }
        drawBar(x: x + index * barWidth, width: barWidth, eighths: h, rows: rows, series: index, under: nil, into: &grid, capabilities: capabilities)
      }
    }
  }

  private func drawBar(
    x: Int, width: Int, eighths: Int, rows: Int, series index: Int, under taller: (eighths: Int, color: TerminalColor)?,
    into grid: inout CellGrid, capabilities: TerminalCapabilities
  ) {
    let full = fullGlyph(of: index, capabilities)
    // ASCII draws half cells; a bar of any height keeps at least one.
    let units = capabilities.unicode ? eighths : max(min(eighths, 1), (eighths + 2) / 4)
    let perCell = capabilities.unicode ? 8 : 2
    for level in 0..<((units + perCell - 1) / perCell) {
      let remainder = units - level * perCell
      let character: Character
      if remainder >= perCell { character = full }
      else if capabilities.unicode { character = Self.eighths[remainder - 1] }
      else { character = "." }
      var style: Style = capabilities.hasColor ? .foreground(color(of: index)) : .plain
      if let taller, remainder < perCell {
        // The top cell of a bar drawn over a taller one: the taller bar's colour
        // shows above it when that bar fills the cell; when its own top is in this
        // cell too, the taller bar's top is the one kept.
        guard taller.eighths >= (level + 1) * 8 else { continue }
        style.background = taller.color
      }
      for dx in 0..<width { grid.put(character, x: x + dx, y: rows - 1 - level, style: style) }
    }
  }

  /// Step numbers under their groups, every k-th step (k = 1, 2, 5, 10, …) so labels do not touch.
  private func drawStepLabels(shown: Int, of steps: Int, plotX: Int, groupWidth: Int, span: Int, y: Int, into grid: inout CellGrid) {
    guard shown > 0 else { return }
    // A clipped chart says how many steps it shows; labels stop short of that note.
    let note = shown < steps ? "(\(shown) of \(steps))" : ""
    let labelLimit = grid.bounds.width - (note.isEmpty ? 0 : note.count + 1)
    grid.put(note, x: grid.bounds.width - note.count, y: y, style: .dim)
    let widest = String(firstStep + shown - 1).count
    let every = [1, 2, 5, 10, 20, 50, 100].first { $0 * groupWidth >= widest + 1 } ?? 100
    for step in stride(from: 0, to: shown, by: every) {
      let label = String(firstStep + step)
      let centre = plotX + step * groupWidth + (span - 1) / 2
      let start = max(plotX, centre - (label.count - 1) / 2)
      guard start + label.count <= labelLimit else { break }
      grid.put(label, x: start, y: y)
    }
  }

  private func drawLegend(into grid: inout CellGrid, y: Int, x: Int, capabilities: TerminalCapabilities) {
    var column = x
    for index in series.indices {
      let style: Style = capabilities.hasColor ? .foreground(color(of: index)) : .plain
      column = grid.put(String(fullGlyph(of: index, capabilities)), x: column, y: y, style: style) + 1
      column = grid.put(series[index].name, x: column, y: y) + 3
    }
    if !xLabel.isEmpty, column + xLabel.count <= grid.bounds.width {
      grid.put(xLabel, x: grid.bounds.width - xLabel.count, y: y, style: .dim)
    }
  }
}
