import FERModels
import FERWorkspace

// Every key the explorer answers to, in one table. The table drives the key
// handling and is drawn as the `?` help overlay, so the two cannot disagree.
// An action that changes anything resolves to a workspace command line — the
// same line a script would write — so the UI holds no logic a script cannot reach.

/// The three switches of the Enhanced ConvLSTM, each on its own key.
public enum ModelSwitch: String, CaseIterable, Sendable {
  case temporal, spatial, norm

  /// Whether the switch is on in `spec`.
  public func isOn(in spec: ModelSpec) -> Bool {
    switch self {
    case .temporal: spec.convLSTM.temporalSkip
    case .spatial: spec.convLSTM.spatialSkip
    case .norm: spec.convLSTM.groupNorm
    }
  }

  /// What the switch is, for the model panel.
  public var meaning: String {
    switch self {
    case .temporal: "temporal skip h(t-2) -> h(t)"
    case .spatial: "spatial skip W_xs * x(t) -> h(t)"
    case .norm: "group norm of h(t)"
    }
  }
}

/// What a key does.
public enum ExplorerAction: Hashable, Sendable {
  /// A fixed workspace command line.
  case command(String)
  /// `train` when idle, `pause` while training, `resume` when paused.
  case trainPauseResume
  /// `set <switch> on|off`, the opposite of its current state; during a run the change
  /// waits in the queue for the next run, and a second press takes it back out.
  case toggle(ModelSwitch)
  // UI actions: they change what is shown, never the workspace.
  case help, openCommandLine, quit, scrollBack, scrollForward
  /// Move the confusion matrix's cursor (or the clip list's selection) by (columns, rows).
  case moveCursor(dx: Int, dy: Int)
  /// Enter: list the clips of the confusion cell under the cursor, or show the clip chosen in the list.
  case choose
  /// Escape: close the clip list, the clip pictures, the zoomed notebook or the cursor, innermost first.
  case close
  /// The notebook over the whole screen, and back.
  case zoomNotebook
  /// The gradient-flow panel's view: the bottom layer over time, layer × time, or the shares by path.
  case cycleFlowView
  /// The next layer for the shares by path.
  case nextLayer
  /// Scroll the results table by pages (−1 up, +1 down).
  case scrollResults(Int)
  // Replay only.
  case replayFaster, replaySlower, replayPause, replayStep

  /// The command line this action sends given the workspace's state; nil for UI
  /// actions and for actions that do nothing in this state (e.g. `t` while loading).
  public func commandLine(for snapshot: WorkspaceSnapshot) -> String? {
    switch self {
    case .command(let line):
      return line
    case .trainPauseResume:
      switch snapshot.activity {
      case .idle: return "train"
      case .training, .crossValidating, .ablating: return "pause"
      case .paused: return "resume"
      default: return nil
      }
    case .toggle(let which):
      return "set \(which.rawValue) \(which.isOn(in: snapshot.spec) ? "off" : "on")"
    default:
      return nil
    }
  }
}

/// One line of the key table.
public struct KeyBinding: Sendable {
  public var keys: [Key]
  /// How the keys are written in the help ("PgUp", "1").
  public var label: String
  public var action: ExplorerAction
  public var summary: String

  public init(_ keys: [Key], _ label: String, _ action: ExplorerAction, _ summary: String) {
    self.keys = keys
    self.label = label
    self.action = action
    self.summary = summary
  }
}

/// The explorer's key table (and the replay viewer's).
public struct KeyBindings: Sendable {
  public var bindings: [KeyBinding]

  public init(_ bindings: [KeyBinding]) { self.bindings = bindings }

  /// The action bound to `key`, if any; arrows and [ ] carry their direction.
  public func action(for key: Key) -> ExplorerAction? {
    guard let action = bindings.first(where: { $0.keys.contains(key) })?.action else { return nil }
    switch (action, key) {
    case (.moveCursor, .up): return .moveCursor(dx: 0, dy: -1)
    case (.moveCursor, .down): return .moveCursor(dx: 0, dy: 1)
    case (.moveCursor, .left): return .moveCursor(dx: -1, dy: 0)
    case (.moveCursor, .right): return .moveCursor(dx: 1, dy: 0)
    case (.scrollResults, .character("[")): return .scrollResults(-1)
    case (.scrollResults, .character("]")): return .scrollResults(1)
    default: return action
    }
  }

  /// The keys of the live explorer.
  public static let explorer = KeyBindings([
    KeyBinding([.character("?")], "?", .help, "this help (any key closes it)"),
    KeyBinding([.character("t")], "t", .trainPauseResume, "train / pause / resume"),
    KeyBinding([.character("s")], "s", .command("stop"), "stop the run"),
    KeyBinding([.character("1")], "1", .toggle(.temporal), "temporal skip on/off   set temporal on|off"),
    KeyBinding([.character("2")], "2", .toggle(.spatial), "spatial skip on/off    set spatial on|off"),
    KeyBinding([.character("3")], "3", .toggle(.norm), "group norm on/off      set norm on|off"),
    KeyBinding([.character("e")], "e", .command("eval"), "evaluate the model       eval"),
    KeyBinding([.character("f")], "f", .command("flow"), "measure gradient flow    flow"),
    KeyBinding([.character("v")], "v", .cycleFlowView, "flow view: over time / layer x time / by path"),
    KeyBinding([.character("l")], "l", .nextLayer, "next layer of the by-path view"),
    KeyBinding([.up, .down, .left, .right], "arrows", .moveCursor(dx: 0, dy: 0), "move in the confusion matrix (or the clip list)"),
    KeyBinding([.enter], "Enter", .choose, "list the cell's clips / show the chosen clip"),
    KeyBinding([.escape], "Esc", .close, "close the clip list, pictures, zoom or cursor"),
    KeyBinding([.character(":")], ":", .openCommandLine, "command line (Tab completes, Up/Down history)"),
    KeyBinding([.character("z")], "z", .zoomNotebook, "notebook over the whole screen, and back"),
    KeyBinding([.pageUp], "PgUp", .scrollBack, "scroll the notebook back"),
    KeyBinding([.pageDown], "PgDn", .scrollForward, "scroll the notebook forward"),
    KeyBinding([.character("["), .character("]")], "[ ]", .scrollResults(0), "scroll the results table"),
    KeyBinding([.character("q")], "q", .quit, "quit (asks first while a run is active)"),
  ])

  /// What the help overlay adds under the table.
  public static let notes = [
    "1 2 3 during a run: the change waits for the next run (shown as",
    "pending beside the switch); pressing the key again cancels it.",
  ]

  /// The keys of `ferlab replay --view`.
  public static let replay = KeyBindings([
    KeyBinding([.character("?")], "?", .help, "this help (any key closes it)"),
    KeyBinding([.character(" ")], "space", .replayPause, "pause / play"),
    KeyBinding([.character("n")], "n", .replayStep, "next recorded step (while paused)"),
    KeyBinding([.character("+"), .character("=")], "+", .replayFaster, "faster"),
    KeyBinding([.character("-")], "-", .replaySlower, "slower"),
    KeyBinding([.pageUp], "PgUp", .scrollBack, "scroll the notebook back"),
    KeyBinding([.pageDown], "PgDn", .scrollForward, "scroll the notebook forward"),
    KeyBinding([.character("q")], "q", .quit, "quit"),
  ])

  /// A one-line reminder of the main keys for the state the workspace is in ("t pause" while training).
  public func hint(for activity: Activity) -> String {
    bindings.filter { [.help, .openCommandLine, .quit, .trainPauseResume, .replayPause].contains($0.action) }
      .map { "\($0.label) \(Self.shortName($0.action, activity))" }.joined(separator: "  ")
  }

  private static func shortName(_ action: ExplorerAction, _ activity: Activity) -> String {
    switch action {
    case .help: "help"
    case .openCommandLine: "command"
    case .quit: "quit"
    case .trainPauseResume:
      switch activity {
      case .idle: "train"
      case .paused: "resume"
      case .training, .crossValidating, .ablating: "pause"
      default: "(busy)"
      }
    case .replayPause: "pause"
    default: ""
    }
  }
}
