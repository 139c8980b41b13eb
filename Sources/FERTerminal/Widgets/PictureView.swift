import FERWorkspace

// A small image in a terminal: with colour, two pixels a cell (the upper half
// block '▀' in the top pixel's colour over the bottom pixel's); without colour,
// the pair's brightness as a shade (░▒▓█) or an ASCII ramp (.:-=+*#%@).

/// One picture, `side` columns wide and ⌈side / 2⌉ rows tall.
public struct PictureView: Sendable, Widget {
  public var picture: Picture

  public init(_ picture: Picture) { self.picture = picture }

  /// Rows it takes: two pixels a row.
  public static func rows(_ side: Int) -> Int { (side + 1) / 2 }

  static let asciiRamp = Array(" .:-=+*#%@")

  public func drawContents(into grid: inout CellGrid, capabilities: TerminalCapabilities) {
    let side = picture.side
    for row in 0..<Self.rows(side) {
      for x in 0..<side {
        let top = picture.rgb(x: x, y: 2 * row)
        let bottom = 2 * row + 1 < side ? picture.rgb(x: x, y: 2 * row + 1) : top
        if capabilities.hasColor && capabilities.unicode {
          grid.put("▀", x: x, y: row, style: Style(foreground: .rgb(top.r, top.g, top.b), background: .rgb(bottom.r, bottom.g, bottom.b)))
          continue
        }
        // Luma of the two pixels (ITU-R BT.601 weights), 0…1.
        func luma(_ p: (r: UInt8, g: UInt8, b: UInt8)) -> Double {
          (0.299 * Double(p.r) + 0.587 * Double(p.g) + 0.114 * Double(p.b)) / 255
        }
        let brightness = (luma(top) + luma(bottom)) / 2
        if capabilities.unicode {
          let shades = ConfusionHeatMap.unicodeShades
          grid.put(shades[min(shades.count - 1, Int(brightness * Double(shades.count)))], x: x, y: row)
        } else {
          grid.put(Self.asciiRamp[min(Self.asciiRamp.count - 1, Int(brightness * Double(Self.asciiRamp.count)))], x: x, y: row)
        }
      }
    }
  }
}
