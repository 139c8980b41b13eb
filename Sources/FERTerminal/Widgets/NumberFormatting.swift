import Foundation

// Number formats shared by the widgets, so a loss, a rate or a duration reads
// the same in a legend, a table and a progress line.

enum NumberFormatting {
  /// `value` with about `digits` significant digits: 0.412, 12.3, 1234, 1.2e-05;
  /// "nan" / "inf" / "-inf" for non-finite values.
  static func significant(_ value: Double, digits: Int = 3) -> String {
    guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
    if value == 0 { return "0" }
    let magnitude = abs(value)
    if magnitude < 1e-3 || magnitude >= 1e6 { return String(format: "%.\(max(0, digits - 2))e", value) }
    let decimals = max(0, digits - 1 - Int(log10(magnitude).rounded(.down)))
    return String(format: "%.\(decimals)f", value)
  }

  /// A duration for an ETA: "42s", "3m07s", "2h05m"; "--" when unknown or negative.
  static func duration(seconds: Double) -> String {
    guard seconds.isFinite, seconds >= 0 else { return "--" }
    let total = Int(seconds.rounded())
    if total < 60 { return "\(total)s" }
    if total < 3600 { return String(format: "%dm%02ds", total / 60, total % 60) }
    return String(format: "%dh%02dm", total / 3600, (total % 3600) / 60)
  }

  /// A rate with its unit: "12.3 clips/s", "1.52k steps/s".
  static func rate(_ value: Double, unit: String) -> String {
    guard value.isFinite, value >= 0 else { return "-- \(unit)" }
    if value >= 10_000 { return "\(significant(value / 1000))k \(unit)" }
    return "\(significant(value)) \(unit)"
  }

  /// A measured accuracy as a percentage with two decimals: "45.93%" (what the notebook prints).
  static func accuracy(_ fraction: Double) -> String {
    guard fraction.isFinite else { return "--%" }
    return String(format: "%.2f%%", 100 * fraction)
  }

  /// A whole percentage for a fraction in [0, 1], for progress: "0%", "63%", "100%".
  static func percent(_ fraction: Double) -> String {
    guard fraction.isFinite else { return "--%" }
    return "\(Int((min(max(fraction, 0), 1) * 100).rounded(.down)))%"
  }
}
