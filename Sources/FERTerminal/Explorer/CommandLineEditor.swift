// The explorer's command line: the text being typed, a cursor, the history of
// lines sent (Up / Down walk it, the line being typed is kept while browsing),
// and Tab completion from a list of candidates the workspace offers.

/// An editable command line with history and completion. Pure state: the app
/// feeds it keys and sends what `enter` returns to the workspace.
public struct CommandLineEditor: Sendable, Equatable {
  /// The text on the line.
  public private(set) var text = ""
  /// Cursor position, in characters from the start (0…text.count).
  public private(set) var cursor = 0
  /// Lines sent, oldest first (no empty lines, no immediate repeats).
  public private(set) var history: [String] = []
  /// Where Up/Down are in the history: nil while editing a new line.
  private var historyIndex: Int?
  /// The new line being typed, kept while the history is browsed.
  private var draft = ""
  /// Candidates of the last Tab that matched several, shown under the line.
  public private(set) var candidates: [String] = []

  public init(history: [String] = []) { self.history = history }

  /// What a key did to the line.
  public enum Outcome: Equatable, Sendable {
    /// The line changed or nothing happened; keep editing.
    case editing
    /// Enter: this line is to be sent (the editor is cleared, the line is in the history).
    case submit(String)
    /// Escape, or Backspace on an empty line: close the command line.
    case cancel
  }

  /// Applies one key. `completions` gives the workspace's candidates for the text before the cursor.
  public mutating func handle(_ key: Key, completions: (String) -> [String]) -> Outcome {
    if key != .tab { candidates = [] }
    switch key {
    case .character(let character):
      insert(character)
    case .enter:
      let line = text.trimmingCharacters(in: .whitespaces)
      if !line.isEmpty, history.last != line { history.append(line) }
      clear()
      return .submit(line)
    case .escape:
      clear()
      return .cancel
    case .backspace:
      if text.isEmpty { return .cancel }
      if cursor > 0 { remove(at: cursor - 1) }
    case .delete:
      if cursor < text.count { remove(at: cursor) }
    case .control("u"):
      setText("")
    case .left: cursor = max(0, cursor - 1)
    case .right: cursor = min(text.count, cursor + 1)
    case .home, .control("a"): cursor = 0
    case .end, .control("e"): cursor = text.count
    case .up: browseHistory(by: -1)
    case .down: browseHistory(by: 1)
    case .tab: complete(completions(String(text.prefix(cursor))))
    default: break
    }
    return .editing
  }

  /// Replaces the line (e.g. to start it with a prefix) with the cursor at its end.
  public mutating func setText(_ newText: String) {
    text = newText
    cursor = newText.count
    historyIndex = nil
  }

  private mutating func clear() {
    setText("")
    draft = ""
    candidates = []
  }

  private mutating func insert(_ character: Character) {
    let index = text.index(text.startIndex, offsetBy: cursor)
    text.insert(character, at: index)
    cursor += 1
  }

  private mutating func remove(at position: Int) {
    text.remove(at: text.index(text.startIndex, offsetBy: position))
    cursor = min(cursor, text.count)
    if position < cursor { cursor -= 1 }
  }

  private mutating func browseHistory(by step: Int) {
    guard !history.isEmpty else { return }
    let current = historyIndex ?? history.count
    if historyIndex == nil { draft = text }
    let next = min(max(0, current + step), history.count)
    let line = next == history.count ? draft : history[next]
    text = line
    cursor = line.count
    historyIndex = next == history.count ? nil : next
  }

  /// One candidate replaces the text before the cursor; several extend it to
  /// their longest common prefix and are listed.
  private mutating func complete(_ options: [String]) {
    let prefix = String(text.prefix(cursor))
    let rest = String(text.dropFirst(cursor))
    let matching = Self.fullLines(options, before: prefix)
    guard !matching.isEmpty else { candidates = []; return }
    let common = matching.dropFirst().reduce(matching[0]) { commonPrefix($0, $1) }
    let completed: String
    if matching.count == 1 {
      // A finished word gets a space after it, ready for the next one.
      completed = common.hasSuffix(" ") ? common : common + " "
      candidates = []
    } else {
      completed = common
      candidates = matching
    }
    text = completed + rest
    cursor = completed.count
    historyIndex = nil
  }
}

extension CommandLineEditor {
  /// Candidates as whole lines: a candidate that extends `prefix` is one already;
  /// one that extends only the last word (or starts a new one after a space)
  /// replaces that word. Others are dropped.
  static func fullLines(_ options: [String], before prefix: String) -> [String] {
    let lastWord = prefix.split(separator: " ", omittingEmptySubsequences: false).last.map(String.init) ?? ""
    let head = String(prefix.dropLast(lastWord.count))
    var seen: Set<String> = []
    return options.compactMap { option -> String? in
      if option.hasPrefix(prefix) { return option }
      if option.hasPrefix(lastWord) { return head + option }
      return nil
    }.filter { seen.insert($0).inserted }
  }
}

/// The longest common prefix of two strings, by characters.
func commonPrefix(_ a: String, _ b: String) -> String {
  String(zip(a, b).prefix { $0 == $1 }.map(\.0))
}
