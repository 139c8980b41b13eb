import FERData
import FERExperiments
import FERWorkspace

// The explorer's charts, built from the snapshot: loss and accuracy curves of
// the current run (train and validation per epoch, plus the epoch in progress),
// the confusion matrix of its latest evaluation, and ‖∂L/∂h_t‖ per time step of
// the latest gradient-flow measurements, overlaid.

enum ChartPanels {
  /// Which curve a panel plots.
  enum Curve { case loss, accuracy }

  /// Train and validation series of the current run. Epoch e's record sits at x = e
  /// (its end); while training, the epoch in progress adds a point at
  /// (e − 1) + step/steps from the running minibatch figures.
  static func plot(_ curve: Curve, of snapshot: WorkspaceSnapshot) -> LinePlot {
    let history = snapshot.currentRun?.history ?? []
    let scale = curve == .accuracy ? 100.0 : 1.0
    var trainXs = history.map { Double($0.epoch) }
    var trainYs = history.map { (curve == .loss ? $0.trainLoss : $0.trainAccuracy) * scale }
    let validation = history.compactMap { record -> (Double, Double)? in
      guard let value = curve == .loss ? record.validationLoss : record.validationAccuracy else { return nil }
      return (Double(record.epoch), value * scale)
    }
    if case .training(let step?) = snapshot.activity, step.epoch > (history.last?.epoch ?? 0) {
      trainXs.append(Double(step.epoch - 1) + Double(step.step) / Double(max(1, step.stepsPerEpoch)))
      trainYs.append(curve == .loss ? Double(step.loss) : step.accuracy * scale)
    }
    return LinePlot(
      series: [
        .init(name: "train", xs: trainXs, ys: trainYs),
        .init(name: "validation", xs: validation.map(\.0), ys: validation.map(\.1)),
      ],
      xLabel: "epoch", yRange: curve == .accuracy ? 0...100 : nil)
  }

  static func drawCurve(
    _ curve: Curve, _ snapshot: WorkspaceSnapshot, into grid: inout CellGrid, in rect: Rect, capabilities: TerminalCapabilities
  ) {
    let glyphs = BoxGlyphs.forCapabilities(capabilities)
    var title = curve == .loss ? "Loss" : "Accuracy %"
    if let run = snapshot.currentRun { title += separator(capabilities) + "run \(run.id) \(run.specName)" }
    let inner = grid.box(rect, title: title, glyphs: glyphs)
    plot(curve, of: snapshot).draw(into: &grid, in: inner, capabilities: capabilities)
  }

  // MARK: Confusion

  static func classLabels(_ classes: Int) -> [String] {
    classes == Emotion.count ? Emotion.allCases.map(\.name) : (0..<classes).map { "class \($0)" }
  }

  static func drawConfusion(_ snapshot: WorkspaceSnapshot, into grid: inout CellGrid, in rect: Rect, capabilities: TerminalCapabilities) {
    let glyphs = BoxGlyphs.forCapabilities(capabilities)
    guard let run = snapshot.currentRun, let confusion = run.confusion else {
      let inner = grid.box(rect, title: "Confusion", glyphs: glyphs)
      placeholder(["no confusion matrix yet:", "train (t) to fill it"], into: &grid, in: inner)
      return
    }
    let accuracy = NumberFormatting.percent(confusion.accuracy)
    let inner = grid.box(rect, title: "Confusion" + separator(capabilities) + "run \(run.id)" + separator(capabilities) + "acc \(accuracy)", glyphs: glyphs)
    let n = confusion.classes
    let counts = (0..<n).map { r in (0..<n).map { c in confusion[r, c] } }
    ConfusionHeatMap(labels: classLabels(n), counts: counts).draw(into: &grid, in: inner, capabilities: capabilities)
  }

  // MARK: Gradient flow

  /// One series per measurement: the bottom layer's ‖∂L/∂h_t‖ for t = 1…T.
  static func flowChart(_ reports: [LabelledFlowReport]) -> BarChart {
    let series = reports.map { BarChart.Series(name: $0.label, values: $0.report.layers.first?.hidden ?? []) }
    return BarChart(series: series, arrangement: .overlaid, logScale: true, xLabel: "time step t")
  }

  static func drawFlow(_ snapshot: WorkspaceSnapshot, into grid: inout CellGrid, in rect: Rect, capabilities: TerminalCapabilities) {
    let glyphs = BoxGlyphs.forCapabilities(capabilities)
    let title = capabilities.unicode ? "Gradient flow ‖∂L/∂h_t‖ (log)" : "Gradient flow |dL/dh_t| (log)"
    let inner = grid.box(rect, title: title, glyphs: glyphs)
    guard !snapshot.gradientFlow.isEmpty else {
      placeholder(["no measurement yet:", "f (flow) measures conventional", "and the switches as set"], into: &grid, in: inner)
      return
    }
    flowChart(snapshot.gradientFlow).draw(into: &grid, in: inner, capabilities: capabilities)
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
