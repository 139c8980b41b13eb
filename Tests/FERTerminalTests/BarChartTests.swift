import Testing
@testable import FERTerminal

@Suite("BarChart")
struct BarChartTests {
  func grid(_ chart: BarChart, _ size: (width: Int, height: Int), _ capabilities: TerminalCapabilities) -> CellGrid {
    Layouts.drawn(width: size.width, height: size.height) { chart.draw(into: &$0, in: $0.bounds, capabilities: capabilities) }
  }

  // Overlaid bars only make sense in colour: the styles show the shorter bar over the taller.
  @Test func overlaidColourSnapshot() {
    let chart = Fixtures.gradientBars(arrangement: .overlaid, logScale: true)
    expectSnapshot(grid(chart, Layouts.bars80, .full).render(plain: false), named: "bars-overlaid-log-78x7-styles")
  }

  @Test func sideBySideSnapshots() {
    let linear = Fixtures.gradientBars(arrangement: .sideBySide, logScale: false)
    let log = Fixtures.gradientBars(arrangement: .sideBySide, logScale: true)
    expectSnapshot(grid(linear, Layouts.bars120, .unicodeMonochrome).render(plain: true), named: "bars-linear-unicode-68x14")
    expectSnapshot(grid(log, Layouts.bars120, .full).render(plain: true), named: "bars-log-color-68x14")
    expectSnapshot(grid(log, Layouts.bars80, .ascii).render(plain: true), named: "bars-log-ascii-78x7")
  }

  @Test func overlaidFallsBackToSideBySideWithoutColour() {
    let overlaid = Fixtures.gradientBars(arrangement: .overlaid, logScale: true)
    let side = Fixtures.gradientBars(arrangement: .sideBySide, logScale: true)
    #expect(grid(overlaid, Layouts.bars80, .ascii) == grid(side, Layouts.bars80, .ascii))
  }

  @Test func tooManyStepsShowWhatFitsAndSaySo() {
    let chart = BarChart(series: [.init(name: "norm", values: (0..<40).map { Double($0 % 7) + 1 })], xLabel: "t")
    expectSnapshot(grid(chart, (30, 8), .full).render(plain: true), named: "bars-clipped-30x8")
  }

  @Test func emptyAndUnplottableDataStillDrawAxes() {
    let empty = grid(BarChart(series: []), (20, 6), .full).render(plain: true)
    #expect(empty.contains("└"))
    let nothingPositive = BarChart(series: [.init(name: "g", values: [0, .nan, -1])], logScale: true)
    let text = grid(nothingPositive, (20, 6), .ascii).render(plain: true)
    #expect(text.contains("1+") && text.contains("10+"))  // the default decade
    let plotRows = text.split(separator: "\n").prefix(3)
    #expect(!plotRows.contains { $0.contains("#") || $0.contains(".") })
    #expect(text.contains("# g"))
  }

  @Test func heightsAreEighthsOfCells() {
    let chart = BarChart(series: [.init(name: "n", values: [0, 1, 2, 4])])
    let scale = AxisScale.linear(covering: [0, 4], maxTicks: 3, extendToTicks: true, includeZero: true)
    #expect(chart.eighths(0, rows: 2, scale: scale) == 0)
    #expect(chart.eighths(4, rows: 2, scale: scale) == 16)
    #expect(chart.eighths(1, rows: 2, scale: scale) == 4)
    #expect(chart.eighths(0.01, rows: 2, scale: scale) == 1)  // a positive value always shows
    #expect(chart.eighths(.nan, rows: 2, scale: scale) == nil)
  }

  @Test func missingAndNonPositiveValuesDrawNoBar() {
    let chart = BarChart(series: [.init(name: "a", values: [1, .nan, 0, -3, 10]), .init(name: "b", values: [2])], logScale: true)
    let rows = grid(chart, (24, 8), .ascii).render(plain: true).split(separator: "\n").prefix(5).map { Array($0) }
    let axis = rows[0].firstIndex { $0 == "+" } ?? 0
    let barColumns = Set(rows.flatMap { row in row.indices.filter { $0 > axis && "#=.".contains(row[$0]) } })
    // 21 columns for 5 steps of 2 bars: 1-column bars in 3-column groups. Step 1 has
    // both bars (a's 1 sits on the lowest decade yet still shows), steps 2–4 none, step 5 a's.
    #expect(barColumns == [axis + 2, axis + 3, axis + 2 + 4 * 3])
  }
}
