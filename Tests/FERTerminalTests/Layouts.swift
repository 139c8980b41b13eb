@testable import FERTerminal

// The two screen sizes the explorer is designed for, composed from the widgets
// the way its screens will be: a title row, framed panes, a progress line and a
// key-help line. The widget snapshots use these panes' inner sizes.

enum Layouts {
  /// Draws `body` into a blank grid of the given size.
  static func drawn(width: Int, height: Int, _ body: (inout CellGrid) -> Void) -> CellGrid {
    var grid = CellGrid(width: width, height: height)
    body(&grid)
    return grid
  }

  // Inner sizes of the panes (frames take one cell on each side).
  static let plot80 = (width: 44, height: 10)
  static let heatMap80 = (width: 32, height: 10)
  static let bars80 = (width: 78, height: 7)
  static let plot120 = (width: 68, height: 18)
  static let heatMap120 = (width: 48, height: 18)
  static let bars120 = (width: 68, height: 14)
  static let table120 = (width: 48, height: 14)

  static func screen80x24(_ capabilities: TerminalCapabilities) -> CellGrid {
    drawn(width: 80, height: 24) { grid in
      let glyphs = BoxGlyphs.forCapabilities(capabilities)
      grid.put("FERLab  enhanced-b16  fold 2/5", x: 0, y: 0, style: .bold)
      let plot = grid.box(Rect(x: 0, y: 1, width: 46, height: 12), title: "Loss", glyphs: glyphs)
      Fixtures.lossPlot().draw(into: &grid, in: plot, capabilities: capabilities)
      let heatMap = grid.box(Rect(x: 46, y: 1, width: 34, height: 12), title: "Confusion (validation)", glyphs: glyphs)
      ConfusionHeatMap(labels: Fixtures.classes, counts: Fixtures.confusion).draw(into: &grid, in: heatMap, capabilities: capabilities)
      let bars = grid.box(Rect(x: 0, y: 13, width: 80, height: 9), title: "Gradient flow |dL/dh_t| (log)", glyphs: glyphs)
      Fixtures.gradientBars(arrangement: .overlaid, logScale: true).draw(into: &grid, in: bars, capabilities: capabilities)
      Fixtures.progress(0.634).draw(into: &grid, in: Rect(x: 0, y: 22, width: 80, height: 1), capabilities: capabilities)
      grid.put("q quit  t train  s skips  : command", x: 0, y: 23, style: .dim)
    }
  }

  static func screen120x40(_ capabilities: TerminalCapabilities) -> CellGrid {
    drawn(width: 120, height: 40) { grid in
      let glyphs = BoxGlyphs.forCapabilities(capabilities)
      grid.put("FERLab  enhanced-b16  fold 2/5", x: 0, y: 0, style: .bold)
      let plot = grid.box(Rect(x: 0, y: 1, width: 70, height: 20), title: "Loss", glyphs: glyphs)
      Fixtures.lossPlot().draw(into: &grid, in: plot, capabilities: capabilities)
      let heatMap = grid.box(Rect(x: 70, y: 1, width: 50, height: 20), title: "Confusion (validation, % of row)", glyphs: glyphs)
      ConfusionHeatMap(labels: Fixtures.classes, counts: Fixtures.confusion, entry: .rowPercent)
        .draw(into: &grid, in: heatMap, capabilities: capabilities)
      let bars = grid.box(Rect(x: 0, y: 21, width: 70, height: 16), title: "Gradient flow |dL/dh_t|", glyphs: glyphs)
      Fixtures.gradientBars(arrangement: .sideBySide, logScale: true).draw(into: &grid, in: bars, capabilities: capabilities)
      let table = grid.box(Rect(x: 70, y: 21, width: 50, height: 16), title: "Ablation", glyphs: glyphs)
      Fixtures.resultTable.draw(into: &grid, in: table, capabilities: capabilities)
      Fixtures.progress(0.634).draw(into: &grid, in: Rect(x: 0, y: 37, width: 120, height: 1), capabilities: capabilities)
      grid.horizontalRule(x: 0, y: 38, width: 120, glyphs: glyphs)
      grid.put("q quit  t train  s skips  : command", x: 0, y: 39, style: .dim)
    }
  }
}
