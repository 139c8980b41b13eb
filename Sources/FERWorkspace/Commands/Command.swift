import FERCore
import FERData
import FERExperiments
import FERModels

// The command language as data: what a parsed line asks for. One language for
// the terminal UI, scripts, the CLI's subcommands, tests and replay; the words
// and their help are declared in CommandCatalog.

/// A parsed command line.
public enum Command: Sendable, Equatable {
  case load(DatasetRequest)
  case set(SettingChange)
  case train(epochs: Int?)
  case pause
  case resume
  case stop
  /// The current run on its fold's test subjects, or (`all`) on every clip.
  case eval(all: Bool)
  /// A saved checkpoint as a new run on the current fold.
  case open(path: String)
  /// The current run's prediction for a video file: the whole clip and a timeline of windows.
  case predict(PredictRequest)
  /// Every fold, `repetitions` times (each with its own initialisation and shuffling seed);
  /// `cells`: only the cells with these keys (a grid's worker runs its share).
  case cv(repetitions: Int, cells: [String]? = nil)
  case ablate(AblationChoice, repetitions: Int, cells: [String]? = nil)
  /// Gradient flow on clips of `frames` steps; `grid`: every switch combination, not only the current one.
  case flow(frames: Int?, grid: Bool)
  /// Runs side by side (two or more ids).
  case compare([Int])
  /// A clip of the dataset as pictures: frames, flow, dynamic images, and the current run's prediction.
  case show(clip: String)
  /// The curves, tables and charts as CSV and SVG files in a folder.
  case export(folder: String?)
  case save(path: String?)
  case run(script: String)
  case help(command: String?)
  /// Text for the notebook: what a teaching script tells its reader to look at.
  case note(String)
  /// Follow a grid's results folder (`--engine local|slurm --results DIR`) until every cell is done.
  case watch(folder: String)

  /// Commands that act on the command in flight rather than queue behind it.
  var isControl: Bool {
    switch self {
    case .pause, .resume, .stop, .help: true
    default: false
    }
  }
}

/// One `set NAME VALUE` line: the setting's name (SettingCatalog) and its word, read again when it runs.
public struct SettingChange: Sendable, Equatable {
  public let name: String
  public let value: String
}

/// Where `load` takes its clips from.
public enum DatasetRequest: Sendable, Equatable {
  /// The built-in generator; `preset` names the base spec ("default", "small") the overrides apply to.
  case synthetic(preset: String, spec: SyntheticSpec)
  case enterface(path: String)
  case folder(path: String)
  case manifest(path: String)
}

/// What `predict` reads and how it cuts the timeline.
public struct PredictRequest: Sendable, Equatable {
  public let video: String
  /// Frames per clip (T); nil: the loaded dataset's, or 16.
  public let frames: Int?
  /// Window length and stride of the timeline, in seconds.
  public let window: Double
  public let stride: Double
}

/// Which rows `ablate` runs.
public enum AblationChoice: String, Sendable, Equatable, CaseIterable, Codable {
  /// The seed's Table I rows (a)–(e) and the CNN+LSTM baseline.
  case seed
  /// Temporal × spatial skip on the current streams (2×2).
  case skips
  /// All three switches (2×2×2).
  case switches
}
