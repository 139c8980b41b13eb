import FERData
import FERExperiments
import FERWorkspace

// The explorer's curve and confusion panels, built from the snapshot: loss and
// accuracy of the current run (train and validation per epoch, plus the epoch
// in progress), of the runs compared, or of the latest grid's cells or rows; the
// confusion matrix of the current run's latest evaluation (with a cursor), or of
// the grid summed over its cells. The gradient-flow panel is FlowPanel.

enum ChartPanels {
  /// Which curve a panel plots.
  enum Curve { case loss, accuracy }

  /// What the curve panels show: the current run's train and validation series; the runs of the
  /// latest `compare`, one series each; or the latest grid's cells (cross-validation) or rows
  /// (ablation, averaged over their cells). Returns the plot and what it shows, for the title.
  static func plot(_ curve: Curve, of snapshot: WorkspaceSnapshot) -> (plot: LinePlot, subject: String?) {
    let scale = curve == .accuracy ? 100.0 : 1.0
    let yRange: ClosedRange<Double>? = curve == .accuracy ? 0...100 : nil
    /// One value per epoch: train loss, or validation accuracy where there is validation.
    func value(_ e: EpochRecord) -> Double {
      curve == .loss ? e.trainLoss : (e.validationAccuracy ?? e.trainAccuracy) * scale
    }
    if snapshot.focus == .grid, let grid = snapshot.grid {
      let series: [LinePlot.Series]
      if grid.plan.rows.count == 1 {
        let cells = grid.plan.cells.filter { grid.histories[$0.key] != nil }.suffix(LinePlot.palette.count)
        series = cells.map { cell in
          let name = grid.plan.repetitions > 1 ? "f\(cell.fold) s\(cell.seed)" : "fold \(cell.fold)"
          let history = grid.histories[cell.key] ?? []
          return .init(name: name, xs: history.map { Double($0.epoch) }, ys: history.map(value))
        }
      } else {
        series = grid.plan.rows.compactMap { row in
          let histories = grid.plan.cells.filter { $0.row == row.label }.compactMap { grid.histories[$0.key] }
          let epochs = histories.map(\.count).max() ?? 0
          guard epochs > 0 else { return nil }
          let means = (0..<epochs).map { e in Statistics.mean(histories.filter { $0.count > e }.map { value($0[e]) }) }
          return .init(name: row.label, values: means)
        }
      }
      let what = curve == .loss ? "train" : "validation"
      return (LinePlot(series: series, xLabel: "epoch (\(what))", yRange: yRange), grid.kind)
    }
    let compared = snapshot.runs.filter { snapshot.overlay.contains($0.id) }
    if snapshot.focus == .run, compared.count > 1 {
      let series = compared.map { run in
        LinePlot.Series(name: "run \(run.id)", xs: run.history.map { Double($0.epoch) }, ys: run.history.map(value))
      }
      let what = curve == .loss ? "train" : "validation"
      return (LinePlot(series: series, xLabel: "epoch (\(what))", yRange: yRange), "runs " + compared.map { "\($0.id)" }.joined(separator: ", "))
    }
    let history = snapshot.currentRun?.history ?? []
    var trainXs = history.map { Double($0.epoch) }
    var trainYs = history.map { (curve == .loss ? $0.trainLoss : $0.trainAccuracy) * scale }
    let validation = history.compactMap { record -> (Double, Double)? in
      guard let value = curve == .loss ? record.validationLoss : record.validationAccuracy else { return nil }
      return (Double(record.epoch), value * scale)
    }
    // While training, the epoch in progress adds a point at (e − 1) + step/steps from the running figures.
    if case .training(let step?) = snapshot.activity, step.epoch > (history.last?.epoch ?? 0) {
      trainXs.append(Double(step.epoch - 1) + Double(step.step) / Double(max(1, step.stepsPerEpoch)))
      trainYs.append(curve == .loss ? Double(step.loss) : step.accuracy * scale)
    }
    let plot = LinePlot(
      series: [
        .init(name: "train", xs: trainXs, ys: trainYs),
        .init(name: "validation", xs: validation.map(\.0), ys: validation.map(\.1)),
      ],
      xLabel: "epoch", yRange: yRange)
    return (plot, snapshot.currentRun.map { "run \($0.id) \($0.specName)" })
  }

  static func drawCurve(
    _ curve: Curve, _ snapshot: WorkspaceSnapshot, into grid: inout CellGrid, in rect: Rect, capabilities: TerminalCapabilities
  ) {
    let glyphs = BoxGlyphs.forCapabilities(capabilities)
    let (plot, subject) = plot(curve, of: snapshot)
    var title = curve == .loss ? "Loss" : "Accuracy %"
    if let subject { title += separator(capabilities) + subject }
    let inner = grid.box(rect, title: title, glyphs: glyphs)
    plot.draw(into: &grid, in: inner, capabilities: capabilities)
  }

  // MARK: Confusion

  static func classLabels(_ classes: Int) -> [String] {
    classes == Emotion.count ? Emotion.allCases.map(\.name) : (0..<classes).map { "class \($0)" }
  }

  /// The current run's latest confusion matrix with the cursor on one cell; or, after a grid,
  /// its counts summed over the finished cells (of the last row, for an ablation).
  static func drawConfusion(
    _ snapshot: WorkspaceSnapshot, cursor: (row: Int, column: Int)?, into grid: inout CellGrid, in rect: Rect,
    capabilities: TerminalCapabilities
  ) {
    let glyphs = BoxGlyphs.forCapabilities(capabilities)
    let dot = separator(capabilities)
    let shown: (confusion: ConfusionMatrix, title: String, cursor: (row: Int, column: Int)?)?
    if snapshot.focus == .grid, let progress = snapshot.grid, let last = progress.finished.last {
      let cells = progress.finished.filter { $0.cell.row == last.cell.row }
      var total = ConfusionMatrix(classes: last.confusion.classes)
      for cell in cells { total.merge(cell.confusion) }
      let row = progress.plan.rows.count > 1 ? "row \(last.cell.row) " : ""
      shown = (total, "Confusion" + dot + row + "\(cells.count) cells summed" + dot + "acc \(NumberFormatting.accuracy(total.accuracy))", nil)
    } else if snapshot.focus == .grid, let (kind, summary) = FlowPanel.gridSummary(snapshot), let row = summary.rows.last {
      shown = (row.confusion, "Confusion" + dot + kind + dot + "row \(row.label)", nil)
    } else if let run = snapshot.currentRun, let confusion = run.confusion {
      shown = (confusion, "Confusion" + dot + "run \(run.id)" + dot + "acc \(NumberFormatting.accuracy(confusion.accuracy))", cursor)
    } else {
      shown = nil
    }
    guard let shown else {
      let inner = grid.box(rect, title: "Confusion", glyphs: glyphs)
      placeholder(["no confusion matrix yet:", "train (t) to fill it"], into: &grid, in: inner)
      return
    }
    let inner = grid.box(rect, title: shown.title, glyphs: glyphs)
    let n = shown.confusion.classes
    let counts = (0..<n).map { r in (0..<n).map { c in shown.confusion[r, c] } }
    var map = ConfusionHeatMap(labels: classLabels(n), counts: counts)
    map.cursor = shown.cursor
    map.draw(into: &grid, in: inner, capabilities: capabilities)
  }

  static func separator(_ capabilities: TerminalCapabilities) -> String { capabilities.unicode ? " · " : " - " }

  /// Dim lines centred in a panel that has nothing to show yet.
  static func placeholder(_ lines: [String], into grid: inout CellGrid, in rect: Rect) {
    grid.withRegion(rect) { grid in
      let top = max(0, (grid.bounds.height - lines.count) / 2)
      for (row, line) in lines.enumerated() {
        let text = fitted(line, width: grid.bounds.width)
        grid.put(text, x: max(0, (grid.bounds.width - text.count) / 2), y: top + row, style: .dim)
      }
    }
  }
}
