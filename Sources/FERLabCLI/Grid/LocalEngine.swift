import FERSystem
import FERWorkspace
import Foundation

/// `--engine local`: the cells as worker processes of this machine, `jobs` at a time, each
/// `ferlab grid-worker DIR --cell I` with its output in logs/local-I.log. A video dataset's
/// cache is filled first, once, by a worker that runs only the grid's prelude.
struct LocalEngine {
  let folder: GridFolder
  let manifest: GridManifest
  let jobs: Int
  /// Compute threads of each worker; nil: the cores shared out among the workers.
  let threads: Int?

  func run(_ indices: [Int]) throws {
    let number: Int
    do {
      number = try folder.nextSubmissionNumber()
      try folder.record(GridSubmission(
        number: number, engine: GridEngine.local.rawValue, cells: indices, logPattern: "logs/local-%a.log"))
    } catch { throw Failure("\(error)") }
    let binary = Slurm.ferlabBinary
    let workers = min(jobs, indices.count)
    let perWorker = threads ?? max(1, ProcessInfo.processInfo.activeProcessorCount / max(workers, 1))
    if manifest.preparesData {
      status("preparing the data once (log \(folder.absolute("logs/local-prepare.log")))")
      let code = try spawn(binary, ["--prepare"], log: "logs/local-prepare.log", threads: perWorker)
      guard code == 0 else {
        throw Failure("preparing the data failed (status \(code)); see \(folder.absolute("logs/local-prepare.log"))")
      }
    }
    status("running \(indices.count) cells in \(workers) worker processes of \(perWorker) threads; logs in \(folder.logsURL.path)")
    let pool = WorkerPool(indices)
    let group = DispatchGroup()
    for _ in 0..<workers {
      group.enter()
      Thread.detachNewThread {
        defer { group.leave() }
        while let index = pool.next() {
          do {
            let log = "logs/local-\(index).log"
            let code = try spawn(binary, ["--cell", "\(index)", "--log", log], log: log, threads: perWorker)
            status("cell \(pool.done()) of \(indices.count) ended: \(manifest.cells[index])" + (code == 0 ? "" : " failed (status \(code))"))
          } catch {
            pool.stop(error)
          }
        }
      }
    }
    group.wait()
    if let error = pool.error { throw Failure("cannot start a worker: \(error)") }
  }

  /// Runs `ferlab grid-worker DIR extra…` with stdout and stderr in `log`; its exit status.
  private func spawn(_ binary: String, _ extra: [String], log: String, threads: Int) throws -> Int32 {
    // sh opens the log and execs the worker, so the worker is the child this process waits for.
    let arguments = ["-c", "log=$1; shift; exec \"$@\" >>\"$log\" 2>&1", "sh", folder.absolute(log), binary, "grid-worker", folder.path]
      + extra + ["--threads", "\(threads)"]
    let environment = manifest.cache.map { ["FERLAB_CACHE": $0] } ?? [:]
    let child = try Subprocess(
      executable: URL(fileURLWithPath: "/bin/sh"), arguments: arguments, environment: environment, output: .discard, errors: .discard)
    return child.finish().status
  }

  private func status(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
  }
}

/// The cells still to start, handed out one at a time to the worker threads.
private final class WorkerPool: @unchecked Sendable {
  private let lock = NSLock()
  private let indices: [Int]
  private var position = 0
  private var finished = 0
  private(set) var error: Error?

  init(_ indices: [Int]) { self.indices = indices }

  /// The next cell's index; nil when none is left or a worker could not start.
  func next() -> Int? {
    lock.withLock {
      guard position < indices.count, error == nil else { return nil }
      defer { position += 1 }
      return indices[position]
    }
  }

  /// Counts a finished cell; how many have finished.
  func done() -> Int { lock.withLock { finished += 1; return finished } }

  func stop(_ error: Error) { lock.withLock { self.error = self.error ?? error } }
}
