import FERData
import FERExperiments
import Foundation

/// Writes results to stdout: JSON for machines, aligned text for people.
enum Output {
  static func json(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
  }

  static func table(_ table: ResultTable) {
    let all = [table.header] + table.rows
    let widths = table.header.indices.map { c in all.map { $0[c].count }.max() ?? 0 }
    func line(_ cells: [String]) -> String {
      cells.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }
        .joined(separator: "  ")
    }
    print(line(table.header))
    print(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
    for row in table.rows { print(line(row)) }
  }

  /// "anger 40.00, disgust —, …": each emotion's accuracy in percent, "—" for a class with no clips.
  static func perClassAccuracy(_ matrix: ConfusionMatrix) -> String {
    zip(Emotion.allCases, matrix.perClassAccuracy).map { "\($0.name) \($1.map(percent) ?? "—")" }.joined(separator: ", ")
  }

  static func confusion(_ matrix: ConfusionMatrix, labels: [String]) {
    let header = ["true \\ predicted"] + labels
    let rows = (0..<matrix.classes).map { r in [labels[r]] + (0..<matrix.classes).map { String(matrix[r, $0]) } }
    table(ResultTable(header: header, rows: rows))
  }
}
