// The `?` overlay: the key table, drawn from the same `KeyBindings` the keys
// are handled with, in a frame over the middle of the screen.

enum HelpOverlay {
  static func draw(_ keys: KeyBindings, into grid: inout CellGrid, capabilities: TerminalCapabilities) {
    let glyphs = BoxGlyphs.forCapabilities(capabilities)
    let footer = (keys.bindings.contains { if case .toggle = $0.action { true } else { false } } ? KeyBindings.notes : []) + [
      "Every key sends a command line a script could send;",
      ":help lists the commands, :help NAME explains one.",
    ]
    let labelWidth = (keys.bindings.map(\.label.count).max() ?? 1) + 2
    let contentWidth = max(footer.map(\.count).max() ?? 0, labelWidth + (keys.bindings.map(\.summary.count).max() ?? 0))
    let width = min(grid.bounds.width - 2, contentWidth + 4)
    let height = min(grid.bounds.height - 2, keys.bindings.count + footer.count + 3)
    let rect = Rect(x: (grid.bounds.width - width) / 2, y: (grid.bounds.height - height) / 2, width: width, height: height)
    grid.fill(rect)
    let frameStyle: Style = capabilities.hasColor ? .foreground(.cyan) : .plain
    let inner = grid.box(rect, title: "Keys", glyphs: glyphs, style: frameStyle).insetBy(dx: 1, dy: 0)
    grid.withRegion(inner) { grid in
      for (row, binding) in keys.bindings.enumerated() {
        grid.put(binding.label, x: 0, y: row, style: .bold)
        grid.put(fitted(binding.summary, width: grid.bounds.width - labelWidth, ellipsis: glyphs.ellipsis), x: labelWidth, y: row)
      }
      for (index, line) in footer.enumerated() {
        grid.put(fitted(line, width: grid.bounds.width, ellipsis: glyphs.ellipsis), x: 0, y: keys.bindings.count + 1 + index, style: .dim)
      }
    }
  }
}
