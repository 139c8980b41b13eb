import FERExperiments
import Foundation

// What a running command reaches: `emit` for its events (applied to the state
// at once, recorded when the command ends), its TrainingControl, the transient
// activity and progress the UI shows, and a count of optimizer steps so that a
// stopped command can be replayed to the same step.

final class JobContext: @unchecked Sendable {
  unowned let workspace: Workspace
  let job: Job
  let control: TrainingControl
  /// Replay: stop after this many steps, as the recorded command was.
  let stopAfterSteps: Int?
  /// Optimizer steps taken by this command (all folds and rows).
  private(set) var stepsDone = 0
  /// The command's events so far, in order.
  private(set) var events: [WorkspaceEvent] = []

  init(workspace: Workspace, job: Job, control: TrainingControl, stopAfterSteps: Int?) {
    self.workspace = workspace
    self.job = job
    self.control = control
    self.stopAfterSteps = stopAfterSteps
  }

  /// Applies `event` to the state (its lines join the command's cell) and keeps it for the record.
  func emit(_ event: WorkspaceEvent) {
    events.append(event)
    workspace.update { $0.apply(event, cell: job.cell) }
  }

  func setActivity(_ activity: Activity, progress: Progress? = nil) {
    workspace.update {
      $0.activity = activity
      $0.progress = progress
    }
  }

  /// Turns a training event into progress, epoch events and the pause / resume / stop
  /// events; `label` prefixes the progress text, `run` or `cell` names what trains.
  func observe(_ event: TrainingEvent, label: String, run: Int? = nil, cell: GridCell? = nil, activity: Activity) {
    switch event {
    case .started: break
    case .step(let p):
      stepsDone += 1
      if let limit = stopAfterSteps, stepsDone >= limit { control.stop() }
      setActivity(
        activity == .training(nil) ? .training(p) : activity,
        progress: Progress(
          fraction: p.fractionDone,
          label: "\(label) epoch \(p.epoch) step \(p.step)/\(p.stepsPerEpoch) loss \(String(format: "%.4f", p.loss))",
          secondsLeft: p.secondsLeft, throughput: String(format: "%.1f clips/s", p.clipsPerSecond)))
    case .epoch(let record):
      emit(.epoch(EpochEvent(run: run, cell: cell, record: record)))
    case .paused:
      emit(.paused(Interruption(afterSteps: stepsDone)))
      workspace.update { $0.activity = .paused }
    case .resumed:
      emit(.resumed(Interruption(afterSteps: stepsDone)))
      workspace.update { $0.activity = activity }
    case .finished(let reason):
      if reason == .stoppedByUser { emit(.stopped(Interruption(afterSteps: stepsDone))) }
    }
  }
}
