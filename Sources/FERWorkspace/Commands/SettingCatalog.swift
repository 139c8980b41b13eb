import FERData
import FERExperiments
import FERModels

// Every setting `set` changes, declared once: its name, what its value looks
// like, what it means, the choices Tab offers, how its word is read and applied,
// and which summary line `set` prints after it. The parser, `help set`,
// completion, the notebook and the CLI's `--NAME VALUE` options all read this table.

/// The summary line `set` prints after a change (NotebookRenderer draws it).
enum SettingsLine: String, Sendable {
  case switches, model, training, seed, folds, flowFrames
}

/// When a setting's word is read: while a line (or a whole script) is parsed, with
/// nothing to check it against yet, or when it runs, against the workspace.
enum SettingContext {
  case parsing
  case running(dataset: DatasetSummary?)

  var dataset: DatasetSummary? {
    if case .running(let dataset) = self { return dataset }
    return nil
  }
}

/// One setting.
///
/// `@unchecked Sendable`: it holds key paths, which are immutable values.
struct SettingDeclaration: @unchecked Sendable {
  let name: String
  /// What the value looks like in a usage line: "on|off", "N", "X".
  let valueUsage: String
  let meaning: String
  /// What Tab offers for the value (empty for free values).
  let choices: [String]
  let echo: SettingsLine
  /// Reads `word` and applies it to `settings`; checks against the workspace (the
  /// loaded dataset, the fold count) only when `when` is `.running`.
  let assign: (_ word: String, _ settings: inout WorkspaceSettings, _ when: SettingContext) throws(CommandError) -> Void

  /// "temporal on|off — the temporal skip h(t−2)".
  var usage: String { "\(name) \(valueUsage)" + (meaning.isEmpty ? "" : " — \(meaning)") }
  var context: String { "set \(name)" }

  static func flag(
    _ name: String, _ meaning: String, _ path: WritableKeyPath<WorkspaceSettings, Bool>, echo: SettingsLine
  ) -> SettingDeclaration {
    SettingDeclaration(name: name, valueUsage: "on|off", meaning: meaning, choices: ["on", "off"], echo: echo) {
      word, settings, _ throws(CommandError) in
      settings[keyPath: path] = try Words.choice(word, ["on", "off"], in: "set \(name)") == "on"
    }
  }

  static func choice<Value: RawRepresentable & CaseIterable>(
    _ name: String, _ meaning: String, _ path: WritableKeyPath<WorkspaceSettings, Value>, echo: SettingsLine
  ) -> SettingDeclaration where Value.RawValue == String {
    let names = Value.allCases.map(\.rawValue)
    return SettingDeclaration(
      name: name, valueUsage: names.joined(separator: "|"), meaning: meaning, choices: names, echo: echo
    ) { word, settings, _ throws(CommandError) in
      guard let value = Value(rawValue: try Words.choice(word, names, in: "set \(name)")) else { return }
      settings[keyPath: path] = value
    }
  }

  static func count(
    _ name: String, _ meaning: String, _ range: ClosedRange<Int>, what: String, example: String,
    _ path: WritableKeyPath<WorkspaceSettings, Int>, echo: SettingsLine
  ) -> SettingDeclaration {
    SettingDeclaration(name: name, valueUsage: "N", meaning: meaning, choices: [], echo: echo) {
      word, settings, _ throws(CommandError) in
      settings[keyPath: path] = try Words.count(word, "set \(name)", range, what: what, example: example)
    }
  }

  static func number(
    _ name: String, _ meaning: String, _ range: ClosedRange<Double>, positive: Bool = false, example: String,
    _ path: WritableKeyPath<WorkspaceSettings, Float>, echo: SettingsLine
  ) -> SettingDeclaration {
    SettingDeclaration(name: name, valueUsage: "X", meaning: meaning, choices: [], echo: echo) {
      word, settings, _ throws(CommandError) in
      settings[keyPath: path] = Float(try Words.number(word, "set \(name)", range, positive: positive, example: example))
    }
  }
}

enum SettingCatalog {
  static let all: [SettingDeclaration] = [
    .flag("temporal", "the temporal skip h(t−2)", \.spec.convLSTM.temporalSkip, echo: .switches),
    .flag("spatial", "the spatial skip W_xs * x(t)", \.spec.convLSTM.spatialSkip, echo: .switches),
    .flag("norm", "group normalization of h(t)", \.spec.convLSTM.groupNorm, echo: .switches),
    .flag("centre", "RGB clips centred on their mean frame, unit variance", \.spec.centreFrames, echo: .model),
    SettingDeclaration(
      name: "preset", valueUsage: "NAME", meaning: ModelSpec.presetNames.joined(separator: "|"),
      choices: ModelSpec.presetNames, echo: .model
    ) { word, settings, when throws(CommandError) in
      let name = try Words.choice(word, ModelSpec.presetNames, in: "set preset")
      guard var preset = ModelSpec.preset(named: name) else { return }
      // The preset's streams, switches and sizes; the input size stays the dataset's.
      preset.inputSize = when.dataset?.size ?? preset.inputSize
      settings.spec = preset
    },
    SettingDeclaration(
      name: "streams", valueUsage: "LIST", meaning: "comma-separated: rgb,flow,rgb_dynamic,flow_dynamic",
      choices: StreamKind.allCases.map(\.rawValue), echo: .model
    ) { word, settings, _ throws(CommandError) in
      var streams: [StreamKind] = []
      for name in word.split(separator: ",").map(String.init) {
        guard let kind = StreamKind(rawValue: try Words.choice(name, StreamKind.allCases.map(\.rawValue), in: "set streams")) else {
          continue
        }
        guard !streams.contains(kind) else { throw CommandError("set streams: \"\(name)\" is listed twice") }
        streams.append(kind)
      }
      guard !streams.isEmpty else { throw CommandError("set streams: name at least one stream, e.g. `set streams rgb,flow`") }
      settings.spec.streams = streams
    },
    .choice("peephole", "the output gate sees c(t−1) or c(t)", \.spec.convLSTM.outputPeephole, echo: .switches),
    .number("lr", "learning rate", 0...1e6, positive: true, example: "1e-3", \.training.learningRate, echo: .training),
    .count(
      "epochs", "the most epochs a run trains (early stopping may end it sooner)", TrainingConfig.Limits.epochs,
      what: "a number of epochs", example: "5", \.training.epochs, echo: .training),
    .count(
      "batch", "clips per minibatch", TrainingConfig.Limits.batchSize, what: "a number of clips", example: "8",
      \.training.batchSize, echo: .training),
    .choice("optimizer", "", \.training.optimizer, echo: .training),
    .choice("schedule", "how the learning rate falls over a run", \.training.schedule, echo: .training),
    .number("weight-decay", "", 0...1e6, example: "1e-4", \.training.weightDecay, echo: .training),
    .number("clip", "gradient-norm clip, 0 disables", 0...1e6, example: "5", \.training.clipNorm, echo: .training),
    .count(
      "patience", "early stopping: epochs without a better validation loss, 0 disables", TrainingConfig.Limits.patience,
      what: "a number of epochs", example: "3", \.training.patience, echo: .training),
    SettingDeclaration(
      name: "seed", valueUsage: "N", meaning: "initialisation, shuffling and folds", choices: [], echo: .seed
    ) { word, settings, _ throws(CommandError) in
      settings.seed = try Words.seed(word, "set seed")
      settings.training.seed = settings.seed
    },
    SettingDeclaration(
      name: "folds", valueUsage: "K", meaning: "subject groups for cross-validation (2 or more)", choices: [], echo: .folds
    ) { word, settings, when throws(CommandError) in
      let k = try Words.count(word, "set folds", SubjectFolds.groupCountRange, what: "a number of subject groups", example: "5")
      if let subjects = when.dataset?.subjects.count, k > subjects {
        throw CommandError("set folds: \(k) groups need at least \(k) subjects; the dataset has \(subjects)")
      }
      settings.foldCount = k
      settings.fold = min(settings.fold, k - 1)
    },
    SettingDeclaration(
      name: "fold", valueUsage: "K", meaning: "the fold `train` and `eval` use (0-based)", choices: [], echo: .folds
    ) { word, settings, when throws(CommandError) in
      let k = try Words.count(
        word, "set fold", 0...(SubjectFolds.groupCountRange.upperBound - 1), what: "a fold number", example: "0")
      // Checked against the fold count only when the line runs (a script may `set folds` first).
      if case .running = when, k >= settings.foldCount {
        throw CommandError(
          "set fold: there is no fold \(k); folds are numbered 0 to \(settings.foldCount - 1) (`set folds K` changes their number)")
      }
      settings.fold = k
    },
    .count("frames", "clip length of `flow`", 2...1024, what: "a frame count", example: "32", \.flowFrames, echo: .flowFrames),
    SettingDeclaration(
      name: "validation", valueUsage: "X", meaning: "share of training subjects held out for validation (0–0.9)", choices: [],
      echo: .training
    ) { word, settings, _ throws(CommandError) in
      settings.training.validationFraction = try Words.number(word, "set validation", 0...0.9, example: "0.2")
    },
  ]

  static var names: [String] { all.map(\.name) }

  static func named(_ name: String) -> SettingDeclaration? { all.first { $0.name == name } }
}
