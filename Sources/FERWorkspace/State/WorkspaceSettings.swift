import FERData
import FERExperiments
import FERModels

// Everything `set` changes, as one value: the model the next `train` builds,
// the training configuration, the seed, the folds and the clip length of
// `flow`. A `settingsChanged` event carries the whole value, so a replayed or
// viewed session holds exactly the settings the live one had.

/// The settings of a workspace.
public struct WorkspaceSettings: Codable, Sendable, Equatable {
  /// The model the next `train` builds: preset, streams, switches and sizes.
  public var spec: ModelSpec
  public var training: TrainingConfig
  /// Model initialisation, shuffling, dropout and the subject folds.
  public var seed: UInt64
  /// Subject groups of cross-validation, and the fold `train` and `eval` use (0-based).
  public var foldCount: Int
  public var fold: Int
  /// Clip length of `flow` (T).
  public var flowFrames: Int

  public init(seed: UInt64) {
    spec = Self.defaultSpec
    training = TrainingConfig()
    training.seed = seed
    self.seed = seed
    foldCount = SubjectFolds.defaultGroupCount
    fold = 0
    flowFrames = 32
  }

  /// Preset `small` on the rgb stream only: no motion to compute, an epoch in seconds.
  public static var defaultSpec: ModelSpec {
    var spec = ModelSpec.preset(named: "small") ?? ModelSpec()
    spec.streams = [.rgb]
    return spec
  }
}
