// A grid of shaded cells: rows of named things (layers, gradient paths) over
// columns of time steps, each cell shaded by a value in [0, 1] — the heat ramp's
// background on colour terminals, density characters (░▒▓█, .:*#) otherwise.
// A negative value shows '-' (a part pointing against the total); nil stays blank.

/// A row × column heat map with row labels and a step axis.
public struct HeatGrid: Sendable, Widget {
  public var rowLabels: [String]
  /// values[row][column], in [0, 1] (clamped), negative marked, nil blank.
  public var values: [[Double?]]
  /// The label of the first column (t = 1); later columns count up from it.
  public var firstColumn: Int
  /// Under the grid, at the left (the scale is drawn at the right).
  public var caption: String

  public init(rowLabels: [String], values: [[Double?]], firstColumn: Int = 1, caption: String = "") {
    precondition(values.count == rowLabels.count, "HeatGrid: \(values.count) rows of values for \(rowLabels.count) labels")
    self.rowLabels = rowLabels
    self.values = values
    self.firstColumn = firstColumn
    self.caption = caption
  }

  public func drawContents(into grid: inout CellGrid, capabilities: TerminalCapabilities) {
    let size = grid.bounds
    let columns = values.map(\.count).max() ?? 0
    let ellipsis = BoxGlyphs.forCapabilities(capabilities).ellipsis
    let labelWidth = min(rowLabels.map(\.count).max() ?? 0, max(4, size.width / 4))
    let room = size.width - labelWidth - 1
    guard columns > 0, room >= 1, size.height >= 2 else {
      grid.put(fitted("(needs more room)", width: size.width, ellipsis: ellipsis), x: 0, y: 0, style: .dim)
      return
    }
    // Each step one to four columns wide; steps that do not fit are thinned to every k-th.
    let cellWidth = max(1, min(4, room / columns))
    let stride = max(1, (columns * cellWidth + room - 1) / room)
    let shownColumns = Array(Swift.stride(from: 0, to: columns, by: stride))
    // Rows for the labelled rows, the step axis and (when there is room) the caption.
    let captionRow = size.height >= rowLabels.count + 2
    let rowsRoom = size.height - (captionRow ? 2 : 1)
    for (row, label) in rowLabels.prefix(rowsRoom).enumerated() {
      grid.put(fitted(label, width: labelWidth, ellipsis: ellipsis), x: 0, y: row, style: .bold)
      for (i, column) in shownColumns.enumerated() {
        let value = values[row].indices.contains(column) ? values[row][column] : nil
        drawCell(value, x: labelWidth + 1 + i * cellWidth, y: row, width: cellWidth, into: &grid, capabilities: capabilities)
      }
    }
    // The step axis: a label under every column that has room for it.
    let y = min(rowLabels.count, rowsRoom)
    var labelEnd = 0
    for (i, column) in shownColumns.enumerated() {
      let text = "\(firstColumn + column)"
      let x = labelWidth + 1 + i * cellWidth
      guard x >= labelEnd, x + text.count <= size.width else { continue }
      labelEnd = grid.put(text, x: x, y: y, style: .dim) + 1
    }
    let scale = capabilities.hasColor ? "" : "0 " + String(shades(capabilities).dropFirst()) + " 1"
    let captionText = caption + (stride > 1 ? " (every \(stride)th step)" : "") + (scale.isEmpty ? "" : "   " + scale)
    if captionRow {
      grid.put(fitted(captionText, width: size.width - labelWidth - 1, ellipsis: ellipsis), x: labelWidth + 1, y: y + 1, style: .dim)
    }
  }

  private func shades(_ capabilities: TerminalCapabilities) -> [Character] {
    capabilities.unicode ? ConfusionHeatMap.unicodeShades : ConfusionHeatMap.asciiShades
  }

  private func drawCell(_ value: Double?, x: Int, y: Int, width: Int, into grid: inout CellGrid, capabilities: TerminalCapabilities) {
    guard let value, value.isFinite else { return }
    if value < 0 {
      grid.put(String(repeating: "-", count: width), x: x, y: y, style: .bold)
      return
    }
    let fraction = min(value, 1)
    if capabilities.hasColor {
      let step = TerminalColor.heatStep(fraction: fraction)
      grid.put(String(repeating: " ", count: width), x: x, y: y, style: Style(background: .heat(step)))
    } else {
      let shade = shades(capabilities)[ConfusionHeatMap.shadeLevel(fraction)]
      grid.put(String(repeating: shade, count: width), x: x, y: y)
    }
  }
}
