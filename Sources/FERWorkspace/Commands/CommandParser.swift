// Command lines → Command, through the declarations of CommandCatalog. Words
// are separated by spaces; a `#` starts a comment.

public enum CommandParser {
  /// Parses one line; nil for a blank or comment-only line.
  public static func parse(_ line: String) throws(CommandError) -> Command? {
    let words = Words.split(line)
    guard let name = words.first else { return nil }
    guard let declaration = CommandCatalog.named(name) else {
      throw CommandError("unknown command \"\(name)\"; commands: \(CommandCatalog.names.joined(separator: ", "))")
    }
    return try declaration.parse(Array(words.dropFirst()), declaration)
  }

  /// The sources `load` reads (the CLI's `--data KIND:VALUE` takes the same kinds).
  public static var loadSources: [String] { LoadArguments.sources }

  /// The names of the settings `set` changes (the CLI's `--NAME VALUE` options).
  public static var settingNames: [String] { SettingCatalog.names }

  /// "temporal on|off — the temporal skip h(t−2)" for a setting, for help texts.
  public static func settingUsage(_ name: String) -> String? { SettingCatalog.named(name)?.usage }

  /// Whether the line's command runs in the background (`submit` returns before it ends).
  static func isLong(_ line: String) -> Bool {
    Words.split(line).first.flatMap(CommandCatalog.named)?.isLong ?? false
  }

  /// Candidate completions of a partial line (whole lines, ready to replace the input).
  static func completions(for partial: String, runs: [Int]) -> [String] {
    let endsWithSpace = partial.last == " " || partial.isEmpty
    var words = Words.split(partial)
    let fragment = endsWithSpace ? "" : (words.popLast() ?? "")
    let prefix = words.isEmpty ? "" : words.joined(separator: " ") + " "
    let candidates: [String]
    if let name = words.first {
      candidates = CommandCatalog.named(name)?.complete(Array(words.dropFirst()), runs) ?? []
    } else {
      candidates = CommandCatalog.names
    }
    return candidates.filter { $0.hasPrefix(fragment) }.map { prefix + $0 }
  }
}
