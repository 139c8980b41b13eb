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
    let folds = try currentFolds(dataset)
    let split = try foldSplit(fold, folds: folds, config: config)
    let (trainIndices, validationIndices, _) = split.clipIndices(in: dataset)
    let id = update { $0.runs.count + 1 }
    ctx.print("run \(id): \(spec.name) [\(spec.streams.map(\.rawValue).joined(separator: ","))] on fold \(fold): \(trainIndices.count) training, \(validationIndices.count) validation clips, \(config.epochs) epochs")
    let (outcome, _, evaluation) = try trainFold(
      fold, dataset: dataset, folds: folds, spec: spec, config: config, modelSeed: seed, control: ctx.control,
      started: { model in
        self.models[id] = model
        self.update {
          $0.runs.append(RunSummary(id: id, spec: spec, config: config, fold: fold, history: [], confusion: nil, stop: nil, checksumHex: nil))
          $0.currentRunID = id
          $0.activity = .training(nil)
        }
      }
    ) { event in
      guard case .training(_, let inner) = event else { return }
      ctx.observe(inner, label: "run \(id)") { record in
        self.update { s in if let i = s.runs.firstIndex(where: { $0.id == id }) { s.runs[i].history.append(record) } }
      }
    }
    let checksum = JSONValue.hex(outcome.weightsChecksum)
    update { s in
      if let i = s.runs.firstIndex(where: { $0.id == id }) {
        s.runs[i].stop = outcome.stop
        s.runs[i].checksumHex = checksum.stringValue
      }
    }
    ctx.print("run \(id): weights checksum \(checksum.stringValue ?? "")")
    results["run"] = .of(id)
    results["fold"] = .of(fold)
    results["spec"] = .encoding(spec)
    results["training"] = .encoding(config)
    results["history"] = .encoding(outcome.history)
    results["stop"] = .string(outcome.stop.summary)
    results["checksum"] = checksum
    // Fill and show the run's confusion matrix without a separate `eval`.
    guard let summary = update({ s in s.runs.first { $0.id == id } }) else { return }
    results["evaluation"] = .object(
      show(evaluation, of: summary, testSubjects: split.test, ctx, scope: "fold \(fold)'s \(evaluation.predictions.count) test clips"))
    results["testAccuracy"] = .of(evaluation.confusion.accuracy)
  }

  /// The current fold's subjects, holding out the config's share of training subjects for validation.
  func trainingSplit(_ dataset: Dataset, fold: Int, config: TrainingConfig) throws -> FoldSplit {
    try foldSplit(fold, folds: try currentFolds(dataset), config: config)
  }

  func evaluateCurrentRun(onEveryClip: Bool, _ ctx: JobContext, results: inout [String: JSONValue]) throws {
    let (summary, model) = try run(nil)
    results["run"] = .of(summary.id)
    let evaluation: [String: JSONValue]
    if onEveryClip {
      ctx.setActivity(.evaluating)
      let dataset = try requireDataset(for: model.spec.streams, ctx)
      let result = try evaluate(model, on: dataset.clips, batchSize: summary.config.batchSize)
      evaluation = show(result, of: summary, testSubjects: dataset.subjects, ctx, scope: "all \(dataset.clips.count) clips")
    } else {
      evaluation = try evaluateOnTestSubjects(summary, model, ctx)
    }
    for (key, value) in evaluation { results[key] = value }
  }

  /// `open PATH`: the checkpoint's model as a new run on the current fold, ready for
  /// `eval`, `flow` and `save`. Its input size must be the loaded dataset's.
  func open(_ path: String, _ ctx: JobContext, results: inout [String: JSONValue]) throws {
    let model: FERModel
    do { model = try Checkpoint.load(from: URL(fileURLWithPath: path)) } catch {
      throw WorkspaceError.failed("open \(path): \(error)")
    }
    let (size, config, fold) = update { ($0.dataset?.size, $0.training, $0.fold) }
    if let size, size != model.spec.inputSize {
      throw WorkspaceError.failed(
        "open \(path): the model takes \(model.spec.inputSize)×\(model.spec.inputSize) frames, the loaded dataset has \(size)×\(size); load the dataset it was trained on")
    }
    let checksum = JSONValue.hex(WeightSnapshot(model).checksum)
    let id = update { s in
      let id = s.runs.count + 1
      s.runs.append(RunSummary(
        id: id, spec: model.spec, config: config, fold: fold, history: [], confusion: nil, stop: nil,
        checksumHex: checksum.stringValue))
      s.currentRunID = id
      return id
    }
    models[id] = model
    ctx.print("run \(id): \(model.spec.name) [\(model.spec.streams.map(\.rawValue).joined(separator: ","))] from \(path), weights checksum \(checksum.stringValue ?? ""); on fold \(fold)")
    results["run"] = .of(id)
    results["spec"] = .encoding(model.spec)
    results["checksum"] = checksum
  }

  /// Evaluates a run on its fold's test subjects, fills its confusion matrix and
  /// prints it; returns the `loss`, `confusion` and `predictions` results.
  func evaluateOnTestSubjects(_ summary: RunSummary, _ model: FERModel, _ ctx: JobContext) throws -> [String: JSONValue] {
    ctx.setActivity(.evaluating)
    let dataset = try requireDataset(for: model.spec.streams, ctx)
    let split = try trainingSplit(dataset, fold: summary.fold, config: summary.config)
    let test = split.clipIndices(in: dataset).test.map { dataset.clips[$0] }
    let evaluation = try evaluate(model, on: test, batchSize: summary.config.batchSize)
    return show(evaluation, of: summary, testSubjects: split.test, ctx, scope: "fold \(summary.fold)'s \(test.count) test clips")
  }

  /// Fills the run's confusion matrix from `evaluation` and prints it; returns the
  /// `loss`, `confusion` and `predictions` results.
  func show(
    _ evaluation: Evaluation, of summary: RunSummary, testSubjects: [String], _ ctx: JobContext, scope: String
  ) -> [String: JSONValue] {
    let c = evaluation.confusion
    update { s in if let i = s.runs.firstIndex(where: { $0.id == summary.id }) { s.runs[i].confusion = c } }
    ctx.print(
      "run \(summary.id) on \(scope) (subjects \(testSubjects.joined(separator: ", "))): accuracy \(percent(c.accuracy))%, macro-F1 \(String(format: "%.3f", c.macroF1)), UAR \(percent(c.unweightedAverageRecall))%, loss \(String(format: "%.4f", evaluation.loss))")
    ctx.print("per class: " + zip(Emotion.allCases, c.perClassAccuracy).map { "\($0.code) \($1.map { percent($0) + "%" } ?? "—")" }.joined(separator: " "))
    let codes = Emotion.allCases.map(\.code)
    ctx.print("true\\pred " + codes.joined(separator: " "))
    for r in 0..<c.classes {
      ctx.print(codes[r] + String(repeating: " ", count: 8) + (0..<c.classes).map { String(format: "%2d", c[r, $0]) }.joined(separator: " "))
    }
    return [
      "loss": .of(evaluation.loss), "confusion": confusionResults(c),
      "predictions": .array(evaluation.predictions.map { .of($0) }),
      "testSubjects": .array(testSubjects.map { .string($0) }),
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
    ctx.print(contentsOf: table.lines)
    results["table"] = .encoding(table)
  }
}

extension JobContext {
  func print(contentsOf lines: [String]) {
    for line in lines { print(line) }
  }
}
