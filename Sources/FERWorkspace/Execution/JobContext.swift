import FERExperiments
import Foundation

// What a running command reaches: its cell, its TrainingControl, and a count
// of optimizer steps so that a stopped run can be replayed to the same step.

final class JobContext: @unchecked Sendable {
  unowned let workspace: Workspace
  let job: Job
  let control: TrainingControl
  /// Replay: stop after this many steps, as the recorded run was.
  let stopAfterSteps: Int?
  /// Optimizer steps taken by this command (all folds and rows).
  private(set) var stepsDone = 0
  /// Dataset records to write after the command record.
  var datasetRecords: [DatasetRecord] = []

  init(workspace: Workspace, job: Job, control: TrainingControl, stopAfterSteps: Int?) {
    self.workspace = workspace
    self.job = job
    self.control = control
    self.stopAfterSteps = stopAfterSteps
  }

  func print(_ lines: String...) {
    workspace.update { $0.cells[job.cell].output += lines }
  }

  func setActivity(_ activity: Activity, progress: Progress? = nil) {
    workspace.update {
      $0.activity = activity
      $0.progress = progress
    }
  }

  /// Folds a training event into the state the snapshot shows; `label` prefixes the progress text.
  func observe(_ event: TrainingEvent, label: String, activity: Activity? = nil, onEpoch: (EpochRecord) -> Void = { _ in }) {
    switch event {
    case .started: break
    case .step(let p):
      stepsDone += 1
      if let limit = stopAfterSteps, stepsDone >= limit { control.stop() }
      workspace.update {
        $0.activity = activity ?? .training(p)
        $0.progress = Progress(
          fraction: p.fractionDone, label: "\(label) epoch \(p.epoch) step \(p.step)/\(p.stepsPerEpoch) loss \(String(format: "%.4f", p.loss))",
          secondsLeft: p.secondsLeft, throughput: String(format: "%.1f clips/s", p.clipsPerSecond))
      }
    case .epoch(let record):
      onEpoch(record)
      var line = "\(label) epoch \(record.epoch): loss \(String(format: "%.4f", record.trainLoss)) acc \(percent(record.trainAccuracy))%"
      if let vl = record.validationLoss, let va = record.validationAccuracy {
        line += "  val loss \(String(format: "%.4f", vl)) acc \(percent(va))%"
      }
      print(line)
    case .paused: workspace.update { $0.activity = .paused }
    case .resumed: workspace.update { $0.activity = activity ?? .training(nil) }
    case .finished(let reason): print("\(label) \(reason.summary)")
    }
  }
}
