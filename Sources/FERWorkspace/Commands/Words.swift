import Foundation

// Reading the words of a command line: splitting, and turning one word into a
// count, a number or one of a list of choices. Every failure is one line that
// names the command, the bad word and what would have been accepted.

/// A line that is not a command, with the message to show.
public struct CommandError: Error, Equatable, CustomStringConvertible {
  public let message: String
  public var description: String { message }
  init(_ message: String) { self.message = message }
}

public enum Words {
  /// The words of a line, comment removed; empty for a blank or comment-only line.
  /// A word in double quotes may hold spaces and `#` ("subject 1/clip.avi"); inside
  /// quotes `\"` is a quote and `\\` a backslash. An unclosed quote runs to the line's end.
  static func split(_ line: String) -> [String] {
    var words: [String] = []
    var word = ""
    var inWord = false, quoted = false, escaped = false
    for c in line {
      if quoted {
        if escaped { word.append(c); escaped = false }
        else if c == "\\" { escaped = true }
        else if c == "\"" { quoted = false }
        else { word.append(c) }
        continue
      }
      switch c {
      case "#":
        return inWord ? words + [word] : words
      case " ", "\t":
        if inWord { words.append(word) }
        word = ""
        inWord = false
      case "\"":
        quoted = true
        inWord = true
      default:
        word.append(c)
        inWord = true
      }
    }
    return inWord ? words + [word] : words
  }

  /// `word` as one word of a command line: quoted when it holds a space, a tab, `#`, a quote or a backslash.
  public static func quoted(_ word: String) -> String {
    guard word.isEmpty || word.contains(where: { " \t#\"\\".contains($0) }) else { return word }
    return "\"" + word.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
  }

  /// Throws unless at most `max` words follow the command.
  static func atMost(_ max: Int, _ args: [String], of declaration: CommandDeclaration) throws(CommandError) {
    guard args.count > max else { return }
    throw CommandError("\(declaration.name): unexpected \"\(args[max])\"; usage: \(declaration.usage)")
  }

  /// `word` if it is one of `choices`, else an error listing them.
  static func choice(_ word: String, _ choices: [String], in context: String) throws(CommandError) -> String {
    guard choices.contains(word) else {
      throw CommandError("\(context): \"\(word)\" is not one of \(choices.joined(separator: ", "))")
    }
    return word
  }

  /// A whole number in `range`; `what` says what it counts ("a number of epochs").
  static func count(
    _ word: String, _ context: String, _ range: ClosedRange<Int>, what: String = "a whole number", example: String
  ) throws(CommandError) -> Int {
    guard let n = Int(word), range.contains(n) else {
      throw CommandError(
        "\(context): \"\(word)\" is not \(what) from \(range.lowerBound) to \(range.upperBound); e.g. `\(context) \(example)`")
    }
    return n
  }

  /// A finite number in `range`; `positive` also refuses the lower bound itself.
  static func number(
    _ word: String, _ context: String, _ range: ClosedRange<Double>, positive: Bool = false, example: String
  ) throws(CommandError) -> Double {
    guard let x = Double(word), x.isFinite, range.contains(x), !positive || x > range.lowerBound else {
      let lower = positive ? "above \(range.lowerBound.formatted)" : "from \(range.lowerBound.formatted)"
      throw CommandError("\(context): \"\(word)\" is not a number \(lower) to \(range.upperBound.formatted); e.g. `\(context) \(example)`")
    }
    return x
  }

  /// A seed: a whole number from 0 to 2^64 − 1.
  static func seed(_ word: String, _ context: String) throws(CommandError) -> UInt64 {
    guard let s = UInt64(word) else {
      throw CommandError("\(context): \"\(word)\" is not a seed (a whole number from 0 to \(UInt64.max)); e.g. `\(context) 7`")
    }
    return s
  }

  /// `key=value` words (e.g. `seeds=3`): the values by key, every key one of `keys`.
  static func keyValues(_ args: [String], keys: [String], in context: String) throws(CommandError) -> [String: String] {
    var values: [String: String] = [:]
    for word in args {
      let parts = word.split(separator: "=", maxSplits: 1).map(String.init)
      guard parts.count == 2, keys.contains(parts[0]) else {
        throw CommandError("\(context): \"\(word)\" is not key=value with a key of \(keys.joined(separator: ", "))")
      }
      guard values[parts[0]] == nil else { throw CommandError("\(context): \(parts[0]) is given twice") }
      values[parts[0]] = parts[1]
    }
    return values
  }
}

extension Double {
  /// 1e-06 → "1e-06", 1000000 → "1e+06", 0.9 → "0.9": short and exact enough for a message.
  var formatted: String { String(format: "%g", self) }
}
