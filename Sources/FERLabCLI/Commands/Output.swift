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
    for line in table.lines { print(line) }
  }
}
