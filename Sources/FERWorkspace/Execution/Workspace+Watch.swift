import Foundation

// `watch FOLDER`: a grid running in other processes or on a cluster, followed
// from its results folder. Each time the count of finished cells changes, an
// event carries the counts and the rows over the cells done so far (the
// explorer's panels fill in); the watch ends when every cell is done, or at `stop`.

extension Workspace {
  func watch(_ path: String, _ ctx: JobContext) throws {
    let folder = GridFolder(path)
    var last: (Int, Int, Int, Int)?
    while true {
      let state: GridFolderState
      do { state = try GridFolderState.read(folder) } catch { throw WorkspaceError.failed("watch \(path): \(error)") }
      let counts = (state.cells(.done).count, state.cells(.running).count, state.cells(.failed).count,
        state.cells(.missing).count + state.cells(.queued).count)
      let total = state.cells.count
      let finished = state.isComplete || ctx.control.stopped
      ctx.setActivity(.ablating(row: counts.0, of: total), progress: Progress(
        fraction: Double(counts.0) / Double(max(total, 1)),
        label: "\(state.manifest.kind): \(counts.0)/\(total) cells done, \(counts.1) running, \(counts.2) failed",
        secondsLeft: nil, throughput: nil))
      if finished || last.map({ $0 != counts }) ?? true {
        ctx.emit(.gridWatched(GridWatched(
          folder: path, kind: state.manifest.kind, total: total, done: counts.0, running: counts.1, failed: counts.2,
          missing: counts.3, summary: state.partialSummary, unfinished: finished ? state.unfinishedLines : [])))
        last = counts
      }
      if finished { return }
      Thread.sleep(forTimeInterval: 1)
    }
  }
}
