// What every widget shares: it owns a region of the grid. Drawing clears the
// region first, so nothing drawn before shows through, then draws the contents
// in the region's own coordinates.

/// A pure drawing of some data into a rectangle of a cell grid.
public protocol Widget {
  /// Draws into the whole of `grid` (already clipped to the widget's region and cleared).
  func drawContents(into grid: inout CellGrid, capabilities: TerminalCapabilities)
}

extension Widget {
  /// Draws the widget into `rect` of `grid`, clearing the region first.
  public func draw(into grid: inout CellGrid, in rect: Rect, capabilities: TerminalCapabilities) {
    grid.withRegion(rect) { grid in
      grid.fill(grid.bounds)
      drawContents(into: &grid, capabilities: capabilities)
    }
  }
}
