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
  /// `set <switch> on|off`, the opposite of its current state.
  case toggle(ModelSwitch)
  // UI actions: they change what is shown, never the workspace.
  case help, openCommandLine, quit, scrollBack, scrollForward
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

  /// The action bound to `key`, if any.
  public func action(for key: Key) -> ExplorerAction? {
    bindings.first { $0.keys.contains(key) }?.action
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
    KeyBinding([.character(":")], ":", .openCommandLine, "command line (Tab completes, Up/Down history)"),
    KeyBinding([.pageUp], "PgUp", .scrollBack, "scroll the notebook back"),
    KeyBinding([.pageDown], "PgDn", .scrollForward, "scroll the notebook forward"),
    KeyBinding([.character("q")], "q", .quit, "quit (asks first while a run is active)"),
  ])

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

  /// A one-line reminder of the main keys, for the bottom of the screen.
  public var hint: String {
    bindings.filter { [.help, .openCommandLine, .quit, .trainPauseResume, .replayPause].contains($0.action) }
      .map { "\($0.label) \(Self.shortName($0.action))" }.joined(separator: "  ")
  }

  private static func shortName(_ action: ExplorerAction) -> String {
    switch action {
    case .help: "help"
    case .openCommandLine: "command"
    case .quit: "quit"
    case .trainPauseResume: "train"
    case .replayPause: "pause"
    default: ""
    }
  }
}
