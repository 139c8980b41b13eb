import FERCore
import FERData
import FERExperiments
import FERModels
import Foundation

// `cv` and `ablate`: grids of (row, fold, seed) cells on the current folds —
// one row for cross-validation, the ablation's rows otherwise — ending in the
// rows' means with 95 % intervals and, for ablations, paired comparisons.

extension Workspace {
  func crossValidateSpec(repetitions: Int, _ ctx: JobContext) throws {
    let spec = update { $0.settings.spec }
    let row = AblationRow(label: spec.name, title: "\(spec.name) [\(NotebookRenderer.streams(spec))]", spec: spec, published: nil)
    try runCells(kind: "cv", rows: [row], pairs: [], repetitions: repetitions, ctx)
  }

  func ablate(_ choice: AblationChoice, repetitions: Int, _ ctx: JobContext) throws {
    let spec = update { $0.settings.spec }
    switch choice {
    case .seed:
      try runCells(
        kind: "ablate seed", rows: AblationRow.seedRows(base: spec), pairs: AblationRow.seedPairs, repetitions: repetitions,
        publishedFor: "eNTERFACE'05", ctx)
    case .skips, .switches:
      let switches: [ConvLSTMSwitch] = choice == .skips ? [.temporal, .spatial] : ConvLSTMSwitch.allCases
      try runCells(
        kind: "ablate \(choice.rawValue)", rows: AblationRow.switchGrid(base: spec, switches: switches),
        pairs: AblationRow.switchPairs(switches), repetitions: repetitions, ctx)
    }
  }

  /// Trains every cell of the grid and summarises it; the seed's published figures are
  /// shown beside the rows when the dataset is `publishedFor`.
  private func runCells(
    kind: String, rows: [AblationRow], pairs: [(String, String)], repetitions: Int, publishedFor: String? = nil,
    _ ctx: JobContext
  ) throws {
    let settings = update { $0.settings }
    let dataset = try requireDataset(for: rows.flatMap(\.spec.streams), ctx)
    let folds = try currentFolds(dataset)
    let plan = GridPlan(rows: rows, folds: Array(0..<folds.groupCount), repetitions: repetitions)
    ctx.emit(.gridStarted(GridStarted(kind: kind, plan: plan, epochs: settings.training.epochs)))
    let rowIndex = Dictionary(uniqueKeysWithValues: rows.enumerated().map { ($0.element.label, $0.offset) })
    func activity(_ cell: GridCell) -> Activity {
      rows.count == 1
        ? .crossValidating(fold: cell.fold, of: folds.groupCount) : .ablating(row: rowIndex[cell.row] ?? 0, of: rows.count)
    }
    let outcomes = try runGrid(
      plan, dataset: dataset, folds: folds, config: settings.training, modelSeed: settings.seed, control: ctx.control
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
      kind: kind, summary: GridSummary(plan: plan, outcomes: outcomes, pairs: pairs),
      showPublished: publishedFor != nil && publishedFor == dataset.name)))
  }
}
