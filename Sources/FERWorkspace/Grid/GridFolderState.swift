import FERExperiments
import Foundation

// Where a grid stands, read from its results folder alone: which cells are
// done, running, failed or missing, and the summary of those done so far. One
// call, cheap enough to poll (a screen watching a grid, `ferlab collect`, a resume).

/// Where one cell stands.
public enum CellState: String, Sendable, Codable {
  /// Its result is in cells/.
  case done
  /// A worker claimed it and, as far as this machine can tell, still runs.
  case running
  /// Submitted to Slurm and still queued there (only known when the caller asked squeue).
  case queued
  /// Its worker ended without a result (an error, or a signal it caught: scancel, a time limit).
  case failed
  /// Never started, or its worker vanished without a word (killed outright, its node lost).
  case missing
}

/// One cell of a grid folder.
public struct CellStatus: Sendable {
  public let index: Int
  public let key: String
  public let state: CellState
  /// Who ran it, or runs it (nil when nobody started it).
  public let worker: CellWorker?
  /// Why it failed or is missing, in words.
  public let reason: String?
  /// The latest start that included it: its Slurm job and log.
  public let submission: GridSubmission?

  /// The cell's log, relative to the folder: its worker's, else where its latest start logs.
  public var log: String? { worker?.log ?? submission?.log(index) }

  /// Slurm's "JOB_TASK" of the cell's latest task, when it ran or is queued under Slurm.
  public var slurmTask: String? {
    if let job = worker?.slurmJob, let task = worker?.slurmTask { return "\(job)_\(task)" }
    return submission?.task(index)
  }
}

/// A grid folder's state.
public struct GridFolderState: Sendable {
  public let folder: GridFolder
  public let manifest: GridManifest
  /// Every cell, in plan order.
  public let cells: [CellStatus]
  /// The rows over the cells done so far (nil when none is).
  public let partialSummary: GridSummary?

  public func cells(_ state: CellState) -> [CellStatus] { cells.filter { $0.state == state } }
  public var isComplete: Bool { cells.allSatisfy { $0.state == .done } }
  /// The cells a resume runs again: failed and missing.
  public var unfinished: [CellStatus] { cells.filter { $0.state == .failed || $0.state == .missing } }

  /// Reads `folder`. `liveSlurmTasks` ("JOB_TASK" of every task squeue still lists,
  /// pending or running), when given, tells queued cells from missing ones and a
  /// Slurm task that ended without a word from one that still runs.
  public static func read(_ folder: GridFolder, liveSlurmTasks: Set<String>? = nil) throws -> GridFolderState {
    let manifest = try folder.manifest()
    let submissions = try folder.submissions()
    var statuses: [CellStatus] = []
    var scores: [GridCellScore] = []
    var plan: GridPlan?
    for (index, key) in manifest.cells.enumerated() {
      let submission = submissions.last { $0.cells.contains(index) }
      func status(_ state: CellState, _ worker: CellWorker?, _ reason: String?) -> CellStatus {
        CellStatus(index: index, key: key, state: state, worker: worker, reason: reason, submission: submission)
      }
      if let result = folder.result(key) {
        statuses.append(status(.done, result.worker, nil))
        if let score = result.score { scores.append(score) }
        plan = plan ?? result.gridStarted?.plan
      } else if let claim = folder.claim(key) {
        statuses.append(runningOrGone(claim, liveSlurmTasks: liveSlurmTasks, status))
      } else if let failure = folder.failure(key) {
        statuses.append(status(.failed, failure.worker, failure.error))
      } else if let task = submission?.task(index), let live = liveSlurmTasks, live.contains(task) {
        statuses.append(status(.queued, nil, nil))
      } else {
        statuses.append(status(.missing, nil, submission == nil ? "never started" : "no result and no worker"))
      }
    }
    let partial = plan.map { GridSummary(plan: $0, scores: scores, pairs: manifest.pairs) }
    return GridFolderState(folder: folder, manifest: manifest, cells: statuses, partialSummary: partial)
  }

  /// A claimed cell: running, unless its worker is known to be gone.
  private static func runningOrGone(
    _ claim: CellClaim, liveSlurmTasks: Set<String>?, _ status: (CellState, CellWorker?, String?) -> CellStatus
  ) -> CellStatus {
    let worker = claim.worker
    if let job = worker.slurmJob, let live = liveSlurmTasks {
      let task = worker.slurmTask.map { "\(job)_\($0)" } ?? job
      if !live.contains(task) { return status(.missing, worker, "\(worker.description) ended without a result") }
    } else if worker.slurmJob == nil, worker.host == hostName, !processIsAlive(worker.pid) {
      return status(.missing, worker, "\(worker.description) ended without a result")
    }
    return status(.running, worker, nil)
  }

  /// One line per cell that is not done, for a person: state, key, index, Slurm ids, log, reason.
  public var unfinishedLines: [String] {
    cells.filter { $0.state != .done }.map { c in
      var line = "  \(c.state.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0))\(c.key) (cell \(c.index))"
      if let task = c.slurmTask {
        let parts = task.split(separator: "_")
        line += ", slurm job \(parts.first ?? "") task \(parts.dropFirst().first ?? "")"
      } else if let worker = c.worker {
        line += ", \(worker.description)"
      }
      if let log = c.log { line += ", log \(folder.absolute(log))" }
      if let reason = c.reason { line += ": \(reason)" }
      return line
    }
  }
}
