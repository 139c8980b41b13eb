import Foundation
import FERData
import FERExperiments
import FERModels

// What the terminal UI draws: an immutable copy of the workspace's state,
// taken under the workspace's lock. Every field is a value type, so a snapshot
// can be read on any thread while the worker keeps training.

/// An immutable picture of everything the UI shows.
public struct WorkspaceSnapshot: Sendable {
  public var dataset: DatasetSummary?
  public var settings: WorkspaceSettings
  public var activity: Activity
  public var progress: Progress?
  /// The notebook scrollback, oldest first.
  public var cells: [Cell]
  public var currentRun: RunSummary?
  /// Every run of the session, oldest first (ids are 1-based positions).
  public var runs: [RunSummary]
  /// The latest gradient-flow measurements (conventional and enhanced at initialisation, then the current model).
  public var gradientFlow: [LabelledFlowReport]
  /// The latest cross-validation, ablation or comparison table.
  public var table: ResultTable?
  /// The latest cross-validation or ablation grid, as far as it has run.
  public var grid: GridProgress?
  /// The latest `watch` of a grid running elsewhere.
  public var watch: GridWatched?
  /// What the charts show: the current run or the latest grid.
  public var focus: ChartFocus
  /// Runs whose curves are overlaid (the latest `compare`).
  public var overlay: [Int]
  /// The latest `show`, and how many there have been.
  public var shownClip: ClipPicture?
  public var shownClipCount: Int
  /// Commands waiting behind the one in flight.
  public var queued: [String]
  public var sessionPath: String?

  /// The model the next `train` builds: preset, streams, switches and sizes.
  public var spec: ModelSpec { settings.spec }
  public var training: TrainingConfig { settings.training }
  /// Folds of cross-validation and the fold `train` and `eval` use.
  public var foldCount: Int { settings.foldCount }
  public var fold: Int { settings.fold }
  /// Clip length of `flow` (T).
  public var flowFrames: Int { settings.flowFrames }
  public var seed: UInt64 { settings.seed }
}

/// The loaded dataset, as the UI shows it.
public struct DatasetSummary: Sendable, Equatable {
  /// How it was asked for: "synthetic small", "folder /data/videos".
  public var source: String

  public var name: String
  public var clips: Int
  public var subjects: [String]
  /// Frames per clip (T) and frame side (S).
  public var frames: Int
  public var size: Int
  public var fingerprintHex: String
  /// Clips per class, indexed by `Emotion.rawValue`.
  public var classCounts: [Int]
  /// Whether flow and dynamic images have been computed.
  public var hasMotion: Bool
  /// Subject groups of the current folds (group g is fold g's test set).
  public var foldGroups: [[String]]
}

extension DatasetSummary {
  init(_ event: DatasetEvent) {
    source = event.source
    name = event.name
    clips = event.clips
    subjects = event.foldGroups.flatMap { $0 }.sorted { $0.compare($1, options: .numeric) == .orderedAscending }
    frames = event.frames
    size = event.size
    fingerprintHex = event.fingerprint
    classCounts = event.classCounts
    hasMotion = event.motion
    foldGroups = event.foldGroups
  }
}

/// What the charts show.
public enum ChartFocus: Sendable, Equatable {
  /// The current run, and the runs of the latest `compare` beside it.
  case run
  /// The latest cross-validation or ablation.
  case grid
}

/// What the worker is doing.
public enum Activity: Sendable, Equatable {
  case idle
  case loading(String)
  case training(StepProgress?)
  case paused
  case evaluating
  case crossValidating(fold: Int, of: Int)
  case ablating(row: Int, of: Int)
  case measuringFlow
}

/// Progress of the command in flight.
public struct Progress: Sendable, Equatable {
  /// 0…1.
  public var fraction: Double
  public var label: String
  /// Estimated seconds left, when known.
  public var secondsLeft: Double?
  /// e.g. "41.2 clips/s".
  public var throughput: String?
}

/// One notebook entry: a command and what it printed.
public struct Cell: Sendable, Equatable {
  /// Position in submission order (a viewed session places cells by it).
  public var number: Int
  public var command: String
  public var output: [String]
  public var isError: Bool
  /// False while the command is still running.
  public var isFinished: Bool
}

/// One training run.
public struct RunSummary: Sendable, Equatable {
  /// 1-based.
  public var id: Int
  /// The dataset it was trained (or opened) on.
  public var dataset: String
  public var spec: ModelSpec
  public var config: TrainingConfig
  public var fold: Int
  public var history: [EpochRecord]
  /// From the latest `eval` of this run (test subjects of its fold).
  public var confusion: ConfusionMatrix?
  public var stop: StopReason?
  /// FNV-1a 64 of the weights after training, 16 hex digits.
  public var checksumHex: String?
  /// The latest evaluation, with every clip's prediction.
  public var evaluation: Evaluated?

  public var specName: String { spec.name }
}

/// A cross-validation or ablation grid as far as it has run.
public struct GridProgress: Sendable, Equatable {
  public var kind: String
  public var plan: GridPlan
  public var finished: [CellFinished]
  /// Each cell's epochs so far, by cell key.
  public var histories: [String: [EpochRecord]]
  /// Set when the grid has finished.
  public var summary: GridSummary?
}
