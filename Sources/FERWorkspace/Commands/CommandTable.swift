import FERCore
import FERData
import FERExperiments
import FERModels

// The one table of commands: `help`, `help CMD`, the parser's error messages
// and tab completion all read it, so they cannot drift apart.

/// A command word and its documentation.
struct CommandEntry {
  let name: String
  let usage: String
  let summary: String
  /// Further lines for `help NAME`.
  let details: [String]
}

/// The settings `set` accepts, with the values each takes (empty for free values).
public struct SettingEntry: Sendable {
  public let name: String
  public let usage: String
  public let choices: [String]
}

enum CommandTable {
  static let entries: [CommandEntry] = [
    CommandEntry(
      name: "load", usage: "load synthetic [small|default] [subjects=N clips=N frames=T size=S seed=N noise=X] | enterface PATH | folder PATH | manifest FILE",
      summary: "load a dataset (synthetic default: 43 subjects × 6 classes × 5 clips, T=16, S=48)",
      details: [
        "synthetic small: 10 subjects × 6 × 2 clips, T=8, S=32 — ready in a second or two.",
        "key=value words override the preset's sizes (clips = clips per class per subject).",
        "The model's input size becomes the dataset's frame size S; flow and dynamic images",
        "are computed only when the model's streams need them.",
      ]),
    CommandEntry(
      name: "set", usage: "set SETTING VALUE", summary: "change the model or the training configuration",
      details: SettingTable.entries.map { "  set \($0.usage)" } + [
        "The workspace starts with preset small restricted to the rgb stream, so training starts",
        "at once; `set streams rgb,flow,rgb_dynamic,flow_dynamic` adds the motion streams.",
        "`set preset NAME` takes the preset's streams and switches; the input size stays the dataset's.",
      ]),
    CommandEntry(
      name: "train", usage: "train [EPOCHS]", summary: "train a new run on the current fold (runs in the background)",
      details: [
        "Trains a fresh model (seeded) on the current fold's training subjects, holding some out for",
        "validation; `pause`, `resume` and `stop` act between minibatches. Ends with the weights' checksum.",
      ]),
    CommandEntry(name: "pause", usage: "pause", summary: "pause the training in flight", details: []),
    CommandEntry(name: "resume", usage: "resume", summary: "resume a paused training", details: []),
    CommandEntry(
      name: "stop", usage: "stop", summary: "stop the command in flight after its current step; drop queued commands",
      details: []),
    CommandEntry(
      name: "eval", usage: "eval [all]", summary: "evaluate the current run on the test subjects of its fold (all: every clip)",
      details: ["Prints accuracy, macro-F1, UAR, per-class accuracy and the confusion matrix."]),
    CommandEntry(
      name: "open", usage: "open CHECKPOINT", summary: "a saved model (safetensors with its spec) as a new run on the current fold",
      details: ["`eval` then tests it, `flow` measures it, `save` writes it again."]),
    CommandEntry(
      name: "cv", usage: "cv", summary: "cross-validate the current spec over all folds (leave one subject group out)",
      details: ["Each fold trains a fresh model; the table shows accuracy per fold and the mean ± std."]),
    CommandEntry(
      name: "ablate", usage: "ablate [seed|skips|switches]", summary: "cross-validate the ablation grid and make its table",
      details: [
        "seed: the seed's rows (a)–(e) and the CNN+LSTM baseline (all four streams; needs motion).",
        "skips: temporal × spatial skip on the current streams; switches: all eight switch combinations.",
      ]),
    CommandEntry(
      name: "flow", usage: "flow [T]", summary: "measure gradient flow through time: the conventional cell vs the switches as set",
      details: [
        "At initialisation (same seed) on a clip of T frames (default: `set frames`, 32) sampled or",
        "repeated from the dataset's clips: the conventional cell, and the cell with the temporal skip,",
        "spatial skip and norm as `set` (1 2 3 in the explorer) left them; after training, the current",
        "run's model is measured too.",
      ]),
    CommandEntry(name: "compare", usage: "compare RUN RUN", summary: "a table of two runs side by side (ids from 1)", details: []),
    CommandEntry(
      name: "save", usage: "save [PATH]", summary: "save the current run's model as a checkpoint (default run-ID.safetensors)",
      details: []),
    CommandEntry(
      name: "run", usage: "run SCRIPT", summary: "run a .ferlab script (one command a line, # comments)", details: []),
    CommandEntry(name: "help", usage: "help [COMMAND]", summary: "list the commands, or explain one", details: []),
  ]

  static var names: [String] { entries.map(\.name) }

  static func entry(_ name: String) -> CommandEntry? { entries.first { $0.name == name } }

  /// `help`: one line per command.
  static var overview: [String] {
    let width = entries.map(\.name.count).max() ?? 0
    return entries.map { $0.name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + $0.summary }
      + ["`help COMMAND` explains one command."]
  }

  /// `help NAME`: usage, summary and details.
  static func help(_ name: String) -> [String]? {
    guard let e = entry(name) else { return nil }
    return ["usage: \(e.usage)", e.summary] + e.details
  }
}

public enum SettingTable {
  static let onOff = ["on", "off"]
  public static let entries: [SettingEntry] = [
    SettingEntry(name: "temporal", usage: "temporal on|off — the temporal skip h(t−2)", choices: onOff),
    SettingEntry(name: "spatial", usage: "spatial on|off — the spatial skip W_xs * x(t)", choices: onOff),
    SettingEntry(name: "norm", usage: "norm on|off — group normalization of h(t)", choices: onOff),
    SettingEntry(name: "centre", usage: "centre on|off — RGB clips centred on their mean frame, unit variance", choices: onOff),
    SettingEntry(name: "preset", usage: "preset NAME — \(ModelSpec.presetNames.joined(separator: "|"))", choices: ModelSpec.presetNames),
    SettingEntry(
      name: "streams", usage: "streams LIST — comma-separated: rgb,flow,rgb_dynamic,flow_dynamic",
      choices: StreamKind.allCases.map(\.rawValue)),
    SettingEntry(
      name: "peephole", usage: "peephole previous|current — the output gate sees c(t−1) or c(t)",
      choices: OutputPeephole.allCases.map(\.rawValue)),
    SettingEntry(name: "lr", usage: "lr X — learning rate, e.g. 1e-3", choices: []),
    SettingEntry(name: "epochs", usage: "epochs N", choices: []),
    SettingEntry(name: "batch", usage: "batch N — clips per minibatch", choices: []),
    SettingEntry(
      name: "optimizer", usage: "optimizer adam|adamw|sgd", choices: OptimizerKind.allCases.map(\.rawValue)),
    SettingEntry(
      name: "schedule", usage: "schedule constant|cosine|step", choices: LearningRateSchedule.allCases.map(\.rawValue)),
    SettingEntry(name: "weight-decay", usage: "weight-decay X", choices: []),
    SettingEntry(name: "clip", usage: "clip X — gradient-norm clip, 0 disables", choices: []),
    SettingEntry(name: "patience", usage: "patience N — early stopping, 0 disables", choices: []),
    SettingEntry(name: "seed", usage: "seed N — initialisation, shuffling and folds", choices: []),
    SettingEntry(name: "folds", usage: "folds K — subject groups for cross-validation (2 or more)", choices: []),
    SettingEntry(name: "fold", usage: "fold K — the fold `train` and `eval` use (0-based)", choices: []),
    SettingEntry(name: "frames", usage: "frames T — clip length of `flow`", choices: []),
    SettingEntry(
      name: "validation", usage: "validation X — share of training subjects held out for validation (0–0.9)", choices: []),
  ]

  public static var names: [String] { entries.map(\.name) }
}
