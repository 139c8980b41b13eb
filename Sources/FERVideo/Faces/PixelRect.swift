/// An axis-aligned rectangle in whole pixels: columns x..<x+width, rows y..<y+height.
public struct PixelRect: Sendable, Hashable, CustomStringConvertible {
  public var x: Int
  public var y: Int
  public var width: Int
  public var height: Int

  public init(x: Int, y: Int, width: Int, height: Int) {
    self.x = x
    self.y = y
    self.width = width
    self.height = height
  }

  public var area: Int { max(width, 0) * max(height, 0) }

  /// The overlap of two rectangles (empty: zero width or height).
  public func intersection(_ other: PixelRect) -> PixelRect {
    let x0 = max(x, other.x), y0 = max(y, other.y)
    let x1 = min(x + width, other.x + other.width), y1 = min(y + height, other.y + other.height)
    return PixelRect(x: x0, y: y0, width: max(x1 - x0, 0), height: max(y1 - y0, 0))
  }

  /// Intersection over union, in [0, 1].
  public func iou(_ other: PixelRect) -> Double {
    let inter = intersection(other).area
    let union = area + other.area - inter
    return union > 0 ? Double(inter) / Double(union) : 0
  }

  public var description: String { "(\(x), \(y), \(width)×\(height))" }
}
