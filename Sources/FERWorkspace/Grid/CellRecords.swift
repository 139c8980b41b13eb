import FERExperiments
import Foundation

// What a results folder holds per cell, one small JSON file each, every one
// written atomically: a claim while a worker runs the cell, then its result
// (the events a sequential run emits for it) or its failure.

/// Who runs a cell: the host, the process, the Slurm job and task, the log.
public struct CellWorker: Codable, Sendable, Equatable {
  public var host: String
  public var pid: Int32
  /// Slurm's array job id and task id, when a Slurm task runs the cell.
  public var slurmJob: String?
  public var slurmTask: String?
  /// The worker's log, relative to the folder.
  public var log: String?
  /// ISO 8601.
  public var started: String

  /// This process, with Slurm's ids from its environment.
  public static func current(log: String?) -> CellWorker {
    // Only an array task is a cell's own Slurm task (a local run inside an allocation is not).
    let environment = ProcessInfo.processInfo.environment
    let task = environment["SLURM_ARRAY_TASK_ID"]
    return CellWorker(
      host: hostName, pid: getpid(), slurmJob: task == nil ? nil : environment["SLURM_ARRAY_JOB_ID"], slurmTask: task,
      log: log, started: ISO8601DateFormatter().string(from: Date()))
  }

  /// "slurm job 12 task 5 on node3" or "pid 4711 on node3".
  public var description: String {
    if let slurmJob { return "slurm job \(slurmJob)" + (slurmTask.map { " task \($0)" } ?? "") + " on \(host)" }
    return "pid \(pid) on \(host)"
  }
}

/// A cell a worker has started (running/KEY.json), removed when it ends either way.
struct CellClaim: Codable, Sendable {
  var key: String
  var index: Int
  var worker: CellWorker
}

/// A cell that ended without a result (failed/KEY.json).
public struct CellFailure: Codable, Sendable, Equatable {
  public var key: String
  public var index: Int
  public var error: String
  public var worker: CellWorker
  /// ISO 8601.
  public var ended: String
}

/// A finished cell (cells/KEY.json): what the worker's workspace recorded, cut at the
/// cell. The prelude and the grid command's lead are the same in every cell (checked
/// when the folder is collected); the cell's own events are those a sequential run
/// emits for it, in order.
public struct CellResult: Codable, Sendable {
  public var key: String
  public var index: Int
  /// The worker's session header: seed, machine, numeric environment.
  public var header: SessionHeader
  /// The records of the `set` and `load` lines.
  public var prelude: [CommandRecord]
  /// The line the worker ran (the grid command with cells=).
  public var line: String
  /// The grid command's events before its first cell: motion computed, gridStarted.
  public var lead: [WorkspaceEvent]
  /// cellStarted, the epochs, cellFinished (and whatever a run emits between them).
  public var events: [WorkspaceEvent]
  /// Whether the grid's summary shows the seed's published figures (the dataset decides).
  public var showPublished: Bool
  /// Wall clock of the grid command; informational.
  public var seconds: Double
  public var worker: CellWorker

  /// Cuts a worker's records at the cell `key`: the prelude's records, then the grid record.
  init(key: String, index: Int, header: SessionHeader, records: [CommandRecord], worker: CellWorker) throws {
    guard let grid = records.last, records.count >= 1 else {
      throw GridFolderError.inconsistent("cell \(key): the worker recorded no grid command")
    }
    if let error = grid.error { throw GridFolderError.inconsistent("cell \(key): `\(grid.line)` failed: \(error)") }
    let events = grid.events
    guard let started = events.firstIndex(where: { if case .gridStarted = $0 { true } else { false } }),
      let first = events.firstIndex(where: { if case .cellStarted(let c) = $0 { c.cell.key == key } else { false } }),
      let last = events.firstIndex(where: { if case .cellFinished(let c) = $0 { c.cell.key == key } else { false } }),
      started < first, first <= last
    else { throw GridFolderError.inconsistent("cell \(key): `\(grid.line)` did not finish the cell") }
    var showPublished = false
    for case .gridFinished(let g) in events { showPublished = g.showPublished }
    self.key = key
    self.index = index
    self.header = header
    prelude = Array(records.dropLast())
    line = grid.line
    lead = Array(events[...started])
    self.events = Array(events[first...last])
    self.showPublished = showPublished
    seconds = grid.seconds
    self.worker = worker
  }

  /// The grid's plan, from the lead's gridStarted.
  var gridStarted: GridStarted? {
    lead.lazy.compactMap { if case .gridStarted(let g) = $0 { g } else { nil } }.first
  }

  /// Accuracy and confusion of the cell, from its cellFinished.
  var score: GridCellScore? {
    events.lazy.compactMap { event -> GridCellScore? in
      guard case .cellFinished(let c) = event else { return nil }
      return GridCellScore(cell: c.cell, accuracy: c.accuracy, confusion: c.confusion)
    }.first
  }
}
