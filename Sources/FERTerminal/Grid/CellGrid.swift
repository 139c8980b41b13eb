// The in-memory screen. Screens and widgets draw here; only the Terminal copies
// a grid to the real terminal, so everything drawn is testable as text.

/// One screen cell: a single-column character and its style.
public struct Cell: Hashable, Sendable {
  public var character: Character
  public var style: Style

  public init(_ character: Character, style: Style = .plain) {
    self.character = CellGrid.singleColumn(character)
    self.style = style
  }

  public static let blank = Cell(" ")
}

/// A width × height grid of cells with a current drawing region.
///
/// Drawing coordinates are relative to the current region's top-left corner and
/// everything drawn is clipped to it; `withRegion` narrows the region for a body
/// of drawing code (a widget draws into `bounds` and cannot spill out of it).
/// Equality compares the cells only.
public struct CellGrid: Sendable, Equatable {
  public let width: Int
  public let height: Int
  /// Row-major, `width * height` cells.
  private var cells: [Cell]

  /// Absolute position of the current region's (0, 0).
  private var origin: (x: Int, y: Int) = (0, 0)
  /// Absolute cells drawing may touch: the region intersected with its ancestors and the grid.
  private var clip: Rect
  /// The current region's size (it may extend past `clip`).
  private var regionSize: (width: Int, height: Int)

  public init(width: Int, height: Int, fill: Cell = .blank) {
    precondition(width >= 0 && height >= 0, "CellGrid: width and height must not be negative, got \(width)×\(height)")
    self.width = width
    self.height = height
    cells = Array(repeating: fill, count: width * height)
    clip = Rect(width: width, height: height)
    regionSize = (width, height)
  }

  public static func == (a: CellGrid, b: CellGrid) -> Bool {
    a.width == b.width && a.height == b.height && a.cells == b.cells
  }

  /// The current region in its own coordinates: (0, 0) to its size.
  public var bounds: Rect { Rect(width: regionSize.width, height: regionSize.height) }

  /// The cell at absolute position (x, y), regardless of the current region.
  public subscript(x: Int, y: Int) -> Cell {
    precondition(x >= 0 && x < width && y >= 0 && y < height, "CellGrid: (\(x), \(y)) is outside \(width)×\(height)")
    return cells[y * width + x]
  }

  /// Runs `body` with the drawing region narrowed to `rect` (in the current region's coordinates).
  public mutating func withRegion<R>(_ rect: Rect, _ body: (inout CellGrid) throws -> R) rethrows -> R {
    let saved = (origin, clip, regionSize)
    defer { (origin, clip, regionSize) = saved }
    let absolute = rect.offsetBy(dx: origin.x, dy: origin.y)
    origin = (absolute.x, absolute.y)
    clip = clip.intersection(absolute)
    regionSize = (rect.width, rect.height)
    return try body(&self)
  }

  // MARK: Drawing

  /// Sets one cell (in region coordinates); does nothing outside the region.
  public mutating func put(_ character: Character, x: Int, y: Int, style: Style = .plain) {
    let ax = origin.x + x, ay = origin.y + y
    guard clip.contains(x: ax, y: ay), bounds.contains(x: x, y: y) else { return }
    cells[ay * width + ax] = Cell(character, style: style)
  }

  /// Writes `text` left to right from (x, y), one character per column, clipped
  /// to the region. Returns the column after the last character (drawn or clipped).
  @discardableResult
  public mutating func put(_ text: String, x: Int, y: Int, style: Style = .plain) -> Int {
    var column = x
    for character in text {
      put(character, x: column, y: y, style: style)
      column += 1
    }
    return column
  }

  /// Fills `rect` (region coordinates) with a character.
  public mutating func fill(_ rect: Rect, with character: Character = " ", style: Style = .plain) {
    let area = rect.intersection(bounds)
    for y in area.minY..<area.maxY {
      for x in area.minX..<area.maxX { put(character, x: x, y: y, style: style) }
    }
  }

  /// Changes the style of the cells in `rect`, keeping their characters (e.g. to highlight a row).
  public mutating func restyle(_ rect: Rect, _ change: (Style) -> Style) {
    let area = rect.intersection(bounds)
    for y in area.minY..<area.maxY {
      for x in area.minX..<area.maxX {
        let ax = origin.x + x, ay = origin.y + y
        guard clip.contains(x: ax, y: ay) else { continue }
        cells[ay * width + ax].style = change(cells[ay * width + ax].style)
      }
    }
  }

  /// Replaces every character outside ASCII with `fallback(character)` (one ASCII character,
  /// so the layout stays): what a terminal without Unicode gets, notebook text included.
  public mutating func asciiOnly(_ fallback: (Character) -> Character = ASCIIFallback.character) {
    for i in cells.indices where !cells[i].character.isASCII { cells[i].character = fallback(cells[i].character) }
  }

  // MARK: Column width

  /// `character` if it occupies exactly one terminal column; otherwise a stand-in,
  /// so one Character is always one cell. Control characters become a space and
  /// wide (East Asian, emoji) characters '?'. Braille, box drawing, block
  /// elements and Latin/Greek/Cyrillic text are single width.
  static func singleColumn(_ character: Character) -> Character {
    guard let first = character.unicodeScalars.first else { return " " }
    let v = first.value
    if v < 0x20 || (0x7F..<0xA0).contains(v) { return " " }
    if isWide(v) { return "?" }
    return character
  }

  private static func isWide(_ v: UInt32) -> Bool {
    switch v {
    case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
      0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
      0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
      true
    default:
      false
    }
  }
}
