import FERData
import FERExperiments
import FERModels

// What the terminal UI draws: an immutable copy of the workspace's state,
// taken under the workspace's lock. Every field is a value type, so a snapshot
// can be read on any thread while the worker keeps training.

/// An immutable picture of everything the UI shows.
public struct WorkspaceSnapshot: Sendable {
  public var dataset: DatasetSummary?
  /// The model the next `train` builds: preset, streams, switches and sizes.
  public var spec: ModelSpec
  public var training: TrainingConfig
  /// Folds of cross-validation and the fold `train` and `eval` use.
  public var foldCount: Int
  public var fold: Int
  /// Clip length of `flow` (T).
  public var flowFrames: Int
  public var seed: UInt64
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
  /// Commands waiting behind the one in flight.
  public var queued: [String]
  public var sessionPath: String?
}

/// The loaded dataset, as the UI shows it.
public struct DatasetSummary: Sendable, Equatable {
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
  public var spec: ModelSpec
  public var config: TrainingConfig
  public var fold: Int
  public var history: [EpochRecord]
  /// From the latest `eval` of this run (test subjects of its fold).
  public var confusion: ConfusionMatrix?
  public var stop: StopReason?
  /// FNV-1a 64 of the weights after training, 16 hex digits.
  public var checksumHex: String?

  public var specName: String { spec.name }
}

/// A gradient-flow report with what was measured ("conventional", "enhanced", "run 2").
public struct LabelledFlowReport: Sendable, Equatable {
  public var label: String
  public var report: GradientFlowReport
}
