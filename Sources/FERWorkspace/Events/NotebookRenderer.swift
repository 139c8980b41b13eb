import FERData
import FERExperiments
import FERModels
import Foundation

// The one renderer: the notebook lines of each event. Live cells, `run`
// scripts, the CLI's stdout and `replay --view` all show these lines, so a
// replayed notebook reads as the live one did.

enum NotebookRenderer {
  static let droppedLine = "dropped before it ran"
  /// Longest list of skipped files or clips shown in full.
  static let listLimit = 10

  static func lines(_ event: WorkspaceEvent) -> [String] {
    switch event {
    case .videosFound(let v):
      return ["load \(v.layout) \(v.path): found \(v.clips) clips of \(v.subjects.count) subjects"]
        + listed(v.skipped, "skipped", "file or row", "files or rows")
    case .videosPrepared(let v):
      return v.lines
    case .datasetLoaded(let d):
      return [
        "\(d.source): \(d.clips) clips of \(d.foldGroups.joined().count) subjects, T=\(d.frames), S=\(d.size)",
        "fingerprint \(d.fingerprint); model input size \(d.size)",
      ] + foldLines(d)
    case .motionStarted(let m):
      return ["computing optical flow and dynamic images for \(m.clips) clips…"]
    case .motionComputed(let d):
      return ["flow and dynamic images ready; fingerprint \(d.fingerprint)"]
    case .foldsDealt(let d):
      return foldLines(d)
    case .settingsChanged(let change):
      return [describe(SettingCatalog.named(change.setting)?.echo ?? .training, change.settings)]
    case .runStarted(let r):
      return [
        "run \(r.run): \(r.spec.name) [\(streams(r.spec))] on fold \(r.fold) of \(r.dataset): \(r.trainingClips) training, "
          + "\(r.validationClips) validation, \(r.testClips) test clips, up to \(plural(r.training.epochs, "epoch"))",
      ]
    case .runOpened(let r):
      return ["run \(r.run): \(r.spec.name) [\(streams(r.spec))] from \(r.path), weights checksum \(r.checksum); on fold \(r.fold)"]
    case .epoch(let e):
      return [epochLine(e)]
    case .paused(let i): return ["paused after step \(i.afterSteps)"]
    case .resumed(let i): return ["resumed after step \(i.afterSteps)"]
    case .stopped(let i): return ["stopped after step \(i.afterSteps)"]
    case .evaluated(let e):
      return evaluationLines(e)
    case .runFinished(let r):
      return ["run \(r.run) \(r.stop.summary); test accuracy \(percent(r.testAccuracy))%; weights checksum \(r.checksum)"]
    case .saved(let s):
      return ["saved run \(s.run) to \(s.path) (checksum \(s.checksum))"]
    case .predicted(let p):
      return predictionLines(p)
    case .gridStarted(let g):
      let plan = g.plan
      let cells = plan.rows.count * plan.folds.count * plan.repetitions
      var shape = "\(plural(plan.folds.count, "fold")) × \(plural(plan.repetitions, "seed"))"
      if plan.rows.count > 1 { shape = "\(plural(plan.rows.count, "row")) × " + shape }
      return ["\(g.kind): \(shape) = \(plural(cells, "training")), up to \(plural(g.epochs, "epoch")) each"]
        + (plan.rows.count > 1 ? plan.rows.map { "  row \($0.label): \($0.title)" } : [])
    case .cellStarted(let c):
      return ["\(cellLabel(c.cell)): testing on \(c.testSubjects.joined(separator: ", "))"]
    case .cellFinished(let c):
      return [
        "\(cellLabel(c.cell)): accuracy \(percent(c.accuracy))%, macro-F1 \(String(format: "%.3f", c.macroF1)) "
          + "(\(plural(c.epochs, "epoch")), \(c.stop.summary))",
      ]
    case .gridWatched(let w):
      var lines = [
        "\(w.folder): \(w.kind), \(w.done) of \(w.total) cells done, \(w.running) running, \(w.failed) failed, \(w.missing) missing or queued"
      ] + w.unfinished
      if w.done == w.total, let summary = w.summary {
        lines += summary.rowTable(showPublished: false).lines
        if !summary.pairs.isEmpty { lines += [""] + summary.pairTable.lines }
      }
      return lines
    case .gridFinished(let g):
      var lines = g.summary.rowTable(showPublished: g.showPublished).lines
      if !g.summary.pairs.isEmpty { lines += [""] + g.summary.pairTable.lines }
      return lines
    case .flowMeasured(let f):
      return flowLines(f)
    case .compared(let c):
      return c.table.lines + ["the curves show runs \(c.runs.map(String.init).joined(separator: ", ")) side by side"]
    case .clipShown(let c):
      var line = "clip \(c.clip): subject \(c.subject), \(c.label), \(plural(c.frames.count, "frame")) shown"
      if let predicted = c.predicted, let p = c.probabilities, let best = p.max() {
        line += "; predicted \(predicted) (\(String(format: "%.2f", best)))"
      }
      return [line]
    case .exported(let e):
      return ["wrote \(plural(e.files.count, "file")) to \(e.folder): \(e.files.joined(separator: ", "))"]
    case .scriptQueued(let s):
      return ["\(s.path): \(plural(s.commands.count, "command")) queued"]
    case .noted(let n):
      return [n.text]
    case .helpShown(let h):
      return h.command.flatMap(CommandCatalog.help) ?? CommandCatalog.overview
    case .controlled(let c):
      var lines: [String]
      switch c.action {
      case "pause": lines = ["pausing after the step in flight"]
      case "resume": lines = ["resuming"]
      default: lines = ["stopping after the step in flight"]
      }
      if !c.dropped.isEmpty {
        lines.append("dropped \(plural(c.dropped.count, "queued command")): \(c.dropped.joined(separator: "; "))")
      }
      return lines
    }
  }

  // MARK: pieces

  /// The summary line `set` prints.
  static func describe(_ line: SettingsLine, _ s: WorkspaceSettings) -> String {
    let c = s.spec.convLSTM
    switch line {
    case .switches:
      return "switches: temporal \(onOff(c.temporalSkip)), spatial \(onOff(c.spatialSkip)), norm \(onOff(c.groupNorm)); peephole \(c.outputPeephole.rawValue)"
    case .model:
      return "model: \(s.spec.name), streams \(streams(s.spec)), input \(s.spec.inputSize)×\(s.spec.inputSize)"
        + (s.spec.centreFrames ? ", rgb clips centred" : ", rgb clips as drawn")
    case .seed: return "seed \(s.seed)"
    case .folds: return "fold \(s.fold) of \(s.foldCount) (0-based)"
    case .flowFrames: return "flow clips: \(s.flowFrames) frames"
    case .training:
      let t = s.training
      return "training: up to \(plural(t.epochs, "epoch")), batch \(t.batchSize), \(t.optimizer.rawValue) lr \(t.learningRate) (\(t.schedule.rawValue)), weight decay \(t.weightDecay), clip \(t.clipNorm), patience \(t.patience), validation \(t.validationFraction)"
    }
  }

  static func epochLine(_ e: EpochEvent) -> String {
    let r = e.record
    let label = e.run.map { "run \($0)" } ?? e.cell.map(cellLabel) ?? ""
    var line = "\(label) epoch \(r.epoch): loss \(String(format: "%.4f", r.trainLoss)) acc \(percent(r.trainAccuracy))%"
    if let vl = r.validationLoss, let va = r.validationAccuracy {
      line += "  val loss \(String(format: "%.4f", vl)) acc \(percent(va))%"
    }
    return line
  }

  static func cellLabel(_ cell: GridCell) -> String { "\(cell.row) fold \(cell.fold) seed \(cell.seed)" }

  private static func evaluationLines(_ e: Evaluated) -> [String] {
    let scope = e.fold.map { "fold \($0)'s \(e.clips.count) test clips (subjects \(e.subjects.joined(separator: ", ")))" }
      ?? "all \(e.clips.count) clips"
    let c = e.confusion
    let codes = Emotion.allCases.map(\.code)
    var lines = [
      "run \(e.run) on \(scope): accuracy \(percent(e.accuracy))%, macro-F1 \(String(format: "%.3f", e.macroF1)), UAR \(percent(e.uar))%, loss \(String(format: "%.4f", e.loss))",
      "per class: " + zip(codes, c.perClassAccuracy).map { "\($0) \($1.map { percent($0) + "%" } ?? "—")" }.joined(separator: " "),
    ]
    guard c.classes == codes.count else { return lines }
    lines.append("true\\pred " + codes.joined(separator: " "))
    for r in 0..<c.classes {
      lines.append(codes[r] + String(repeating: " ", count: 8) + (0..<c.classes).map { String(format: "%2d", c[r, $0]) }.joined(separator: " "))
    }
    return lines
  }

  private static func predictionLines(_ p: Predicted) -> [String] {
    let names = Emotion.allCases.map(\.name)
    let table = ResultTable(
      header: ["window s", "predicted"] + names.map { String($0.prefix(4)) },
      rows: p.timeline.map { w in
        [String(format: "%.2f–%.2f", w.start, w.end), w.predicted] + w.probabilities.map { String(format: "%.2f", $0) }
      })
    return [
      "run \(p.run) on \(p.video): \(p.predicted) (\(plural(p.frames, "frame")), \(p.fallbackFrames) without a detected face)",
      zip(names, p.probabilities).map { "\($0) \(String(format: "%.3f", $1))" }.joined(separator: "  "),
    ] + table.lines
  }

  private static func flowLines(_ f: FlowMeasured) -> [String] {
    ["gradient flow on clips of \(f.frames) frames (\(f.clips)), rgb stream, seed \(f.seed)"]
      + f.reports.flatMap { m -> [String] in
        let bottom = m.report.layers.first?.hidden ?? []
        var lines = [
          "\(m.label): ‖∂L/∂h_1‖ / ‖∂L/∂h_T‖ = \(String(format: "%.3g", m.report.firstToLastRatio)) (bottom layer), "
            + "loss \(String(format: "%.4f", m.report.loss)), ‖∂L/∂h_t‖ from \(String(format: "%.3g", bottom.first ?? 0)) "
            + "to \(String(format: "%.3g", bottom.last ?? 0))"
        ]
        if let layer = m.report.layers.first, layer.hidden.count > 1 {
          lines += [0, layer.hidden.count / 2].map { "  bottom layer, share of ∂L/∂h_\($0 + 1) by path: " + shares(layer, step: $0) }
        }
        return lines
      }
  }

  /// "recurrence 33%, temporal skip 56%, …": the paths that carry anything at `step`.
  static func shares(_ layer: LayerGradientFlow, step: Int) -> String {
    let parts = GradientPath.allCases.map { (path: $0, share: layer[$0].share[step]) }.filter { $0.share != 0 }
    guard !parts.isEmpty else { return "nothing arrives" }
    return parts.map { "\($0.path.title) \(String(format: "%.0f", 100 * $0.share))%" }.joined(separator: ", ")
  }

  private static func foldLines(_ d: DatasetEvent) -> [String] {
    ["\(plural(d.foldGroups.count, "fold")) (seed \(d.foldSeed)), test subjects per fold: "
      + d.foldGroups.enumerated().map { "\($0.offset): \($0.element.joined(separator: " "))" }.joined(separator: " | ")]
  }

  private static func listed(_ items: [String], _ verb: String, _ one: String, _ many: String) -> [String] {
    guard !items.isEmpty else { return [] }
    let shown = items.prefix(listLimit).map { "  \($0)" }
    let more = items.count > listLimit ? ["  … and \(items.count - listLimit) more"] : []
    return ["\(verb) \(items.count) \(items.count == 1 ? one : many):"] + shown + more
  }

  static func streams(_ spec: ModelSpec) -> String { spec.streams.map(\.rawValue).joined(separator: ",") }
  private static func onOff(_ on: Bool) -> String { on ? "on" : "off" }

  /// "1 epoch", "3 epochs".
  static func plural(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
}
