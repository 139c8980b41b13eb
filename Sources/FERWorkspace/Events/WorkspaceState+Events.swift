import FERData
import FERExperiments

// The one reducer: how a command's cell appears, how each event changes the
// state and adds its notebook lines (NotebookRenderer), and how the cell ends.
// The live worker, `replay` and `replay --view` all change state through here.

extension WorkspaceState {
  /// A command's cell appears; cells stay in `number` order (a viewed session
  /// meets a command typed during a long run before that run's record).
  mutating func begin(cell number: Int, line: String) {
    let cell = Cell(number: number, command: line, output: [], isError: false, isFinished: false)
    let position = cells.lastIndex { $0.number < number }.map { $0 + 1 } ?? 0
    cells.insert(cell, at: position)
  }

  /// The command ends: its error, or that a stop dropped it before it ran.
  mutating func finish(cell number: Int, error: String?, dropped: Bool = false) {
    guard let i = cellIndex(number) else { return }
    if dropped { cells[i].output.append(NotebookRenderer.droppedLine) }
    if let error {
      cells[i].output.append(error)
      cells[i].isError = true
    }
    cells[i].isFinished = true
  }

  /// Applies `event` of the command in cell `number`: the state changes and the cell gets its lines.
  mutating func apply(_ event: WorkspaceEvent, cell number: Int) {
    reduce(event)
    if let i = cellIndex(number) { cells[i].output += NotebookRenderer.lines(event) }
  }

  private func cellIndex(_ number: Int) -> Int? { cells.lastIndex { $0.number == number } }

  private mutating func reduce(_ event: WorkspaceEvent) {
    switch event {
    case .datasetLoaded(let d):
      dataset = DatasetSummary(d)
      settings.spec.inputSize = d.size
      // Runs of earlier datasets stay listed; none is current for the new data.
      currentRunID = nil
      gradientFlow = []
      table = nil
      grid = nil
      overlay = []
      focus = .run
    case .motionComputed(let d), .foldsDealt(let d):
      dataset = DatasetSummary(d)
    case .settingsChanged(let change):
      settings = change.settings
    case .runStarted(let r):
      addRun(RunSummary(
        id: r.run, dataset: r.dataset, spec: r.spec, config: r.training, fold: r.fold, history: [], confusion: nil, stop: nil,
        checksumHex: nil, evaluation: nil))
    case .runOpened(let r):
      addRun(RunSummary(
        id: r.run, dataset: r.dataset, spec: r.spec, config: settings.training, fold: r.fold, history: [], confusion: nil,
        stop: nil, checksumHex: r.checksum, evaluation: nil))
    case .epoch(let e):
      if let id = e.run { updateRun(id) { $0.history.append(e.record) } }
      if let cell = e.cell { grid?.histories[cell.key, default: []].append(e.record) }
    case .evaluated(let e):
      updateRun(e.run) {
        $0.confusion = e.confusion
        $0.evaluation = e
      }
    case .runFinished(let r):
      updateRun(r.run) {
        $0.stop = r.stop
        $0.checksumHex = r.checksum
      }
    case .gridStarted(let g):
      grid = GridProgress(kind: g.kind, plan: g.plan, finished: [], histories: [:], summary: nil)
      focus = .grid
    case .cellFinished(let c):
      grid?.finished.append(c)
    case .gridFinished(let g):
      grid?.summary = g.summary
      table = g.summary.rowTable(showPublished: g.showPublished)
    case .gridWatched(let w):
      watch = w
      grid = nil
      focus = .grid
      if let summary = w.summary { table = summary.rowTable(showPublished: false) }
    case .flowMeasured(let f):
      gradientFlow = f.reports
    case .compared(let c):
      table = c.table
      overlay = c.runs
      focus = .run
    case .clipShown(let picture):
      shownClip = picture
      shownClipCount += 1
    case .videosFound, .videosPrepared, .motionStarted, .paused, .resumed, .stopped, .saved, .predicted, .cellStarted,
      .scriptQueued, .helpShown, .controlled, .exported, .noted:
      break
    }
  }

  private mutating func addRun(_ run: RunSummary) {
    runs.append(run)
    currentRunID = run.id
    overlay = []
    focus = .run
  }

  private mutating func updateRun(_ id: Int, _ change: (inout RunSummary) -> Void) {
    if let i = runs.firstIndex(where: { $0.id == id }) { change(&runs[i]) }
  }
}
