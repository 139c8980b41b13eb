import FERCore
import FERData
import FERExperiments
import FERModels
import Foundation
import FERSystem

// The workspace: the state a person works on, a queue of commands and ONE
// background worker thread that runs them in order. Quick commands (set,
// compare, help…) are run by the worker too, and `submit` waits for them when
// nothing is queued, so their effect is visible when it returns; long ones
// (load, train, eval, cv, ablate, flow, save) return at once. Commands that
// arrive while the worker is busy queue behind it, so the recorded order is the
// order things happened. pause / resume / stop act on the command in flight.

/// The state, the command language and the worker.
public final class Workspace: @unchecked Sendable {
  let options: WorkspaceOptions
  let condition = NSCondition()
  /// Guarded by `condition`.
  var state: WorkspaceState
  var queue: [Job] = []
  var running: Job?
  var control: TrainingControl?
  /// Every command record of this workspace, in order (replay compares them).
  var records: [CommandRecord] = []
  /// Every dataset record, in order (replay compares them too).
  var datasetRecords: [DatasetRecord] = []
  /// Replay: stop the next job after this many optimizer steps (it was stopped there when recorded).
  var pendingStopAfterSteps: Int?
  let session: SessionWriter?

  /// Worker-owned: only the worker thread touches these.
  var dataset: Dataset?
  var models: [Int: FERModel] = [:]

  public init(options: WorkspaceOptions = WorkspaceOptions()) throws {
    self.options = options
    if let threads = options.threads { ComputeThreads.set(threads) }
    state = WorkspaceState(seed: options.seed, sessionPath: options.sessionPath)
    if let path = options.sessionPath {
      let header = SessionHeader(seed: options.seed, numerics: .current(ferlab: FERLabVersion.current))
      session = try SessionWriter(path: path, header: header)
    } else {
      session = nil
    }
    // The worker holds the workspace only while it works or waits a second for
    // a job, so a workspace nobody holds any more ends its thread.
    let thread = Thread { [weak self] in
      while let workspace = self { workspace.runNextJob(waitingAtMost: 1) }
    }
    thread.name = "ferlab.workspace"
    thread.stackSize = 16 << 20
    thread.start()
  }

  /// Parses and runs one command line. Errors become a cell with one line, never a crash.
  public func submit(_ line: String) {
    let command: Command?
    do { command = try CommandParser.parse(line) } catch {
      condition.withLock { state.cells.append(Cell(command: line, output: [error.message], isError: true, isFinished: true)) }
      return
    }
    guard let command else { return }
    if command.isControl { return control(command, line: line) }
    condition.lock()
    let job = Job(line: line, command: command, cell: state.cells.count)
    state.cells.append(Cell(command: line, output: [], isError: false, isFinished: false))
    let waitForIt = !command.isLong && queue.isEmpty && running == nil
    queue.append(job)
    state.queued = queue.map(\.line)
    condition.broadcast()
    if waitForIt {
      while !job.isDone { condition.wait() }
    }
    condition.unlock()
  }

  /// An immutable picture of everything the UI shows.
  public func snapshot() -> WorkspaceSnapshot {
    condition.withLock { state.snapshot }
  }

  /// Blocks until nothing is running or queued.
  public func waitUntilIdle() {
    condition.lock()
    while running != nil || !queue.isEmpty { condition.wait() }
    condition.unlock()
  }

  /// Whether nothing is running or queued.
  public var isIdle: Bool {
    condition.withLock { running == nil && queue.isEmpty }
  }

  /// Whether the last finished command failed (scripts stop there).
  public var lastCommandFailed: Bool {
    condition.withLock { state.cells.last?.isError ?? false }
  }

  /// The command records so far (what the session file holds after its header).
  public func commandRecords() -> [CommandRecord] {
    condition.withLock { records }
  }

  /// The dataset records so far, in the order they were written.
  public func writtenDatasetRecords() -> [DatasetRecord] {
    condition.withLock { datasetRecords }
  }

  // MARK: pause / resume / stop / help

  private func control(_ command: Command, line: String) {
    condition.lock()
    defer { condition.unlock() }
    var output: [String] = []
    var isError = false
    switch command {
    case .pause:
      if let control, running != nil { control.pause(); output = ["pausing after the step in flight"] }
      else { output = ["nothing is running to pause"]; isError = true }
    case .resume:
      if let control, control.paused { control.resume(); output = ["resumed"] }
      else { output = ["nothing is paused"]; isError = true }
    case .stop:
      if let control, running != nil {
        control.stop()
        output = ["stopping after the step in flight"]
        if !queue.isEmpty {
          output.append("dropped \(queue.count) queued command\(queue.count == 1 ? "" : "s"): \(queue.map(\.line).joined(separator: "; "))")
          for job in queue { state.cells[job.cell].output = ["dropped by stop"]; state.cells[job.cell].isFinished = true }
          queue.removeAll()
          state.queued = []
        }
      } else { output = ["nothing is running to stop"]; isError = true }
    case .help(let name):
      output = name.flatMap(CommandTable.help) ?? CommandTable.overview
    default: break
    }
    state.cells.append(Cell(command: line, output: output, isError: isError, isFinished: true))
  }

  // MARK: the worker

  /// Runs the next queued command, or returns when none arrives within `seconds`.
  private func runNextJob(waitingAtMost seconds: Double) {
    condition.lock()
    if queue.isEmpty { _ = condition.wait(until: Date().addingTimeInterval(seconds)) }
    guard !queue.isEmpty else {
      condition.unlock()
      return
    }
    let job = queue.removeFirst()
    running = job
    state.queued = queue.map(\.line)
    let jobControl = TrainingControl()
    control = jobControl
    let stopAfter = pendingStopAfterSteps
    pendingStopAfterSteps = nil
    condition.unlock()

    let started = Date()
    let context = JobContext(workspace: self, job: job, control: jobControl, stopAfterSteps: stopAfter)
    var results: [String: JSONValue] = [:]
    var failure: String?
    do { try execute(job.command, context, results: &results) } catch {
      failure = "\(error)"
    }
    if context.stepsDone > 0, jobControl.stopped { results["stoppedAfterSteps"] = .of(context.stepsDone) }

    condition.lock()
    if let failure {
      state.cells[job.cell].output.append(failure)
      state.cells[job.cell].isError = true
    }
    state.cells[job.cell].isFinished = true
    state.activity = .idle
    state.progress = nil
    control = nil
    let recordable: Bool
    if case .run = job.command { recordable = failure != nil } else { recordable = true }
    var record: CommandRecord?
    if recordable {
      record = CommandRecord(
        index: records.count + 1, line: job.line, results: .object(results), error: failure,
        seconds: Date().timeIntervalSince(started))
      records.append(record!)
    }
    datasetRecords += context.datasetRecords
    condition.unlock()
    if let record { recordToSession(record) }
    for extra in context.datasetRecords { recordToSession(extra) }

    condition.lock()
    running = nil
    job.isDone = true
    condition.broadcast()
    condition.unlock()
  }

  /// Writes a record; a failed write becomes an error cell (the work itself is kept).
  func recordToSession(_ record: some Encodable) {
    guard let session else { return }
    do { try session.append(record) } catch {
      condition.withLock { state.cells.append(Cell(command: "(session)", output: ["\(error)"], isError: true, isFinished: true)) }
    }
  }

  /// Runs `body` with the state locked.
  func update<T>(_ body: (inout WorkspaceState) throws -> T) rethrows -> T {
    condition.lock()
    defer { condition.unlock() }
    return try body(&state)
  }

  /// Adds lines to the cell of the command in flight.
  func print(_ lines: String..., job: Job) {
    update { $0.cells[job.cell].output += lines }
  }
}

/// A queued or running command.
final class Job: @unchecked Sendable {
  let line: String
  let command: Command
  /// Index of its cell.
  let cell: Int
  /// Guarded by the workspace's condition.
  var isDone = false

  init(line: String, command: Command, cell: Int) {
    self.line = line
    self.command = command
    self.cell = cell
  }
}
