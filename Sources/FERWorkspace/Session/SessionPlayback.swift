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
        if case .epoch = event { frames.append(state.snapshot) }
        if case .cellFinished = event { frames.append(state.snapshot) }
      }
      state.finish(cell: record.cell, error: record.error, dropped: record.dropped == true)
      state.activity = .idle
      frames.append(state.snapshot)
    }
    return frames
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
