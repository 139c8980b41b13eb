import FERData
import FERExperiments
import FERModels

// The mutable state behind the snapshot, guarded by the workspace's lock. Only
// the reducer (WorkspaceState+Events) changes what commands produce; the worker
// sets the transient `activity`, `progress` and `queued` directly.

struct WorkspaceState {
  var dataset: DatasetSummary?
  var settings: WorkspaceSettings
  var activity = Activity.idle
  var progress: Progress?
  var cells: [Cell] = []
  var runs: [RunSummary] = []
  var currentRunID: Int?
  var gradientFlow: [LabelledFlowReport] = []
  var table: ResultTable?
  var grid: GridProgress?
  /// The latest `watch` of a grid running elsewhere.
  var watch: GridWatched?
  /// What the charts show: the current run (its curves, with any runs compared beside it) or the latest grid.
  var focus = ChartFocus.run
  /// Runs whose curves are overlaid (the latest `compare`).
  var overlay: [Int] = []
  /// The latest `show`, and how many there have been (the explorer opens each new one).
  var shownClip: ClipPicture?
  var shownClipCount = 0
  var queued: [String] = []
  var sessionPath: String?

  init(seed: UInt64, sessionPath: String?) {
    settings = WorkspaceSettings(seed: seed)
    self.sessionPath = sessionPath
  }

  var snapshot: WorkspaceSnapshot {
    WorkspaceSnapshot(
      dataset: dataset, settings: settings, activity: activity, progress: progress, cells: cells,
      currentRun: currentRunID.flatMap { id in runs.first { $0.id == id } }, runs: runs, gradientFlow: gradientFlow,
      table: table, grid: grid, watch: watch, focus: focus, overlay: overlay, shownClip: shownClip, shownClipCount: shownClipCount,
      queued: queued, sessionPath: sessionPath)
  }
}
