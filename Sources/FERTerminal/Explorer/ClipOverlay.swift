import FERData
import FERWorkspace

// Looking at errors: the clips behind one confusion cell (Enter on the cell),
// and one clip's pictures (Enter on a listed clip sends `show CLIP`): a strip of
// its frames, the flow between them and its two dynamic images, with what the
// current run predicted. Both are drawn over the middle of the screen.

enum ClipOverlay {
  /// The clip list: id, and the probabilities of the true and the predicted class; the selection reversed.
  static func drawList(_ list: ClipList, classes: Int, into grid: inout CellGrid, capabilities: TerminalCapabilities) {
    let glyphs = BoxGlyphs.forCapabilities(capabilities)
    let names = ChartPanels.classLabels(classes)
    let rows = list.clips.map { c in
      "\(c.id)  p(\(names[list.trueClass])) \(format(c.trueProbability))  p(\(names[list.predictedClass])) \(format(c.predictedProbability))"
    }
    let width = min(grid.bounds.width - 4, max(44, (rows.map(\.count).max() ?? 0) + 4))
    let height = min(grid.bounds.height - 4, rows.count + 3)
    let rect = Rect(x: (grid.bounds.width - width) / 2, y: (grid.bounds.height - height) / 2, width: width, height: height)
    grid.fill(rect)
    let title = "\(names[list.trueClass]) predicted as \(names[list.predictedClass]): \(rows.count) clip\(rows.count == 1 ? "" : "s")"
    let inner = grid.box(rect, title: title, glyphs: glyphs, style: capabilities.hasColor ? .foreground(.cyan) : .plain)
    grid.withRegion(inner.insetBy(dx: 1, dy: 0)) { grid in
      let visible = grid.bounds.height - 1
      let first = max(0, min(list.selected - visible + 1, rows.count - visible))
      for (row, index) in (first..<min(rows.count, first + visible)).enumerated() {
        let text = fitted(rows[index], width: grid.bounds.width, ellipsis: glyphs.ellipsis)
        grid.put(text, x: 0, y: row, style: index == list.selected ? .reverse : .plain)
      }
      grid.put(fitted("Up/Down choose, Enter shows the clip, Esc closes", width: grid.bounds.width), x: 0, y: visible, style: .dim)
    }
  }

  /// The clip's pictures: frames, flow, dynamic images, each strip sampled to what fits the width.
  static func drawPictures(_ clip: ClipPicture, into grid: inout CellGrid, capabilities: TerminalCapabilities) {
    let glyphs = BoxGlyphs.forCapabilities(capabilities)
    let rect = Rect(x: 0, y: 1, width: grid.bounds.width, height: grid.bounds.height - 3)
    grid.fill(rect)
    let dot = ChartPanels.separator(capabilities)
    var title = "clip \(clip.clip)" + dot + "subject \(clip.subject)" + dot + clip.label
    if let predicted = clip.predicted, let p = clip.probabilities?.max() { title += dot + "predicted \(predicted) \(format(p))" }
    let inner = grid.box(rect, title: title, glyphs: glyphs, style: capabilities.hasColor ? .foreground(.cyan) : .plain)
    grid.withRegion(inner) { grid in
      var y = 0
      let strips: [(String, [Picture])] = [
        ("frames", clip.frames), ("optical flow (magnitude)", clip.flow),
        ("dynamic images: rgb, flow", [clip.rgbDynamic, clip.flowDynamic].compactMap { $0 }),
      ]
      for (label, pictures) in strips where !pictures.isEmpty {
        let side = pictures[0].side, rows = PictureView.rows(side)
        guard y + 1 + rows <= grid.bounds.height - 1 else { break }
        let fit = max(1, (grid.bounds.width + 1) / (side + 1))
        let shown = pictures.count <= fit ? Array(pictures.indices) : (0..<fit).map { $0 * pictures.count / fit }
        let note = shown.count < pictures.count ? " (\(shown.count) of \(pictures.count))" : ""
        grid.put(fitted(label + note, width: grid.bounds.width), x: 0, y: y, style: .bold)
        for (i, index) in shown.enumerated() {
          PictureView(pictures[index]).draw(
            into: &grid, in: Rect(x: i * (side + 1), y: y + 1, width: side, height: rows), capabilities: capabilities)
        }
        y += rows + 2
      }
      grid.put(fitted("Esc or Enter closes; :show CLIP shows another", width: grid.bounds.width), x: 0, y: grid.bounds.height - 1, style: .dim)
    }
  }

  private static func format(_ p: Float) -> String { String(format: "%.2f", p) }
}
