import FERWorkspace

// A whole explorer screen: a pure function of the workspace's snapshot, the
// UI's own state, the screen size and what the terminal can show. The app
// blits the result; tests compare it with golden files.

public enum ExplorerScreen {
  public static func draw(
    _ snapshot: WorkspaceSnapshot, view: ExplorerViewState, width: Int, height: Int, capabilities: TerminalCapabilities
  ) -> CellGrid {
    var grid = CellGrid(width: width, height: height)
    let layout = ExplorerLayout(
      width: width, height: height, notebookFocused: view.notebookFocused, notebookZoomed: view.notebookZoomed)
    guard layout.arrangement != .tooSmall else {
      let minimum = ExplorerLayout.minimumSize
      ChartPanels.placeholder(
        ["the terminal is \(width)×\(height);", "the explorer needs \(minimum.width)×\(minimum.height)", "(q quits)"],
        into: &grid, in: grid.bounds)
      return grid
    }
    let glyphs = BoxGlyphs.forCapabilities(capabilities)
    let separator = capabilities.unicode ? " · " : " - "

    StatusPanels.drawHeader(snapshot, title: view.title, into: &grid, in: layout.header, capabilities: capabilities)
    if layout.model.isEmpty {
      // Zoomed: the notebook alone.
    } else if layout.arrangement == .wide {
      let model = grid.box(layout.model, title: "Model" + separator + snapshot.spec.name, glyphs: glyphs)
      StatusPanels.drawModel(snapshot, keys: view.keys, into: &grid, in: model, capabilities: capabilities)
      let settings = grid.box(layout.settings, title: "Dataset" + separator + "training", glyphs: glyphs)
      StatusPanels.drawSettings(snapshot, into: &grid, in: settings, capabilities: capabilities)
    } else {
      StatusPanels.drawModel(snapshot, keys: view.keys, into: &grid, in: layout.model, capabilities: capabilities)
    }
    if !layout.loss.isEmpty {
      ChartPanels.drawCurve(.loss, snapshot, into: &grid, in: layout.loss, capabilities: capabilities)
      ChartPanels.drawCurve(.accuracy, snapshot, into: &grid, in: layout.accuracy, capabilities: capabilities)
    }
    if !layout.confusion.isEmpty {
      ChartPanels.drawConfusion(snapshot, cursor: view.confusionCursor, into: &grid, in: layout.confusion, capabilities: capabilities)
      FlowPanel.draw(snapshot, view: view, into: &grid, in: layout.flow, capabilities: capabilities)
    }
    NotebookPanel.draw(
      snapshot, scrollBack: view.scrollBack, framed: layout.arrangement == .wide || view.notebookZoomed, into: &grid,
      in: layout.notebook, capabilities: capabilities)
    if !layout.table.isEmpty {
      NotebookPanel.drawTable(snapshot, page: view.resultsPage, into: &grid, in: layout.table, capabilities: capabilities)
    }
    if let list = view.clipList, let evaluation = snapshot.currentRun?.evaluation {
      ClipOverlay.drawList(list, classes: evaluation.confusion.classes, into: &grid, capabilities: capabilities)
    } else if view.showsClip, let clip = snapshot.shownClip {
      ClipOverlay.drawPictures(clip, into: &grid, capabilities: capabilities)
    }
    if view.isEditingCommand && !view.commandLine.candidates.isEmpty {
      NotebookPanel.drawCandidates(view.commandLine.candidates, into: &grid, in: layout.progress)
    } else {
      NotebookPanel.drawProgress(snapshot, into: &grid, in: layout.progress, capabilities: capabilities)
    }
    NotebookPanel.drawCommandLine(
      view, activity: snapshot.activity, sessionPath: snapshot.sessionPath, into: &grid, in: layout.commandLine,
      capabilities: capabilities)
    if view.showsHelp { HelpOverlay.draw(view.keys, into: &grid, capabilities: capabilities) }
    // Text from the workspace (the notebook, tables) may hold ‖, ∂, × and the like.
    if !capabilities.unicode { grid.asciiOnly() }
    return grid
  }
}
