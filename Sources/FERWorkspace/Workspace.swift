import FERCore
import FERData
import FERExperiments
import FERModels
import FERSystem
import Foundation

// The workspace: the state a person works on, a queue of commands and ONE
// background worker thread that runs them in order. Quick commands (set,
// compare, run…) are run by the worker too, and `submit` waits for them when
// nothing is queued, so their effect is visible when it returns; long ones
// (load, train, eval, cv, ablate, flow, save, predict) return at once. Commands
// that arrive while the worker is busy queue behind it. pause / resume / stop /
// help act at once, on the command in flight.
//
// Every command's effect is a list of events (Events/): applied to the state
// by the one reducer as they happen, and recorded with the command line.

/// The state, the command language and the worker.
public final class Workspace: @unchecked Sendable {
  let options: WorkspaceOptions
  let condition = NSCondition()
  /// Guarded by `condition`.
  var state: WorkspaceState
  var queue: [Job] = []
  var running: Job?
  var control: TrainingControl?
  /// Every command record of this workspace, in order.
  var records: [CommandRecord] = []
  /// Records not yet written to the session file, in order.
  private var unwritten: [CommandRecord] = []
  /// Held while writing, so records reach the file in the order they were made.
  private let writing = NSLock()
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
      return immediately(line) { _ throws(CommandError) in throw error }
    }
    guard let command else { return }
    if command.isControl { return immediately(line) { cell throws(CommandError) in try self.control(command, cell: cell) } }
    condition.lock()
    let job = Job(line: line, command: command, cell: state.cells.count)
    state.begin(cell: job.cell, line: line)
    let waitForIt = !CommandParser.isLong(line) && queue.isEmpty && running == nil
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

  /// Blocks until nothing is running or queued, or `seconds` have passed; whether it is idle.
  public func waitUntilIdle(atMost seconds: Double) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    condition.lock()
    defer { condition.unlock() }
    while running != nil || !queue.isEmpty {
      guard condition.wait(until: deadline) else { break }
    }
    return running == nil && queue.isEmpty
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

  /// Takes the last queued `line` out of the queue before it runs (the explorer's second
  /// press of a switch's key during a run cancels the first); false when it is not queued.
  @discardableResult
  public func cancelQueued(_ line: String) -> Bool {
    condition.lock()
    guard let i = queue.lastIndex(where: { $0.line == line }) else {
      condition.unlock()
      return false
    }
    let job = queue.remove(at: i)
    state.queued = queue.map(\.line)
    state.finish(cell: job.cell, error: nil, dropped: true)
    appendRecord(cell: job.cell, line: job.line, events: [], error: nil, dropped: true, seconds: 0)
    job.isDone = true
    condition.broadcast()
    condition.unlock()
    writeRecords()
    return true
  }

  /// Candidate completions of a partial command line (whole lines, ready to replace the input).
  public func completions(for partial: String) -> [String] {
    CommandParser.completions(for: partial, runs: snapshot().runs.map(\.id))
  }

  // MARK: commands that act at once

  /// A cell for `line`, its events from `body` (or its error), recorded at once.
  private func immediately(_ line: String, _ body: (Int) throws(CommandError) -> [WorkspaceEvent]) {
    condition.lock()
    let cell = state.cells.count
    state.begin(cell: cell, line: line)
    var events: [WorkspaceEvent] = []
    var failure: String?
    do { events = try body(cell) } catch { failure = error.message }
    for event in events { state.apply(event, cell: cell) }
    state.finish(cell: cell, error: failure)
    appendRecord(cell: cell, line: line, events: events, error: failure, seconds: 0)
    condition.unlock()
    writeRecords()
  }

  /// pause / resume / stop / help; called with the lock held.
  private func control(_ command: Command, cell: Int) throws(CommandError) -> [WorkspaceEvent] {
    switch command {
    case .pause:
      guard let control, running != nil else { throw CommandError("nothing is running to pause") }
      control.pause()
      return [.controlled(Controlled(action: "pause", dropped: []))]
    case .resume:
      guard let control, control.paused else { throw CommandError("nothing is paused") }
      control.resume()
      return [.controlled(Controlled(action: "resume", dropped: []))]
    case .stop:
      guard let control, running != nil else { throw CommandError("nothing is running to stop") }
      control.stop()
      let dropped = queue
      queue.removeAll()
      state.queued = []
      for job in dropped {
        state.finish(cell: job.cell, error: nil, dropped: true)
        appendRecord(cell: job.cell, line: job.line, events: [], error: nil, dropped: true, seconds: 0)
        job.isDone = true
      }
      condition.broadcast()
      return [.controlled(Controlled(action: "stop", dropped: dropped.map(\.line)))]
    case .help(let name):
      return [.helpShown(HelpShown(command: name))]
    default:
      return []
    }
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
    var failure: String?
    do { try execute(job.command, context) } catch {
      failure = "\(error)"
    }

    condition.lock()
    state.finish(cell: job.cell, error: failure)
    state.activity = .idle
    state.progress = nil
    control = nil
    appendRecord(
      cell: job.cell, line: job.line, events: context.events, error: failure, seconds: Date().timeIntervalSince(started))
    condition.unlock()
    writeRecords()

    condition.lock()
    running = nil
    job.isDone = true
    condition.broadcast()
    condition.unlock()
  }

  /// The next record, kept in order and queued for the session file; called with the lock held.
  private func appendRecord(
    cell: Int, line: String, events: [WorkspaceEvent], error: String?, dropped: Bool = false, seconds: Double
  ) {
    let record = CommandRecord(
      index: records.count + 1, cell: cell, line: line, events: events, error: error, dropped: dropped ? true : nil,
      seconds: seconds)
    records.append(record)
    if session != nil { unwritten.append(record) }
  }

  /// Writes the records not yet written, in order; a failed write becomes an error
  /// cell (the work itself is kept). Called without the lock.
  private func writeRecords() {
    guard let session else { return }
    writing.withLock {
      let batch = condition.withLock {
        defer { unwritten.removeAll() }
        return unwritten
      }
      for record in batch {
        do { try session.append(record) } catch {
          condition.withLock {
            let cell = state.cells.count
            state.begin(cell: cell, line: "(session)")
            state.finish(cell: cell, error: "\(error)")
          }
          return
        }
      }
    }
  }

  /// Runs `body` with the state locked.
  func update<T>(_ body: (inout WorkspaceState) throws -> T) rethrows -> T {
    condition.lock()
    defer { condition.unlock() }
    return try body(&state)
  }
}

/// A queued or running command.
final class Job: @unchecked Sendable {
  let line: String
  let command: Command
  /// The number of its cell.
  let cell: Int
  /// Guarded by the workspace's condition.
  var isDone = false

  init(line: String, command: Command, cell: Int) {
    self.line = line
    self.command = command
    self.cell = cell
  }
}
