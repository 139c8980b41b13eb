import FERWorkspace

// Key handling: turns a key into changes of the UI state and effects for the
// app to carry out (send a command line, quit, steer a replay). Pure, so every
// key's behaviour is tested without a terminal; the app only executes effects.

/// The explorer's reaction to keys.
public struct ExplorerController: Sendable {
  public var view: ExplorerViewState

  /// What the app does after a key.
  public enum Effect: Equatable, Sendable {
    /// Send this line to the workspace.
    case submit(String)
    /// Take this line back out of the workspace's queue (a switch pressed twice during a run).
    case cancel(String)
    case quit
    /// A replay control key (faster, slower, pause, step).
    case replay(ExplorerAction)
  }

  /// Rows the notebook shows and how far it can scroll back, for PgUp / PgDn.
  public struct Scroll: Sendable {
    public var page: Int
    public var maximum: Int
    public init(page: Int, maximum: Int) {
      self.page = page
      self.maximum = maximum
    }
  }

  public init(view: ExplorerViewState = ExplorerViewState()) { self.view = view }

  public mutating func handle(
    _ key: Key, snapshot: WorkspaceSnapshot, scroll: Scroll, completions: (String) -> [String]
  ) -> [Effect] {
    if key == .resize { return [] }
    view.status = nil
    if view.showsHelp {
      view.showsHelp = false
      return []
    }
    if view.showsClip, key == .escape || key == .enter {
      view.showsClip = false
      return []
    }
    if view.confirmingQuit {
      view.confirmingQuit = false
      return key == .character("y") || key == .character("Y") ? [.submit("stop"), .quit] : []
    }
    if view.isEditingCommand, key != .pageUp, key != .pageDown {
      switch view.commandLine.handle(key, completions: completions) {
      case .editing: return []
      case .cancel:
        view.isEditingCommand = false
        return []
      case .submit(let line):
        view.isEditingCommand = false
        view.scrollBack = 0
        return line.isEmpty ? [] : [.submit(line)]
      }
    }
    guard let action = view.keys.action(for: key) else {
      view.status = "\(Self.name(of: key)) is not a key here; ? lists the keys"
      return []
    }
    return perform(action, snapshot: snapshot, scroll: scroll)
  }

  private mutating func perform(_ action: ExplorerAction, snapshot: WorkspaceSnapshot, scroll: Scroll) -> [Effect] {
    switch action {
    case .help:
      view.showsHelp = true
    case .openCommandLine:
      view.isEditingCommand = true
    case .quit:
      if StatusPanels.isBusy(snapshot.activity) && view.keys.bindings.contains(where: { $0.action == .trainPauseResume }) {
        view.confirmingQuit = true
        return []
      }
      return [.quit]
    case .scrollBack:
      view.scrollBack = min(scroll.maximum, view.scrollBack + max(1, scroll.page - 1))
    case .scrollForward:
      view.scrollBack = max(0, view.scrollBack - max(1, scroll.page - 1))
    case .replayFaster, .replaySlower, .replayPause, .replayStep:
      return [.replay(action)]
    case .moveCursor(let dx, let dy):
      moveCursor(dx: dx, dy: dy, snapshot: snapshot)
    case .choose:
      return choose(snapshot)
    case .close:
      close()
    case .zoomNotebook:
      view.notebookZoomed.toggle()
    case .cycleFlowView:
      let all = FlowView.allCases
      view.flowView = all[((all.firstIndex(of: view.flowView) ?? 0) + 1) % all.count]
    case .nextLayer:
      view.flowLayer += 1
    case .scrollResults(let pages):
      view.resultsPage = max(0, view.resultsPage + pages)
    case .toggle(let which) where StatusPanels.isBusy(snapshot.activity):
      // During a run the change waits for the next one; a second press takes it back.
      if let pending = snapshot.queued.last(where: { $0.hasPrefix("set \(which.rawValue) ") }) {
        view.status = "cancelled `\(pending)`"
        return [.cancel(pending)]
      }
      guard let line = action.commandLine(for: snapshot) else { return [] }
      view.status = "`\(line)` waits for the next run; press \(which == .temporal ? "1" : which == .spatial ? "2" : "3") again to cancel"
      return [.submit(line)]
    case .command, .trainPauseResume, .toggle:
      guard let line = action.commandLine(for: snapshot) else {
        view.status = "nothing to do while \(StatusPanels.activityText(snapshot.activity).0)"
        return []
      }
      view.scrollBack = 0
      return [.submit(line)]
    }
    return []
  }

  // MARK: the confusion cursor and the clip list

  private mutating func moveCursor(dx: Int, dy: Int, snapshot: WorkspaceSnapshot) {
    if var list = view.clipList {
      list.selected = min(max(0, list.selected + dy), max(0, list.clips.count - 1))
      view.clipList = list
      return
    }
    guard let confusion = snapshot.currentRun?.confusion, snapshot.focus == .run else {
      view.status = "no confusion matrix to move in yet: train (t) or eval (e) first"
      return
    }
    let n = confusion.classes
    let (row, column) = view.confusionCursor ?? (0, 0)
    let moved = view.confusionCursor == nil ? (0, 0) : (min(max(0, row + dy), n - 1), min(max(0, column + dx), n - 1))
    view.confusionCursor = moved
    let count = confusion[moved.0, moved.1]
    view.status = "\(count) clip\(count == 1 ? "" : "s") of \(ChartPanels.classLabels(n)[moved.0]) predicted as \(ChartPanels.classLabels(n)[moved.1]); Enter lists them"
  }

  private mutating func choose(_ snapshot: WorkspaceSnapshot) -> [Effect] {
    if let list = view.clipList {
      view.clipList = nil
      guard list.clips.indices.contains(list.selected) else { return [] }
      return [.submit("show \(Words.quoted(list.clips[list.selected].id))")]
    }
    guard let (row, column) = view.confusionCursor, let evaluation = snapshot.currentRun?.evaluation else {
      view.status = "move to a confusion cell with the arrow keys first"
      return []
    }
    // A viewed session's evaluation is read from a file: take only clips whose lists agree.
    let clips = evaluation.clips.indices.filter { i in
      evaluation.labels.indices.contains(i) && evaluation.predictions.indices.contains(i) && evaluation.probabilities.indices.contains(i)
        && evaluation.labels[i] == row && evaluation.predictions[i] == column
        && evaluation.probabilities[i].indices.contains(max(row, column))
    }.map { i in
      (id: evaluation.clips[i], trueProbability: evaluation.probabilities[i][row], predictedProbability: evaluation.probabilities[i][column])
    }
    guard !clips.isEmpty else {
      view.status = "no clips in that cell"
      return []
    }
    view.clipList = ClipList(trueClass: row, predictedClass: column, clips: clips)
    return []
  }

  /// Closes the innermost thing open.
  private mutating func close() {
    if view.clipList != nil { view.clipList = nil }
    else if view.showsClip { view.showsClip = false }
    else if view.notebookZoomed { view.notebookZoomed = false }
    else if view.confusionCursor != nil { view.confusionCursor = nil }
    else { view.scrollBack = 0 }
  }

  private static func name(of key: Key) -> String {
    switch key {
    case .character(let c): "'\(c)'"
    case .control(let c): "Ctrl-\(c.uppercased())"
    default: "\(key)"
    }
  }
}
