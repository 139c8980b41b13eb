import FERCore
import FERData
import FERExperiments
import FERModels
import Foundation

// `train`, `eval`, `open` and `save`: one run at a time on the current fold.

extension Workspace {
  func train(epochs: Int?, _ ctx: JobContext) throws {
    var (settings, datasetName) = update { ($0.settings, $0.dataset?.source ?? "") }
    if let epochs { settings.training.epochs = epochs }
    let (spec, config, fold) = (settings.spec, settings.training, settings.fold)
    try checkMemory([spec], batch: config.batchSize, command: "train")
    let dataset = try requireDataset(for: spec.streams, ctx)
    let folds = try currentFolds(dataset)
    let (trainIndices, validationIndices, testIndices) = try foldSplit(fold, folds: folds, config: config).clipIndices(in: dataset)
    let id = nextRunID
    ctx.setActivity(.training(nil))
    let (outcome, _, evaluation) = try trainFold(
      fold, dataset: dataset, folds: folds, spec: spec, config: config, modelSeed: settings.seed, control: ctx.control,
      started: { model in
        self.models[id] = model
        ctx.emit(.runStarted(RunStarted(
          run: id, dataset: datasetName, spec: spec, training: config, fold: fold, trainingClips: trainIndices.count,
          validationClips: validationIndices.count, testClips: testIndices.count)))
      }
    ) { ctx.observe($0, label: "run \(id)", run: id, activity: .training(nil)) }
    ctx.emit(.evaluated(evaluated(evaluation, run: id, fold: fold, subjects: outcome.testSubjects, clips: testIndices.map { dataset.clips[$0] })))
    ctx.emit(.runFinished(RunFinished(
      run: id, stop: outcome.stop, checksum: checksumHex(outcome.weightsChecksum), testAccuracy: outcome.accuracy)))
  }

  func evaluateCurrentRun(onEveryClip: Bool, _ ctx: JobContext) throws {
    let (summary, model) = try run(nil)
    ctx.setActivity(.evaluating)
    let dataset = try requireDataset(for: model.spec.streams, ctx)
    if onEveryClip {
      let result = try evaluate(model, on: dataset.clips, batchSize: summary.config.batchSize)
      ctx.emit(.evaluated(evaluated(result, run: summary.id, fold: nil, subjects: dataset.subjects, clips: dataset.clips)))
    } else {
      let split = try foldSplit(summary.fold, folds: try currentFolds(dataset), config: summary.config)
      let test = split.clipIndices(in: dataset).test.map { dataset.clips[$0] }
      let result = try evaluate(model, on: test, batchSize: summary.config.batchSize)
      ctx.emit(.evaluated(evaluated(result, run: summary.id, fold: summary.fold, subjects: split.test, clips: test)))
    }
  }

  /// An evaluation as an event: the metrics and every clip's prediction and probabilities.
  private func evaluated(_ e: Evaluation, run: Int, fold: Int?, subjects: [String], clips: [PreparedClip]) -> Evaluated {
    Evaluated(
      run: run, fold: fold, subjects: subjects, loss: e.loss, accuracy: e.confusion.accuracy, macroF1: e.confusion.macroF1,
      uar: e.confusion.unweightedAverageRecall, confusion: e.confusion, clips: clips.map(\.source.id),
      labels: clips.map(\.source.label.rawValue), predictions: e.predictions, probabilities: e.probabilities)
  }

  /// `open PATH`: the checkpoint's model as a new run on the current fold, ready for
  /// `eval`, `flow`, `predict` and `save`. Its input size must be the loaded dataset's.
  func open(_ path: String, _ ctx: JobContext) throws {
    let model: FERModel
    do { model = try Checkpoint.load(from: URL(fileURLWithPath: path)) } catch {
      throw WorkspaceError.failed("open \(path): \(error)")
    }
    let (size, fold, datasetName) = update { ($0.dataset?.size, $0.settings.fold, $0.dataset?.source ?? "") }
    if let size, size != model.spec.inputSize {
      throw WorkspaceError.failed(
        "open \(path): the model takes \(model.spec.inputSize)×\(model.spec.inputSize) frames, the loaded dataset has \(size)×\(size); load the dataset it was trained on")
    }
    let id = nextRunID
    models[id] = model
    ctx.emit(.runOpened(RunOpened(
      run: id, dataset: datasetName, spec: model.spec, fold: fold, path: path, checksum: checksumHex(WeightSnapshot(model).checksum))))
  }

  func save(path: String?, _ ctx: JobContext) throws {
    let (summary, model) = try run(nil)
    let target = path ?? "run-\(summary.id).safetensors"
    do { try Checkpoint.save(model, to: URL(fileURLWithPath: target)) } catch { throw WorkspaceError.failed("save: \(error)") }
    ctx.emit(.saved(Saved(run: summary.id, path: target, checksum: checksumHex(WeightSnapshot(model).checksum))))
  }

  func compare(_ ids: [Int], _ ctx: JobContext) throws {
    let runs = try ids.map { try run($0).0 }
    func column(_ r: RunSummary) -> [String] {
      let c = r.spec.convLSTM
      let last = r.history.last
      let bestValidation = r.history.compactMap(\.validationAccuracy).max()
      return [
        r.dataset, r.spec.name, NotebookRenderer.streams(r.spec),
        "T\(c.temporalSkip ? "+" : "-") S\(c.spatialSkip ? "+" : "-") N\(c.groupNorm ? "+" : "-")", "\(r.fold)",
        "\(r.history.count)", last.map { String(format: "%.4f", $0.trainLoss) } ?? "—",
        last.map { percent($0.trainAccuracy) } ?? "—", bestValidation.map(percent) ?? "—",
        r.confusion.map { percent($0.accuracy) } ?? "— (eval)", r.stop?.summary ?? "—", r.checksumHex ?? "—",
      ]
    }
    let labels = [
      "dataset", "spec", "streams", "switches", "fold", "epochs", "final train loss", "final train acc %", "best val acc %",
      "test acc %", "stop", "checksum",
    ]
    let columns = runs.map(column)
    ctx.emit(.compared(Compared(runs: ids, table: ResultTable(
      header: [""] + ids.map { "run \($0)" }, rows: labels.indices.map { i in [labels[i]] + columns.map { $0[i] } }))))
  }
}
