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
      if key != .escape { view.status = "\(Self.name(of: key)) is not a key here; ? lists the keys" }
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

  private static func name(of key: Key) -> String {
    switch key {
    case .character(let c): "'\(c)'"
    case .control(let c): "Ctrl-\(c.uppercased())"
    default: "\(key)"
    }
  }
}
