import Foundation

// A table of strings, the shape every result table takes (cross-validation,
// ablation rows and pairs, run comparisons); the notebook, the explorer's
// results panel and the CLI lay it out.

/// A header row and body rows.
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
        .trimmingTrailingSpaces
    }
  }
}

/// A fraction as a percentage with two decimals.
public func percent(_ fraction: Double) -> String { String(format: "%.2f", 100 * fraction) }

extension String {
  var trimmingTrailingSpaces: String {
    var text = self
    while text.last == " " { text.removeLast() }
    return text
  }
}
