import Testing
@testable import FERTerminal

@Suite("LinePlot")
struct LinePlotTests {
  func render(_ plot: LinePlot, _ size: (width: Int, height: Int), _ capabilities: TerminalCapabilities) -> String {
    Layouts.drawn(width: size.width, height: size.height) { plot.draw(into: &$0, in: $0.bounds, capabilities: capabilities) }
      .render(plain: true)
  }

  @Test func brailleSnapshots() {
    expectSnapshot(render(Fixtures.lossPlot(), Layouts.plot80, .full), named: "plot-braille-44x10")
    expectSnapshot(render(Fixtures.lossPlot(), Layouts.plot120, .full), named: "plot-braille-68x18")
  }

  @Test func asciiSnapshots() {
    expectSnapshot(render(Fixtures.lossPlot(), Layouts.plot80, .ascii), named: "plot-ascii-44x10")
    expectSnapshot(render(Fixtures.lossPlot(), Layouts.plot120, .ascii), named: "plot-ascii-68x18")
  }

  @Test func coloursTellBrailleSeriesApart() {
    let grid = Layouts.drawn(width: 44, height: 10) { Fixtures.lossPlot().draw(into: &$0, in: $0.bounds, capabilities: .full) }
    expectSnapshot(grid.render(plain: false), named: "plot-braille-44x10-styles")
  }

  // Without colour, two braille lines would look alike: each series draws its glyph.
  @Test func monochromeSeriesFallBackToGlyphs() {
    let plot = Fixtures.lossPlot()
    #expect(plot.usesBraille(.full))
    #expect(!plot.usesBraille(.unicodeMonochrome))
    #expect(LinePlot(series: [plot.series[0]]).usesBraille(.unicodeMonochrome))
    let text = render(plot, Layouts.plot80, .unicodeMonochrome)
    #expect(text.contains("*") && text.contains("o"))
    #expect(!text.unicodeScalars.contains { (0x2800...0x28FF).contains($0.value) })
    #expect(text.contains("└"))
  }

  @Test func gapsSinglePointsAndEmptySeries() {
    let gappy = LinePlot(
      series: [.init(name: "loss", values: [1.0, 0.8, .nan, .nan, 0.5, 0.45, .infinity, 0.4, 0.38])], xLabel: "epoch")
    let single = LinePlot(series: [.init(name: "val", values: [0.7])], xLabel: "epoch")
    let empty = LinePlot(series: [.init(name: "train", values: []), .init(name: "val", values: [.nan])])
    let none = LinePlot(series: [])
    let grid = Layouts.drawn(width: 40, height: 32) { grid in
      gappy.draw(into: &grid, in: Rect(x: 0, y: 0, width: 40, height: 8), capabilities: .full)
      gappy.draw(into: &grid, in: Rect(x: 0, y: 8, width: 40, height: 8), capabilities: .ascii)
      single.draw(into: &grid, in: Rect(x: 0, y: 16, width: 40, height: 7), capabilities: .full)
      empty.draw(into: &grid, in: Rect(x: 0, y: 23, width: 40, height: 6), capabilities: .full)
      none.draw(into: &grid, in: Rect(x: 0, y: 29, width: 40, height: 3), capabilities: .full)
    }
    expectSnapshot(grid.render(plain: true), named: "plot-edge-cases")
  }

  @Test func aSinglePointSitsMidPlot() {
    let grid = Layouts.drawn(width: 21, height: 7) {
      LinePlot(series: [.init(name: "v", values: [3])]).draw(into: &$0, in: $0.bounds, capabilities: .ascii)
    }
    let rows = grid.render(plain: true).split(separator: "\n", omittingEmptySubsequences: false)
    let marks = rows.prefix(4).enumerated().compactMap { y, row in row.firstIndex(of: "*").map { (y, row.distance(from: row.startIndex, to: $0)) } }
    #expect(marks.count == 1)
    // 4 plot rows: the value is the middle of a padded range, so the dot is on row 1 or 2, mid-width.
    #expect(marks.first.map { (1...2).contains($0.0) } == true)
    let plotStart = rows[0].firstIndex(of: "+").map { rows[0].distance(from: rows[0].startIndex, to: $0) + 1 } ?? 0
    #expect(marks.first.map { abs($0.1 - (plotStart + (21 - plotStart) / 2)) <= 1 } == true)
  }

  @Test func aFlatSeriesIsDrawnMidPlotWithPaddedTicks() {
    let plot = LinePlot(series: [.init(name: "acc", values: Array(repeating: 0.25, count: 10))])
    let grid = Layouts.drawn(width: 30, height: 9) { plot.draw(into: &$0, in: $0.bounds, capabilities: .ascii) }
    let rows = grid.render(plain: true).split(separator: "\n").map(String.init)
    let lineRows = rows.prefix(6).indices.filter { rows[$0].filter { $0 == "*" }.count > 10 }
    // The range is padded by 10 % either side and widened to ticks 0.02 apart.
    let above = rows.firstIndex { $0.hasPrefix("0.26") }, below = rows.firstIndex { $0.hasPrefix("0.24") }
    #expect(lineRows.count == 1)
    #expect(above != nil && below != nil && lineRows.allSatisfy { above! <= $0 && $0 <= below! })
  }

  @Test func fixedRangesClipPointsOutsideIt() {
    let plot = LinePlot(series: [.init(name: "loss", values: [5, 0.5, 0.4, 1e300, 0.3])], yRange: 0...1)
    let grid = Layouts.drawn(width: 30, height: 8) { plot.draw(into: &$0, in: $0.bounds, capabilities: .ascii) }
    let text = grid.render(plain: true)
    #expect(text.split(separator: "\n").first?.hasPrefix("1.0+") == true)
    #expect(text.contains("*"))
  }

  @Test func tinyRegionsSayTheyAreTooSmall() {
    let grid = Layouts.drawn(width: 12, height: 1) { Fixtures.lossPlot().draw(into: &$0, in: $0.bounds, capabilities: .full) }
    #expect(grid.render(plain: true) == "(plot needs…")
  }
}
