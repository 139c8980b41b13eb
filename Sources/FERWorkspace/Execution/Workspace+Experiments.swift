import FERCore
import FERData
import FERExperiments
import FERModels
import Foundation

// `cv` and `ablate`: leave-one-subject-group-out cross-validation of the
// current spec, and of the ablation grid's rows, with their tables.

extension Workspace {
  func crossValidateSpec(_ ctx: JobContext, results: inout [String: JSONValue]) throws {
    let (spec, config, seed) = update { ($0.spec, $0.training, $0.seed) }
    let dataset = try requireDataset(for: spec.streams, ctx)
    let folds = try currentFolds(dataset)
    let result = try crossValidate(
      dataset: dataset, folds: folds, spec: spec, config: config, modelSeed: seed, control: ctx.control
    ) { event in self.observe(event, ctx, prefix: "") }
    var rows = result.folds.map { f in
      [
        "\(f.fold)", f.testSubjects.joined(separator: ","), percent(f.accuracy), String(format: "%.3f", f.confusion.macroF1),
        "\(f.history.count)",
      ]
    }
    rows.append([
      "mean", "", "\(percent(result.meanAccuracy)) ± \(percent(result.accuracyStandardDeviation))",
      String(format: "%.3f", result.meanMacroF1), "",
    ])
    let table = ResultTable(header: ["fold", "test subjects", "accuracy %", "macro-F1", "epochs"], rows: rows)
    update { $0.table = table }
    ctx.print(contentsOf: table.lines)
    results["folds"] = .array(result.folds.map(foldResults))
    results["confusion"] = confusionResults(result.confusion)
    results["table"] = .encoding(table)
  }

  func ablate(_ choice: AblationChoice, _ ctx: JobContext, results: inout [String: JSONValue]) throws {
    let (spec, config, seed) = update { ($0.spec, $0.training, $0.seed) }
    let rows: [AblationRow] =
      switch choice {
      case .seed: AblationRow.seedRows(base: spec)
      case .skips: AblationRow.switchGrid(base: spec, switches: [.temporal, .spatial])
      case .switches: AblationRow.switchGrid(base: spec, switches: ConvLSTMSwitch.allCases)
      }
    let dataset = try requireDataset(for: rows.flatMap(\.spec.streams), ctx)
    let folds = try currentFolds(dataset)
    ctx.print("ablation (\(choice.rawValue)): \(rows.count) rows × \(folds.groupCount) folds × \(config.epochs) epochs")
    var current = (row: 0, of: rows.count)
    let outcomes = try runAblation(
      rows: rows, dataset: dataset, folds: folds, config: config, modelSeed: seed, control: ctx.control
    ) { event in
      switch event {
      case .rowStarted(let index, let of, let row):
        current = (index, of)
        ctx.setActivity(.ablating(row: index, of: of))
        ctx.print("row \(row.label): \(row.title)")
      case .crossValidation(_, let inner):
        self.observe(inner, ctx, prefix: "row \(rows[current.row].label) ", activity: .ablating(row: current.row, of: current.of))
      case .rowFinished(let outcome):
        ctx.print("row \(outcome.row.label): \(percent(outcome.result.meanAccuracy))% ± \(percent(outcome.result.accuracyStandardDeviation))")
      }
    }
    // The seed's published figures are eNTERFACE'05 accuracies: shown beside ours only on that dataset.
    let table = outcomes.table(showPublished: choice == .seed && dataset.name == "eNTERFACE'05")
    update { $0.table = table }
    ctx.print(contentsOf: table.lines)
    results["rows"] = .array(outcomes.map { o in
      .object(["label": .string(o.row.label), "folds": .array(o.result.folds.map(foldResults))])
    })
    results["table"] = .encoding(table)
  }

  private func observe(_ event: CrossValidationEvent, _ ctx: JobContext, prefix: String, activity: Activity? = nil) {
    switch event {
    case .foldStarted(let fold, let of, let test):
      if activity == nil { ctx.setActivity(.crossValidating(fold: fold, of: of)) }
      ctx.print("\(prefix)fold \(fold + 1)/\(of): testing on \(test.joined(separator: ", "))")
    case .training(let fold, let inner):
      let state = update { $0.activity }
      ctx.observe(inner, label: "\(prefix)fold \(fold)", activity: activity ?? (state == .paused ? nil : state))
    case .foldFinished(let result):
      ctx.print("\(prefix)fold \(result.fold): accuracy \(percent(result.accuracy))%")
    }
  }

  private func foldResults(_ f: FoldResult) -> JSONValue {
    .object([
      "fold": .of(f.fold), "history": .encoding(f.history), "stop": .string(f.stop.summary),
      "confusion": confusionResults(f.confusion), "checksum": .hex(f.weightsChecksum),
    ])
  }
}
