import FERCore
import FERExperiments
import Foundation

/// A replay's report as text: the numeric environments where they differ, one
/// line per command, and one verdict last. Nothing above a failing verdict
/// calls the results identical.
public enum ReplayVerdict {
  public static func lines(_ report: ReplayReport, session: String) -> [String] {
    var lines = ["replayed \(report.compared.count) of \(report.commands) commands of \(session)"]
    if !report.environmentDifferences.isEmpty {
      let rows = report.environmentDifferences.map { [$0.field, $0.recorded, $0.current] }
      lines += ResultTable(header: ["numeric environment", "recorded", "current"], rows: rows).lines.map { "  " + $0 }
    }
    guard report.checked else {
      return lines + report.compared.map { "  command \($0.index) `\($0.line)`: re-run" } + [
        "NOT CHECKED: \(session) was recorded by an earlier FERLab (session format 1 or 2), whose results this "
          + "version cannot compare; its commands were re-run — give --record FILE to keep them as a format-\(sessionFormatVersion) session"
      ]
    }
    if let reason = report.reasonNotStrict {
      lines.append(
        "outside the reproducibility promise: \(reason); numbers are compared within a relative "
          + "\(Replay.tolerance), weight checksums not at all")
    } else {
      lines.append(
        "inside the reproducibility promise (AVX2 + FMA, OpenBLAS \(BLASLibrary.version) "
          + "on \(BLASLibrary.fixedKernelFamily) kernels, FERLab \(FERLabVersion.current)): every result must be bit-identical")
    }
    for command in report.compared {
      lines.append("  command \(command.index) `\(command.line)`: \(describe(command))")
    }
    if let divergence = report.divergence {
      let limit = report.strict ? "results must be identical" : "beyond the tolerance \(Replay.tolerance)"
      lines.append("DIVERGED (\(limit)): \(divergence)")
    } else if report.isIdentical {
      lines.append("OK: every recorded result is bit-identical")
    } else if let largest = report.largest {
      lines.append(
        "OK within tolerance: largest relative deviation \(String(format: "%.3g", largest.largestDeviation)) "
          + "(command \(largest.index) at \(largest.largestDeviationAt ?? "?"))")
    } else {
      lines.append("OK within tolerance: the numbers agree; only weight checksums were not compared")
    }
    return lines
  }

  private static func describe(_ command: CommandComparison) -> String {
    guard command.rerun else { return "not re-run (recorded for the notebook; its effect is in the commands around it)" }
    guard let parting = command.firstParting else { return "identical" }
    var text = "first parts at \(parting)"
    if let at = command.largestDeviationAt {
      text += "; largest relative deviation \(String(format: "%.3g", command.largestDeviation)) at \(at)"
    }
    return text
  }
}
