import FERData
import FERExperiments
import FERModels
import Foundation

// A recorded session as a sequence of workspace snapshots, for watching it
// again without recomputing anything (`ferlab replay --view`). Every frame is
// built from the records alone: the notebook cells are re-worded from each
// command's results, a `train` grows its curves one epoch record per frame as
// it did live, and `set`, `load`, `eval`, `flow`, `cv`, `ablate` and
// `compare` change the state the way the command did. Pure: the same file
// gives the same frames.

/// A session turned into frames.
public enum SessionPlayback {
  /// The frames of `session`: the empty workspace first, then for each command
  /// the cell appearing, its intermediate steps (one per epoch of a `train`,
  /// one per fold of a `cv`, one per row of an `ablate`) and its finished state.
  public static func frames(of session: SessionFile) -> [WorkspaceSnapshot] {
    var player = Player(state: WorkspaceState(seed: session.header.seed, sessionPath: nil), datasets: session.datasets)
    player.emit()
    for record in session.commands { player.play(record) }
    return player.frames
  }
}

/// Walks the records, changing a `WorkspaceState` and taking a snapshot at each step.
private struct Player {
  var state: WorkspaceState
  let datasets: [DatasetRecord]
  var frames: [WorkspaceSnapshot] = []

  mutating func emit() { frames.append(state.snapshot) }

  /// Appends lines to the newest cell.
  mutating func print(_ lines: [String]) {
    guard !state.cells.isEmpty else { return }
    state.cells[state.cells.count - 1].output += lines
  }

  mutating func play(_ record: CommandRecord) {
    let command = try? CommandParser.parse(record.line)
    state.cells.append(Cell(command: record.line, output: [], isError: false, isFinished: false))
    state.activity = command.map(activity) ?? .idle
    emit()
    let results = record.results
    switch command {
    case .load?: load(results, index: record.index)
    case .set(let setting)?: set(setting, results, index: record.index)
    case .train?: train(results)
    case .eval?, .open?: evaluation(results, run: results["run"]?.numberValue.map(Int.init))
    case .flow?: flow(results)
    case .cv?: crossValidation(results)
    case .ablate?: ablation(results)
    case .compare?: showTable(results)
    case .save?:
      print(["saved to \(results["path"]?.stringValue ?? "?") (checksum \(results["checksum"]?.stringValue ?? "?"))"])
    default: break
    }
    let last = state.cells.count - 1
    if let error = record.error {
      state.cells[last].output.append(error)
      state.cells[last].isError = true
    }
    state.cells[last].isFinished = true
    state.activity = .idle
    state.progress = nil
    emit()
  }

  func activity(_ command: Command) -> Activity {
    switch command {
    case .load: .loading("dataset")
    case .train: .training(nil)
    case .eval: .evaluating
    case .cv: .crossValidating(fold: 0, of: state.foldCount)
    case .ablate: .ablating(row: 0, of: 1)
    case .flow: .measuringFlow
    default: .idle
    }
  }

  // MARK: commands

  mutating func load(_ results: JSONValue, index: Int) {
    guard let d = results["dataset"] else { return }
    state.runs = []
    state.currentRunID = nil
    state.gradientFlow = []
    state.table = nil
    noteDataset(index: index, classCounts: d["classCounts"].flatMap(decode) ?? [])
    if let size = d["size"]?.numberValue { state.spec.inputSize = Int(size) }
    let count = { (key: String) in Int(d[key]?.numberValue ?? 0) }
    print([
      "\(d["name"]?.stringValue ?? "dataset"): \(count("clips")) clips of \(count("subjects")) subjects, \(count("frames")) frames of \(count("size"))×\(count("size"))",
      "fingerprint \(d["fingerprint"]?.stringValue ?? "?")",
    ])
  }

  /// The dataset records written after command `index` (load, motion, folds).
  mutating func noteDataset(index: Int, classCounts: [Int]?) {
    for d in datasets where d.command == index {
      let subjects = d.groups.keys.sorted { $0.compare($1, options: .numeric) == .orderedAscending }
      let groupCount = (d.groups.values.max() ?? -1) + 1
      state.dataset = DatasetSummary(
        name: d.name, clips: d.clips, subjects: subjects, frames: d.frames, size: d.size, fingerprintHex: d.fingerprint,
        classCounts: classCounts ?? state.dataset?.classCounts ?? [], hasMotion: d.motion,
        foldGroups: (0..<groupCount).map { g in subjects.filter { d.groups[$0] == g } })
    }
  }

  mutating func set(_ setting: Setting, _ results: JSONValue, index: Int) {
    if let spec: ModelSpec = results["spec"].flatMap(decode) { state.spec = spec }
    if let training: TrainingConfig = results["training"].flatMap(decode) { state.training = training }
    switch setting {
    case .seed(let n): state.seed = n
    case .folds(let k):
      state.foldCount = k
      state.fold = min(state.fold, k - 1)
    case .fold(let k): state.fold = k
    case .frames(let t): state.flowFrames = t
    default: break
    }
    noteDataset(index: index, classCounts: nil)
    let c = state.spec.convLSTM, t = state.training
    print([
      "model \(state.spec.name) [\(state.spec.streams.map(\.rawValue).joined(separator: ","))]: temporal \(c.temporalSkip ? "on" : "off"), spatial \(c.spatialSkip ? "on" : "off"), norm \(c.groupNorm ? "on" : "off")",
      "training: \(t.epochs) epochs, batch \(t.batchSize), \(t.optimizer.rawValue) lr \(t.learningRate); fold \(state.fold) of \(state.foldCount)",
    ])
  }

  /// One frame per recorded epoch, so the curves grow as they did live.
  mutating func train(_ results: JSONValue) {
    guard let id = results["run"]?.numberValue.map(Int.init) else { return }
    let spec: ModelSpec = results["spec"].flatMap(decode) ?? state.spec
    let config: TrainingConfig = results["training"].flatMap(decode) ?? state.training
    let fold = results["fold"]?.numberValue.map(Int.init) ?? state.fold
    let history: [EpochRecord] = results["history"].flatMap(decode) ?? []
    state.runs.append(RunSummary(id: id, spec: spec, config: config, fold: fold, history: [], confusion: nil, stop: nil, checksumHex: nil))
    state.currentRunID = id
    let run = state.runs.count - 1
    print(["run \(id): \(spec.name) [\(spec.streams.map(\.rawValue).joined(separator: ","))] on fold \(fold), \(config.epochs) epochs"])
    for record in history {
      state.runs[run].history.append(record)
      var line = "run \(id) epoch \(record.epoch): loss \(String(format: "%.4f", record.trainLoss)) acc \(percent(record.trainAccuracy))%"
      if let vl = record.validationLoss, let va = record.validationAccuracy {
        line += "  val loss \(String(format: "%.4f", vl)) acc \(percent(va))%"
      }
      print([line])
      state.progress = Progress(
        fraction: Double(record.epoch) / Double(max(config.epochs, 1)), label: "run \(id) epoch \(record.epoch)/\(config.epochs)",
        secondsLeft: nil, throughput: nil)
      emit()
    }
    let stop = results["stop"]?.stringValue.map(stopReason)
    state.runs[run].stop = stop
    state.runs[run].checksumHex = results["checksum"]?.stringValue
    print(["run \(id) \(stop?.summary ?? "finished")", "run \(id): weights checksum \(results["checksum"]?.stringValue ?? "?")"])
    if let evaluation = results["evaluation"] { self.evaluation(evaluation, run: id) }
  }

  mutating func evaluation(_ results: JSONValue, run id: Int?) {
    guard let id, let c = results["confusion"].flatMap(confusion) else { return }
    if let i = state.runs.firstIndex(where: { $0.id == id }) { state.runs[i].confusion = c }
    state.currentRunID = state.currentRunID ?? id
    let loss = results["loss"]?.numberValue.map { String(format: "%.4f", $0) } ?? "?"
    print(["run \(id) on the test subjects: accuracy \(percent(c.accuracy))%, macro-F1 \(String(format: "%.3f", c.macroF1)), loss \(loss)"])
    print(confusionLines(c))
  }

  mutating func flow(_ results: JSONValue) {
    guard case .array(let reports)? = results["reports"] else { return }
    let steps = Int(results["frames"]?.numberValue ?? 0)
    state.gradientFlow = reports.compactMap { r in
      guard let label = r["label"]?.stringValue, let report = flowReport(r, steps: steps) else { return nil }
      return LabelledFlowReport(label: label, report: report)
    }
    print(state.gradientFlow.map { m in
      "\(m.label): ‖∂L/∂h_1‖ / ‖∂L/∂h_T‖ = \(String(format: "%.3g", m.report.firstToLastRatio)) (bottom layer), loss \(String(format: "%.4f", m.report.loss))"
    })
  }

  /// One frame per fold.
  mutating func crossValidation(_ results: JSONValue) {
    if case .array(let folds)? = results["folds"] {
      for (k, fold) in folds.enumerated() {
        state.activity = .crossValidating(fold: k, of: folds.count)
        let accuracy = fold["confusion"].flatMap(confusion).map { percent($0.accuracy) } ?? "?"
        print(["fold \(k): accuracy \(accuracy)%"])
        emit()
      }
    }
    if let c = results["confusion"].flatMap(confusion) { print(["summed over folds:"] + confusionLines(c)) }
    showTable(results)
  }

  /// One frame per row.
  mutating func ablation(_ results: JSONValue) {
    if case .array(let rows)? = results["rows"] {
      for (k, row) in rows.enumerated() {
        state.activity = .ablating(row: k, of: rows.count)
        print(["row \(row["label"]?.stringValue ?? "\(k)") done"])
        emit()
      }
    }
    showTable(results)
  }

  mutating func showTable(_ results: JSONValue) {
    guard let table: ResultTable = results["table"].flatMap(decode) else { return }
    state.table = table
    print(table.lines)
  }

  // MARK: decoding results

  func confusion(_ value: JSONValue) -> ConfusionMatrix? {
    guard let classes = value["classes"]?.numberValue.map(Int.init), classes > 0,
      let counts: [Int] = value["counts"].flatMap(decode), counts.count == classes * classes
    else { return nil }
    var c = ConfusionMatrix(classes: classes)
    for (cell, n) in counts.enumerated() where n > 0 {
      for _ in 0..<n { c.add(label: cell / classes, prediction: cell % classes) }
    }
    return c
  }

  func confusionLines(_ c: ConfusionMatrix) -> [String] {
    let codes = Emotion.allCases.map(\.code)
    guard codes.count == c.classes else { return [] }
    return ["true\\pred " + codes.joined(separator: " ")]
      + (0..<c.classes).map { r in
        codes[r] + String(repeating: " ", count: 8) + (0..<c.classes).map { String(format: "%2d", c[r, $0]) }.joined(separator: " ")
      }
  }

  /// A flow report from its recorded fields (the per-step terms not recorded are left empty).
  func flowReport(_ r: JSONValue, steps: Int) -> GradientFlowReport? {
    guard case .array(let hidden)? = r["hidden"], case .array(let cell)? = r["cell"], hidden.count == cell.count else { return nil }
    let layers: [JSONValue] = zip(hidden, cell).map { h, c in
      .object(["hidden": h, "cell": c, "paths": .array([])])
    }
    var groups: [JSONValue] = []
    if case .object(let g)? = r["groups"] {
      groups = g.keys.sorted().map { .object(["group": .string($0), "norm": g[$0] ?? .null]) }
    }
    return decode(.object([
      "stream": .string(StreamKind.rgb.rawValue), "steps": .of(steps), "layers": .array(layers),
      "input": r["input"] ?? .array([]), "parameterGroups": .array(groups), "loss": r["loss"] ?? .null,
    ]))
  }

  func stopReason(_ summary: String) -> StopReason {
    switch summary {
    case StopReason.completed.summary: return .completed
    case StopReason.stoppedByUser.summary: return .stoppedByUser
    default:
      let prefix = "stopped early (best epoch "
      if summary.hasPrefix(prefix), let best = Int(summary.dropFirst(prefix.count).dropLast()) {
        return .earlyStopped(bestEpoch: best)
      }
      return .nonFinite(summary)
    }
  }

  /// A Codable value from its results tree (non-finite numbers are recorded as names).
  func decode<T: Decodable>(_ value: JSONValue) -> T? {
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    guard let data = try? SessionCoding.encoder.encode(value) else { return nil }
    return try? decoder.decode(T.self, from: data)
  }
}
