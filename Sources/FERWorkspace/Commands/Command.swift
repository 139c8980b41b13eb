import FERCore
import FERData
import FERExperiments
import FERModels

// The command language as data: what a parsed line asks for. One language for
// the terminal UI, scripts, tests and replay (see CommandTable for the words).

/// A parsed command line.
public enum Command: Sendable, Equatable {
  case load(DatasetRequest)
  case set(Setting)
  case train(epochs: Int?)
  case pause
  case resume
  case stop
  /// The current run on its fold's test subjects, or (`all`) on every clip.
  case eval(all: Bool)
  /// A saved checkpoint as a new run on the current fold.
  case open(path: String)
  case cv
  case ablate(AblationChoice)
  case flow(frames: Int?)
  case compare(Int, Int)
  case save(path: String?)
  case run(script: String)
  case help(command: String?)

  /// Commands that run on the background worker (the rest finish before `submit` returns).
  var isLong: Bool {
    switch self {
    case .load, .train, .eval, .open, .cv, .ablate, .flow, .save: true
    case .set, .pause, .resume, .stop, .compare, .run, .help: false
    }
  }

  /// Commands that act on the worker in flight rather than queue behind it; never recorded.
  var isControl: Bool {
    switch self {
    case .pause, .resume, .stop, .help: true
    default: false
    }
  }
}

/// Where `load` takes its clips from.
public enum DatasetRequest: Sendable, Equatable {
  /// The built-in generator; `preset` names the base spec ("default", "small") the overrides apply to.
  case synthetic(preset: String, spec: SyntheticSpec)
  case enterface(path: String)
  case folder(path: String)
  case manifest(path: String)
}

/// One `set` line.
public enum Setting: Sendable, Equatable {
  case temporal(Bool)
  case spatial(Bool)
  case norm(Bool)
  /// The RGB stream's clip standardisation (ModelSpec.centreFrames).
  case centre(Bool)
  case preset(String)
  case streams([StreamKind])
  case peephole(OutputPeephole)
  case learningRate(Float)
  case epochs(Int)
  case batch(Int)
  case optimizer(OptimizerKind)
  case schedule(LearningRateSchedule)
  case weightDecay(Float)
  case clip(Float)
  case patience(Int)
  case seed(UInt64)
  case folds(Int)
  case fold(Int)
  case frames(Int)
  /// The share of training subjects held out for validation and early stopping.
  case validation(Double)
}

/// Which rows `ablate` runs.
public enum AblationChoice: String, Sendable, Equatable, CaseIterable {
  /// The seed's Table I rows (a)–(e) and the CNN+LSTM baseline.
  case seed
  /// Temporal × spatial skip on the current streams (2×2).
  case skips
  /// All three switches (2×2×2).
  case switches
}
