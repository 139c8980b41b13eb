import ArgumentParser
import FERData
import FERExperiments
import FERModels
import Foundation

/// `ferlab ablate`: the ablation grid, cross-validated row by row.
struct AblateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ablate",
    abstract: "Cross-validate the ablation grid: the seed's rows (a)–(e) and CNN+LSTM, or the switch grid.",
    discussion: "Rows share the base preset's sizes. --grid seed gives Table I's rows; skips the 2×2 temporal × spatial grid; all both.")

  enum Grid: String, ExpressibleByArgument { case seed, skips, all }

  @OptionGroup var data: DataOptions
  @OptionGroup var model: ModelOptions
  @OptionGroup var training: TrainingOptions
  @Option(help: "Which rows: seed, skips or all.") var grid: Grid = .seed
  @Option(help: "Only these folds, comma-separated (default: all).") var onlyFolds: String?
  @Flag(help: "Print results as JSON.") var json = false

  func run() throws {
    let progress = ProgressReporter()
    let config = try training.config()
    let base = try model.resolve(inputSize: nil)
    var rows: [AblationRow] = []
    if grid != .skips { rows += AblationRow.seedRows(base: base) }
    if grid != .seed { rows += AblationRow.switchGrid(base: base, switches: [.temporal, .spatial]) }
    let dataset = try data.load(motion: rows.contains { needsMotion($0.spec) }, progress: progress)
    let sized = rows.map { row -> AblationRow in
      var spec = row.spec
      spec.inputSize = dataset.size
      return AblationRow(label: row.label, title: row.title, spec: spec, published: row.published)
    }
    let folds = try onlyFolds.map { text in
      try text.split(separator: ",").map { part -> Int in
        guard let k = Int(part), k >= 0, k < data.folds else { throw ValidationError("--only-folds: \(part) is not a fold in 0..<\(data.folds)") }
        return k
      }
    }
    let outcomes = try runAblation(
      rows: sized, dataset: dataset, folds: try data.subjectFolds(dataset), config: config, modelSeed: model.modelSeed,
      onlyFolds: folds
    ) { event in
      switch event {
      case .rowStarted(let index, let of, let row): progress.note("row \(index + 1)/\(of): (\(row.label)) \(row.title)")
      case .crossValidation(_, .training(let fold, let e)): progress.training(e, prefix: "  fold \(fold + 1) ")
      case .rowFinished(let o):
        progress.note("  (\(o.row.label)) accuracy \(percent(o.result.meanAccuracy)) ± \(percent(o.result.accuracyStandardDeviation)) %")
      default: break
      }
    }
    if json { return try Output.json(outcomes) }
    Output.table(outcomes.table(showPublished: false))
  }
}
