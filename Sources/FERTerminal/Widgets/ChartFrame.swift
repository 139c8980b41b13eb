// The frame the line plot and the bar chart draw their data into. From the
// bottom: a legend row (when the chart is tall enough and has a series to
// name), a row of x labels (when there is room), the x axis, and the plot rows
// above it; on the left the y axis with its labels right-aligned before it.

/// The rows of a chart and the axes around its plot.
struct ChartFrame {
  let legendRows: Int
  let labelRows: Int
  let plotRows: Int

  init(height: Int, hasSeries: Bool) {
    legendRows = height >= 6 && hasSeries ? 1 : 0
    labelRows = height >= 4 ? 1 : 0
    plotRows = height - legendRows - labelRows - 1
  }

  /// The y axis in column `axisX` beside the plot rows, each tick's label
  /// right-aligned before it at the row `row(value)` gives (nil: not shown; a row already
  /// labelled keeps its first label), and the x axis `plotWidth` wide below the plot.
  func drawAxes(
    into grid: inout CellGrid, axisX: Int, plotWidth: Int, ticks: [(Double, String)],
    row: (Double) -> Int?, glyphs: BoxGlyphs, style: Style
  ) {
    for r in 0..<plotRows { grid.put(glyphs.vertical, x: axisX, y: r, style: style) }
    var labelledRows: Set<Int> = []
    for (value, label) in ticks {
      guard let r = row(value), labelledRows.insert(r).inserted else { continue }
      grid.put(glyphs.teeLeft, x: axisX, y: r, style: style)
      let text = fitted(label, width: axisX, ellipsis: glyphs.ellipsis)
      grid.put(text, x: axisX - text.count, y: r)
    }
    grid.put(glyphs.bottomLeft, x: axisX, y: plotRows, style: style)
    for column in 0..<plotWidth { grid.put(glyphs.horizontal, x: axisX + 1 + column, y: plotRows, style: style) }
  }
}
