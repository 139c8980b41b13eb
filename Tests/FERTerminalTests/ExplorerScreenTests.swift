import Testing
@testable import FERTerminal
@testable import FERWorkspace

// Whole explorer screens at the two design sizes, from hand-built snapshots.

@Suite("Explorer screens")
struct ExplorerScreenTests {
  func screen(
    _ snapshot: WorkspaceSnapshot, _ width: Int, _ height: Int, _ capabilities: TerminalCapabilities = .full,
    view: ExplorerViewState = ExplorerViewState()
  ) -> CellGrid {
    ExplorerScreen.draw(snapshot, view: view, width: width, height: height, capabilities: capabilities)
  }

  @Test func idleBeforeAnyDataset() {
    let idle = ExplorerFixtures.snapshot()
    expectSnapshot(screen(idle, 80, 24).render(plain: true), named: "explorer-idle-80x24")
    expectSnapshot(screen(idle, 120, 40).render(plain: true), named: "explorer-idle-120x40")
  }

  @Test func trainingWithCurves() {
    expectSnapshot(screen(ExplorerFixtures.training, 80, 24).render(plain: false), named: "explorer-training-80x24")
    expectSnapshot(screen(ExplorerFixtures.training, 120, 40).render(plain: true), named: "explorer-training-120x40")
  }

  @Test func confusionAndGradientFlow() {
    expectSnapshot(screen(ExplorerFixtures.evaluated, 80, 24).render(plain: true), named: "explorer-evaluated-80x24")
    expectSnapshot(screen(ExplorerFixtures.evaluated, 120, 40).render(plain: true), named: "explorer-evaluated-120x40")
  }

  @Test func monochromeAndASCII() {
    expectSnapshot(screen(ExplorerFixtures.evaluated, 80, 24, .unicodeMonochrome).render(plain: false), named: "explorer-evaluated-80x24-monochrome")
    expectSnapshot(screen(ExplorerFixtures.evaluated, 120, 40, .ascii).render(plain: true), named: "explorer-evaluated-120x40-ascii")
  }

  @Test func helpOverlayListsTheKeyTable() {
    var view = ExplorerViewState()
    view.showsHelp = true
    let grid = screen(ExplorerFixtures.training, 80, 24, view: view)
    expectSnapshot(grid.render(plain: true), named: "explorer-help-80x24")
    let text = grid.render(plain: true)
    for binding in KeyBindings.explorer.bindings { #expect(text.contains(binding.summary), "help shows \(binding.label)") }
  }

  @Test func commandLineWithCandidatesAndFocusedNotebook() {
    var view = ExplorerViewState()
    view.isEditingCommand = true
    for character in "set te" { _ = view.commandLine.handle(.character(character)) { _ in [] } }
    _ = view.commandLine.handle(.tab) { _ in ["set temporal", "set test-candidate"] }
    expectSnapshot(screen(ExplorerFixtures.evaluated, 80, 24, view: view).render(plain: true), named: "explorer-command-80x24")
  }

  @Test func smallAndOddSizesStayInside() {
    let tiny = screen(ExplorerFixtures.training, 40, 10).render(plain: true)
    #expect(tiny.contains("the explorer needs 60×20"))
    for (width, height) in [(60, 20), (100, 30), (99, 36), (200, 60)] {
      let grid = screen(ExplorerFixtures.evaluated, width, height)
      #expect(grid.width == width && grid.height == height)
      #expect(grid.render(plain: true).contains("Loss"), "\(width)×\(height) shows the loss panel")
    }
  }
}
