import Foundation
import FERData
import FERModels

// Running the ablation grid: cross-validation of every row on one dataset and
// one split, and the result table in the shape of the seed's Tables I and II.

/// One row's cross-validated outcome.
public struct AblationOutcome: Codable, Sendable, Equatable {
  public let row: AblationRow
  public let result: CrossValidationResult
}

/// Events of a grid run.
public enum AblationEvent: Sendable {
  case rowStarted(index: Int, of: Int, AblationRow)
  case crossValidation(row: Int, CrossValidationEvent)
  case rowFinished(AblationOutcome)
}

/// Cross-validates every row on the same folds, with the same training config and model seed.
public func runAblation(
  rows: [AblationRow], dataset: Dataset, folds: SubjectFolds, config: TrainingConfig, modelSeed: UInt64,
  onlyFolds: [Int]? = nil, control: TrainingControl = TrainingControl(), events: (AblationEvent) -> Void = { _ in }
) throws -> [AblationOutcome] {
  var outcomes: [AblationOutcome] = []
  for (index, row) in rows.enumerated() {
    events(.rowStarted(index: index, of: rows.count, row))
    let result = try crossValidate(
      dataset: dataset, folds: folds, spec: row.spec, config: config, modelSeed: modelSeed, only: onlyFolds,
      control: control
    ) { events(.crossValidation(row: index, $0)) }
    let outcome = AblationOutcome(row: row, result: result)
    outcomes.append(outcome)
    events(.rowFinished(outcome))
    if control.stopped { break }
  }
  return outcomes
}

/// A plain table of strings: a header row and body rows (the UI and the CLI lay it out).
public struct ResultTable: Codable, Sendable, Equatable {
  public let header: [String]
  public let rows: [[String]]

  public init(header: [String], rows: [[String]]) {
    self.header = header
    self.rows = rows
  }

  /// The table as text, columns padded to their widest cell and two spaces apart.
  public var lines: [String] {
    let all = [header] + rows
    let widths = header.indices.map { c in all.map { $0.indices.contains(c) ? $0[c].count : 0 }.max() ?? 0 }
    return all.map { row in
      row.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }
        .joined(separator: "  ")
    }
  }
}

extension Array where Element == AblationOutcome {
  /// The seed's Table I shape: row, configuration, accuracy (mean ± std over folds),
  /// macro-F1, and the published eNTERFACE'05 figure when `showPublished`.
  public func table(showPublished: Bool) -> ResultTable {
    var header = ["row", "configuration", "accuracy %", "macro-F1", "UAR %"]
    if showPublished { header.append("seed %") }
    let rows = map { o -> [String] in
      let r = o.result
      var cells = [
        o.row.label, o.row.title,
        "\(percent(r.meanAccuracy)) ± \(percent(r.accuracyStandardDeviation))",
        String(format: "%.3f", r.meanMacroF1), percent(r.meanUnweightedAverageRecall),
      ]
      if showPublished { cells.append(o.row.published.map { String(format: "%.2f", $0) } ?? "—") }
      return cells
    }
    return ResultTable(header: header, rows: rows)
  }
}

/// A fraction as a percentage with two decimals.
public func percent(_ fraction: Double) -> String { String(format: "%.2f", 100 * fraction) }
