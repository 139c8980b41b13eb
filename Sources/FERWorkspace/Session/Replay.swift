import FERCore
import Foundation

// Replay: re-run a session's commands in a fresh workspace with the recorded
// seed, and compare every result and every dataset record.
//
// One verdict. Where the recording and this process are both inside the
// promise (NumericEnvironment: AVX2 + FMA, OpenBLAS on FERLab's fixed kernels,
// the same OpenBLAS and FERLab versions) results must be bit-identical, on any
// CPU model and thread count. Outside it numbers may differ by rounding: each
// command reports its largest relative deviation and where it first parts, and
// only a deviation above `tolerance`, or a difference that is not a number,
// fails. Weight checksums are bits, so they are compared only inside.

/// One difference that fails a replay.
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

/// How one replayed command compared with its record.
public struct CommandComparison: Sendable, Equatable {
  public let index: Int
  public let line: String
  /// The largest relative deviation of any number (0 when every number is identical).
  public let largestDeviation: Double
  public let largestDeviationAt: String?
  /// The first place, in the order the command produced them, where results part:
  /// e.g. `history[2].stepLosses[4] (epoch 3, step 5)`; nil when nothing differs.
  public let firstParting: String?

  public var isIdentical: Bool { firstParting == nil }
}

/// What a replay found.
public struct ReplayReport: Sendable {
  /// The commands the session holds.
  public let commands: Int
  /// Each command replayed, in order (up to the first divergence).
  public let compared: [CommandComparison]
  /// Whether results were required to be bit-identical.
  public let strict: Bool
  /// Why they were not (nil when strict).
  public let reasonNotStrict: String?
  /// The numeric environment's fields that differ: (field, recorded, current).
  public let environmentDifferences: [(field: String, recorded: String, current: String)]
  /// The first difference beyond what is allowed, if any.
  public let divergence: Divergence?
  public let cutAtLine: Int?

  public var isIdentical: Bool { divergence == nil && compared.allSatisfy(\.isIdentical) }

  /// The command with the largest deviation, when any number differs.
  public var largest: CommandComparison? {
    compared.filter { $0.largestDeviation > 0 }.max { $0.largestDeviation < $1.largestDeviation }
  }
}

public enum Replay {
  /// Relative difference allowed outside the promise.
  public static let tolerance = 1e-3

  /// Replays `session` with `threads` compute threads (nil: this machine's
  /// default; results do not depend on it); `progress(i, n, line)` is called
  /// before each command.
  public static func run(
    _ session: SessionFile, recordTo: String? = nil, threads: Int? = nil,
    progress: (Int, Int, String) -> Void = { _, _, _ in }
  ) throws -> ReplayReport {
    try run(session, in: workspace(for: session, recordTo: recordTo, threads: threads), progress: progress)
  }

  /// A fresh workspace with the session's seed, for `run(_:in:until:progress:)`.
  public static func workspace(for session: SessionFile, recordTo: String? = nil, threads: Int? = nil) throws -> Workspace {
    try Workspace(options: WorkspaceOptions(seed: session.header.seed, sessionPath: recordTo, threads: threads))
  }

  /// Replays the commands up to index `until` (all when nil) in `workspace`, which
  /// is left in the state they made: `ferlab replay --until K` opens the explorer
  /// on it, so a person can branch from a recorded state.
  public static func run(
    _ session: SessionFile, in workspace: Workspace, until: Int? = nil,
    progress: (Int, Int, String) -> Void = { _, _, _ in }
  ) throws -> ReplayReport {
    let recorded = session.header.numerics
    let current = NumericEnvironment.current(ferlab: FERLabVersion.current)
    let reason = current.reasonResultsMayDiffer(from: recorded)
    var compared: [CommandComparison] = []
    var divergence: Divergence?
    var datasetsSeen = 0
    let chosen = session.commands.filter { record in until.map { record.index <= $0 } ?? true }
    for (i, record) in chosen.enumerated() {
      progress(i + 1, chosen.count, record.line)
      if let steps = record.results["stoppedAfterSteps"]?.numberValue {
        guard steps >= 1, steps <= Double(Int32.max), steps == steps.rounded() else {
          throw SessionError.badRecord(
            path: session.path, line: 0,
            reason: "command \(record.index) has stoppedAfterSteps \(steps); it must be a whole number from 1 to \(Int32.max)")
        }
        workspace.condition.withLock { workspace.pendingStopAfterSteps = Int(steps) }
      }
      let before = workspace.commandRecords().count
      workspace.submit(record.line)
      workspace.waitUntilIdle()
      let produced = workspace.commandRecords()
      var comparison = Comparison(strict: reason == nil, command: (record.index, record.line))
      if produced.count > before {
        let replayed = produced[before]
        if record.error != replayed.error {
          comparison.diverge(field: "error", recorded: record.error ?? "none", replayed: replayed.error ?? "none")
        }
        // Compare through the same encoding the file went through.
        comparison.compare(record.results, .encoding(replayed.results), at: "", indices: [])
        let datasets = workspace.writtenDatasetRecords()
        comparison.compareDatasets(
          session.datasets.filter { $0.command == record.index }, Array(datasets[datasetsSeen...]))
        datasetsSeen = datasets.count
      } else {
        let said = workspace.snapshot().cells.last?.output.last ?? "not run"
        comparison.diverge(field: "the command", recorded: "a result", replayed: "no result (\(said))")
      }
      compared.append(comparison.summary)
      if let found = comparison.divergence {
        divergence = found
        break
      }
    }
    return ReplayReport(
      commands: session.commands.count, compared: compared, strict: reason == nil, reasonNotStrict: reason,
      environmentDifferences: current.differences(from: recorded), divergence: divergence, cutAtLine: session.cutAtLine)
  }
}

/// Walks two result trees side by side.
private struct Comparison {
  let strict: Bool
  let command: (index: Int, line: String)
  var largest = 0.0
  var largestAt: String?
  /// The earliest differing place inside a training history, by its array
  /// indices along the path (fold, epoch, step: the order they were produced);
  /// else the first differing place met.
  var firstInHistory: (order: [Int], field: String)?
  var firstElsewhere: String?
  var divergence: Divergence?

  init(strict: Bool, command: (Int, String)) {
    self.strict = strict
    self.command = command
  }

  var summary: CommandComparison {
    CommandComparison(
      index: command.index, line: command.line, largestDeviation: largest, largestDeviationAt: largestAt,
      firstParting: (firstInHistory?.field ?? firstElsewhere).map(Self.describe(field:)))
  }

  mutating func diverge(field: String, recorded: String, replayed: String) {
    parted(at: field, indices: [])
    if divergence == nil {
      divergence = Divergence(command: command.index, line: command.line, field: field, recorded: recorded, replayed: replayed)
    }
  }

  mutating func parted(at field: String, indices: [Int]) {
    guard field.contains("history[") else {
      if firstElsewhere == nil { firstElsewhere = field }
      return
    }
    // An epoch's summary (`history[2].trainLoss`) sorts after its steps (`history[2].stepLosses[0]`).
    let order = indices + Array(repeating: Int.max, count: max(0, 4 - indices.count))
    if firstInHistory == nil || order.lexicographicallyPrecedes(firstInHistory!.order) {
      firstInHistory = (order, field)
    }
  }

  mutating func compare(_ a: JSONValue, _ b: JSONValue, at field: String, indices: [Int]) {
    switch (a, b) {
    case (.number(let x), .number(let y)):
      guard x != y else { return }
      let deviation = abs(x - y) / max(abs(x), abs(y), 1e-12)
      parted(at: field, indices: indices)
      if deviation > largest {
        largest = deviation
        largestAt = field
      }
      if strict || deviation > Replay.tolerance { diverge(field: field, recorded: "\(x)", replayed: "\(y)") }
    case (.object(let x), .object(let y)):
      for key in Set(x.keys).union(y.keys).sorted() {
        let sub = field.isEmpty ? key : "\(field).\(key)"
        guard let u = x[key], let v = y[key] else {
          diverge(field: sub, recorded: x[key].map(Self.describe) ?? "absent", replayed: y[key].map(Self.describe) ?? "absent")
          continue
        }
        if !strict, key == "checksum" { continue }
        compare(u, v, at: sub, indices: indices)
      }
    case (.array(let x), .array(let y)):
      guard x.count == y.count else {
        return diverge(field: field, recorded: "\(x.count) values", replayed: "\(y.count) values")
      }
      for (i, (u, v)) in zip(x, y).enumerated() { compare(u, v, at: "\(field)[\(i)]", indices: indices + [i]) }
    default:
      if a != b { diverge(field: field, recorded: Self.describe(a), replayed: Self.describe(b)) }
    }
  }

  /// Dataset records carry no rounding: they must be equal in either mode.
  mutating func compareDatasets(_ recorded: [DatasetRecord], _ replayed: [DatasetRecord]) {
    let (a, b) = (JSONValue.encoding(recorded), JSONValue.encoding(replayed))
    if a != b {
      var exact = Comparison(strict: true, command: command)
      exact.compare(a, b, at: "dataset", indices: [])
      if let found = exact.divergence { diverge(field: found.field, recorded: found.recorded, replayed: found.replayed) }
    }
  }

  private static func describe(_ v: JSONValue) -> String {
    switch v {
    case .string(let s): "\"\(s)\""
    case .number(let x): "\(x)"
    case .bool(let b): "\(b)"
    case .null: "null"
    case .array(let a): "\(a.count) values"
    case .object: "an object"
    }
  }

  /// `folds[1].history[2].stepLosses[4]` → `folds[1].history[2].stepLosses[4] (epoch 3, step 5)`.
  private static func describe(field: String) -> String {
    func index(after key: String) -> Int? {
      guard let range = field.range(of: "\(key)[") else { return nil }
      return Int(field[range.upperBound...].prefix { $0.isNumber })
    }
    guard let epoch = index(after: "history") else { return field }
    if let step = index(after: "stepLosses") { return "\(field) (epoch \(epoch + 1), step \(step + 1))" }
    return "\(field) (epoch \(epoch + 1))"
  }
}
