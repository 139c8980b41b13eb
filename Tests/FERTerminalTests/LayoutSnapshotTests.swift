import Testing
@testable import FERTerminal

@Suite("Layouts")
struct LayoutSnapshotTests {
  @Test func screen80x24() {
    expectSnapshot(Layouts.screen80x24(.full).render(plain: true), named: "layout-80x24")
    expectSnapshot(Layouts.screen80x24(.ascii).render(plain: true), named: "layout-80x24-ascii")
  }

  @Test func screen120x40() {
    expectSnapshot(Layouts.screen120x40(.full).render(plain: true), named: "layout-120x40")
    expectSnapshot(Layouts.screen120x40(.unicodeMonochrome).render(plain: true), named: "layout-120x40-monochrome")
  }

  @Test func widgetsClearTheirRegionAndStayInIt() {
    let region = Rect(x: 3, y: 2, width: 40, height: 12)
    let widgets: [(inout CellGrid, Rect) -> Void] = [
      { Fixtures.lossPlot().draw(into: &$0, in: $1, capabilities: .full) },
      { ConfusionHeatMap(labels: Fixtures.classes, counts: Fixtures.confusion).draw(into: &$0, in: $1, capabilities: .ascii) },
      { Fixtures.gradientBars(arrangement: .overlaid, logScale: true).draw(into: &$0, in: $1, capabilities: .full) },
      { Fixtures.progress(0.5).draw(into: &$0, in: $1, capabilities: .full) },
      { Fixtures.resultTable.draw(into: &$0, in: $1, capabilities: .full) },
    ]
    for draw in widgets {
      var grid = CellGrid(width: 50, height: 16, fill: Cell("~"))
      draw(&grid, region)
      for y in 0..<grid.height {
        for x in 0..<grid.width {
          #expect((grid[x, y].character == "~") == !region.contains(x: x, y: y), "cell (\(x), \(y))")
        }
      }
    }
  }

  @Test func boxesRulesAndNestedRegions() {
    func screen(_ glyphs: BoxGlyphs) -> CellGrid {
      Layouts.drawn(width: 40, height: 12) { grid in
        let inner = grid.box(grid.bounds, title: "Runs", glyphs: glyphs)
        grid.horizontalRule(x: 0, y: 4, width: 40, glyphs: glyphs, joined: true)
        grid.verticalRule(x: 20, y: 4, height: 8, glyphs: glyphs, joined: true)
        grid.put("enhanced-b16  running", x: inner.x + 1, y: inner.y)
        grid.put("conventional  done", x: inner.x + 1, y: inner.y + 1, style: .bold)
        grid.withRegion(Rect(x: 1, y: 5, width: 19, height: 6)) { left in
          left.box(left.bounds.insetBy(dx: 1, dy: 0), title: "A pane with a long title", glyphs: glyphs)
          left.put("text that runs past the pane", x: 2, y: 2)
        }
        grid.withRegion(Rect(x: 21, y: 5, width: 18, height: 6)) { right in
          right.fill(right.bounds.splitTop(1).top, with: glyphs.horizontal)
          right.put("clipped at the bottom", x: 0, y: 7)
          right.put("-> right edge cut", x: 5, y: 3)
        }
      }
    }
    expectSnapshot(screen(.unicode).render(plain: true), named: "boxes")
    expectSnapshot(screen(.ascii).render(plain: true), named: "boxes-ascii")
  }
}
