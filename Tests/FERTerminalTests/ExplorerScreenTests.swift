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

/// The views that compare and explain: runs overlaid, a grid's rows with intervals, the flow
/// by layer and by path, a confusion cell's clips and a clip's pictures — at 80×24 and 120×40,
/// in colour, without colour (NO_COLOR) and in ASCII (LANG=C).
@Suite("Explorer views for comparison and teaching")
struct ExplorerComparisonViewTests {
  func draw(
    _ snapshot: WorkspaceSnapshot, _ width: Int, _ height: Int, _ capabilities: TerminalCapabilities = .full,
    view: ExplorerViewState = ExplorerViewState()
  ) -> String {
    ExplorerScreen.draw(snapshot, view: view, width: width, height: height, capabilities: capabilities).render(plain: true)
  }

  @Test func runsSideBySide() {
    let text = draw(ExplorerFixtures.compared, 120, 40)
    expectSnapshot(text, named: "explorer-compared-120x40")
    #expect(text.contains("Loss · runs 1, 2") && text.contains("run 1") && text.contains("run 2"))
    expectSnapshot(draw(ExplorerFixtures.compared, 80, 24, .unicodeMonochrome), named: "explorer-compared-80x24-monochrome")
  }

  @Test func aGridFillsThePanels() {
    let text = draw(ExplorerFixtures.ablated, 120, 40)
    expectSnapshot(text, named: "explorer-ablated-120x40")
    #expect(text.contains("ablate skips") && text.contains("T+S+") && text.contains("95% CI"))
    expectSnapshot(draw(ExplorerFixtures.ablated, 80, 24), named: "explorer-ablated-80x24")
  }

  @Test func flowByLayerAndByPath() {
    var view = ExplorerViewState()
    view.flowView = .layerByTime
    expectSnapshot(draw(ExplorerFixtures.flowByPath, 120, 40, view: view), named: "explorer-flow-layers-120x40")
    view.flowView = .byPath
    view.flowLayer = 1
    let byPath = draw(ExplorerFixtures.flowByPath, 120, 40, view: view)
    expectSnapshot(byPath, named: "explorer-flow-paths-120x40")
    #expect(byPath.contains("layer 2/3") && byPath.contains("temporal skip") && byPath.contains("recurrence"))
    expectSnapshot(draw(ExplorerFixtures.flowByPath, 80, 24, .unicodeMonochrome, view: view), named: "explorer-flow-paths-80x24-monochrome")
  }

  /// Without colour, every measurement's line has its own glyph and every time step fits.
  @Test func flowWithoutColourKeepsEveryStepAndSeries() {
    let chart = FlowPanel.overTime(ExplorerFixtures.evaluated.gradientFlow, .unicodeMonochrome)
    var grid = CellGrid(width: 44, height: 9)
    chart.draw(into: &grid, in: grid.bounds, capabilities: .unicodeMonochrome)
    let text = grid.render(plain: true)
    #expect(text.contains("* conventional") && text.contains("o enhanced"), "\(text)")
    // A line per measurement: all 16 steps share the plot's width, none is cut off as a bar would be.
    let rows = text.split(separator: "\n").map(String.init)
    #expect(rows.contains { $0.hasSuffix("o") } && rows.contains { $0.contains("*") }, "\(text)")
  }

  @Test func aConfusionCellsClipsAndAClipsPictures() {
    var view = ExplorerViewState()
    view.confusionCursor = (0, 1)
    let evaluated = ExplorerFixtures.evaluatedWithClips
    view.clipList = ClipList(trueClass: 0, predictedClass: 1, clips: [("s3_an_1", 0.3, 0.41), ("s5_an_2", 0.2, 0.5)], selected: 1)
    expectSnapshot(draw(evaluated, 80, 24, view: view), named: "explorer-clip-list-80x24")
    view.clipList = nil
    view.showsClip = true
    var shown = evaluated
    shown.shownClip = ExplorerFixtures.clip
    expectSnapshot(
      ExplorerScreen.draw(shown, view: view, width: 80, height: 24, capabilities: .full).render(plain: false),
      named: "explorer-clip-80x24")
    expectSnapshot(draw(shown, 120, 40, .ascii, view: view), named: "explorer-clip-120x40-ascii")
  }

  /// LANG=C: nothing outside ASCII reaches the screen, the notebook's ‖∂L/∂h‖ and × included.
  @Test(arguments: [(80, 24), (120, 40)])
  func asciiEverywhere(width: Int, height: Int) {
    var snapshot = ExplorerFixtures.ablated
    snapshot.cells.append(Cell(
      number: 9, command: "flow", output: ["enhanced (init): ‖∂L/∂h_1‖ / ‖∂L/∂h_T‖ = 1.75, 32×32 — done…"], isError: false,
      isFinished: true))
    for s in [snapshot, ExplorerFixtures.flowByPath, ExplorerFixtures.compared] {
      let text = draw(s, width, height, .ascii)
      let ascii = text.unicodeScalars.allSatisfy { $0.isASCII }
      #expect(ascii, "non-ASCII at \(width)×\(height): \(text.unicodeScalars.filter { !$0.isASCII }.map(String.init).joined())")
    }
    #expect(draw(snapshot, 120, 40, .ascii).contains("|dL/dh_1| / |dL/dh_T|"))
  }
}
