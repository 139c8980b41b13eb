import FERCore
import FERData
import FERModels

// A grid is rows × folds × seeds: cross-validation is one row, an ablation
// several. Each cell trains one fresh model on one fold through `trainFold`,
// seeded by its key alone, so a cell gives the same numbers whichever process
// runs it, in any order, alone or with the rest of its grid.

/// One cell of a grid, named by its row's label, its fold and its seed index.
public struct GridCell: Codable, Hashable, Sendable {
  public let row: String
  public let fold: Int
  /// 0-based repetition: seed 0 is what `train` and a one-seed `cv` compute.
  public let seed: Int

  public init(row: String, fold: Int, seed: Int) {
    self.row = row
    self.fold = fold
    self.seed = seed
  }

  /// "T+S-/fold2/seed1": stable, and a valid file name.
  public var key: String { "\(row)/fold\(fold)/seed\(seed)" }

  /// The model and shuffling seeds of repetition `seed` from the workspace seed: the
  /// base itself for repetition 0, then base + k·φ·2⁶⁴ (far apart; trainFold adds the fold).
  public static func seeds(base: UInt64, repetition: Int) -> UInt64 {
    base &+ UInt64(repetition) &* 0x9E37_79B9_7F4A_7C15
  }
}

/// The rows, folds and repetitions of a grid.
public struct GridPlan: Codable, Sendable, Equatable {
  public let rows: [AblationRow]
  public let folds: [Int]
  public let repetitions: Int

  public init(rows: [AblationRow], folds: [Int], repetitions: Int) {
    precondition(!rows.isEmpty && !folds.isEmpty && repetitions >= 1, "GridPlan: empty grid")
    precondition(Set(rows.map(\.label)).count == rows.count, "GridPlan: row labels must be distinct")
    self.rows = rows
    self.folds = folds
    self.repetitions = repetitions
  }

  /// Every cell: row by row, each row's repetitions in turn, each repetition fold by fold
  /// (so a row's first `folds.count` cells are its one-seed cross-validation).
  public var cells: [GridCell] {
    rows.flatMap { row in
      (0..<repetitions).flatMap { seed in folds.map { GridCell(row: row.label, fold: $0, seed: seed) } }
    }
  }

  public func row(_ label: String) -> AblationRow? { rows.first { $0.label == label } }

  /// The most cells a plan read from a file may have.
  public static let cellLimit = 100_000

  private enum CodingKeys: String, CodingKey { case rows, folds, repetitions }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    rows = try c.decode([AblationRow].self, forKey: .rows)
    folds = try c.decode([Int].self, forKey: .folds)
    repetitions = try c.decode(Int.self, forKey: .repetitions)
    try c.require(!rows.isEmpty && Set(rows.map(\.label)).count == rows.count, .rows, "a grid has rows with distinct labels")
    try c.require(!folds.isEmpty && folds.allSatisfy { $0 >= 0 && $0 < 10_000 }, .folds, "a grid has folds numbered 0 to 9999")
    try c.require((1...100).contains(repetitions), .repetitions, "a grid repeats its cells 1 to 100 times")
    try c.require(rows.count * folds.count * repetitions <= Self.cellLimit, .rows, "a grid has at most \(Self.cellLimit) cells")
  }
}

/// A finished cell.
public struct GridCellOutcome: Sendable, Equatable {
  public let cell: GridCell
  public let result: FoldResult
}

/// What a grid run reports as it goes.
public enum GridEvent: Sendable {
  case cellStarted(GridCell, testSubjects: [String])
  case training(GridCell, TrainingEvent)
  case cellFinished(GridCellOutcome)
}

/// Trains and tests the plan's cells (or only those whose keys are in `only`), in plan
/// order; stops between steps when `control` says so.
public func runGrid(
  _ plan: GridPlan, dataset: Dataset, folds: SubjectFolds, config: TrainingConfig, modelSeed: UInt64,
  only: Set<String>? = nil, control: TrainingControl = TrainingControl(), events: (GridEvent) -> Void = { _ in }
) throws -> [GridCellOutcome] {
  var outcomes: [GridCellOutcome] = []
  for cell in plan.cells where only?.contains(cell.key) ?? true {
    guard let row = plan.row(cell.row) else { continue }
    var cellConfig = config
    cellConfig.seed = GridCell.seeds(base: config.seed, repetition: cell.seed)
    let split = try foldSplit(cell.fold, folds: folds, config: config)
    events(.cellStarted(cell, testSubjects: split.test))
    let (result, _, _) = try trainFold(
      cell.fold, dataset: dataset, folds: folds, spec: row.spec, config: cellConfig,
      modelSeed: GridCell.seeds(base: modelSeed, repetition: cell.seed), control: control,
      events: { events(.training(cell, $0)) })
    let outcome = GridCellOutcome(cell: cell, result: result)
    outcomes.append(outcome)
    events(.cellFinished(outcome))
    if control.stopped { break }
  }
  return outcomes
}
