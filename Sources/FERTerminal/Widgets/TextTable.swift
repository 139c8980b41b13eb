// A result table: a bold header, a rule, then rows with columns aligned and two
// spaces between them. A table wider than its region shrinks its widest columns
// (cutting their text with an ellipsis); one taller shows the first rows and
// says how many more there are.

/// A text table, drawn into a region of a grid.
public struct TextTable: Sendable, Widget {
  public enum Alignment: Sendable { case left, right }

  public struct Column: Sendable {
    public var title: String
    public var alignment: Alignment
    public init(_ title: String, alignment: Alignment = .left) {
      self.title = title
      self.alignment = alignment
    }
  }

  public var columns: [Column]
  public var rows: [[String]]
  /// Rows drawn in bold (e.g. the best result).
  public var emphasisedRows: Set<Int>

  public init(columns: [Column], rows: [[String]], emphasisedRows: Set<Int> = []) {
    for (index, row) in rows.enumerated() {
      precondition(row.count == columns.count, "TextTable: row \(index) has \(row.count) cells for \(columns.count) columns; give one cell per column")
    }
    self.columns = columns
    self.rows = rows
    self.emphasisedRows = emphasisedRows
  }

  static let gap = 2
  /// Columns are never cut below this width (or their natural width if smaller).
  static let minimumColumnWidth = 4

  /// Each column's width: its widest cell, then cut (widest first) until the table
  /// fits `available` — text (left-aligned) columns first, then titles wider than
  /// their numbers, and numbers themselves only when nothing else is left to cut.
  func columnWidths(available: Int) -> [Int] {
    var widths = columns.indices.map { c in max(columns[c].title.count, rows.map { $0[c].count }.max() ?? 0) }
    let minimum = Self.minimumColumnWidth
    let isText = columns.map { $0.alignment == .left }
    let valueWidths = columns.indices.map { c in max(minimum, rows.map { $0[c].count }.max() ?? 0) }
    let textFirst = columns.indices.map { isText[$0] ? minimum : widths[$0] }
    let thenTitles = columns.indices.map { isText[$0] ? minimum : valueWidths[$0] }
    var total: Int { widths.reduce(0, +) + Self.gap * max(0, widths.count - 1) }
    for floors in [textFirst, thenTitles, Array(repeating: minimum, count: widths.count)] {
      while total > available {
        guard let widest = widths.indices.filter({ widths[$0] > floors[$0] }).max(by: { widths[$0] < widths[$1] }) else { break }
        widths[widest] -= 1
      }
    }
    return widths
  }

  public func drawContents(into grid: inout CellGrid, capabilities: TerminalCapabilities) {
    let size = grid.bounds
    let glyphs = BoxGlyphs.forCapabilities(capabilities)
    let widths = columnWidths(available: size.width)
    let tableWidth = min(size.width, widths.reduce(0, +) + Self.gap * max(0, widths.count - 1))

    func drawRow(_ cells: [String], y: Int, style: Style) {
      var x = 0
      for (c, cell) in cells.enumerated() {
        let text = fitted(cell, width: widths[c], ellipsis: glyphs.ellipsis)
        let start = columns[c].alignment == .left ? x : x + widths[c] - text.count
        grid.put(text, x: start, y: y, style: style)
        x += widths[c] + Self.gap
      }
    }

    drawRow(columns.map(\.title), y: 0, style: .bold)
    grid.horizontalRule(x: 0, y: 1, width: tableWidth, glyphs: glyphs)
    let room = size.height - 2
    guard room > 0 else { return }
    // When rows are cut, the last line says how many are not shown.
    let shown = rows.count <= room ? rows.count : room - 1
    for (index, row) in rows.prefix(shown).enumerated() {
      drawRow(row, y: 2 + index, style: emphasisedRows.contains(index) ? .bold : .plain)
    }
    if shown < rows.count {
      grid.put("+\(rows.count - shown) more rows", x: 0, y: 2 + shown, style: .dim)
    }
  }
}
