import FERExperiments
import FERWorkspace

// The notebook: every command sent and what it printed, newest at the bottom,
// scrolled back with PgUp / PgDn; the result table beside it on wide screens;
// and the bottom rows — progress, then the command line (or the key hint).

enum NotebookPanel {
  /// One display line of the notebook.
  struct Line: Equatable {
    var text: String
    var kind: Kind
    enum Kind { case command, output, error, running }
  }

  /// The cells as lines wrapped to `width`: "› command" then its output indented.
  static func lines(_ cells: [FERWorkspace.Cell], width: Int, unicode: Bool) -> [Line] {
    let prompt = unicode ? "› " : "> "
    var lines: [Line] = []
    for cell in cells {
      let command = prompt + cell.command + (cell.isFinished ? "" : (unicode ? " …" : " ..."))
      lines += wrap(command, width: width).map { Line(text: $0, kind: cell.isFinished ? .command : .running) }
      for output in cell.output {
        lines += wrap("  " + output, width: width).map { Line(text: $0, kind: cell.isError ? .error : .output) }
      }
    }
    return lines
  }

  /// `text` in pieces of at most `width` characters, broken at spaces where a word fits
  /// (a word longer than a line is cut), continuation lines indented by four.
  static func wrap(_ text: String, width: Int) -> [String] {
    guard width > 8, text.count > width else { return [text] }
    var pieces: [String] = []
    var rest = Substring(text)
    var limit = width
    while rest.count > limit {
      let window = rest.prefix(limit + 1)
      // Break at the last space that leaves something on this line.
      let cut = window.dropFirst().lastIndex(of: " ").map { rest.distance(from: rest.startIndex, to: $0) } ?? limit
      pieces.append((pieces.isEmpty ? "" : "    ") + String(rest.prefix(cut)))
      rest = rest.dropFirst(cut).drop { $0 == " " }
      limit = width - 4
    }
    if !rest.isEmpty { pieces.append((pieces.isEmpty ? "" : "    ") + rest) }
    return pieces
  }

  /// The largest useful scroll-back for a notebook of `rect`'s size (frame included).
  static func maximumScrollBack(_ snapshot: WorkspaceSnapshot, rect: Rect, unicode: Bool) -> Int {
    let inner = rect.insetBy(dx: 1, dy: 1)
    return max(0, lines(snapshot.cells, width: inner.width, unicode: unicode).count - inner.height)
  }

  /// The notebook in a frame, or — `framed: false`, for the few rows of a compact
  /// screen — under a titled rule, using every row below it for lines.
  static func draw(
    _ snapshot: WorkspaceSnapshot, scrollBack: Int, framed: Bool, into grid: inout CellGrid, in rect: Rect,
    capabilities: TerminalCapabilities
  ) {
    let glyphs = BoxGlyphs.forCapabilities(capabilities)
    let width = framed ? max(0, rect.width - 2) : rect.width
    let height = framed ? max(0, rect.height - 2) : max(0, rect.height - 1)
    let all = lines(snapshot.cells, width: width, unicode: capabilities.unicode)
    let back = min(scrollBack, max(0, all.count - height))
    let end = all.count - back
    let visible = all[max(0, end - height)..<end]
    let separator = capabilities.unicode ? " · " : " - "
    var title = "Notebook"
    if back > 0 { title += separator + "\(back) newer lines below (PgDn)" }
    else if end > height { title += separator + "PgUp for \(end - height) older" }
    let inner: Rect
    if framed {
      inner = grid.box(rect, title: title, glyphs: glyphs)
    } else {
      grid.horizontalRule(x: rect.x, y: rect.y, width: rect.width, glyphs: glyphs)
      grid.put(" " + fitted(title, width: rect.width - 4, ellipsis: glyphs.ellipsis) + " ", x: rect.x + 2, y: rect.y, style: .bold)
      inner = rect.splitTop(1).rest
    }
    guard !all.isEmpty else {
      ChartPanels.placeholder(["type : then a command; ? lists the keys"], into: &grid, in: inner)
      return
    }
    grid.withRegion(inner) { grid in
      for (row, line) in visible.enumerated() {
        grid.put(line.text, x: 0, y: row, style: style(line.kind, capabilities))
      }
    }
  }

  private static func style(_ kind: Line.Kind, _ capabilities: TerminalCapabilities) -> Style {
    switch kind {
    case .command: .bold
    case .running: capabilities.hasColor ? .foreground(.yellow, .bold) : .bold
    case .output: .plain
    case .error: capabilities.hasColor ? .foreground(.red) : .bold
    }
  }

  // MARK: Result table

  /// The latest cv / ablation / comparison table, scrolled to `page` (a page is the rows that
  /// fit), else the session's runs.
  static func drawTable(_ snapshot: WorkspaceSnapshot, page: Int, into grid: inout CellGrid, in rect: Rect, capabilities: TerminalCapabilities) {
    let glyphs = BoxGlyphs.forCapabilities(capabilities)
    if let table = snapshot.table {
      // Rows that fit inside the frame under the header and its rule.
      let perPage = max(1, rect.height - 4)
      let pages = max(1, (table.rows.count + perPage - 1) / perPage)
      let shown = min(page, pages - 1)
      let separator = capabilities.unicode ? " · " : " - "
      let title = "Results" + (pages > 1 ? separator + "page \(shown + 1)/\(pages), [ ] scroll" : "")
      let inner = grid.box(rect, title: title, glyphs: glyphs)
      let columns = table.header.enumerated().map { index, title in
        TextTable.Column(title, alignment: index >= 2 && table.rows.allSatisfy { looksNumeric($0[safe: index]) } ? .right : .left)
      }
      let rows = table.rows.dropFirst(shown * perPage).prefix(perPage).map { row in table.header.indices.map { row[safe: $0] ?? "" } }
      TextTable(columns: columns, rows: Array(rows)).draw(into: &grid, in: inner, capabilities: capabilities)
      return
    }
    let inner = grid.box(rect, title: "Runs", glyphs: glyphs)
    guard !snapshot.runs.isEmpty else {
      ChartPanels.placeholder(["no runs yet: t trains"], into: &grid, in: inner)
      return
    }
    let rows = snapshot.runs.reversed().map { run -> [String] in
      let last = run.history.last
      return [
        "\(run.id)", run.specName + (snapshot.overlay.contains(run.id) ? " *" : ""), "\(run.history.count)",
        last?.validationAccuracy.map { NumberFormatting.accuracy($0) } ?? "-",
        run.confusion.map { NumberFormatting.accuracy($0.accuracy) } ?? "-",
        run.stop?.summary ?? "running",
      ]
    }
    let columns: [TextTable.Column] = [
      .init("run", alignment: .right), .init("model"), .init("epochs", alignment: .right),
      .init("val acc", alignment: .right), .init("eval", alignment: .right), .init("end"),
    ]
    TextTable(columns: columns, rows: rows).draw(into: &grid, in: inner, capabilities: capabilities)
  }

  private static func looksNumeric(_ text: String?) -> Bool {
    guard let first = text?.first else { return true }
    return first.isNumber || first == "-" || first == "—"
  }

  // MARK: Bottom rows

  /// The progress of the command in flight; otherwise what waits in the queue, or the last run's end.
  static func drawProgress(_ snapshot: WorkspaceSnapshot, into grid: inout CellGrid, in rect: Rect, capabilities: TerminalCapabilities) {
    if let progress = snapshot.progress {
      ProgressBar(fraction: progress.fraction, label: progress.label, etaSeconds: progress.secondsLeft, rateText: progress.throughput)
        .draw(into: &grid, in: rect, capabilities: capabilities)
      return
    }
    grid.withRegion(rect) { grid in
      grid.fill(grid.bounds)
      var text = ""
      if let run = snapshot.currentRun, let stop = run.stop { text = "run \(run.id) \(run.specName): \(stop.summary)" }
      if !snapshot.queued.isEmpty { text = "queued: " + snapshot.queued.joined(separator: ", ") }
      grid.put(fitted(text, width: grid.bounds.width), x: 0, y: 0, style: .dim)
    }
  }

  /// ":text" with the cursor while editing; the quit question; else the status or key hint.
  static func drawCommandLine(
    _ view: ExplorerViewState, activity: Activity, sessionPath: String?, into grid: inout CellGrid, in rect: Rect,
    capabilities: TerminalCapabilities
  ) {
    grid.withRegion(rect) { grid in
      grid.fill(grid.bounds)
      let width = grid.bounds.width
      if view.confirmingQuit {
        let style: Style = capabilities.hasColor ? .foreground(.yellow, .bold) : .bold
        grid.put(fitted("A run is active: stop it and quit? (y / n)", width: width), x: 0, y: 0, style: style)
        return
      }
      if view.isEditingCommand {
        let editor = view.commandLine
        // Keep the cursor on screen: show the end of a line longer than the row.
        let shift = max(0, editor.cursor + 2 - width)
        grid.put(":" + String(editor.text.dropFirst(shift)), x: 0, y: 0, style: .bold)
        let under = editor.cursor < editor.text.count ? Array(editor.text)[editor.cursor] : " "
        grid.put(under, x: 1 + editor.cursor - shift, y: 0, style: .reverse)
        return
      }
      let hint = view.status ?? view.keys.hint(for: activity)
      grid.put(fitted(hint, width: width), x: 0, y: 0, style: .dim)
      if let sessionPath {
        let recording = "recording " + sessionPath
        if hint.count + recording.count + 2 <= width { grid.put(recording, x: width - recording.count, y: 0, style: .dim) }
      }
    }
  }

  /// Completion candidates, listed on the row above the command line.
  static func drawCandidates(_ candidates: [String], into grid: inout CellGrid, in rect: Rect) {
    grid.withRegion(rect) { grid in
      grid.fill(grid.bounds)
      grid.put(fitted(candidates.joined(separator: "  "), width: grid.bounds.width), x: 0, y: 0, style: .dim)
    }
  }
}

extension Array {
  fileprivate subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
