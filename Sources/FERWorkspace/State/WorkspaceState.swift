import FERData
import FERExperiments
import FERModels

// The mutable state behind the snapshot, guarded by the workspace's lock.

struct WorkspaceState {
  var dataset: DatasetSummary?
  var spec: ModelSpec
  var training = TrainingConfig()
  var foldCount = SubjectFolds.defaultGroupCount
  var fold = 0
  var flowFrames = 32
  var seed: UInt64
  var activity = Activity.idle
  var progress: Progress?
  var cells: [Cell] = []
  var runs: [RunSummary] = []
  var currentRunID: Int?
  var gradientFlow: [LabelledFlowReport] = []
  var table: ResultTable?
  var queued: [String] = []
  var sessionPath: String?

  init(seed: UInt64, sessionPath: String?) {
    self.seed = seed
    self.sessionPath = sessionPath
    spec = WorkspaceState.defaultSpec
    training.seed = seed
  }

  /// Preset `small` on the rgb stream only: no motion to compute, an epoch in seconds.
  static var defaultSpec: ModelSpec {
    var spec = ModelSpec.preset(named: "small") ?? ModelSpec()
    spec.streams = [.rgb]
    return spec
  }

  var snapshot: WorkspaceSnapshot {
    WorkspaceSnapshot(
      dataset: dataset, spec: spec, training: training, foldCount: foldCount, fold: fold, flowFrames: flowFrames,
      seed: seed, activity: activity, progress: progress, cells: cells,
      currentRun: currentRunID.flatMap { id in runs.first { $0.id == id } }, runs: runs, gradientFlow: gradientFlow,
      table: table, queued: queued, sessionPath: sessionPath)
  }
}
