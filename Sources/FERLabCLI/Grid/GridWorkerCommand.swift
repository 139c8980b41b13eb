import ArgumentParser
import FERWorkspace
import Foundation

/// `ferlab grid-worker DIR --cell I`: what a local worker process or a Slurm task runs. It
/// replays the grid's prelude (its `set` lines and `load` line) in a headless workspace, runs
/// the grid command for cell I alone (`… cells=KEY`) and writes the cell's events to the
/// folder atomically. `--prepare` runs the prelude only, to fill a video dataset's cache once.
struct GridWorkerCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "grid-worker",
    abstract: "Run one cell of a grid's results folder (what --engine local|slurm start; not for typing).",
    shouldDisplay: false)

  @Argument(help: "The results folder.")
  var folder: String

  @Option(help: "The cell's index in grid.json (a Slurm array task's id).")
  var cell: Int?

  @Flag(help: "Run only the grid's prelude: load (and prepare) its dataset, train nothing.")
  var prepare = false

  @Option(help: "This worker's log, relative to the folder (recorded with the cell).")
  var log: String?

  @OptionGroup var compute: ComputeOptions

  func validate() throws {
    if (cell == nil) == !prepare { throw ValidationError("give --cell INDEX or --prepare") }
  }

  func run() throws {
    let folder = GridFolder(self.folder)
    let manifest: GridManifest
    do { manifest = try folder.manifest() } catch { throw Failure("\(error)") }
    let workspace = try Workspace(options: compute.workspaceOptions())
    let log = WorkerLog(workspace)
    guard let index = cell else {
      for line in manifest.prelude where !log.run(line) { throw Failure("`\(line)`: \(log.lastError)") }
      return
    }
    let worker = CellWorker.current(log: self.log)
    let claimed: Bool
    do { claimed = try folder.claim(index, by: worker) } catch { throw Failure("\(error)") }
    guard claimed else {
      log.status("cell \(index) (\(manifest.cells[index])) has its result already; nothing to do")
      return
    }
    let signals = SignalWatch(folder: folder, index: index, worker: worker)
    defer { signals.cancel() }
    log.status("cell \(index): \(manifest.cells[index]) (\(worker.description))")
    for line in manifest.prelude + [manifest.workerLine([index])] {
      guard log.run(line) else {
        let error = "`\(line)`: \(log.lastError)"
        try? folder.fail(index, error: error, by: worker)
        throw Failure(error)
      }
    }
    do {
      try folder.finish(index, records: workspace.commandRecords(), seed: WorkspaceOptions().seed, by: worker)
    } catch {
      try? folder.fail(index, error: "\(error)", by: worker)
      throw Failure("\(error)")
    }
    log.status("cell \(index) written to \(folder.path)")
  }
}

/// A worker's log: every command's notebook lines as they appear. A command's end is seen at
/// once (a tiny cell lasts a fraction of a second, and a worker's wall time is the grid's overhead).
private struct WorkerLog {
  let workspace: Workspace

  init(_ workspace: Workspace) { self.workspace = workspace }

  /// Runs `line` to its end, printing the notebook as it grows; false when it failed.
  func run(_ line: String) -> Bool {
    status("> \(line)")
    var printed = workspace.snapshot().cells.map(\.output.count)
    workspace.submit(line)
    var idle = workspace.isIdle
    while true {
      let cells = workspace.snapshot().cells
      for (i, cell) in cells.enumerated() {
        let done = i < printed.count ? printed[i] : 0
        if cell.output.count > done { write(cell.output[done...].map { $0 + "\n" }.joined()) }
      }
      printed = cells.map(\.output.count)
      if idle { break }
      idle = workspace.waitUntilIdle(atMost: 0.2)
    }
    return !workspace.lastCommandFailed
  }

  var lastError: String { workspace.snapshot().cells.last { $0.isError }?.output.last ?? "failed" }

  func status(_ text: String) { write(text + "\n") }

  private func write(_ text: String) { FileHandle.standardOutput.write(Data(text.utf8)) }
}

/// SIGTERM (scancel, a time limit, preemption, a requeue) and SIGINT end a worker with a
/// failure record naming the signal, so the folder says why the cell has no result.
private final class SignalWatch: @unchecked Sendable {
  private var sources: [DispatchSourceSignal] = []

  init(folder: GridFolder, index: Int, worker: CellWorker) {
    for (signal, name) in [(SIGTERM, "SIGTERM (scancel, a time limit, preemption or a requeue)"), (SIGINT, "SIGINT")] {
      Foundation.signal(signal, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: signal, queue: .global())
      source.setEventHandler {
        try? folder.fail(index, error: "stopped by \(name) before the cell finished", by: worker)
        FileHandle.standardError.write(Data("cell \(index): stopped by \(name)\n".utf8))
        _exit(128 + signal)
      }
      source.resume()
      sources.append(source)
    }
  }

  func cancel() { for source in sources { source.cancel() } }
}
