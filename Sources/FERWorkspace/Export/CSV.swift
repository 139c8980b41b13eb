// Comma-separated values: a header and rows, fields quoted when they hold a
// comma, a quote or a line break (RFC 4180).

struct CSV {
  var header: [String]
  var rows: [[String]] = []

  var text: String {
    ([header] + rows).map { $0.map(Self.field).joined(separator: ",") }.joined(separator: "\n") + "\n"
  }

  static func field(_ value: String) -> String {
    guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
    return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  /// A number as CSV wants it: full precision, empty for none.
  static func number(_ x: Double?) -> String { x.map { "\($0)" } ?? "" }
}
