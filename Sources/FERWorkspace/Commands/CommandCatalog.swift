import FERData
import FERExperiments
import FERModels

// Every workspace command, declared once: its word, usage and help, how its
// arguments parse, and what Tab offers after it. `help`, `help NAME`, the
// parser and its messages, completion and the CLI's subcommand help all read
// these declarations, so they cannot drift apart.

/// One command.
struct CommandDeclaration: Sendable {
  let name: String
  let usage: String
  let summary: String
  /// Further lines for `help NAME`.
  let details: [String]
  /// Runs in the background: `submit` returns at once instead of after the command.
  let isLong: Bool
  /// The command of the words after the name.
  let parse: @Sendable (_ args: [String], _ declaration: CommandDeclaration) throws(CommandError) -> Command
  /// What Tab offers for the next word, given the words typed after the name and the run ids.
  let complete: @Sendable (_ args: [String], _ runs: [Int]) -> [String]

  init(
    _ name: String, usage: String, summary: String, details: [String] = [], isLong: Bool,
    complete: @escaping @Sendable ([String], [Int]) -> [String] = { _, _ in [] },
    parse: @escaping @Sendable ([String], CommandDeclaration) throws(CommandError) -> Command
  ) {
    self.name = name
    self.usage = usage
    self.summary = summary
    self.details = details
    self.isLong = isLong
    self.parse = parse
    self.complete = complete
  }

  /// A command without arguments.
  static func bare(_ name: String, summary: String, details: [String] = [], isLong: Bool, _ command: Command) -> Self {
    CommandDeclaration(name, usage: name, summary: summary, details: details, isLong: isLong) { args, d throws(CommandError) in
      try Words.atMost(0, args, of: d)
      return command
    }
  }
}

enum CommandCatalog {
  static let repetitionRange = 1...100

  static let all: [CommandDeclaration] = [
    CommandDeclaration(
      "load",
      usage: "load synthetic [\(LoadArguments.presetNames.joined(separator: "|"))] [subjects=N clips=N frames=T size=S seed=N noise=X] | enterface PATH | folder PATH | manifest FILE",
      summary: "load a dataset (the built-in synthetic sets, or videos prepared with `ferlab prepare`)",
      details: [
        "synthetic starter (what the explorer opens with): 50 subjects × 6 classes × 2 clips, T=12, S=24,",
        "  a calm scene so the expression is most of what moves — a model learns it in a minute.",
        "synthetic lag: starter at T=32 with the expression in the first 12 frames, then 20 neutral ones.",
        "synthetic default: eNTERFACE'05's shape, 43 subjects × 6 × 5 clips, T=16, S=48, the full scene.",
        "synthetic small: 10 subjects × 6 × 2 clips, T=8, S=32 — for tests; too few subjects to generalise.",
        "key=value words override the preset's sizes (clips = clips per class per subject).",
        "The model's input size becomes the dataset's frame size S; flow and dynamic images",
        "are computed only when the model's streams need them. Runs trained before stay listed.",
      ],
      isLong: true, complete: { args, _ in LoadArguments.complete(args) }
    ) { args, _ throws(CommandError) in .load(try LoadArguments.parse(args)) },
    CommandDeclaration(
      "set", usage: "set SETTING VALUE", summary: "change the model or the training configuration",
      details: SettingCatalog.all.map { "  set \($0.usage)" } + [
        "The workspace starts with preset small restricted to the rgb stream, so training starts",
        "at once; `set streams rgb,flow,rgb_dynamic,flow_dynamic` adds the motion streams.",
        "`set preset NAME` takes the preset's streams and switches; the input size stays the dataset's.",
      ],
      isLong: false,
      complete: { args, _ in
        switch args.count {
        case 0: SettingCatalog.names
        case 1: SettingCatalog.named(args[0])?.choices ?? []
        default: []
        }
      }
    ) { args, _ throws(CommandError) in
      guard let name = args.first else {
        throw CommandError("set needs a setting: \(SettingCatalog.names.joined(separator: ", "))")
      }
      guard let setting = SettingCatalog.named(name) else {
        throw CommandError("set: unknown setting \"\(name)\"; settings: \(SettingCatalog.names.joined(separator: ", "))")
      }
      guard args.count == 2 else {
        throw CommandError(
          args.count < 2
            ? "set \(name) needs a value; usage: set \(setting.usage)" : "set \(name): unexpected \"\(args[2])\"; usage: set \(setting.usage)")
      }
      // Read the word now, so a script with a bad value fails before its first line runs.
      var scratch = WorkspaceSettings(seed: 1)
      try setting.assign(args[1], &scratch, .parsing)
      return .set(SettingChange(name: name, value: args[1]))
    },
    CommandDeclaration(
      "train", usage: "train [EPOCHS]", summary: "train a new run on the current fold (runs in the background)",
      details: [
        "Trains a fresh model (seeded) on the current fold's training subjects, holding some out for",
        "validation and early stopping (`set patience`); `pause`, `resume` and `stop` act between",
        "minibatches. Ends with the test subjects' confusion matrix and the weights' checksum.",
      ],
      isLong: true
    ) { args, d throws(CommandError) in
      try Words.atMost(1, args, of: d)
      return .train(epochs: try args.first.map { word throws(CommandError) in
        try Words.count(word, "train", TrainingConfig.Limits.epochs, what: "a number of epochs", example: "5")
      })
    },
    .bare("pause", summary: "pause the command in flight after its current step", isLong: false, .pause),
    .bare("resume", summary: "resume a paused command", isLong: false, .resume),
    .bare("stop", summary: "stop the command in flight after its current step; drop queued commands", isLong: false, .stop),
    CommandDeclaration(
      "eval", usage: "eval [all]", summary: "evaluate the current run on the test subjects of its fold (all: every clip)",
      details: ["Prints accuracy, macro-F1, UAR, per-class accuracy and the confusion matrix."], isLong: true,
      complete: { args, _ in args.isEmpty ? ["all"] : [] }
    ) { args, d throws(CommandError) in
      try Words.atMost(1, args, of: d)
      if let word = args.first { _ = try Words.choice(word, ["all"], in: "eval") }
      return .eval(all: !args.isEmpty)
    },
    CommandDeclaration(
      "open", usage: "open CHECKPOINT", summary: "a saved model (safetensors with its spec) as a new run on the current fold",
      details: ["`eval` then tests it, `flow` measures it, `predict` applies it, `save` writes it again."], isLong: true
    ) { args, _ throws(CommandError) in
      guard args.count == 1 else { throw CommandError("open needs one checkpoint path, e.g. `open run-1.safetensors`") }
      return .open(path: args[0])
    },
    CommandDeclaration(
      "predict", usage: "predict VIDEO [frames=T] [window=SECONDS] [stride=SECONDS]",
      summary: "the current run's expression for a video: the whole clip and a timeline of windows",
      details: [
        "The video goes through the training pre-processing (T frames sampled uniformly, face crop,",
        "flow, dynamic images) at the run's input size S; T is the loaded dataset's (16 without one)",
        "unless frames=T says otherwise. Windows of 1 s every 0.5 s by default.",
      ],
      isLong: true, complete: { args, _ in args.count >= 1 ? ["frames=", "window=", "stride="] : [] }
    ) { args, _ throws(CommandError) in
      guard let video = args.first else { throw CommandError("predict needs a video file, e.g. `predict clip.avi`") }
      let values = try Words.keyValues(Array(args.dropFirst()), keys: ["frames", "window", "stride"], in: "predict")
      func seconds(_ key: String, _ standard: Double) throws(CommandError) -> Double {
        guard let word = values[key] else { return standard }
        return try Words.number(word, "predict \(key)=", 0...3600, positive: true, example: "\(standard)")
      }
      let frames = try values["frames"].map { word throws(CommandError) in
        try Words.count(word, "predict frames=", 2...1024, what: "a frame count", example: "16")
      }
      return .predict(PredictRequest(
        video: video, frames: frames, window: try seconds("window", 1), stride: try seconds("stride", 0.5)))
    },
    CommandDeclaration(
      "cv", usage: "cv [seeds=N] [cells=KEY,…]",
      summary: "cross-validate the current spec over all folds (leave one subject group out)",
      details: [
        "Each fold trains a fresh model; seeds=N repeats every fold with N initialisation and shuffling seeds.",
        "The table shows accuracy per fold and the mean with its 95 % t-interval.",
      ] + cellsDetails,
      isLong: true, complete: { args, _ in gridKeys(after: args) }
    ) { args, d throws(CommandError) in
      try Words.atMost(2, args, of: d)
      let values = try Words.keyValues(args, keys: gridKeys, in: "cv")
      return .cv(repetitions: try repetitions(values, "cv"), cells: try cells(values, "cv"))
    },
    CommandDeclaration(
      "ablate", usage: "ablate [\(AblationChoice.allCases.map(\.rawValue).joined(separator: "|"))] [seeds=N] [cells=KEY,…]",
      summary: "cross-validate the ablation grid and compare its rows",
      details: [
        "seed: the seed's rows (a)–(e) and the CNN+LSTM baseline (all four streams; needs motion).",
        "skips: temporal × spatial skip on the current streams; switches: all eight switch combinations.",
        "seeds=N repeats every (row, fold) cell with N seeds; rows get a mean with a 95 % t-interval and",
        "chosen pairs of rows a paired difference with its interval and p-value (paired t-test).",
      ] + cellsDetails,
      isLong: true,
      complete: { args, _ in (args.isEmpty ? AblationChoice.allCases.map(\.rawValue) : []) + gridKeys(after: args) }
    ) { args, d throws(CommandError) in
      try Words.atMost(3, args, of: d)
      var rest = args
      var choice = AblationChoice.seed
      if let first = rest.first, !first.contains("=") {
        choice = AblationChoice(rawValue: try Words.choice(first, AblationChoice.allCases.map(\.rawValue), in: "ablate")) ?? .seed
        rest.removeFirst()
      }
      let values = try Words.keyValues(rest, keys: gridKeys, in: "ablate")
      return .ablate(choice, repetitions: try repetitions(values, "ablate"), cells: try cells(values, "ablate"))
    },
    CommandDeclaration(
      "flow", usage: "flow [T] [grid]",
      summary: "gradient flow through time and layers: the conventional cell vs the switches as set",
      details: [
        "At initialisation (same seed) on one clip per class, T frames (default: `set frames`) sampled or",
        "repeated from the dataset's clips: ‖∂L/∂h_t‖ per layer and step and the share of it that arrives",
        "through each path (recurrence, temporal skip, the layer above, the head); `grid` measures all",
        "eight switch combinations. After training, the current run's model is measured too.",
      ],
      isLong: true, complete: { args, _ in args.contains("grid") ? [] : ["grid"] }
    ) { args, d throws(CommandError) in
      try Words.atMost(2, args, of: d)
      var frames: Int?
      var grid = false
      for word in args {
        if word == "grid", !grid { grid = true; continue }
        guard frames == nil else { throw CommandError("flow: unexpected \"\(word)\"; usage: \(d.usage)") }
        frames = try Words.count(word, "flow", 2...1024, what: "a frame count", example: "32")
      }
      return .flow(frames: frames, grid: grid)
    },
    CommandDeclaration(
      "compare", usage: "compare RUN RUN [RUN …]", summary: "runs side by side (ids from 1)", isLong: false,
      complete: { args, runs in runs.map(String.init).filter { !args.contains($0) } }
    ) { args, _ throws(CommandError) in
      guard args.count >= 2 else { throw CommandError("compare needs two or more run ids, e.g. `compare 1 2`") }
      var ids: [Int] = []
      for word in args {
        let id = try Words.count(word, "compare", 1...Int(Int32.max), what: "a run id", example: "1 2")
        guard !ids.contains(id) else { throw CommandError("compare: run \(id) is named twice") }
        ids.append(id)
      }
      return .compare(ids)
    },
    CommandDeclaration(
      "show", usage: "show CLIP", summary: "a clip as pictures: its frames, optical flow and dynamic images",
      details: [
        "CLIP is a clip id as the evaluation lists it (`eval` prints them; in the explorer, Enter on a",
        "confusion cell lists its clips). The current run's prediction for it is shown beside.",
      ],
      isLong: true
    ) { args, _ throws(CommandError) in
      guard args.count == 1 else { throw CommandError("show needs one clip id, e.g. `show s3_an_1`") }
      return .show(clip: args[0])
    },
    CommandDeclaration(
      "export", usage: "export [FOLDER]",
      summary: "write the curves, tables, confusion and gradient flow as CSV and the charts as SVG (default ferlab-export)",
      isLong: true
    ) { args, d throws(CommandError) in
      try Words.atMost(1, args, of: d)
      return .export(folder: args.first)
    },
    CommandDeclaration(
      "save", usage: "save [PATH]", summary: "save the current run's model as a checkpoint (default run-ID.safetensors)",
      isLong: true
    ) { args, d throws(CommandError) in
      try Words.atMost(1, args, of: d)
      return .save(path: args.first)
    },
    CommandDeclaration(
      "run", usage: "run SCRIPT", summary: "run a .ferlab script (one command a line, # comments)", isLong: false
    ) { args, _ throws(CommandError) in
      guard args.count == 1 else { throw CommandError("run needs one script path, e.g. `run Examples/ablation.ferlab`") }
      return .run(script: args[0])
    },
    CommandDeclaration(
      "watch", usage: "watch FOLDER",
      summary: "follow a grid running elsewhere (`ablate`/`cv --engine local|slurm --results FOLDER`) until it is done",
      details: [
        "Every second: the cells done, running, failed and missing, and the rows' intervals over the cells",
        "done so far; ends when every cell is done (`stop` ends it sooner). `ferlab collect FOLDER` merges it.",
      ],
      isLong: true
    ) { args, _ throws(CommandError) in
      guard args.count == 1 else { throw CommandError("watch needs one results folder, e.g. `watch /shared/grids/skips`") }
      return .watch(folder: args[0])
    },
    CommandDeclaration(
      "note", usage: "note TEXT", summary: "put a line of text in the notebook (what a script's reader should look at)",
      isLong: false
    ) { args, _ throws(CommandError) in
      guard !args.isEmpty else { throw CommandError("note needs some text, e.g. `note the temporal skip carries the gradient back`") }
      return .note(args.joined(separator: " "))
    },
    CommandDeclaration(
      "help", usage: "help [COMMAND]", summary: "list the commands, or explain one", isLong: false,
      complete: { args, _ in args.isEmpty ? names : [] }
    ) { args, d throws(CommandError) in
      try Words.atMost(1, args, of: d)
      if let word = args.first { _ = try Words.choice(word, names, in: "help") }
      return .help(command: args.first)
    },
  ]

  static var names: [String] { all.map(\.name) }

  static func named(_ name: String) -> CommandDeclaration? { all.first { $0.name == name } }

  /// `help`: one line per command.
  static var overview: [String] {
    let width = all.map(\.name.count).max() ?? 0
    return all.map { $0.name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + $0.summary }
      + ["`help COMMAND` explains one command."]
  }

  /// `help NAME`: usage, summary and details.
  static func help(_ name: String) -> [String]? {
    guard let d = named(name) else { return nil }
    return ["usage: \(d.usage)", d.summary] + d.details
  }

  /// The key=value words of `cv` and `ablate`.
  private static let gridKeys = ["seeds", "cells"]

  /// The key=value words not yet given, for Tab.
  private static func gridKeys(after args: [String]) -> [String] {
    gridKeys.filter { key in !args.contains { $0.hasPrefix(key + "=") } }.map { $0 + "=" }
  }

  private static let cellsDetails = [
    "cells=KEY,… trains only those cells of the grid (keys row/foldF/seedS, e.g. T+S-/fold2/seed1): a",
    "worker's share when `ferlab cv|ablate --engine local|slurm` spreads a grid over processes or nodes.",
  ]

  /// The keys of `cells=`, in the order given; nil without the word.
  private static func cells(_ values: [String: String], _ context: String) throws(CommandError) -> [String]? {
    guard let word = values["cells"] else { return nil }
    let keys = word.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    guard !keys.contains(where: \.isEmpty) else {
      throw CommandError("\(context) cells=: name cells by their keys, separated by commas; e.g. `\(context) cells=T+S-/fold0/seed0,T+S-/fold1/seed0`")
    }
    guard Set(keys).count == keys.count else {
      throw CommandError("\(context) cells=: \(keys.first { k in keys.filter { $0 == k }.count > 1 } ?? "") is named twice")
    }
    return keys
  }

  private static func repetitions(_ values: [String: String], _ context: String) throws(CommandError) -> Int {
    guard let word = values["seeds"] else { return 1 }
    return try Words.count(word, "\(context) seeds=", repetitionRange, what: "a number of seeds", example: "3")
  }
}
