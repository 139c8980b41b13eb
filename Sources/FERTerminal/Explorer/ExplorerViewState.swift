// What the explorer shows besides the workspace's state: overlays, the command
// line being typed, the notebook's scroll position. None of it changes the
// workspace; it is the UI's own and is lost on exit.

/// The explorer's UI state, drawn together with a `WorkspaceSnapshot`.
public struct ExplorerViewState: Sendable {
  /// The first word of the header ("FERLab", or "FERLab replay").
  public var title = "FERLab"
  /// The key table in force; also what the help overlay lists.
  public var keys: KeyBindings = .explorer
  public var showsHelp = false
  /// The command line, when open (after `:`).
  public var commandLine = CommandLineEditor()
  public var isEditingCommand = false
  /// Quitting was asked for while a run is active: waiting for y / n.
  public var confirmingQuit = false
  /// Notebook lines scrolled back from the newest.
  public var scrollBack = 0
  /// A line shown in place of the key hint (replay speed, a refused key …).
  public var status: String?

  public init(title: String = "FERLab", keys: KeyBindings = .explorer) {
    self.title = title
    self.keys = keys
  }

  /// The notebook has the user's attention: the compact layout gives it more rows.
  public var notebookFocused: Bool { isEditingCommand || scrollBack > 0 }
}
