// A confusion matrix as a heat map: rows are the true class, columns the
// predicted one; each cell is shaded by its share of the row and shows the count
// (or that share as a percentage). Colour terminals shade the cell background
// with the heat ramp; monochrome ones put density characters (░▒▓█, or .:*# in
// ASCII) beside the number. Six classes fit an 80×24 screen.

/// A confusion-matrix heat map, drawn into a region of a grid.
public struct ConfusionHeatMap: Sendable, Widget {
  public enum Entry: Sendable { case count, rowPercent }

  /// Class names, in row (and column) order.
  public var labels: [String]
  /// counts[true][predicted].
  public var counts: [[Int]]
  public var entry: Entry
  /// A cell drawn reversed (the explorer's cursor: true class, predicted class).
  public var cursor: (row: Int, column: Int)?

  public init(labels: [String], counts: [[Int]], entry: Entry = .count) {
    precondition(
      counts.count == labels.count && counts.allSatisfy { $0.count == labels.count },
      "ConfusionHeatMap: counts must be \(labels.count)×\(labels.count) (one row and column per label), got \(counts.count) rows of \(counts.map(\.count))")
    precondition(counts.allSatisfy { $0.allSatisfy { $0 >= 0 } }, "ConfusionHeatMap: counts must not be negative")
    self.labels = labels
    self.counts = counts
    self.entry = entry
  }

  static let unicodeShades: [Character] = [" ", "░", "▒", "▓", "█"]
  static let asciiShades: [Character] = [" ", ".", ":", "*", "#"]

  /// Share of the row's total (0 for an empty row).
  func share(row: Int, column: Int) -> Double {
    let total = counts[row].reduce(0, +)
    return total == 0 ? 0 : Double(counts[row][column]) / Double(total)
  }

  /// The density level 0–4 of a share: 0 only for nothing, then quarters.
  static func shadeLevel(_ share: Double) -> Int {
    share > 0 ? 1 + min(3, Int(share * 4)) : 0
  }

  func text(row: Int, column: Int) -> String {
    switch entry {
    case .count: String(counts[row][column])
    case .rowPercent: "\(Int((share(row: row, column: column) * 100).rounded()))%"
    }
  }

  /// Columns taken by the widest number.
  var numberWidth: Int {
    switch entry {
    case .count: counts.flatMap { $0 }.map { String($0).count }.max() ?? 1
    case .rowPercent: 4
    }
  }

  public func drawContents(into grid: inout CellGrid, capabilities: TerminalCapabilities) {
    let size = grid.bounds
    let n = labels.count
    let ellipsis = BoxGlyphs.forCapabilities(capabilities).ellipsis
    guard n > 0 else {
      grid.put(fitted("no classes", width: size.width, ellipsis: ellipsis), x: 0, y: 0, style: .dim)
      return
    }
    // Each cell is `cellWidth` columns, the last a gap; the number needs one more
    // column, for space in colour or a shade character in monochrome.
    let minimumCell = numberWidth + 2
    var labelWidth = min(labels.map(\.count).max() ?? 0, 10)
    if labelWidth + 1 + n * minimumCell > size.width { labelWidth = max(3, size.width - 1 - n * minimumCell) }
    let cellWidth = max(minimumCell, min(10, (size.width - labelWidth - 1) / n))
    let inner = cellWidth - 1
    let footerRows = size.height >= n + 3 ? 1 : 0
    let cellHeight = max(1, min(2, (size.height - 1 - footerRows) / n))
    let left = labelWidth + 1

    for column in 0..<n {
      let label = fitted(labels[column], width: inner, ellipsis: ellipsis)
      grid.put(label, x: left + column * cellWidth + (inner - label.count) / 2, y: 0, style: .bold)
    }
    for row in 0..<n {
      let top = 1 + row * cellHeight
      grid.put(fitted(labels[row], width: labelWidth, ellipsis: ellipsis), x: 0, y: top + (cellHeight - 1) / 2, style: .bold)
      for column in 0..<n {
        let cell = Rect(x: left + column * cellWidth, y: top, width: inner, height: cellHeight)
        drawCell(row: row, column: column, in: cell, into: &grid, capabilities: capabilities)
        if let cursor, cursor.row == row, cursor.column == column {
          grid.restyle(cell) { $0.adding(.reverse) }
        }
      }
    }
    if footerRows == 1 {
      drawFooter(y: 1 + n * cellHeight, width: min(size.width, left + n * cellWidth - 1), into: &grid, capabilities: capabilities)
    }
  }

  private func drawCell(row: Int, column: Int, in cell: Rect, into grid: inout CellGrid, capabilities: TerminalCapabilities) {
    let share = share(row: row, column: column)
    let number = text(row: row, column: column)
    let emphasis: Style.Attributes = row == column ? .bold : []
    let numberRow = cell.y + (cell.height - 1) / 2
    if capabilities.hasColor {
      let step = TerminalColor.heatStep(fraction: share)
      let style = Style(foreground: TerminalColor.textColor(onHeat: step), background: .heat(step), attributes: emphasis)
      grid.fill(cell, style: style)
      grid.put(number, x: cell.x + (cell.width - number.count + 1) / 2, y: numberRow, style: style)
    } else {
      let shades = capabilities.unicode ? Self.unicodeShades : Self.asciiShades
      let shade = shades[Self.shadeLevel(share)]
      grid.fill(cell, with: shade)
      // The number sits right-aligned, with a space before it when that still
      // leaves a shade character ("▓ 31", else "▓31").
      let start = cell.maxX - number.count
      if cell.width >= number.count + 2 { grid.put(" ", x: start - 1, y: numberRow) }
      grid.put(number, x: start, y: numberRow, style: Style(attributes: emphasis))
    }
  }

  /// "rows: true · columns: predicted" (or a shorter caption that fits) at the left, the shading scale at the right.
  private func drawFooter(y: Int, width: Int, into grid: inout CellGrid, capabilities: TerminalCapabilities) {
    let separator = capabilities.unicode ? " · " : ", "
    let captions = ["rows: true" + separator + "columns: predicted", "rows true" + separator + "cols predicted", "true \\ predicted"]
    var scaleWidth = 0
    if capabilities.hasColor {
      scaleWidth = 2 + 2 * TerminalColor.heatSteps + 5  // "0 " swatches " 100%"
      let x = width - scaleWidth
      grid.put("0 ", x: x, y: y, style: .dim)
      for step in 0..<TerminalColor.heatSteps {
        grid.put("  ", x: x + 2 + 2 * step, y: y, style: Style(background: .heat(step)))
      }
      grid.put(" 100%", x: x + 2 + 2 * TerminalColor.heatSteps, y: y, style: .dim)
    } else {
      let shades = String(capabilities.unicode ? Self.unicodeShades.dropFirst() : Self.asciiShades.dropFirst())
      let scale = "0 " + shades + " 100%"
      scaleWidth = scale.count
      grid.put(scale, x: width - scaleWidth, y: y, style: .dim)
    }
    if let caption = captions.first(where: { $0.count < width - scaleWidth }) {
      grid.put(caption, x: 0, y: y, style: .dim)
    }
  }
}
