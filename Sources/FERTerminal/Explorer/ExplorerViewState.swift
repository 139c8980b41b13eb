// What the explorer shows besides the workspace's state: overlays, the command
// line being typed, the notebook's scroll position, the confusion cursor, the
// flow panel's view. None of it changes the workspace; it is the UI's own and is
// lost on exit.

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
  /// The notebook over the whole screen (z).
  public var notebookZoomed = false
  /// Pages the results table is scrolled down.
  public var resultsPage = 0
  /// A line shown in place of the key hint (replay speed, a refused key …).
  public var status: String?
  /// The confusion cell under the cursor (true class, predicted class), once an arrow was pressed.
  public var confusionCursor: (row: Int, column: Int)?
  /// The clips of the chosen confusion cell, with the selected one, while the list is open.
  public var clipList: ClipList?
  /// The latest `show` is on screen; `seenClips` counts the shows already opened.
  public var showsClip = false
  public var seenClips = 0
  /// What the gradient-flow panel draws, and the layer of the by-path view.
  public var flowView = FlowView.overTime
  public var flowLayer = 0

  public init(title: String = "FERLab", keys: KeyBindings = .explorer) {
    self.title = title
    self.keys = keys
  }

  /// The notebook has the user's attention: the compact layout gives it more rows.
  public var notebookFocused: Bool { isEditingCommand || scrollBack > 0 }
}

/// The gradient-flow panel's views.
public enum FlowView: CaseIterable, Sendable {
  /// ‖∂L/∂h_t‖ of the bottom layer over time, every measurement overlaid.
  case overTime
  /// ‖∂L/∂h_t‖ of every layer (rows) and step (columns) of the last measurement.
  case layerByTime
  /// The share of ∂L/∂h_t each path carries, for one layer of the last measurement.
  case byPath
}

/// The clips behind one confusion cell.
public struct ClipList: Sendable, Equatable {
  public var trueClass: Int
  public var predictedClass: Int
  /// (clip id, probability of its true class, probability of the predicted class).
  public var clips: [(id: String, trueProbability: Float, predictedProbability: Float)]
  public var selected = 0

  public static func == (a: ClipList, b: ClipList) -> Bool {
    a.trueClass == b.trueClass && a.predictedClass == b.predictedClass && a.selected == b.selected
      && a.clips.map(\.id) == b.clips.map(\.id)
  }
}
