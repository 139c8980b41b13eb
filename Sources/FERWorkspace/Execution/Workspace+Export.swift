import FERData
import FERExperiments
import FERModels
import Foundation

// `export [FOLDER]`: what the explorer shows, as files a paper or a slide can
// use — every run's curves, the grid's cells and rows, the results table, the
// current run's confusion matrix and the gradient-flow measurements as CSV; the
// loss, accuracy and flow charts as SVG. Each file is written whole (atomically).

extension Workspace {
  func export(to folder: String, _ ctx: JobContext) throws {
    let s = update { $0.snapshot }
    var files: [(String, String)] = []

    var curves = CSV(header: ["run", "dataset", "spec", "fold", "epoch", "trainLoss", "trainAccuracy", "validationLoss", "validationAccuracy", "learningRate"])
    for r in s.runs {
      for e in r.history {
        curves.rows.append([
          "\(r.id)", r.dataset, r.spec.name, "\(r.fold)", "\(e.epoch)", CSV.number(e.trainLoss), CSV.number(e.trainAccuracy),
          CSV.number(e.validationLoss), CSV.number(e.validationAccuracy), CSV.number(Double(e.learningRate)),
        ])
      }
    }
    if !curves.rows.isEmpty { files.append(("curves.csv", curves.text)) }
    if let grid = s.grid {
      var cells = CSV(header: ["cell", "row", "fold", "seed", "epochs", "accuracy", "macroF1", "stop"])
      for c in grid.finished {
        cells.rows.append([c.cell.key, c.cell.row, "\(c.cell.fold)", "\(c.cell.seed)", "\(c.epochs)", CSV.number(c.accuracy), CSV.number(c.macroF1), c.stop.summary])
      }
      files.append(("grid-cells.csv", cells.text))
      if let summary = grid.summary {
        var rows = CSV(header: ["row", "title", "n", "accuracy", "accuracyLow", "accuracyHigh", "macroF1", "macroF1Low", "macroF1High", "uar"])
        for r in summary.rows {
          rows.rows.append([
            r.label, r.title, "\(r.accuracy.n)", CSV.number(r.accuracy.mean), CSV.number(r.accuracy.ci95?[0]), CSV.number(r.accuracy.ci95?[1]),
            CSV.number(r.macroF1.mean), CSV.number(r.macroF1.ci95?[0]), CSV.number(r.macroF1.ci95?[1]), CSV.number(r.uar),
          ])
        }
        files.append(("grid-rows.csv", rows.text))
        var pairs = CSV(header: ["pair", "n", "difference", "low", "high", "p", "test"])
        for p in summary.pairs {
          pairs.rows.append([
            p.name, "\(p.difference.n)", CSV.number(p.difference.mean), CSV.number(p.difference.ci95?[0]), CSV.number(p.difference.ci95?[1]),
            CSV.number(p.p), p.test,
          ])
        }
        if !pairs.rows.isEmpty { files.append(("grid-pairs.csv", pairs.text)) }
      }
    }
    if let table = s.table { files.append(("results.csv", CSV(header: table.header, rows: table.rows).text)) }
    if let run = s.currentRun, let c = run.confusion {
      let names = c.classes == Emotion.count ? Emotion.allCases.map(\.name) : (0..<c.classes).map { "class \($0)" }
      files.append(("confusion-run-\(run.id).csv", CSV(header: ["true \\ predicted"] + names, rows: (0..<c.classes).map { r in [names[r]] + (0..<c.classes).map { "\(c[r, $0])" } }).text))
    }
    if !s.gradientFlow.isEmpty {
      var flow = CSV(header: ["measurement", "layer", "step", "norm"] + GradientPath.allCases.map { "share \($0.rawValue)" })
      for m in s.gradientFlow {
        for (l, layer) in m.report.layers.enumerated() {
          for t in layer.hidden.indices {
            flow.rows.append([m.label, "\(l)", "\(t + 1)", CSV.number(layer.hidden[t])] + GradientPath.allCases.map { CSV.number(layer[$0].share[t]) })
          }
        }
      }
      files.append(("flow.csv", flow.text))
      let chart = SVGLineChart(
        title: "‖∂L/∂h_t‖, bottom layer", xLabel: "time step t", yLabel: "gradient norm",
        series: s.gradientFlow.map { m in .init(name: m.label, points: (m.report.layers.first?.hidden ?? []).enumerated().map { (Double($0.offset + 1), $0.element) }) },
        logY: true)
      files.append(("flow.svg", chart.svg))
    }
    let shown = s.runs.filter { s.overlay.contains($0.id) || $0.id == s.currentRun?.id }
    if shown.contains(where: { !$0.history.isEmpty }) {
      for (name, title, value) in [
        ("loss.svg", "loss", { (e: EpochRecord, validation: Bool) in validation ? e.validationLoss : e.trainLoss }),
        ("accuracy.svg", "accuracy", { (e: EpochRecord, validation: Bool) in (validation ? e.validationAccuracy : e.trainAccuracy).map { 100 * $0 } }),
      ] {
        let series = shown.flatMap { r in
          [false, true].map { validation in
            SVGLineChart.Series(
              name: "run \(r.id) \(validation ? "validation" : "train")",
              points: r.history.compactMap { e in value(e, validation).map { (Double(e.epoch), $0) } })
          }
        }.filter { !$0.points.isEmpty }
        files.append((name, SVGLineChart(title: title, xLabel: "epoch", yLabel: title == "loss" ? "loss" : "accuracy %", series: series).svg))
      }
    }
    guard !files.isEmpty else { throw WorkspaceError.failed("export: nothing to export yet; train, cv, ablate or flow first") }
    do {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      for (name, text) in files {
        try Data(text.utf8).write(to: URL(fileURLWithPath: folder).appendingPathComponent(name), options: .atomic)
      }
    } catch {
      throw WorkspaceError.failed("export: cannot write to \(folder): \((error as NSError).localizedDescription)")
    }
    ctx.emit(.exported(Exported(folder: folder, files: files.map(\.0))))
  }
}
