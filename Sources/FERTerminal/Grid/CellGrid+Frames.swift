// Boxes, frames and rules: light box-drawing characters, or + - | when the
// terminal cannot show Unicode.

/// The characters a frame is drawn with.
public struct BoxGlyphs: Sendable, Equatable {
  public var horizontal, vertical: Character
  public var topLeft, topRight, bottomLeft, bottomRight: Character
  /// Tees where a rule meets a frame: ├ ┤ ┬ ┴.
  public var teeRight, teeLeft, teeDown, teeUp: Character
  /// Marks text cut short.
  public var ellipsis: Character

  public static let unicode = BoxGlyphs(
    horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
    teeRight: "├", teeLeft: "┤", teeDown: "┬", teeUp: "┴", ellipsis: "…")
  public static let ascii = BoxGlyphs(
    horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
    teeRight: "+", teeLeft: "+", teeDown: "+", teeUp: "+", ellipsis: ".")

  public static func forCapabilities(_ capabilities: TerminalCapabilities) -> BoxGlyphs {
    capabilities.unicode ? .unicode : .ascii
  }
}

extension CellGrid {
  /// Draws a frame on the edge of `rect` with an optional title in its top edge
  /// ("┌─ Title ───┐", cut short to fit) and returns the rectangle inside it.
  @discardableResult
  public mutating func box(
    _ rect: Rect, title: String? = nil, glyphs: BoxGlyphs = .unicode, style: Style = .plain,
    titleStyle: Style = .bold
  ) -> Rect {
    guard rect.width >= 2, rect.height >= 2 else { return Rect(x: rect.x, y: rect.y, width: 0, height: 0) }
    let (x0, y0, x1, y1) = (rect.minX, rect.minY, rect.maxX - 1, rect.maxY - 1)
    for x in (x0 + 1)..<x1 {
      put(glyphs.horizontal, x: x, y: y0, style: style)
      put(glyphs.horizontal, x: x, y: y1, style: style)
    }
    for y in (y0 + 1)..<y1 {
      put(glyphs.vertical, x: x0, y: y, style: style)
      put(glyphs.vertical, x: x1, y: y, style: style)
    }
    put(glyphs.topLeft, x: x0, y: y0, style: style)
    put(glyphs.topRight, x: x1, y: y0, style: style)
    put(glyphs.bottomLeft, x: x0, y: y1, style: style)
    put(glyphs.bottomRight, x: x1, y: y1, style: style)
    // The title sits after "┌─" with a space either side; it needs at least one
    // character of its own and keeps "─┐" free at the right.
    if let title, !title.isEmpty, rect.width >= 7 {
      let room = rect.width - 6
      put(" " + fitted(title, width: room, ellipsis: glyphs.ellipsis) + " ", x: x0 + 2, y: y0, style: titleStyle)
    }
    return rect.insetBy(dx: 1, dy: 1)
  }

  /// A horizontal line across `width` columns from (x, y). When `joined`, its
  /// ends are tees that meet the vertical edges of a frame it crosses.
  public mutating func horizontalRule(
    x: Int, y: Int, width: Int, glyphs: BoxGlyphs = .unicode, joined: Bool = false, style: Style = .plain
  ) {
    guard width > 0 else { return }
    for dx in 0..<width { put(glyphs.horizontal, x: x + dx, y: y, style: style) }
    if joined {
      put(glyphs.teeRight, x: x, y: y, style: style)
      put(glyphs.teeLeft, x: x + width - 1, y: y, style: style)
    }
  }

  /// A vertical line down `height` rows from (x, y); `joined` puts tees at its
  /// ends to meet the horizontal edges of a frame.
  public mutating func verticalRule(
    x: Int, y: Int, height: Int, glyphs: BoxGlyphs = .unicode, joined: Bool = false, style: Style = .plain
  ) {
    guard height > 0 else { return }
    for dy in 0..<height { put(glyphs.vertical, x: x, y: y + dy, style: style) }
    if joined {
      put(glyphs.teeDown, x: x, y: y, style: style)
      put(glyphs.teeUp, x: x, y: y + height - 1, style: style)
    }
  }
}

/// `text` cut to at most `width` columns, ending in `ellipsis` when cut (and
/// wide enough for one); `width` ≤ 0 gives "". Used for titles and labels.
func fitted(_ text: String, width: Int, ellipsis: Character = "…") -> String {
  guard width > 0 else { return "" }
  guard text.count > width else { return text }
  if width <= 3 { return String(text.prefix(width)) }
  return String(text.prefix(width - 1)) + String(ellipsis)
}
