import FERCore
import FERData
import FERExperiments
import FERModels

// Command lines → Command. Words are separated by spaces; a `#` starts a
// comment. Every error is one line that names the bad word and lists what
// would have been accepted.

/// A line that is not a command, with the message to show.
public struct CommandError: Error, Equatable, CustomStringConvertible {
  public let message: String
  public var description: String { message }
  init(_ message: String) { self.message = message }
}

public enum CommandParser {
  /// The words of a line, comment removed; empty for a blank or comment-only line.
  static func words(_ line: String) -> [String] {
    let code = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
    return code.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
  }

  /// Parses one line; nil for a blank or comment-only line.
  public static func parse(_ line: String) throws(CommandError) -> Command? {
    let w = words(line)
    guard let name = w.first else { return nil }
    let args = Array(w.dropFirst())
    switch name {
    case "load": return .load(try parseLoad(args))
    case "set": return .set(try parseSet(args))
    case "train":
      try arity(name, args, max: 1)
      return .train(epochs: try args.first.map { a throws(CommandError) in try count(a, "train", TrainingConfig.Limits.epochs, what: "a number of epochs", example: "5") })
    case "pause": try arity(name, args, max: 0); return .pause
    case "resume": try arity(name, args, max: 0); return .resume
    case "stop": try arity(name, args, max: 0); return .stop
    case "eval":
      try arity(name, args, max: 1)
      if let word = args.first { _ = try choice(word, ["all"], in: "eval") }
      return .eval(all: !args.isEmpty)
    case "open":
      guard args.count == 1 else { throw CommandError("open needs one checkpoint path, e.g. `open run-1.safetensors`") }
      return .open(path: args[0])
    case "cv": try arity(name, args, max: 0); return .cv
    case "ablate":
      try arity(name, args, max: 1)
      guard let word = args.first else { return .ablate(.seed) }
      return .ablate(try choice(word, AblationChoice.allCases.map(\.rawValue), in: "ablate").flatMap(AblationChoice.init) ?? .seed)
    case "flow":
      try arity(name, args, max: 1)
      return .flow(frames: try args.first.map { a throws(CommandError) in try frameCount(a, "flow") })
    case "compare":
      guard args.count == 2 else { throw CommandError("compare needs two run ids, e.g. `compare 1 2`") }
      return .compare(try positive(args[0], "compare", what: "a run id"), try positive(args[1], "compare", what: "a run id"))
    case "save":
      try arity(name, args, max: 1)
      return .save(path: args.first)
    case "run":
      guard args.count == 1 else { throw CommandError("run needs one script path, e.g. `run Examples/ablation.ferlab`") }
      return .run(script: args[0])
    case "help":
      try arity(name, args, max: 1)
      if let word = args.first { _ = try choice(word, CommandTable.names, in: "help") }
      return .help(command: args.first)
    default:
      throw CommandError("unknown command \"\(name)\"; commands: \(CommandTable.names.joined(separator: ", "))")
    }
  }

  private static func arity(_ name: String, _ args: [String], max: Int) throws(CommandError) {
    guard args.count > max else { return }
    let usage = CommandTable.entry(name)?.usage ?? name
    throw CommandError("\(name): unexpected \"\(args[max])\"; usage: \(usage)")
  }

  /// `word` if it is one of `choices`, else an error listing them.
  private static func choice(_ word: String, _ choices: [String], in context: String) throws(CommandError) -> String? {
    guard choices.contains(word) else {
      throw CommandError("\(context): \"\(word)\" is not one of \(choices.joined(separator: ", "))")
    }
    return word
  }

  private static func positive(_ word: String, _ context: String, what: String) throws(CommandError) -> Int {
    guard let n = Int(word), n >= 1 else { throw CommandError("\(context): \"\(word)\" is not \(what) (a whole number ≥ 1)") }
    return n
  }

  private static func frameCount(_ word: String, _ context: String) throws(CommandError) -> Int {
    guard let n = Int(word), n >= 2, n <= 1024 else {
      throw CommandError("\(context): \"\(word)\" is not a frame count; use 2 to 1024 frames, e.g. 32")
    }
    return n
  }

  private static func number(_ word: String, _ context: String, example: String, minimum: Float = 0) throws(CommandError) -> Float {
    guard let x = Float(word), x.isFinite, x >= minimum, x <= 1e6 else {
      throw CommandError("\(context): \"\(word)\" is not a number from \(minimum) to 1e6; e.g. `\(context) \(example)`")
    }
    return x
  }

  private static func count(
    _ word: String, _ context: String, _ range: ClosedRange<Int>, what: String = "a whole number", example: String
  ) throws(CommandError) -> Int {
    guard let n = Int(word), range.contains(n) else {
      throw CommandError(
        "\(context): \"\(word)\" is not \(what) from \(range.lowerBound) to \(range.upperBound); e.g. `\(context) \(example)`")
    }
    return n
  }

  // MARK: load

  /// What `load` reads: the built-in generator or a prepared dataset's layout.
  package static let loadSources = ["synthetic", "enterface", "folder", "manifest"]
  static let syntheticKeys = ["subjects", "clips", "frames", "size", "seed", "noise"]

  private static func parseLoad(_ args: [String]) throws(CommandError) -> DatasetRequest {
    guard let source = args.first else {
      throw CommandError("load needs a source: \(loadSources.joined(separator: ", ")); e.g. `load synthetic small`")
    }
    let rest = Array(args.dropFirst())
    switch source {
    case "synthetic": return try parseSynthetic(rest)
    case "enterface", "folder", "manifest":
      guard rest.count == 1 else {
        throw CommandError("load \(source) needs one path\(rest.count > 1 ? " (no spaces; got \(rest.count) words)" : ""), e.g. `load \(source) /data/\(source == "manifest" ? "clips.csv" : "videos")`")
      }
      switch source {
      case "enterface": return .enterface(path: rest[0])
      case "folder": return .folder(path: rest[0])
      default: return .manifest(path: rest[0])
      }
    default:
      throw CommandError("load: unknown source \"\(source)\"; sources: \(loadSources.joined(separator: ", "))")
    }
  }

  private static func parseSynthetic(_ args: [String]) throws(CommandError) -> DatasetRequest {
    var words = args
    var preset = "default"
    if let first = words.first, !first.contains("=") {
      let names = SyntheticSpec.presets.keys.sorted()
      guard SyntheticSpec.presets[first] != nil else {
        throw CommandError("load synthetic: \"\(first)\" is not one of \(names.joined(separator: ", ")) or a key=value setting")
      }
      preset = first
      words.removeFirst()
    }
    var spec = SyntheticSpec.presets[preset] ?? .default
    for word in words {
      let parts = word.split(separator: "=", maxSplits: 1).map(String.init)
      guard parts.count == 2, syntheticKeys.contains(parts[0]) else {
        throw CommandError("load synthetic: \"\(word)\" is not key=value with a key of \(syntheticKeys.joined(separator: ", "))")
      }
      let (key, value) = (parts[0], parts[1])
      do {
        switch key {
        case "noise":
          guard let x = Float(value) else { throw CommandError("load synthetic: noise=\(value) is not a number") }
          spec = try spec.with(noise: x)
        case "seed":
          guard let s = UInt64(value) else { throw CommandError("load synthetic: seed=\(value) is not a whole number ≥ 0") }
          spec = try spec.with(seed: s)
        default:
          guard let n = Int(value) else { throw CommandError("load synthetic: \(key)=\(value) is not a whole number") }
          switch key {
          case "subjects": spec = try spec.with(subjects: n)
          case "clips": spec = try spec.with(clipsPerClass: n)
          case "frames": spec = try spec.with(frames: n)
          default: spec = try spec.with(size: n)
          }
        }
      } catch let error as CommandError {
        throw error
      } catch {
        throw CommandError("load synthetic: \(error)")
      }
    }
    return .synthetic(preset: preset, spec: spec)
  }

  // MARK: set

  private static func parseSet(_ args: [String]) throws(CommandError) -> Setting {
    guard let name = args.first else {
      throw CommandError("set needs a setting: \(SettingTable.names.joined(separator: ", "))")
    }
    guard let entry = SettingTable.entries.first(where: { $0.name == name }) else {
      throw CommandError("set: unknown setting \"\(name)\"; settings: \(SettingTable.names.joined(separator: ", "))")
    }
    guard args.count == 2 else {
      throw CommandError(args.count < 2 ? "set \(name) needs a value; usage: set \(entry.usage)"
        : "set \(name): unexpected \"\(args[2])\"; usage: set \(entry.usage)")
    }
    let value = args[1]
    let context = "set \(name)"
    func onOff() throws(CommandError) -> Bool {
      guard let v = try choice(value, SettingTable.onOff, in: context) else { return false }
      return v == "on"
    }
    switch name {
    case "temporal": return .temporal(try onOff())
    case "spatial": return .spatial(try onOff())
    case "norm": return .norm(try onOff())
    case "centre": return .centre(try onOff())
    case "preset": return .preset(try choice(value, entry.choices, in: context) ?? value)
    case "streams":
      var streams: [StreamKind] = []
      for word in value.split(separator: ",").map(String.init) {
        guard let kind = StreamKind(rawValue: word) else {
          throw CommandError("\(context): \"\(word)\" is not one of \(entry.choices.joined(separator: ", "))")
        }
        guard !streams.contains(kind) else { throw CommandError("\(context): \"\(word)\" is listed twice") }
        streams.append(kind)
      }
      guard !streams.isEmpty else { throw CommandError("\(context): name at least one stream") }
      return .streams(streams)
    case "peephole":
      return .peephole(OutputPeephole(rawValue: try choice(value, entry.choices, in: context) ?? "") ?? .previous)
    case "optimizer":
      return .optimizer(OptimizerKind(rawValue: try choice(value, entry.choices, in: context) ?? "") ?? .adam)
    case "schedule":
      return .schedule(LearningRateSchedule(rawValue: try choice(value, entry.choices, in: context) ?? "") ?? .cosine)
    case "lr":
      let x = try number(value, context, example: "1e-3")
      guard x > 0 else { throw CommandError("\(context): \"\(value)\" must be positive; e.g. `set lr 1e-3`") }
      return .learningRate(x)
    case "weight-decay": return .weightDecay(try number(value, context, example: "1e-4"))
    case "clip": return .clip(try number(value, context, example: "5"))
    case "epochs": return .epochs(try count(value, context, TrainingConfig.Limits.epochs, example: "5"))
    case "batch": return .batch(try count(value, context, TrainingConfig.Limits.batchSize, example: "8"))
    case "patience": return .patience(try count(value, context, TrainingConfig.Limits.patience, example: "3"))
    case "seed":
      guard let s = UInt64(value) else { throw CommandError("\(context): \"\(value)\" is not a whole number ≥ 0; e.g. `set seed 7`") }
      return .seed(s)
    case "folds": return .folds(try count(value, context, SubjectFolds.groupCountRange, example: "5"))
    case "validation":
      guard let x = Double(value), x >= 0, x <= 0.9 else {
        throw CommandError("\(context): \"\(value)\" is not a share from 0 to 0.9; e.g. `set validation 0.2`")
      }
      return .validation(x)
    case "fold": return .fold(try count(value, context, 0...(SubjectFolds.groupCountRange.upperBound - 1), example: "0"))
    default: return .frames(try frameCount(value, context))
    }
  }
}
