// Summed-area tables of one (scaled) luma plane, as cv2.integral3 builds them
// with 32-bit sums. Each table is (height + 1) × (width + 1), row 0 and column 0
// zero:
//
//   sum(X, Y)     = Σ image(x, y)  over x < X, y < Y
//   squares(X, Y) = Σ image(x, y)² over x < X, y < Y
//   tilted(X, Y)  = Σ image(x, y)  over y < Y, |x − X + 1| ≤ Y − y − 1
//                   (the 45° triangle whose apex is pixel (X − 1, Y − 1))
//
// Squares overflow Int32 on large bright images; like OpenCV we keep them in
// 32 bits with wrapping arithmetic: a window's sum of squares (< 2³¹ for any
// 24×24 window) is a difference of table entries and comes out exact modulo 2³².

struct IntegralImages {
  /// The plane's size; the tables are one larger in each direction.
  let width: Int
  let height: Int
  /// Entries per table row (width + 1).
  let stride: Int
  /// The sum table, followed (when tilted features are used) by the tilted
  /// table at `tiltedOffset`, so one offset list addresses both.
  let sums: [Int32]
  let squares: [Int32]
  let tiltedOffset: Int

  init(_ plane: LumaPlane, tilted: Bool) {
    width = plane.width
    height = plane.height
    stride = width + 1
    let tableCount = stride * (height + 1)
    tiltedOffset = tableCount
    var sums = [Int32](repeating: 0, count: tilted ? 2 * tableCount : tableCount)
    var squares = [Int32](repeating: 0, count: tableCount)
    let (w, h, step) = (width, height, stride)
    plane.pixels.withUnsafeBufferPointer { image in
      sums.withUnsafeMutableBufferPointer { sum in
        squares.withUnsafeMutableBufferPointer { sq in
          for y in 0..<h {
            var rowSum: Int32 = 0, rowSquares: Int32 = 0
            let above = y * step, here = (y + 1) * step
            for x in 0..<w {
              let v = Int32(image[y * w + x])
              rowSum &+= v
              rowSquares &+= v &* v
              sum[here + x + 1] = sum[above + x + 1] &+ rowSum
              sq[here + x + 1] = sq[above + x + 1] &+ rowSquares
            }
          }
        }
      }
    }
    if tilted {
      let table = IntegralImages.tiltedTable(plane)
      sums.replaceSubrange(tableCount..<2 * tableCount, with: table)
    }
    self.sums = sums
    self.squares = squares
  }

  /// The tilted table by the recurrence
  ///   T(X, Y) = T(X − 1, Y − 1) + T(X + 1, Y − 1) − T(X, Y − 2) + I(X − 1, Y − 1) + I(X − 1, Y − 2)
  /// (the two half-triangles overlap in the triangle two rows up; the apex
  /// pixel and the one above it are in neither). Triangles near the sides reach
  /// past the table's columns, so rows are computed over columns widened by
  /// height + 2 on each side, where the truncated recurrence's error cannot
  /// reach the centre within `height` rows.
  private static func tiltedTable(_ plane: LumaPlane) -> [Int32] {
    let (w, h) = (plane.width, plane.height)
    let margin = h + 2
    let wide = w + 1 + 2 * margin  // columns X = −margin ... w + margin
    var rows = [[Int32]](repeating: [Int32](repeating: 0, count: wide), count: h + 1)
    func pixel(_ x: Int, _ y: Int) -> Int32 {
      x >= 0 && x < w && y >= 0 && y < h ? Int32(plane.pixels[y * w + x]) : 0
    }
    for y in 1...h {
      for c in 1..<(wide - 1) {
        let x = c - margin
        let twoUp = y >= 2 ? rows[y - 2][c] : 0
        rows[y][c] = rows[y - 1][c - 1] &+ rows[y - 1][c + 1] &- twoUp &+ pixel(x - 1, y - 1) &+ pixel(x - 1, y - 2)
      }
    }
    var table = [Int32](repeating: 0, count: (w + 1) * (h + 1))
    for y in 0...h {
      for x in 0...w { table[y * (w + 1) + x] = rows[y][x + margin] }
    }
    return table
  }
}
