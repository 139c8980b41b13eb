import FERCore
import FERData
import FERExperiments
import FERModels
import Foundation

// `cv` and `ablate`: grids of (row, fold, seed) cells on the current folds —
// one row for cross-validation, the ablation's rows otherwise — ending in the
// rows' means with 95 % intervals and, for ablations, paired comparisons.
// `cells=` runs only some cells: a worker's share of a grid spread over
// processes or nodes (Grid/), whose events `ferlab collect` merges.

/// What a `cv` or `ablate` line trains, read from the line and the model spec alone
/// (no dataset), so a grid can be planned where its data is not.
struct GridDefinition {
  /// "cv", "ablate skips", …
  let kind: String
  let rows: [AblationRow]
  /// Rows compared by paired differences (first − second).
  let pairs: [(String, String)]
  let repetitions: Int
  /// The seed's published figures are shown beside the rows on the dataset of this name.
  let publishedFor: String?
  /// Only these cells' keys, when the line names them.
  let only: [String]?

  /// nil for a line that is not a grid.
  init?(_ command: Command, spec: ModelSpec) {
    switch command {
    case .cv(let repetitions, let cells):
      let row = AblationRow(label: spec.name, title: "\(spec.name) [\(NotebookRenderer.streams(spec))]", spec: spec, published: nil)
      self.init(kind: "cv", rows: [row], pairs: [], repetitions: repetitions, publishedFor: nil, only: cells)
    case .ablate(.seed, let repetitions, let cells):
      self.init(
        kind: "ablate seed", rows: AblationRow.seedRows(base: spec), pairs: AblationRow.seedPairs, repetitions: repetitions,
        publishedFor: "eNTERFACE'05", only: cells)
    case .ablate(let choice, let repetitions, let cells):
      let switches: [ConvLSTMSwitch] = choice == .skips ? [.temporal, .spatial] : ConvLSTMSwitch.allCases
      self.init(
        kind: "ablate \(choice.rawValue)", rows: AblationRow.switchGrid(base: spec, switches: switches),
        pairs: AblationRow.switchPairs(switches), repetitions: repetitions, publishedFor: nil, only: cells)
    default:
      return nil
    }
  }

  private init(
    kind: String, rows: [AblationRow], pairs: [(String, String)], repetitions: Int, publishedFor: String?, only: [String]?
  ) {
    self.kind = kind
    self.rows = rows
    self.pairs = pairs
    self.repetitions = repetitions
    self.publishedFor = publishedFor
    self.only = only
  }

  /// The plan on `foldCount` folds.
  func plan(foldCount: Int) -> GridPlan {
    GridPlan(rows: rows, folds: Array(0..<foldCount), repetitions: repetitions)
  }
}

extension Workspace {
  /// Trains every cell of the grid (or those `cells=` names) and summarises it; the seed's
  /// published figures are shown beside the rows when the dataset is the definition's.
  func runGridCommand(_ command: Command, _ ctx: JobContext) throws {
    let settings = update { $0.settings }
    guard let grid = GridDefinition(command, spec: settings.spec) else { return }
    let rows = grid.rows
    try checkMemory(rows.map(\.spec), batch: settings.training.batchSize, command: grid.kind)
    let dataset = try requireDataset(for: rows.flatMap(\.spec.streams), ctx)
    let folds = try currentFolds(dataset)
    let plan = grid.plan(foldCount: folds.groupCount)
    let only = try grid.only.map { keys in
      let known = Set(plan.cells.map(\.key))
      if let unknown = keys.first(where: { !known.contains($0) }) {
        let some = plan.cells.prefix(3).map(\.key).joined(separator: ", ")
        throw WorkspaceError.failed(
          "\(grid.kind): no cell \(unknown) in this grid of \(plan.cells.count) cells (keys row/foldF/seedS: \(some), …)")
      }
      return Set(keys)
    }
    ctx.emit(.gridStarted(GridStarted(kind: grid.kind, plan: plan, epochs: settings.training.epochs)))
    let rowIndex = Dictionary(uniqueKeysWithValues: rows.enumerated().map { ($0.element.label, $0.offset) })
    func activity(_ cell: GridCell) -> Activity {
      rows.count == 1
        ? .crossValidating(fold: cell.fold, of: folds.groupCount) : .ablating(row: rowIndex[cell.row] ?? 0, of: rows.count)
    }
    let outcomes = try runGrid(
      plan, dataset: dataset, folds: folds, config: settings.training, modelSeed: settings.seed, only: only,
      control: ctx.control
    ) { event in
      switch event {
      case .cellStarted(let cell, let testSubjects):
        ctx.setActivity(activity(cell))
        ctx.emit(.cellStarted(CellStarted(cell: cell, testSubjects: testSubjects)))
      case .training(let cell, let inner):
        ctx.observe(inner, label: NotebookRenderer.cellLabel(cell), cell: cell, activity: activity(cell))
      case .cellFinished(let outcome):
        let r = outcome.result
        ctx.emit(.cellFinished(CellFinished(
          cell: outcome.cell, testSubjects: r.testSubjects, stop: r.stop, epochs: r.history.count, accuracy: r.accuracy,
          macroF1: r.confusion.macroF1, confusion: r.confusion, checksum: checksumHex(r.weightsChecksum))))
      }
    }
    ctx.emit(.gridFinished(GridFinished(
      kind: grid.kind, summary: GridSummary(plan: plan, outcomes: outcomes, pairs: grid.pairs),
      showPublished: grid.publishedFor != nil && grid.publishedFor == dataset.name)))
  }
}
