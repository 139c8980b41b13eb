import Testing
@testable import FERTerminal

@Suite("ProgressBar and TextTable")
struct ProgressAndTableTests {
  @Test func progressSnapshot() {
    let lines: [(ProgressBar, Int, TerminalCapabilities)] = [
      (Fixtures.progress(0), 78, .full),
      (Fixtures.progress(0.634), 78, .full),
      (Fixtures.progress(1), 78, .full),
      (Fixtures.progress(0.634), 118, .full),
      (Fixtures.progress(0.634), 78, .ascii),
      (Fixtures.progress(0.001), 78, .ascii),
      (Fixtures.progress(1), 78, .ascii),
      (Fixtures.progress(0.634), 50, .full),
      (Fixtures.progress(0.634), 40, .full),
      (Fixtures.progress(0.634), 30, .full),
      (Fixtures.progress(0.634), 12, .ascii),
      (ProgressBar(fraction: .nan, label: "waiting", etaSeconds: .infinity), 60, .full),
      (ProgressBar(fraction: 0.5, rate: 15_200, rateUnit: "steps/s"), 60, .full),
    ]
    let grid = Layouts.drawn(width: 118, height: lines.count) { grid in
      for (row, (bar, width, capabilities)) in lines.enumerated() {
        bar.draw(into: &grid, in: Rect(x: 0, y: row, width: width, height: 1), capabilities: capabilities)
      }
    }
    expectSnapshot(grid.render(plain: true), named: "progress")
  }

  @Test func progressBarFillsInEighths() {
    // 10 inner cells: 0.55 is 5 full cells and 4 eighths of the sixth.
    let grid = Layouts.drawn(width: 17, height: 1) {
      ProgressBar(fraction: 0.55).draw(into: &$0, in: $0.bounds, capabilities: .unicodeMonochrome)
    }
    #expect(grid.render(plain: true) == "▕█████▌    ▏  55%")
  }

  @Test func tableSnapshots() {
    let table = Fixtures.resultTable
    func render(_ width: Int, _ height: Int, _ capabilities: TerminalCapabilities) -> String {
      Layouts.drawn(width: width, height: height) { table.draw(into: &$0, in: $0.bounds, capabilities: capabilities) }.render(plain: true)
    }
    expectSnapshot(render(78, 8, .full), named: "table-78x8")
    expectSnapshot(render(Layouts.table120.width, Layouts.table120.height, .full), named: "table-48x14")
    expectSnapshot(render(30, 6, .ascii), named: "table-ascii-30x6")
  }

  @Test func tableColumnsShrinkTextBeforeNumbers() {
    let table = TextTable(
      columns: [.init("name"), .init("accuracy", alignment: .right), .init("n", alignment: .right)],
      rows: [["a long name", "45.29%", "12"], ["b", "7.5%", "7"]])
    #expect(table.columnWidths(available: 100) == [11, 8, 2])
    #expect(table.columnWidths(available: 20) == [6, 8, 2])  // the text column first
    #expect(table.columnWidths(available: 16) == [4, 6, 2])  // then the title wider than its numbers
    #expect(table.columnWidths(available: 15) == [4, 5, 2])  // then the numbers themselves
    #expect(table.columnWidths(available: 3) == [4, 4, 2])  // never below the minimum: clipped instead
  }

  @Test func emphasisedRowsAreBold() {
    let grid = Layouts.drawn(width: 20, height: 4) {
      TextTable(columns: [.init("x")], rows: [["one"], ["two"]], emphasisedRows: [1]).draw(into: &$0, in: $0.bounds, capabilities: .full)
    }
    #expect(grid.render(plain: false) == "x\n───\none\ntwo\n-- styles\na\n\n\naaa\na: bold")
  }
}
