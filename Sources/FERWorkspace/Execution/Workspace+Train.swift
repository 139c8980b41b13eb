import FERCore
import FERData
import FERExperiments
import FERModels
import Foundation

// `train`, `eval`, `save` and `compare`: one run at a time on the current fold.

extension Workspace {
  func train(epochs: Int?, _ ctx: JobContext, results: inout [String: JSONValue]) throws {
    var (spec, config, fold, seed) = update { ($0.spec, $0.training, $0.fold, $0.seed) }
    if let epochs { config.epochs = epochs }
    let dataset = try requireDataset(for: spec.streams, ctx)
    let split = try trainingSplit(dataset, fold: fold, config: config)
    let (trainIndices, validationIndices, _) = split.clipIndices(in: dataset)
    let model = try FERModel(spec: spec, seed: seed)
    let id = update { $0.runs.count + 1 }
    let trainer = try Trainer(
      model: model, config: config, training: trainIndices.map { dataset.clips[$0] },
      validation: validationIndices.map { dataset.clips[$0] }, control: ctx.control)
    models[id] = model
    update {
      $0.runs.append(RunSummary(id: id, spec: spec, config: config, fold: fold, history: [], confusion: nil, stop: nil, checksumHex: nil))
      $0.currentRunID = id
      $0.activity = .training(nil)
    }
    ctx.print("run \(id): \(spec.name) [\(spec.streams.map(\.rawValue).joined(separator: ","))] on fold \(fold): \(trainIndices.count) training, \(validationIndices.count) validation clips, \(config.epochs) epochs")
    let (history, stop) = trainer.run { event in
      ctx.observe(event, label: "run \(id)") { record in
        self.update { s in if let i = s.runs.firstIndex(where: { $0.id == id }) { s.runs[i].history.append(record) } }
      }
    }
    let checksum = WeightSnapshot(model).checksum
    update { s in
      if let i = s.runs.firstIndex(where: { $0.id == id }) {
        s.runs[i].stop = stop
        s.runs[i].checksumHex = JSONValue.hex(checksum).stringValue
      }
    }
    ctx.print("run \(id): weights checksum \(JSONValue.hex(checksum).stringValue ?? "")")
    results["run"] = .of(id)
    results["fold"] = .of(fold)
    results["spec"] = .encoding(spec)
    results["training"] = .encoding(config)
    results["history"] = .encoding(history)
    results["stop"] = .string(stop.summary)
    results["checksum"] = .hex(checksum)
    // Fill and show the run's confusion matrix without a separate `eval`.
    guard let summary = update({ s in s.runs.first { $0.id == id } }) else { return }
    results["evaluation"] = .object(try evaluateOnTestSubjects(summary, model, ctx))
  }

  /// The current fold's subjects, holding out the config's share of training subjects for validation.
  func trainingSplit(_ dataset: Dataset, fold: Int, config: TrainingConfig) throws -> FoldSplit {
    let folds = try currentFolds(dataset)
    let trainingSubjects = folds.subjects.count - folds.groups[fold].count
    let held = min(Int((config.validationFraction * Double(trainingSubjects)).rounded()), trainingSubjects - 1)
    return try folds.split(fold: fold, validationCount: max(held, 0))
  }

  func evaluateCurrentRun(_ ctx: JobContext, results: inout [String: JSONValue]) throws {
    let (summary, model) = try run(nil)
    results["run"] = .of(summary.id)
    for (key, value) in try evaluateOnTestSubjects(summary, model, ctx) { results[key] = value }
  }

  /// Evaluates a run on its fold's test subjects, fills its confusion matrix and
  /// prints it; returns the `loss`, `confusion` and `predictions` results.
  func evaluateOnTestSubjects(_ summary: RunSummary, _ model: FERModel, _ ctx: JobContext) throws -> [String: JSONValue] {
    ctx.setActivity(.evaluating)
    let dataset = try requireDataset(for: model.spec.streams, ctx)
    let split = try trainingSplit(dataset, fold: summary.fold, config: summary.config)
    let test = split.clipIndices(in: dataset).test.map { dataset.clips[$0] }
    let evaluation = try evaluate(model, on: test, batchSize: summary.config.batchSize)
    let c = evaluation.confusion
    update { s in if let i = s.runs.firstIndex(where: { $0.id == summary.id }) { s.runs[i].confusion = c } }
    ctx.print(
      "run \(summary.id) on fold \(summary.fold)'s \(test.count) test clips (subjects \(split.test.joined(separator: ", "))): accuracy \(percent(c.accuracy))%, macro-F1 \(String(format: "%.3f", c.macroF1)), loss \(String(format: "%.4f", evaluation.loss))")
    let codes = Emotion.allCases.map(\.code)
    ctx.print("true\\pred " + codes.joined(separator: " "))
    for r in 0..<c.classes {
      ctx.print(codes[r] + String(repeating: " ", count: 8) + (0..<c.classes).map { String(format: "%2d", c[r, $0]) }.joined(separator: " "))
    }
    return [
      "loss": .of(evaluation.loss), "confusion": confusionResults(c),
      "predictions": .array(evaluation.predictions.map { .of($0) }),
    ]
  }

  func save(path: String?, _ ctx: JobContext, results: inout [String: JSONValue]) throws {
    let (summary, model) = try run(nil)
    let target = path ?? "run-\(summary.id).safetensors"
    do { try Checkpoint.save(model, to: URL(fileURLWithPath: target)) } catch { throw WorkspaceError.failed("save: \(error)") }
    let checksum = WeightSnapshot(model).checksum
    ctx.print("saved run \(summary.id) to \(target)")
    results["path"] = .string(target)
    results["checksum"] = .hex(checksum)
  }

  func compare(_ a: Int, _ b: Int, _ ctx: JobContext, results: inout [String: JSONValue]) throws {
    let (first, _) = try run(a)
    let (second, _) = try run(b)
    func describe(_ r: RunSummary) -> [String] {
      let c = r.spec.convLSTM
      let last = r.history.last
      let bestValidation = r.history.compactMap(\.validationAccuracy).max()
      return [
        r.spec.name, r.spec.streams.map(\.rawValue).joined(separator: ","),
        "T\(c.temporalSkip ? "+" : "-") S\(c.spatialSkip ? "+" : "-") N\(c.groupNorm ? "+" : "-")",
        "\(r.history.count)", last.map { String(format: "%.4f", $0.trainLoss) } ?? "—",
        last.map { percent($0.trainAccuracy) } ?? "—", bestValidation.map(percent) ?? "—",
        r.confusion.map { percent($0.accuracy) } ?? "— (eval)", r.stop?.summary ?? "—", r.checksumHex ?? "—",
      ]
    }
    let labels = [
      "spec", "streams", "switches", "epochs", "final train loss", "final train acc %", "best val acc %", "test acc %",
      "stop", "checksum",
    ]
    let (x, y) = (describe(first), describe(second))
    let table = ResultTable(header: ["", "run \(a)", "run \(b)"], rows: labels.indices.map { [labels[$0], x[$0], y[$0]] })
    update { $0.table = table }
    ctx.print(contentsOf: render(table))
    results["table"] = .encoding(table)
  }
}

extension JobContext {
  func print(contentsOf lines: [String]) {
    for line in lines { print(line) }
  }
}

/// A table as aligned text lines.
func render(_ table: ResultTable) -> [String] {
  let all = [table.header] + table.rows
  let widths = table.header.indices.map { c in all.map { $0.indices.contains(c) ? $0[c].count : 0 }.max() ?? 0 }
  return all.map { row in
    row.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }
      .joined(separator: "  ")
  }
}
