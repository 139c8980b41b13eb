import FERData
import FERExperiments
import FERModels

// What commands report: every executor computes and emits these, and nothing
// else reaches the notebook, the explorer's state or a session. One reducer
// (WorkspaceState+Events) applies an event to the state and one renderer
// (NotebookRenderer) turns it into notebook lines, for live use, scripts, the
// CLI, `replay` and `replay --view` alike; a session records them and `--json`
// prints them. Payloads are plain Codable values.

/// One thing a command did or found.
public enum WorkspaceEvent: Sendable, Equatable {
  // Data
  case videosFound(VideosFound)
  case videosPrepared(VideosPrepared)
  case datasetLoaded(DatasetEvent)
  case motionStarted(MotionStarted)
  case motionComputed(DatasetEvent)
  case foldsDealt(DatasetEvent)
  // Settings
  case settingsChanged(SettingsChanged)
  // Runs
  case runStarted(RunStarted)
  case runOpened(RunOpened)
  case epoch(EpochEvent)
  case paused(Interruption)
  case resumed(Interruption)
  case stopped(Interruption)
  case evaluated(Evaluated)
  case runFinished(RunFinished)
  case saved(Saved)
  case predicted(Predicted)
  case clipShown(ClipPicture)
  // Grids: cross-validation and ablation
  case gridStarted(GridStarted)
  case cellStarted(CellStarted)
  case cellFinished(CellFinished)
  case gridFinished(GridFinished)
  case gridWatched(GridWatched)
  // Measurements and tables
  case flowMeasured(FlowMeasured)
  case compared(Compared)
  case exported(Exported)
  // The command itself
  case scriptQueued(ScriptQueued)
  case helpShown(HelpShown)
  case noted(Noted)
  case controlled(Controlled)

  /// Events that depend on when a person pressed a key, not on the computation:
  /// recorded and shown, never compared by replay.
  public var isInteractive: Bool {
    switch self {
    case .paused, .resumed, .controlled: true
    default: false
    }
  }
}

// MARK: data

/// `load` of a video layout: what discovery found and passed over.
public struct VideosFound: Codable, Sendable, Equatable {
  public var layout: String
  public var path: String
  public var clips: Int
  public var subjects: [String]
  /// "path: reason" of every file or manifest row not taken.
  public var skipped: [String]
}

/// The pre-processing of a video load: its account (a summary line, then the clips it left
/// out, cache files rebuilt and warnings, as the preparation report words them), and the warnings alone.
public struct VideosPrepared: Codable, Sendable, Equatable {
  public var lines: [String]
  public var warnings: [String]
}

/// A dataset as the workspace holds it: what replay checks, and the subject folds.
public struct DatasetEvent: Codable, Sendable, Equatable {
  /// How it was asked for: "synthetic small", "folder /data/videos".
  public var source: String
  public var name: String
  public var provenance: String
  /// 16 hex digits of FNV-1a 64 over every clip's tensors.
  public var fingerprint: String
  public var clips: Int
  /// Frames per clip (T) and frame side (S).
  public var frames: Int
  public var size: Int
  public var classCounts: [Int]
  /// Flow and dynamic images computed.
  public var motion: Bool
  /// The subject groups of the current folds: group g is fold g's test set.
  public var foldGroups: [[String]]
  public var foldSeed: UInt64
}

public struct MotionStarted: Codable, Sendable, Equatable {
  public var clips: Int
}

// MARK: settings

/// A `set` line: the setting it changed and every setting after it.
public struct SettingsChanged: Codable, Sendable, Equatable {
  public var setting: String
  public var settings: WorkspaceSettings
}

// MARK: runs

public struct RunStarted: Codable, Sendable, Equatable {
  public var run: Int
  public var dataset: String
  public var spec: ModelSpec
  public var training: TrainingConfig
  public var fold: Int
  public var trainingClips: Int
  public var validationClips: Int
  public var testClips: Int
}

/// `open`: a checkpoint as a run.
public struct RunOpened: Codable, Sendable, Equatable {
  public var run: Int
  public var dataset: String
  public var spec: ModelSpec
  public var fold: Int
  public var path: String
  public var checksum: String
}

/// A finished epoch of a run or of a grid cell.
public struct EpochEvent: Codable, Sendable, Equatable {
  public var run: Int?
  public var cell: GridCell?
  public var record: EpochRecord
}

/// A pause, resume or stop taking effect, after this many optimizer steps of the command.
public struct Interruption: Codable, Sendable, Equatable {
  public var afterSteps: Int
}

/// A run evaluated on its fold's test subjects (`fold`) or on every clip (`fold` nil).
public struct Evaluated: Codable, Sendable, Equatable {
  public var run: Int
  public var fold: Int?
  public var subjects: [String]
  public var loss: Double
  public var accuracy: Double
  public var macroF1: Double
  public var uar: Double
  public var confusion: ConfusionMatrix
  /// Per clip, in the evaluated order: its id, true class, predicted class and class probabilities.
  public var clips: [String]
  public var labels: [Int]
  public var predictions: [Int]
  public var probabilities: [[Float]]
}

public struct RunFinished: Codable, Sendable, Equatable {
  public var run: Int
  public var stop: StopReason
  /// 16 hex digits of FNV-1a 64 over the weights the run kept.
  public var checksum: String
  /// Accuracy on the fold's test subjects.
  public var testAccuracy: Double
}

public struct Saved: Codable, Sendable, Equatable {
  public var run: Int
  public var path: String
  public var checksum: String
}

/// `predict`: the whole video's class probabilities and a timeline of windows.
public struct Predicted: Codable, Sendable, Equatable {
  public var run: Int
  public var video: String
  public var frames: Int
  /// Frames whose face box came from a neighbour (no detection of their own).
  public var fallbackFrames: Int
  public var probabilities: [Float]
  public var predicted: String
  public var timeline: [PredictionWindow]
}

public struct PredictionWindow: Codable, Sendable, Equatable {
  /// Seconds from the start of the video.
  public var start: Double
  public var end: Double
  public var probabilities: [Float]
  public var predicted: String
}

// MARK: grids

public struct GridStarted: Codable, Sendable, Equatable {
  /// "cv", "ablate skips", …
  public var kind: String
  public var plan: GridPlan
  public var epochs: Int
}

public struct CellStarted: Codable, Sendable, Equatable {
  public var cell: GridCell
  public var testSubjects: [String]
}

public struct CellFinished: Codable, Sendable, Equatable {
  public var cell: GridCell
  public var testSubjects: [String]
  public var stop: StopReason
  public var epochs: Int
  public var accuracy: Double
  public var macroF1: Double
  public var confusion: ConfusionMatrix
  public var checksum: String
}

/// A grid's summary: rows with intervals, pairs with paired tests.
public struct GridFinished: Codable, Sendable, Equatable {
  public var kind: String
  public var summary: GridSummary
  /// Whether the seed's published eNTERFACE'05 column belongs beside the rows.
  public var showPublished: Bool
}

/// A grid's results folder as `watch` last read it.
public struct GridWatched: Codable, Sendable, Equatable {
  public var folder: String
  public var kind: String
  public var total: Int
  public var done: Int
  public var running: Int
  public var failed: Int
  public var missing: Int
  /// The rows over the cells done so far.
  public var summary: GridSummary?
  /// One line per cell not done (state, key, Slurm ids, log, reason), when the watch ends.
  public var unfinished: [String]
}

// MARK: measurements

/// A gradient-flow report with what was measured ("conventional (init)", "run 2 (trained)").
public struct LabelledFlowReport: Codable, Sendable, Equatable {
  public var label: String
  public var report: GradientFlowReport
}

public struct FlowMeasured: Codable, Sendable, Equatable {
  public var frames: Int
  /// Where the clips came from, in words.
  public var clips: String
  public var seed: UInt64
  public var reports: [LabelledFlowReport]
}

// MARK: the command itself

/// `compare`: the runs side by side (their curves are overlaid) and the table.
public struct Compared: Codable, Sendable, Equatable {
  public var runs: [Int]
  public var table: ResultTable
}

/// `export`: the files written.
public struct Exported: Codable, Sendable, Equatable {
  public var folder: String
  public var files: [String]
}

public struct ScriptQueued: Codable, Sendable, Equatable {
  public var path: String
  public var commands: [String]
}

/// `note TEXT`.
public struct Noted: Codable, Sendable, Equatable {
  public var text: String
}

public struct HelpShown: Codable, Sendable, Equatable {
  public var command: String?
}

/// `pause`, `resume` or `stop` acknowledged; `dropped` lists queued lines a stop dropped.
public struct Controlled: Codable, Sendable, Equatable {
  public var action: String
  public var dropped: [String]
}
