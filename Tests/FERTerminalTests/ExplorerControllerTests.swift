import Testing
@testable import FERTerminal
@testable import FERWorkspace

// Keys → command lines and UI state, without a terminal.

@Suite("Explorer keys and command line")
struct ExplorerControllerTests {
  let scroll = ExplorerController.Scroll(page: 10, maximum: 25)

  func press(_ keys: [Key], _ snapshot: WorkspaceSnapshot, _ controller: inout ExplorerController) -> [ExplorerController.Effect] {
    keys.flatMap { controller.handle($0, snapshot: snapshot, scroll: scroll) { _ in ["set temporal", "set spatial"] } }
  }

  @Test func keysSendTheCommandLinesTheStateCallsFor() {
    var controller = ExplorerController()
    let idle = ExplorerFixtures.snapshot()
    #expect(press([.character("t")], idle, &controller) == [.submit("train")])
    #expect(press([.character("t")], ExplorerFixtures.training, &controller) == [.submit("pause")])
    #expect(press([.character("t")], ExplorerFixtures.snapshot(activity: .paused), &controller) == [.submit("resume")])
    #expect(press([.character("1")], idle, &controller) == [.submit("set temporal off")])
    let off = ExplorerFixtures.snapshot(spec: ExplorerFixtures.spec(temporal: false))
    #expect(press([.character("1")], off, &controller) == [.submit("set temporal on")])
    #expect(press([.character("3")], idle, &controller) == [.submit("set norm off")])
    #expect(press([.character("s")], idle, &controller) == [.submit("stop")])
    #expect(press([.character("t")], ExplorerFixtures.snapshot(activity: .loading("synthetic")), &controller).isEmpty)
    #expect(controller.view.status?.contains("loading") == true)
  }

  @Test func quitAsksWhileARunIsActive() {
    var controller = ExplorerController()
    #expect(press([.character("q")], ExplorerFixtures.snapshot(), &controller) == [.quit])
    #expect(press([.character("q")], ExplorerFixtures.training, &controller).isEmpty)
    #expect(controller.view.confirmingQuit)
    #expect(press([.character("n")], ExplorerFixtures.training, &controller).isEmpty)
    #expect(!controller.view.confirmingQuit)
    #expect(press([.character("q"), .character("y")], ExplorerFixtures.training, &controller) == [.submit("stop"), .quit])
  }

  @Test func commandLineHistoryCompletionAndScrolling() {
    var controller = ExplorerController()
    let idle = ExplorerFixtures.snapshot()
    let typed: [Key] = [.character(":")] + "set te".map { .character($0) } + [.tab]
    #expect(press(typed, idle, &controller).isEmpty)
    #expect(controller.view.commandLine.text == "set temporal ")
    #expect(press("off".map { .character($0) } + [.enter], idle, &controller) == [.submit("set temporal off")])
    #expect(!controller.view.isEditingCommand)
    _ = press([.character(":"), .character("e"), .character("v"), .up], idle, &controller)
    #expect(controller.view.commandLine.text == "set temporal off")
    _ = press([.down], idle, &controller)
    #expect(controller.view.commandLine.text == "ev")
    _ = press([.escape], idle, &controller)
    #expect(!controller.view.isEditingCommand)

    _ = press([.pageUp, .pageUp, .pageUp, .pageUp], idle, &controller)
    #expect(controller.view.scrollBack == 25)
    _ = press([.pageDown], idle, &controller)
    #expect(controller.view.scrollBack == 16)
    _ = press([.character("?")], idle, &controller)
    #expect(controller.view.showsHelp)
    #expect(press([.character("t")], idle, &controller).isEmpty, "a key closes the help and does nothing else")
    #expect(!controller.view.showsHelp)
  }

  @Test func completionsAsWholeLinesOrLastWords() {
    #expect(CommandLineEditor.fullLines(["temporal", "spatial"], before: "set te") == ["set temporal"])
    #expect(CommandLineEditor.fullLines(["set temporal", "train"], before: "set") == ["set temporal"])
    var editor = CommandLineEditor()
    for c in "tr" { _ = editor.handle(.character(c)) { _ in [] } }
    _ = editor.handle(.tab) { _ in ["train", "trace"] }
    #expect(editor.text == "tra" && editor.candidates == ["train", "trace"])
  }
}

@Suite("Explorer keys for comparison and teaching")
struct ExplorerTeachingKeysTests {
  let scroll = ExplorerController.Scroll(page: 10, maximum: 25)

  func press(_ keys: [Key], _ snapshot: WorkspaceSnapshot, _ controller: inout ExplorerController) -> [ExplorerController.Effect] {
    keys.flatMap { controller.handle($0, snapshot: snapshot, scroll: scroll) { _ in [] } }
  }

  /// During a run a switch's change waits in the queue; pressing the key again takes it back.
  @Test func switchesDuringARunWaitAndASecondPressCancels() {
    var controller = ExplorerController()
    var training = ExplorerFixtures.training
    #expect(press([.character("1")], training, &controller) == [.submit("set temporal off")])
    #expect(controller.view.status?.contains("waits for the next run") == true)
    training.queued = ["set temporal off"]
    #expect(press([.character("1")], training, &controller) == [.cancel("set temporal off")])
    #expect(StatusPanels.pending(.temporal, in: training.queued) == false)
    #expect(StatusPanels.pending(.spatial, in: training.queued) == nil)
  }

  /// Arrows move over the confusion matrix, Enter lists the cell's clips, Enter again shows one.
  @Test func fromAConfusionCellToAClip() {
    var controller = ExplorerController()
    let evaluated = ExplorerFixtures.evaluatedWithClips
    _ = press([.down], evaluated, &controller)
    #expect(controller.view.confusionCursor?.row == 0 && controller.view.confusionCursor?.column == 0)
    _ = press([.right, .right, .left], evaluated, &controller)
    #expect(controller.view.confusionCursor?.column == 1)
    #expect(controller.view.status?.contains("anger predicted as disgust") == true)
    #expect(press([.enter], evaluated, &controller).isEmpty)
    #expect(controller.view.clipList?.clips.map(\.id) == ["s3_an_1", "s5_an_2"])
    _ = press([.down, .down], evaluated, &controller)
    #expect(controller.view.clipList?.selected == 1)
    #expect(press([.enter], evaluated, &controller) == [.submit("show s5_an_2")])
    #expect(controller.view.clipList == nil)
    // Esc closes the innermost thing open: the cursor last.
    _ = press([.escape], evaluated, &controller)
    #expect(controller.view.confusionCursor == nil)
  }

  @Test func zoomFlowViewsAndResultPages() {
    var controller = ExplorerController()
    let idle = ExplorerFixtures.evaluated
    _ = press([.character("z")], idle, &controller)
    #expect(controller.view.notebookZoomed)
    _ = press([.escape], idle, &controller)
    #expect(!controller.view.notebookZoomed)
    _ = press([.character("v")], idle, &controller)
    #expect(controller.view.flowView == .layerByTime)
    _ = press([.character("v"), .character("l")], idle, &controller)
    #expect(controller.view.flowView == .byPath && controller.view.flowLayer == 1)
    _ = press([.character("]"), .character("]"), .character("[")], idle, &controller)
    #expect(controller.view.resultsPage == 1)
  }

  /// The footer's hint follows the state: t trains, pauses or resumes.
  @Test func theHintFollowsTheState() {
    #expect(KeyBindings.explorer.hint(for: .idle).contains("t train"))
    #expect(KeyBindings.explorer.hint(for: .training(nil)).contains("t pause"))
    #expect(KeyBindings.explorer.hint(for: .paused).contains("t resume"))
  }
}
