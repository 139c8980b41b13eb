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
