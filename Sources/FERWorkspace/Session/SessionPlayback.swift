import FERExperiments

// A recorded session as a sequence of workspace snapshots, for watching it
// again without recomputing anything (`ferlab replay --view`): each record's
// events go through the same reducer and renderer the live workspace used, so
// the notebook reads as it did live. Each command shows its cell appearing, one
// frame per epoch and per grid cell (the curves grow as they did), and its end.

public enum SessionPlayback {
  /// The frames of `session`: the empty workspace first, then each command's.
  public static func frames(of session: SessionFile) -> [WorkspaceSnapshot] {
    var state = WorkspaceState(seed: session.header.seed, sessionPath: nil)
    var frames = [state.snapshot]
    for record in session.commands {
      state.begin(cell: record.cell, line: record.line)
      state.activity = activity(of: record.line)
      frames.append(state.snapshot)
      for event in record.events {
        state.apply(event, cell: record.cell)
        guard let progress = progress(after: event, in: state) else { continue }
        state.progress = progress
        frames.append(state.snapshot)
      }
      state.finish(cell: record.cell, error: record.error, dropped: record.dropped == true)
      state.activity = .idle
      state.progress = nil
      frames.append(state.snapshot)
    }
    return frames
  }

  /// The progress bar after an epoch of a run or a grid's finished cell (nil: no frame of its own).
  static func progress(after event: WorkspaceEvent, in state: WorkspaceState) -> Progress? {
    switch event {
    case .epoch(let e):
      guard let id = e.run, let run = state.runs.first(where: { $0.id == id }) else { return state.progress }
      let epochs = max(run.config.epochs, 1)
      return Progress(
        fraction: Double(e.record.epoch) / Double(epochs), label: "run \(id) epoch \(e.record.epoch)/\(epochs)",
        secondsLeft: nil, throughput: nil)
    case .cellFinished:
      guard let grid = state.grid else { return nil }
      let total = grid.plan.rows.count * grid.plan.folds.count * grid.plan.repetitions
      return Progress(
        fraction: Double(grid.finished.count) / Double(max(total, 1)), label: "\(grid.kind) cell \(grid.finished.count)/\(total)",
        secondsLeft: nil, throughput: nil)
    default:
      return nil
    }
  }

  /// What the worker was doing while the command ran, for the status line.
  static func activity(of line: String) -> Activity {
    switch try? CommandParser.parse(line) {
    case .load?: .loading("dataset")
    case .train?: .training(nil)
    case .eval?, .predict?: .evaluating
    case .cv?: .crossValidating(fold: 0, of: 1)
    case .ablate?: .ablating(row: 0, of: 1)
    case .flow?: .measuringFlow
    default: .idle
    }
  }
}
