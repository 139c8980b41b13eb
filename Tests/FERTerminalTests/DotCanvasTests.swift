import Testing
@testable import FERTerminal

@Suite("DotCanvas")
struct DotCanvasTests {
  // Unicode braille: dots 1-2-3-7 down the left column, 4-5-6-8 down the right,
  // dot k is bit k-1 above U+2800.
  @Test func brailleBitsFollowUnicodeDotNumbering() {
    let left = (0..<4).map { DotCanvas.brailleBit(dx: 0, dy: $0) }
    let right = (0..<4).map { DotCanvas.brailleBit(dx: 1, dy: $0) }
    #expect(left == [0x01, 0x02, 0x04, 0x40])
    #expect(right == [0x08, 0x10, 0x20, 0x80])
    #expect(DotCanvas.brailleCharacter(0x01) == "⠁")
    #expect(DotCanvas.brailleCharacter(0x47) == "⡇")  // the whole left column
    #expect(DotCanvas.brailleCharacter(0xFF) == "⣿")
  }

  @Test func dotsLandInTheirCells() {
    var canvas = DotCanvas(columns: 2, rows: 2, resolution: .braille)
    canvas.set(dotX: 3, dotY: 0, series: 0)  // cell (1, 0), right column, top
    canvas.set(dotX: 0, dotY: 7, series: 1)  // cell (0, 1), left column, bottom
    canvas.set(dotX: 4, dotY: 0, series: 0)  // outside: ignored
    canvas.set(dotX: -1, dotY: 2, series: 0)
    #expect(canvas.cell(column: 1, row: 0)?.bits == 0x08)
    #expect(canvas.cell(column: 0, row: 1)?.bits == 0x40)
    #expect(canvas.cell(column: 0, row: 1)?.series == 1)
    #expect(canvas.cell(column: 0, row: 0) == nil)
    #expect(canvas.cell(column: 1, row: 1) == nil)
  }

  @Test func linesSetEveryDotBetweenTheirEnds() {
    var canvas = DotCanvas(columns: 2, rows: 1, resolution: .braille)
    canvas.line(from: (0, 0), to: (3, 3), series: 0)  // the diagonal
    #expect(canvas.cell(column: 0, row: 0)?.bits == UInt8(0x01 | 0x10))
    #expect(canvas.cell(column: 1, row: 0)?.bits == UInt8(0x04 | 0x80))

    var flat = DotCanvas(columns: 3, rows: 1, resolution: .braille)
    flat.line(from: (5, 2), to: (0, 2), series: 0)  // right to left along dot row 2
    for column in 0..<3 { #expect(flat.cell(column: column, row: 0)?.bits == UInt8(0x04 | 0x20)) }
  }

  @Test func cellResolutionHasOneDotPerCell() {
    var canvas = DotCanvas(columns: 4, rows: 3, resolution: .cell)
    canvas.line(from: (0, 2), to: (3, 0), series: 2)
    let drawn = (0..<3).flatMap { row in (0..<4).filter { canvas.cell(column: $0, row: row) != nil }.map { ($0, row) } }
    #expect(drawn.count == 4)
    #expect(drawn.contains { $0 == (0, 2) } && drawn.contains { $0 == (3, 0) })
    #expect(canvas.cell(column: 3, row: 0)?.series == 2)
  }
}
