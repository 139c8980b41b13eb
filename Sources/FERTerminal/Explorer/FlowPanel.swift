import FERExperiments
import FERModels
import FERWorkspace
import Foundation

// The gradient-flow panel, three views of the latest `flow` (v cycles them):
// - over time: the bottom layer's ‖∂L/∂h_t‖ per step, every measurement at
//   once (overlaid bars in colour; one line per measurement, each its own
//   glyph, without colour, so every step fits);
// - layer × time: ‖∂L/∂h_t‖ of every layer of the last measurement, shaded
//   on a log scale over the whole measurement;
// - by path: for one layer (l picks it) the share of ∂L/∂h_t arriving through
//   each path — recurrence, temporal skip, the layer above's gates and spatial
//   skip, the head — per step.
// After a cross-validation or an ablation it shows the grid's rows instead:
// mean accuracy with its 95 % interval.

enum FlowPanel {
  static func draw(
    _ snapshot: WorkspaceSnapshot, view: ExplorerViewState, into grid: inout CellGrid, in rect: Rect,
    capabilities: TerminalCapabilities
  ) {
    let glyphs = BoxGlyphs.forCapabilities(capabilities)
    let dot = ChartPanels.separator(capabilities)
    if snapshot.focus == .grid, let (kind, summary) = gridSummary(snapshot) {
      let inner = grid.box(rect, title: kind + dot + "accuracy % (95% CI)", glyphs: glyphs)
      let rows = summary.rows.map { r in
        IntervalChart.Row(
          label: r.label, mean: 100 * r.accuracy.mean, interval: r.accuracy.ci95.map { (100 * $0[0])...(100 * $0[1]) })
      }
      let cells = summary.rows.first.map { "\($0.accuracy.n)" } ?? "0"
      IntervalChart(rows: rows, caption: "mean over \(cells) cells a row; whiskers: 95% t-interval")
        .draw(into: &grid, in: inner, capabilities: capabilities)
      return
    }
    let norm = capabilities.unicode ? "‖∂L/∂h_t‖" : "|dL/dh_t|"
    guard let last = snapshot.gradientFlow.last else {
      let inner = grid.box(rect, title: "Gradient flow " + norm, glyphs: glyphs)
      ChartPanels.placeholder(["no measurement yet:", "f (flow) measures conventional", "and the switches as set"], into: &grid, in: inner)
      return
    }
    switch view.flowView {
    case .overTime:
      let inner = grid.box(rect, title: "Gradient flow " + norm + " (log)" + dot + "bottom layer" + dot + "v: view", glyphs: glyphs)
      overTime(snapshot.gradientFlow, capabilities).draw(into: &grid, in: inner, capabilities: capabilities)
    case .layerByTime:
      let inner = grid.box(rect, title: norm + " by layer" + dot + last.label + dot + "v: view", glyphs: glyphs)
      layerByTime(last.report).draw(into: &grid, in: inner, capabilities: capabilities)
    case .byPath:
      let layers = last.report.layers.count
      let layer = layers == 0 ? 0 : view.flowLayer % layers
      let inner = grid.box(rect, title: "Share by path" + dot + "layer \(layer + 1)/\(layers)" + dot + last.label + dot + "l: layer", glyphs: glyphs)
      byPath(last.report, layer: layer).draw(into: &grid, in: inner, capabilities: capabilities)
    }
  }

  /// The summary the grid panels show: the finished grid's, or a watched grid's so far (with its progress).
  static func gridSummary(_ snapshot: WorkspaceSnapshot) -> (kind: String, summary: GridSummary)? {
    if let progress = snapshot.grid, let summary = progress.summary { return (progress.kind, summary) }
    if let watch = snapshot.watch, let summary = watch.summary {
      return ("\(watch.kind) (\(watch.done)/\(watch.total) cells)", summary)
    }
    return nil
  }

  /// Every measurement's bottom-layer norms: overlaid bars where colour tells them apart, else glyph lines.
  static func overTime(_ reports: [LabelledFlowReport], _ capabilities: TerminalCapabilities) -> any Widget {
    let bottom = reports.map { ($0.label, $0.report.layers.first?.hidden ?? []) }
    if capabilities.hasColor || reports.count == 1 {
      return BarChart(
        series: bottom.map { BarChart.Series(name: $0.0, values: $0.1) }, arrangement: .overlaid, logScale: true,
        xLabel: "time step t")
    }
    return LinePlot(series: bottom.map { LinePlot.Series(name: $0.0, values: $0.1) }, xLabel: "time step t", logScale: true)
  }

  /// Rows: layers bottom (1) to top; shade: log ‖∂L/∂h_t‖ between the measurement's smallest and largest.
  static func layerByTime(_ report: GradientFlowReport) -> HeatGrid {
    let logs = report.layers.flatMap(\.hidden).filter { $0 > 0 }.map { log10($0) }
    let (low, high) = (logs.min() ?? 0, logs.max() ?? 1)
    let values = report.layers.map { layer in
      layer.hidden.map { norm -> Double? in norm > 0 ? (log10(norm) - low) / max(high - low, 1e-12) : nil }
    }
    let decades = String(format: "%.1f", high - low)
    return HeatGrid(
      rowLabels: report.layers.indices.map { "layer \($0 + 1)" }, values: values,
      caption: "time step t; shade: log ‖∂L/∂h_t‖ over \(decades) decades")
  }

  /// Rows: the paths; shade: the share of ∂L/∂h_t arriving that way at each step.
  static func byPath(_ report: GradientFlowReport, layer: Int) -> HeatGrid {
    guard report.layers.indices.contains(layer) else { return HeatGrid(rowLabels: [], values: []) }
    let flow = report.layers[layer]
    let paths = GradientPath.allCases.filter { path in flow[path].norm.contains { $0 != 0 } }
    return HeatGrid(
      rowLabels: paths.map(\.title), values: paths.map { path in flow[path].share.map { Optional($0) } },
      caption: "time step t; shade: share of ∂L/∂h_t (- against the total)")
  }
}
