import Foundation
@testable import FERTerminal

// Data the widget snapshots draw: smooth, deterministic curves shaped like a
// real run (losses falling, validation flattening and turning up; gradient
// norms vanishing back through time without skip connections and holding up with them).

enum Fixtures {
  static let classes = ["anger", "disgust", "fear", "happiness", "sadness", "surprise"]

  /// 6 classes of about 50 clips; the diagonal dominates, fear and surprise are confused.
  static let confusion: [[Int]] = [
    [31, 6, 4, 1, 7, 3],
    [8, 27, 5, 2, 6, 4],
    [5, 4, 22, 3, 9, 9],
    [1, 2, 1, 44, 2, 2],
    [6, 5, 8, 2, 26, 5],
    [2, 3, 9, 3, 3, 32],
  ]

  static func trainLoss(epochs: Int) -> [Double] {
    (0..<epochs).map { (e: Int) -> Double in
      let x = Double(e)
      let trend: Double = 1.6 * exp(-x / 6) + 0.3
      return trend + 0.03 * sin(x * 1.7)
    }
  }

  static func validationLoss(epochs: Int) -> [Double] {
    (0..<epochs).map { (e: Int) -> Double in
      let x = Double(e)
      let trend: Double = 1.5 * exp(-x / 8) + 0.55
      let overfitting: Double = 0.012 * max(0, x - 18)
      return trend + 0.04 * sin(x * 1.3) + overfitting
    }
  }

  static func lossPlot(epochs: Int = 30) -> LinePlot {
    LinePlot(
      series: [
        .init(name: "train", values: trainLoss(epochs: epochs)),
        .init(name: "validation", values: validationLoss(epochs: epochs)),
      ],
      xLabel: "epoch")
  }

  /// ‖∂L/∂h_t‖ for t = 1…steps: geometric decay back from the last step.
  static func gradientNorms(steps: Int, decay: Double, last: Double) -> [Double] {
    (0..<steps).map { t in last * pow(decay, Double(steps - 1 - t)) }
  }

  static func gradientBars(steps: Int = 16, arrangement: BarChart.Arrangement, logScale: Bool) -> BarChart {
    BarChart(
      series: [
        .init(name: "conventional", values: gradientNorms(steps: steps, decay: 0.55, last: 0.8)),
        .init(name: "enhanced", values: gradientNorms(steps: steps, decay: 0.88, last: 0.6)),
      ],
      arrangement: arrangement, logScale: logScale, xLabel: "time step t")
  }

  static let resultTable = TextTable(
    columns: [
      .init("row"), .init("streams"), .init("accuracy", alignment: .right), .init("± sd", alignment: .right),
      .init("paper", alignment: .right),
    ],
    rows: [
      ["a", "ResNet (RGB + flow dynamic images)", "37.9%", "2.1", "—"],
      ["b", "conventional ConvLSTM", "39.6%", "1.8", "39.84%"],
      ["c", "Enhanced ConvLSTM", "43.7%", "2.4", "44.28%"],
      ["d", "a + b", "41.2%", "1.9", "41.48%"],
      ["e", "a + c (proposed)", "45.0%", "2.2", "45.29%"],
      ["-", "CNN+LSTM baseline", "42.1%", "2.0", "42.98%"],
    ],
    emphasisedRows: [4])

  static func progress(_ fraction: Double) -> ProgressBar {
    ProgressBar(fraction: fraction, label: "fold 2/5 epoch 12", etaSeconds: 187, rate: 12.34, rateUnit: "clips/s")
  }
}
