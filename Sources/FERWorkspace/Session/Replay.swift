import FERCore
import Foundation

// Replay: re-run a session's commands in a fresh workspace with the recorded
// seed and BLAS thread count, and compare every result. On the same machine
// kind and thread count results must be identical; elsewhere numbers may
// differ by rounding, so the largest deviation is reported and only a relative
// difference above `tolerance` (or any difference that is not a number) counts
// as divergence. Checksums of weights are bit-level and are only compared
// where results must be identical.

/// One difference between a recorded and a replayed result.
public struct Divergence: Sendable, Equatable, CustomStringConvertible {
  public let command: Int
  public let line: String
  /// Where in the results, e.g. `history[0].trainLoss`.
  public let field: String
  public let recorded: String
  public let replayed: String

  public var description: String {
    "command \(command) `\(line)` diverges at \(field): recorded \(recorded), replayed \(replayed)"
  }
}

/// What a replay found.
public struct ReplayReport: Sendable {
  public let commands: Int
  /// Whether results were required to be bit-identical.
  public let strict: Bool
  /// The largest relative deviation of any number (0 when identical).
  public let largestDeviation: Double
  public let largestDeviationAt: String?
  /// The first difference, if any.
  public let divergence: Divergence?
  public let cutAtLine: Int?

  public var isIdentical: Bool { divergence == nil && largestDeviation == 0 }
}

public enum Replay {
  /// Relative difference allowed between machines of different kinds.
  public static let tolerance = 1e-3

  /// Replays `session`; `progress(i, n, line)` is called before each command.
  public static func run(
    _ session: SessionFile, recordTo: String? = nil, progress: (Int, Int, String) -> Void = { _, _, _ in }
  ) throws -> ReplayReport {
    let strict = session.header.machine.isSameKind(as: .current) && session.header.threads <= MachineInfo.current.cores
    let workspace = try Workspace(options: WorkspaceOptions(
      seed: session.header.seed, sessionPath: recordTo, threads: session.header.threads,
      ferlabVersion: session.header.ferlab))
    var comparison = Comparison(strict: strict)
    for (i, record) in session.commands.enumerated() {
      progress(i + 1, session.commands.count, record.line)
      if let steps = record.results["stoppedAfterSteps"]?.numberValue {
        workspace.condition.withLock { workspace.pendingStopAfterSteps = Int(steps) }
      }
      let before = workspace.commandRecords().count
      workspace.submit(record.line)
      workspace.waitUntilIdle()
      let produced = workspace.commandRecords()
      let replayed = produced.count > before ? produced[before] : nil
      comparison.path = "command \(record.index)"
      comparison.current = (record.index, record.line)
      guard let replayed else {
        comparison.diverge(field: "the command", recorded: "a result", replayed: "no result (\(workspace.snapshot().cells.last?.output.last ?? "not run"))")
        break
      }
      if record.error != replayed.error {
        comparison.diverge(field: "error", recorded: record.error ?? "none", replayed: replayed.error ?? "none")
      }
      // Compare through the same encoding the file went through.
      let fresh = (try? SessionCoding.decoder.decode(JSONValue.self, from: SessionCoding.encoder.encode(replayed.results))) ?? .null
      comparison.compare(record.results, fresh, at: "")
      if comparison.divergence != nil { break }
    }
    return ReplayReport(
      commands: session.commands.count, strict: strict, largestDeviation: comparison.largest,
      largestDeviationAt: comparison.largestAt, divergence: comparison.divergence, cutAtLine: session.cutAtLine)
  }
}

/// Walks two result trees side by side.
private struct Comparison {
  let strict: Bool
  var path = ""
  var current = (0, "")
  var largest = 0.0
  var largestAt: String?
  var divergence: Divergence?

  mutating func diverge(field: String, recorded: String, replayed: String) {
    if divergence == nil {
      divergence = Divergence(command: current.0, line: current.1, field: field, recorded: recorded, replayed: replayed)
    }
  }

  mutating func compare(_ a: JSONValue, _ b: JSONValue, at field: String) {
    guard divergence == nil else { return }
    switch (a, b) {
    case (.number(let x), .number(let y)):
      let deviation = x == y ? 0 : abs(x - y) / max(abs(x), abs(y), 1e-12)
      if deviation > largest {
        largest = deviation
        largestAt = "command \(current.0) \(field)"
      }
      if deviation > (strict ? 0 : Replay.tolerance) { diverge(field: field, recorded: "\(x)", replayed: "\(y)") }
    case (.object(let x), .object(let y)):
      for key in Set(x.keys).union(y.keys).sorted() {
        let sub = field.isEmpty ? key : "\(field).\(key)"
        guard let u = x[key], let v = y[key] else {
          diverge(field: sub, recorded: x[key].map { "\($0)" } ?? "absent", replayed: y[key].map { "\($0)" } ?? "absent")
          return
        }
        if !strict, key == "checksum" { continue }
        compare(u, v, at: sub)
      }
    case (.array(let x), .array(let y)):
      guard x.count == y.count else {
        diverge(field: field, recorded: "\(x.count) values", replayed: "\(y.count) values")
        return
      }
      for (i, (u, v)) in zip(x, y).enumerated() { compare(u, v, at: "\(field)[\(i)]") }
    default:
      if a != b { diverge(field: field, recorded: describe(a), replayed: describe(b)) }
    }
  }

  private func describe(_ v: JSONValue) -> String {
    switch v {
    case .string(let s): "\"\(s)\""
    case .number(let x): "\(x)"
    case .bool(let b): "\(b)"
    case .null: "null"
    case .array(let a): "\(a.count) values"
    case .object: "an object"
    }
  }
}
