import FERData

// The words after `load`: a source, then for the synthetic generator an
// optional preset and key=value overrides of its sizes.

enum LoadArguments {
  /// What `load` reads: the built-in generator or a prepared dataset's layout.
  static let sources = ["synthetic", "enterface", "folder", "manifest"]
  static let syntheticKeys = ["subjects", "clips", "frames", "size", "seed", "noise"]
  static var presetNames: [String] { SyntheticSpec.presets.keys.sorted() }

  static func parse(_ args: [String]) throws(CommandError) -> DatasetRequest {
    guard let source = args.first else {
      throw CommandError("load needs a source: \(sources.joined(separator: ", ")); e.g. `load synthetic starter`")
    }
    let rest = Array(args.dropFirst())
    switch source {
    case "synthetic": return try synthetic(rest)
    case "enterface", "folder", "manifest":
      guard rest.count == 1 else {
        throw CommandError(
          "load \(source) needs one path\(rest.count > 1 ? " (put a path with spaces in double quotes; got \(rest.count) words)" : ""), e.g. `load \(source) /data/\(source == "manifest" ? "clips.csv" : "videos")`")
      }
      switch source {
      case "enterface": return .enterface(path: rest[0])
      case "folder": return .folder(path: rest[0])
      default: return .manifest(path: rest[0])
      }
    default:
      throw CommandError("load: unknown source \"\(source)\"; sources: \(sources.joined(separator: ", "))")
    }
  }

  /// What Tab offers after `load` and the words already typed.
  static func complete(_ args: [String]) -> [String] {
    switch args.count {
    case 0: sources
    case 1 where args[0] == "synthetic": presetNames + syntheticKeys.map { $0 + "=" }
    default: args[0] == "synthetic" ? syntheticKeys.map { $0 + "=" } : []
    }
  }

  private static func synthetic(_ args: [String]) throws(CommandError) -> DatasetRequest {
    var words = args
    var preset = "default"
    if let first = words.first, !first.contains("=") {
      guard SyntheticSpec.presets[first] != nil else {
        throw CommandError(
          "load synthetic: \"\(first)\" is not one of \(presetNames.joined(separator: ", ")) or a key=value setting")
      }
      preset = first
      words.removeFirst()
    }
    var spec = SyntheticSpec.presets[preset] ?? .default
    let values = try Words.keyValues(words, keys: syntheticKeys, in: "load synthetic")
    do {
      for key in syntheticKeys {
        guard let value = values[key] else { continue }
        switch key {
        case "noise":
          guard let x = Float(value) else { throw CommandError("load synthetic: noise=\(value) is not a number") }
          spec = try spec.with(noise: x)
        case "seed":
          spec = try spec.with(seed: try Words.seed(value, "load synthetic seed="))
        default:
          guard let n = Int(value) else { throw CommandError("load synthetic: \(key)=\(value) is not a whole number") }
          switch key {
          case "subjects": spec = try spec.with(subjects: n)
          case "clips": spec = try spec.with(clipsPerClass: n)
          case "frames": spec = try spec.with(frames: n)
          default: spec = try spec.with(size: n)
          }
        }
      }
    } catch let error as CommandError {
      throw error
    } catch {
      throw CommandError("load synthetic: \(error)")
    }
    return .synthetic(preset: preset, spec: spec)
  }
}
