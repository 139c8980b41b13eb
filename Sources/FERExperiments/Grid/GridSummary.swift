import Foundation

// What a finished grid says: for each row the mean accuracy and macro-F1 over
// its cells (folds × seeds) with 95 % t-intervals, and for chosen pairs of rows
// the paired difference over the cells both have (same fold, same seed) with
// its interval and a paired t-test. A pure function of the cells' outcomes, so
// a grid collected from many processes summarises exactly as a sequential one.

/// One row's results over its cells.
public struct RowSummary: Codable, Sendable, Equatable {
  public let label: String
  public let title: String
  public let accuracy: Estimate
  public let macroF1: Estimate
  /// Mean unweighted average recall over the cells.
  public let uar: Double
  /// Counts summed over the cells' test sets.
  public let confusion: ConfusionMatrix
  /// The seed's published eNTERFACE'05 accuracy (percent), when it reports one.
  public let published: Double?
}

/// What a summary reads of a finished cell: its test accuracy and confusion matrix.
public struct GridCellScore: Sendable, Equatable {
  public let cell: GridCell
  public let accuracy: Double
  public let confusion: ConfusionMatrix

  public init(cell: GridCell, accuracy: Double, confusion: ConfusionMatrix) {
    self.cell = cell
    self.accuracy = accuracy
    self.confusion = confusion
  }
}

extension GridCellOutcome {
  public var score: GridCellScore { GridCellScore(cell: cell, accuracy: result.accuracy, confusion: result.confusion) }
}

/// A grid's rows and pairs.
public struct GridSummary: Codable, Sendable, Equatable {
  public let rows: [RowSummary]
  public let pairs: [PairedComparison]

  /// Summarises `outcomes` of `plan`, comparing the `pairs` of row labels (first − second) that both ran.
  public init(plan: GridPlan, outcomes: [GridCellOutcome], pairs: [(String, String)]) {
    self.init(plan: plan, scores: outcomes.map(\.score), pairs: pairs)
  }

  /// Summarises the `scores` of `plan`'s finished cells (in plan order, as a run finishes
  /// them: the order fixes the sums' rounding), comparing the `pairs` of row labels
  /// (first − second) that both ran. What a `cellFinished` event records is enough.
  public init(plan: GridPlan, scores: [GridCellScore], pairs: [(String, String)]) {
    var byRow: [String: [GridCellScore]] = [:]
    for score in scores { byRow[score.cell.row, default: []].append(score) }
    rows = plan.rows.compactMap { row in
      guard let cells = byRow[row.label], let first = cells.first else { return nil }
      var confusion = ConfusionMatrix(classes: first.confusion.classes)
      for cell in cells { confusion.merge(cell.confusion) }
      return RowSummary(
        label: row.label, title: row.title, accuracy: Estimate(cells.map(\.accuracy)),
        macroF1: Estimate(cells.map(\.confusion.macroF1)),
        uar: Statistics.mean(cells.map(\.confusion.unweightedAverageRecall)), confusion: confusion,
        published: row.published)
    }
    self.pairs = pairs.compactMap { first, second in
      guard let a = byRow[first], let b = byRow[second] else { return nil }
      var accuracyOf: [String: Double] = [:]
      for cell in b { accuracyOf["\(cell.cell.fold)/\(cell.cell.seed)"] = cell.accuracy }
      let differences = a.compactMap { cell in
        accuracyOf["\(cell.cell.fold)/\(cell.cell.seed)"].map { cell.accuracy - $0 }
      }
      guard !differences.isEmpty else { return nil }
      return PairedComparison(name: "\(first) − \(second)", first: first, second: second, differences: differences)
    }
  }

  /// Rows as the seed's Table I: accuracy and macro-F1 with their 95 % intervals, UAR, cells;
  /// the published eNTERFACE'05 column when `showPublished`.
  public func rowTable(showPublished: Bool) -> ResultTable {
    var header = ["row", "configuration", "accuracy % (95% CI)", "macro-F1 (95% CI)", "UAR %", "n"]
    if showPublished { header.append("seed %") }
    return ResultTable(header: header, rows: rows.map { r in
      var cells = [
        r.label, r.title, Self.interval(r.accuracy, scale: 100, digits: 2), Self.interval(r.macroF1, scale: 1, digits: 3),
        percent(r.uar), "\(r.accuracy.n)",
      ]
      if showPublished { cells.append(r.published.map { String(format: "%.2f", $0) } ?? "—") }
      return cells
    })
  }

  /// Pairs: the mean accuracy difference in points with its interval, and the p-value.
  public var pairTable: ResultTable {
    ResultTable(
      header: ["difference", "accuracy points (95% CI)", "p", "test"],
      rows: pairs.map { p in
        [p.name, Self.interval(p.difference, scale: 100, digits: 2, signed: true), p.p.map(Self.pValue) ?? "—", p.test]
      })
  }

  /// "45.93 [41.20, 50.66]", or "45.93" with one value.
  static func interval(_ e: Estimate, scale: Double, digits: Int, signed: Bool = false) -> String {
    let format = signed ? "%+.\(digits)f" : "%.\(digits)f"
    // A value that rounds to zero prints as 0, never as "-0.00".
    func text(_ x: Double) -> String {
      let v = scale * x
      return String(format: format, abs(v) < 0.5 * pow(10, -Double(digits)) ? 0 : v)
    }
    guard let ci = e.ci95 else { return text(e.mean) }
    return "\(text(e.mean)) [\(text(ci[0])), \(text(ci[1]))]"
  }

  static func pValue(_ p: Double) -> String { p < 0.001 ? "<0.001" : String(format: "%.3f", p) }
}
