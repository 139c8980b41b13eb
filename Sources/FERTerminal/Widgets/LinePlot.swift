// Line plot of one or more series (train / validation loss over epochs): y
// ticks and labels on the left, an x axis with ticks below, a legend with each
// series' latest value. Lines are drawn in braille dots (2×4 per cell) when the
// terminal shows Unicode; otherwise, and when several series would be told apart
// by colour alone on a monochrome terminal, each series draws its own glyph.

/// A line plot, drawn into a region of a grid.
public struct LinePlot: Sendable, Widget {
  /// One line: points in drawing order; a non-finite y breaks the line there.
  public struct Series: Sendable {
    public var name: String
    public var xs: [Double]
    public var ys: [Double]
    /// Colour and ASCII glyph; nil picks one from the series' position.
    public var color: TerminalColor?
    public var glyph: Character?

    /// Values at x = firstX, firstX + 1, … (epochs counted from 1 by default).
    public init(name: String, values: [Double], firstX: Double = 1, color: TerminalColor? = nil, glyph: Character? = nil) {
      self.init(name: name, xs: values.indices.map { firstX + Double($0) }, ys: values, color: color, glyph: glyph)
    }

    public init(name: String, xs: [Double], ys: [Double], color: TerminalColor? = nil, glyph: Character? = nil) {
      precondition(xs.count == ys.count, "LinePlot.Series \"\(name)\": \(xs.count) x values for \(ys.count) y values; give one x per y")
      self.name = name
      self.xs = xs
      self.ys = ys
      self.color = color
      self.glyph = glyph
    }

    /// The last finite y, shown in the legend.
    var latest: Double? { ys.last { $0.isFinite } }
  }

  public var series: [Series]
  /// Name of the x axis ("epoch"), shown at the right of the legend row.
  public var xLabel: String
  /// A fixed y domain; nil scales to the data (widened to round ticks).
  public var yRange: ClosedRange<Double>?
  /// A log10 y axis (positive values only), e.g. gradient norms spanning decades.
  public var logScale: Bool

  public init(series: [Series], xLabel: String = "", yRange: ClosedRange<Double>? = nil, logScale: Bool = false) {
    self.series = series
    self.xLabel = xLabel
    self.yRange = yRange
    self.logScale = logScale
  }

  static let palette: [TerminalColor] = [.cyan, .yellow, .magenta, .green, .red, .blue]
  static let glyphs: [Character] = ["*", "o", "+", "x", "#", "@"]

  func color(of index: Int) -> TerminalColor { series[index].color ?? Self.palette[index % Self.palette.count] }
  func glyph(of index: Int) -> Character { series[index].glyph ?? Self.glyphs[index % Self.glyphs.count] }

  /// Braille needs Unicode, and several series need colour to stay apart.
  func usesBraille(_ capabilities: TerminalCapabilities) -> Bool {
    capabilities.unicode && (capabilities.hasColor || series.count <= 1)
  }

  public func drawContents(into grid: inout CellGrid, capabilities: TerminalCapabilities) {
    let size = grid.bounds
    let glyphs = BoxGlyphs.forCapabilities(capabilities)
    let axisStyle: Style = capabilities.hasColor ? .foreground(.gray) : .plain
    let frame = ChartFrame(height: size.height, hasSeries: !series.isEmpty)
    let plotRows = frame.plotRows

    let ys = yRange.map { [$0.lowerBound, $0.upperBound] } ?? series.flatMap(\.ys)
    let maxTicks = min(plotRows, (plotRows + 1) / 2 + 2)
    let yScale = logScale
      ? AxisScale.log10(covering: ys, maxTicks: maxTicks)
      : AxisScale.linear(covering: ys, maxTicks: maxTicks, extendToTicks: yRange == nil)
    let yLabels = yScale.ticks.map { yScale.label($0) }
    let labelWidth = min(yLabels.map(\.count).max() ?? 1, size.width / 3)
    let plotX = labelWidth + 1
    let plotWidth = size.width - plotX
    guard plotRows >= 1, plotWidth >= 2 else {
      grid.put(fitted("(plot needs more room)", width: size.width, ellipsis: glyphs.ellipsis), x: 0, y: 0, style: .dim)
      return
    }

    let xs = series.flatMap { s in zip(s.xs, s.ys).filter { $0.1.isFinite }.map(\.0) }
    let integral = xs.allSatisfy { $0 == $0.rounded() }
    let xScale = AxisScale.linear(covering: xs, maxTicks: max(2, plotWidth / 6), extendToTicks: false, integerTicks: integral)
    let geometry = PlotGeometry(columns: plotWidth, rows: plotRows, braille: usesBraille(capabilities), xScale: xScale, yScale: yScale)

    // The axes, then x tick labels centred under their ticks where they do not collide.
    frame.drawAxes(
      into: &grid, axisX: labelWidth, plotWidth: plotWidth, ticks: Array(zip(yScale.ticks, yLabels)),
      row: { geometry.row(of: $0) }, glyphs: glyphs, style: axisStyle)
    var labelEnd = 0
    for tick in xScale.ticks {
      guard let position = geometry.column(of: tick) else { continue }
      grid.put(glyphs.teeDown, x: plotX + position, y: plotRows, style: axisStyle)
      guard frame.labelRows == 1 else { continue }
      let label = xScale.label(tick)
      let start = min(max(plotX + position - label.count / 2, labelEnd), size.width - label.count)
      guard start >= labelEnd, start >= 0 else { continue }
      labelEnd = grid.put(label, x: start, y: plotRows + 1) + 1
    }

    drawLines(into: &grid, origin: (plotX, 0), geometry: geometry, capabilities: capabilities)
    if xs.isEmpty {
      let message = fitted("no data", width: plotWidth, ellipsis: glyphs.ellipsis)
      grid.put(message, x: plotX + (plotWidth - message.count) / 2, y: plotRows / 2, style: .dim)
    }
    if frame.legendRows == 1 { drawLegend(into: &grid, y: size.height - 1, x: plotX, capabilities: capabilities) }
  }

  private func drawLines(into grid: inout CellGrid, origin: (x: Int, y: Int), geometry: PlotGeometry, capabilities: TerminalCapabilities) {
    let braille = geometry.braille
    var canvas = DotCanvas(columns: geometry.columns, rows: geometry.rows, resolution: braille ? .braille : .cell)
    for (index, line) in series.enumerated() {
      var previous: (x: Int, y: Int)? = nil
      for (x, y) in zip(line.xs, line.ys) {
        let current = geometry.dot(x: x, y: y)
        if let current { canvas.line(from: previous ?? current, to: current, series: index) }
        previous = current
      }
    }
    for row in 0..<canvas.rows {
      for column in 0..<canvas.columns {
        guard let cell = canvas.cell(column: column, row: row) else { continue }
        let character = braille ? DotCanvas.brailleCharacter(cell.bits) : glyph(of: cell.series)
        let style: Style = capabilities.hasColor ? .foreground(color(of: cell.series)) : .plain
        grid.put(character, x: origin.x + column, y: origin.y + row, style: style)
      }
    }
  }

  /// "── train 0.412   ── validation 0.530" (glyphs instead of lines in the fallback), x axis name at the right.
  private func drawLegend(into grid: inout CellGrid, y: Int, x: Int, capabilities: TerminalCapabilities) {
    let braille = usesBraille(capabilities)
    var column = x
    for index in series.indices {
      let marker = braille ? String(repeating: BoxGlyphs.unicode.horizontal, count: 2) : String(glyph(of: index))
      let style: Style = capabilities.hasColor ? .foreground(color(of: index), .bold) : .bold
      column = grid.put(marker, x: column, y: y, style: style) + 1
      let value = series[index].latest.map { " " + NumberFormatting.significant($0) } ?? ""
      column = grid.put(series[index].name + value, x: column, y: y) + 3
    }
    let name = xLabel
    if !name.isEmpty, column + name.count <= grid.bounds.width {
      grid.put(name, x: grid.bounds.width - name.count, y: y, style: .dim)
    }
  }
}

/// Where values land on a plot's dots and cells. Ticks use the same mapping as
/// the lines, so a tick's row is the row its value's dot falls in.
struct PlotGeometry {
  let columns: Int
  let rows: Int
  let braille: Bool
  let xScale: AxisScale
  let yScale: AxisScale

  var dotWidth: Int { columns * (braille ? 2 : 1) }
  var dotHeight: Int { rows * (braille ? 4 : 1) }

  /// The dot for a point, row 0 at the top; nil when either value has no place.
  /// Fractions are clamped so far-off points (outside a fixed y range) still give
  /// a line leaving the plot in the right direction without overflowing Int; the
  /// small bias rounds a tick and a data value a rounding error apart (0.7 and
  /// 7 × 0.1) to the same dot when they sit on a half-dot boundary.
  func dot(x: Double, y: Double) -> (x: Int, y: Int)? {
    let fx = xScale.fraction(x), fy = yScale.fraction(y)
    guard fx.isFinite, fy.isFinite else { return nil }
    let column = Int((min(max(fx, -1), 2) * Double(dotWidth - 1) + 1e-9).rounded())
    let row = dotHeight - 1 - Int((min(max(fy, -1), 2) * Double(dotHeight - 1) + 1e-9).rounded())
    return (column, row)
  }

  /// The cell row of a y value, nil outside the plot.
  func row(of y: Double) -> Int? {
    guard let dot = dot(x: xScale.lower, y: y), (0..<dotHeight).contains(dot.y) else { return nil }
    return dot.y / (braille ? 4 : 1)
  }

  /// The cell column of an x value, nil outside the plot.
  func column(of x: Double) -> Int? {
    guard let dot = dot(x: x, y: yScale.lower), (0..<dotWidth).contains(dot.x) else { return nil }
    return dot.x / (braille ? 2 : 1)
  }
}
