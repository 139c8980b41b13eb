// A surface of dots that plots draw lines on: braille characters carry 2×4 dots
// per cell (U+2800 + one bit per dot); the ASCII fallback has one dot per cell
// and draws each series' own glyph there.

/// Dots over a `columns` × `rows` block of cells; dot (0, 0) is the top-left.
struct DotCanvas {
  enum Resolution { case braille, cell }

  let columns: Int
  let rows: Int
  let resolution: Resolution
  /// Per cell, row-major: the braille bits set (any non-zero value at cell resolution).
  private(set) var bits: [UInt8]
  /// Per cell: the series that last drew a dot there, -1 for none.
  private(set) var owner: [Int]

  init(columns: Int, rows: Int, resolution: Resolution) {
    self.columns = max(0, columns)
    self.rows = max(0, rows)
    self.resolution = resolution
    bits = Array(repeating: 0, count: self.columns * self.rows)
    owner = Array(repeating: -1, count: self.columns * self.rows)
  }

  var dotsAcross: Int { resolution == .braille ? 2 : 1 }
  var dotsDown: Int { resolution == .braille ? 4 : 1 }
  var dotWidth: Int { columns * dotsAcross }
  var dotHeight: Int { rows * dotsDown }

  /// Sets a dot; dots outside the canvas are ignored (lines leaving the plot are clipped).
  mutating func set(dotX: Int, dotY: Int, series: Int) {
    guard dotX >= 0, dotX < dotWidth, dotY >= 0, dotY < dotHeight else { return }
    let cell = (dotY / dotsDown) * columns + dotX / dotsAcross
    bits[cell] |= resolution == .braille ? DotCanvas.brailleBit(dx: dotX % 2, dy: dotY % 4) : 1
    owner[cell] = series
  }

  /// Sets the dots of a straight line between two dots, both ends included (Bresenham).
  mutating func line(from start: (x: Int, y: Int), to end: (x: Int, y: Int), series: Int) {
    let dx = abs(end.x - start.x), dy = -abs(end.y - start.y)
    let sx = start.x < end.x ? 1 : -1, sy = start.y < end.y ? 1 : -1
    var (x, y) = start
    var error = dx + dy
    while true {
      set(dotX: x, dotY: y, series: series)
      if x == end.x && y == end.y { return }
      let doubled = 2 * error
      if doubled >= dy { error += dy; x += sx }
      if doubled <= dx { error += dx; y += sy }
    }
  }

  /// The drawn cell at (column, row): its dots and the series that owns it, or nil when empty.
  func cell(column: Int, row: Int) -> (bits: UInt8, series: Int)? {
    let index = row * columns + column
    return bits[index] == 0 ? nil : (bits[index], owner[index])
  }

  /// The braille bit for the dot at column `dx` (0–1), row `dy` (0–3) of a cell.
  /// Unicode numbers the dots 1-2-3-7 down the left and 4-5-6-8 down the right.
  static func brailleBit(dx: Int, dy: Int) -> UInt8 {
    let left: [UInt8] = [0x01, 0x02, 0x04, 0x40]
    let right: [UInt8] = [0x08, 0x10, 0x20, 0x80]
    return dx == 0 ? left[dy] : right[dy]
  }

  static func brailleCharacter(_ bits: UInt8) -> Character {
    Character(Unicode.Scalar(0x2800 + UInt32(bits)) ?? " ")
  }
}
