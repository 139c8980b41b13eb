import FERCore
import Foundation

// Replay: re-run a session's commands in a fresh workspace with the recorded
// seed, and compare every event each produces (the dataset events included).
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
  /// Where in the events, e.g. `events[4].record.trainLoss`.
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
  /// e.g. `event 5 (epoch 3 of run 1) at record.stepLosses[4] (step 5)`; nil when nothing differs.
  public let firstParting: String?
  /// False for a record replay does not re-run: pause, resume and stop (their effect is
  /// recorded in the command they acted on), `run SCRIPT` (its commands follow it) and
  /// commands a stop dropped; and for every command of a session without events.
  public let rerun: Bool

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
  /// False for a session of format 1 or 2: its commands were re-run, nothing compared.
  public let checked: Bool
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
  public static func workspace(
    for session: SessionFile, recordTo: String? = nil, threads: Int? = nil, maxMemory: Int? = nil
  ) throws -> Workspace {
    try Workspace(options: WorkspaceOptions(seed: session.header.seed, sessionPath: recordTo, threads: threads, maxMemory: maxMemory))
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
    let chosen = session.commands.filter { record in until.map { record.index <= $0 } ?? true }
    for (i, record) in chosen.enumerated() {
      progress(i + 1, chosen.count, record.line)
      guard isRerun(record) else {
        compared.append(CommandComparison(
          index: record.index, line: record.line, largestDeviation: 0, largestDeviationAt: nil, firstParting: nil, rerun: false))
        continue
      }
      if let steps = record.stoppedAfterSteps {
        guard steps >= 1, steps <= Int(Int32.max) else {
          throw SessionError.badRecord(
            path: session.path, line: 0,
            reason: "command \(record.index) was stopped after \(steps) steps; a stop comes after 1 to \(Int32.max) steps")
        }
        workspace.condition.withLock { workspace.pendingStopAfterSteps = steps }
      }
      let before = workspace.commandRecords().count
      workspace.submit(record.line)
      workspace.waitUntilIdle()
      let produced = workspace.commandRecords()
      guard session.recordsEvents else {
        compared.append(CommandComparison(
          index: record.index, line: record.line, largestDeviation: 0, largestDeviationAt: nil, firstParting: nil, rerun: false))
        continue
      }
      var comparison = Comparison(strict: reason == nil, command: (record.index, record.line))
      if let replayed = produced.count > before ? produced.last : nil {
        comparison.compare(error: record.error, replayed.error)
        comparison.compare(recorded: record.events, replayed: replayed.events)
      } else {
        comparison.diverge(field: "the command", recorded: "a record", replayed: "no record")
      }
      compared.append(comparison.summary)
      if let found = comparison.divergence {
        divergence = found
        break
      }
    }
    return ReplayReport(
      commands: session.commands.count, compared: compared, strict: reason == nil, checked: session.recordsEvents,
      reasonNotStrict: reason, environmentDifferences: current.differences(from: recorded), divergence: divergence,
      cutAtLine: session.cutAtLine)
  }

  /// Whether replay runs the record's line again (see `CommandComparison.rerun`).
  static func isRerun(_ record: CommandRecord) -> Bool {
    guard record.dropped != true else { return false }
    switch try? CommandParser.parse(record.line) {
    case .pause?, .resume?, .stop?, .run?: return false
    default: return true
    }
  }
}
