import Testing
@testable import FERTerminal

@Suite("ConfusionHeatMap")
struct ConfusionHeatMapTests {
  let counts = ConfusionHeatMap(labels: Fixtures.classes, counts: Fixtures.confusion)
  let percents = ConfusionHeatMap(labels: Fixtures.classes, counts: Fixtures.confusion, entry: .rowPercent)

  func grid(_ map: ConfusionHeatMap, _ size: (width: Int, height: Int), _ capabilities: TerminalCapabilities) -> CellGrid {
    Layouts.drawn(width: size.width, height: size.height) { map.draw(into: &$0, in: $0.bounds, capabilities: capabilities) }
  }

  @Test func colourSnapshotsShowTheRamp() {
    expectSnapshot(grid(counts, Layouts.heatMap80, .full).render(plain: false), named: "heatmap-color-32x10-styles")
    expectSnapshot(grid(percents, Layouts.heatMap120, .full).render(plain: false), named: "heatmap-color-48x18-styles")
  }

  @Test func monochromeSnapshots() {
    expectSnapshot(grid(counts, Layouts.heatMap80, .unicodeMonochrome).render(plain: true), named: "heatmap-unicode-32x10")
    expectSnapshot(grid(counts, Layouts.heatMap80, .ascii).render(plain: true), named: "heatmap-ascii-32x10")
    expectSnapshot(grid(percents, Layouts.heatMap120, .unicodeMonochrome).render(plain: true), named: "heatmap-unicode-48x18")
    // A whole 80×24 screen given to the matrix (inside a frame).
    expectSnapshot(grid(counts, (78, 20), .ascii).render(plain: true), named: "heatmap-ascii-78x20")
  }

  @Test func sharesAreRowNormalised() {
    #expect(abs(counts.share(row: 3, column: 3) - 44.0 / 52) < 1e-12)
    let empty = ConfusionHeatMap(labels: ["a", "b"], counts: [[0, 0], [1, 3]], entry: .rowPercent)
    #expect(empty.share(row: 0, column: 1) == 0)
    #expect(empty.text(row: 1, column: 1) == "75%")
  }

  @Test func everyCellShowsItsNumber() {
    let text = grid(counts, Layouts.heatMap80, .ascii).render(plain: true)
    let rows = text.split(separator: "\n").dropFirst().prefix(6)
    for (row, line) in zip(Fixtures.confusion, rows) {
      let numbers = line.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
      #expect(numbers == row)
    }
  }

  @Test func noClassesSaysSo() {
    let map = ConfusionHeatMap(labels: [], counts: [])
    #expect(grid(map, (20, 3), .full).render(plain: true) == "no classes\n\n")
  }
}
