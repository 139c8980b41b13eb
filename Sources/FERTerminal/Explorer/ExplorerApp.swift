import FERWorkspace
import Foundation

// The explorer's loop: poll a key (≤ 40 ms), let the controller react, send
// the resulting command lines to the workspace, and redraw from a fresh
// snapshot — at 10 frames a second while something runs, 4 when idle, and at
// once after a key. Training runs on the workspace's worker thread; this
// thread only reads snapshots and draws. The terminal is restored however the
// loop ends (Terminal.run, and Terminal's signal handlers for Ctrl-C).

/// What the explorer drives: a live workspace, or a session being replayed.
public protocol ExplorerSource: AnyObject {
  func snapshot() -> WorkspaceSnapshot
  func submit(_ line: String)
  /// Takes a queued line back out before it runs; false when it is not queued.
  @discardableResult func cancelQueued(_ line: String) -> Bool
  func completions(for partial: String) -> [String]
  /// Called on every pass of the loop (a replay advances its clock here).
  func tick()
  /// A replay's control keys; a live workspace has none.
  func control(_ action: ExplorerAction) -> String?
  /// A line kept in place of the key hint, refreshed every pass (a replay's step and speed); nil for none.
  var statusLine: String? { get }
}

extension Workspace: ExplorerSource {
  public func tick() {}
  public func control(_ action: ExplorerAction) -> String? { nil }
  public var statusLine: String? { nil }
}

public enum ExplorerApp {
  /// Longest wait for a key; also the loop's tick.
  static let keyTimeoutMilliseconds = 40

  /// Runs the explorer on `source` until the user quits; `startup` lines are
  /// submitted once the screen is up (e.g. loading the default dataset).
  public static func run(
    source: ExplorerSource, view: ExplorerViewState = ExplorerViewState(), startup: [String] = [],
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws {
    try Terminal.run(inputTimeoutMilliseconds: keyTimeoutMilliseconds, environment: environment) { terminal in
      var controller = ExplorerController(view: view)
      var lastDraw = Date.distantPast
      var needsDraw = true
      var pendingStartup = startup
      while true {
        source.tick()
        if let line = source.statusLine { controller.view.status = line }
        let snapshot = source.snapshot()
        // A new `show` (typed, chosen from a clip list, or replayed) opens its pictures.
        if snapshot.shownClipCount > controller.view.seenClips {
          controller.view.seenClips = snapshot.shownClipCount
          controller.view.showsClip = snapshot.shownClip != nil
          needsDraw = true
        }
        let (width, height) = terminal.size
        let interval = StatusPanels.isBusy(snapshot.activity) ? 0.1 : 0.25
        if needsDraw || Date().timeIntervalSince(lastDraw) >= interval {
          terminal.blit(
            ExplorerScreen.draw(snapshot, view: controller.view, width: width, height: height, capabilities: terminal.capabilities))
          lastDraw = Date()
          needsDraw = false
        }
        // The first frame is on screen before anything slow is asked for.
        if !pendingStartup.isEmpty {
          pendingStartup.forEach(source.submit)
          pendingStartup = []
          needsDraw = true
        }
        guard let key = terminal.readKey() else { continue }
        needsDraw = true
        let scroll = scrollLimits(
          snapshot, width: width, height: height, zoomed: controller.view.notebookZoomed, capabilities: terminal.capabilities)
        let effects = controller.handle(key, snapshot: source.snapshot(), scroll: scroll) { source.completions(for: $0) }
        for effect in effects {
          switch effect {
          case .submit(let line): source.submit(line)
          case .cancel(let line): source.cancelQueued(line)
          case .quit: return
          case .replay(let action): controller.view.status = source.control(action)
          }
        }
      }
    }
  }

  /// The notebook's page and scroll range as drawn while it has focus.
  static func scrollLimits(
    _ snapshot: WorkspaceSnapshot, width: Int, height: Int, zoomed: Bool, capabilities: TerminalCapabilities
  ) -> ExplorerController.Scroll {
    let rect = ExplorerLayout(width: width, height: height, notebookFocused: true, notebookZoomed: zoomed).notebook
    return ExplorerController.Scroll(
      page: max(1, rect.height - 2), maximum: NotebookPanel.maximumScrollBack(snapshot, rect: rect, unicode: capabilities.unicode))
  }
}
