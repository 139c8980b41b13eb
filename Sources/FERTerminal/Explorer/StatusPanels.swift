import FERExperiments
import FERModels
import Foundation
import FERWorkspace

// The text panels at the top of the explorer: the header (dataset, model, run
// state), the model's switches with their keys, and the dataset / training
// settings. Pure functions of the snapshot.

enum StatusPanels {
  // MARK: Header

  /// "FERLab │ synthetic-small 96 clips … │ model paper │ ● training epoch 1 3/12" on one row;
  /// the run state is right-aligned and the dataset is cut first when the row is narrow.
  static func drawHeader(
    _ snapshot: WorkspaceSnapshot, title: String, into grid: inout CellGrid, in rect: Rect, capabilities: TerminalCapabilities
  ) {
    grid.withRegion(rect) { grid in
      let glyphs = BoxGlyphs.forCapabilities(capabilities)
      let width = grid.bounds.width
      let bar: Style = capabilities.hasColor ? Style(foreground: .black, background: .cyan) : .reverse
      grid.fill(grid.bounds, style: bar)
      let (state, stateColor) = activityText(snapshot.activity)
      let stateText = " " + (capabilities.unicode ? "● " : "* ") + state + " "
      let stateStyle = capabilities.hasColor ? Style(foreground: .black, background: stateColor, attributes: .bold) : bar.adding(.bold)
      let stateStart = max(0, width - stateText.count)
      grid.put(stateText, x: stateStart, y: 0, style: stateStyle)

      let separator = capabilities.unicode ? " │ " : " | "
      var x = grid.put(" " + title, x: 0, y: 0, style: bar.adding(.bold))
      let model = "model " + snapshot.spec.name
      let dataset = snapshot.dataset.map(datasetText) ?? "no dataset"
      let room = stateStart - x - 2 * separator.count - model.count - 1
      x = grid.put(separator, x: x, y: 0, style: bar)
      x = grid.put(fitted(dataset, width: max(0, room), ellipsis: glyphs.ellipsis), x: x, y: 0, style: bar)
      if room > 0 {
        x = grid.put(separator, x: x, y: 0, style: bar)
        grid.put(fitted(model, width: stateStart - x - 1, ellipsis: glyphs.ellipsis), x: x, y: 0, style: bar)
      }
    }
  }

  static func datasetText(_ dataset: DatasetSummary) -> String {
    "\(dataset.name) \(dataset.clips) clips \(dataset.subjects.count) subjects T\(dataset.frames) \(dataset.size)px"
  }

  /// What the worker is doing, in a few words, and the colour it is shown in.
  static func activityText(_ activity: Activity) -> (String, TerminalColor) {
    switch activity {
    case .idle: return ("ready", .green)
    case .loading(let what): return ("loading \(what)", .yellow)
    case .training(let step?): return ("training epoch \(step.epoch) \(step.step)/\(step.stepsPerEpoch)", .yellow)
    case .training(nil): return ("training", .yellow)
    case .paused: return ("paused", .magenta)
    case .evaluating: return ("evaluating", .yellow)
    case .crossValidating(let fold, let of): return ("cv fold \(fold)/\(of)", .yellow)
    case .ablating(let row, let of): return ("ablation row \(row)/\(of)", .yellow)
    case .measuringFlow: return ("measuring flow", .yellow)
    }
  }

  /// Whether a run is in flight (quitting asks first).
  static func isBusy(_ activity: Activity) -> Bool { activity != .idle }

  // MARK: Model switches

  /// Whether the switches act on this spec (a ConvLSTM stream is present).
  static func hasConvLSTM(_ spec: ModelSpec) -> Bool {
    spec.backbone == .convLSTM && spec.streams.contains { $0.isSequence }
  }

  /// The value a switch will have at the next run, when a `set` for it waits in the queue.
  static func pending(_ which: ModelSwitch, in queued: [String]) -> Bool? {
    queued.last { $0.hasPrefix("set \(which.rawValue) ") }.map { $0.hasSuffix(" on") }
  }

  /// The switches with their keys: one compact line ("1 temporal ● on  2 spatial ○ off …")
  /// or, given three rows or more, one row per switch with what it does. A change waiting
  /// for the next run shows as "→ off".
  static func drawModel(_ snapshot: WorkspaceSnapshot, keys: KeyBindings, into grid: inout CellGrid, in rect: Rect, capabilities: TerminalCapabilities) {
    let spec = snapshot.spec
    grid.withRegion(rect) { grid in
      grid.fill(grid.bounds)
      let active = hasConvLSTM(spec)
      let rows = grid.bounds.height
      var x = 0
      for (index, which) in ModelSwitch.allCases.enumerated() {
        let key = keys.bindings.first { $0.action == .toggle(which) }?.label ?? "-"
        let y = rows >= 3 ? index : 0
        if rows >= 3 { x = 0 }
        x = drawSwitch(which, key: key, on: which.isOn(in: spec), active: active, x: x, y: y, padded: rows >= 3, into: &grid, capabilities: capabilities)
        if let next = pending(which, in: snapshot.queued) {
          let arrow = capabilities.unicode ? " → " : " -> "
          let style: Style = capabilities.hasColor ? .foreground(.yellow, .bold) : .bold
          x = grid.put(arrow + (next ? "on" : "off") + (rows >= 3 ? " at the next run" : ""), x: x, y: y, style: style)
        }
        if rows >= 3 {
          let meaning = active ? which.meaning : "(no ConvLSTM stream in this model)"
          grid.put(meaning, x: x + 1, y: y, style: .dim)
        } else {
          x += 2
        }
      }
      if rows < 3 {
        let summary = active ? "preset \(spec.name): \(spec.streams.map(\.rawValue).joined(separator: " "))" : "preset \(spec.name): no ConvLSTM stream"
        let glyphs = BoxGlyphs.forCapabilities(capabilities)
        grid.put(fitted(summary, width: grid.bounds.width - x, ellipsis: glyphs.ellipsis), x: x, y: 0, style: .dim)
      }
    }
  }

  /// "[1] temporal ● on"; returns the column after it.
  private static func drawSwitch(
    _ which: ModelSwitch, key: String, on: Bool, active: Bool, x: Int, y: Int, padded: Bool,
    into grid: inout CellGrid, capabilities: TerminalCapabilities
  ) -> Int {
    var x = grid.put("[\(key)]", x: x, y: y, style: .bold)
    let name = padded ? which.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0) : which.rawValue
    x = grid.put(" " + name, x: x, y: y)
    let mark = capabilities.unicode ? (on ? "●" : "○") : (on ? "[x]" : "[ ]")
    let word = on ? "on " : "off"
    var style: Style = on ? .bold : .dim
    if capabilities.hasColor && active { style = .foreground(on ? .green : .red, on ? .bold : []) }
    if !active { style = .dim }
    return grid.put(" \(mark) \(word)", x: x, y: y, style: style)
  }

  // MARK: Dataset and training settings

  static func drawSettings(_ snapshot: WorkspaceSnapshot, into grid: inout CellGrid, in rect: Rect, capabilities: TerminalCapabilities) {
    grid.withRegion(rect) { grid in
      grid.fill(grid.bounds)
      let glyphs = BoxGlyphs.forCapabilities(capabilities)
      let width = grid.bounds.width
      let spec = snapshot.spec, t = snapshot.training
      let dot = capabilities.unicode ? " · " : ", "
      let dataset = snapshot.dataset.map { d in
        datasetText(d) + (d.hasMotion ? dot + "motion ready" : "")
      } ?? "no dataset yet: load synthetic starter"
      let model = "streams \(spec.streams.map(\.rawValue).joined(separator: " "))" + dot + "input \(spec.inputSize)px"
      let lr = String(format: "%g", Double(t.learningRate))
      let training = "\(t.optimizer.rawValue) lr \(lr) \(t.schedule.rawValue)" + dot + "up to \(t.epochs) epoch\(t.epochs == 1 ? "" : "s")" + dot
        + "batch \(t.batchSize)" + dot + "fold \(snapshot.fold)/\(snapshot.foldCount)" + dot + "seed \(snapshot.seed)"
      for (row, line) in [dataset, model, training].enumerated() {
        grid.put(fitted(line, width: width, ellipsis: glyphs.ellipsis), x: 0, y: row, style: row == 0 && snapshot.dataset == nil ? .dim : .plain)
      }
    }
  }
}
