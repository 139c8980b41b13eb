import Foundation

// Damaged and extreme copies of an input file, for the tests that feed every
// reader what a file can turn into: cut short, bytes flipped, numbers replaced
// by extremes, keys dropped or doubled, values of the wrong type, nesting far
// past any real file. Seeded (SeededRNG), so a failing case is the same case on
// every run and machine. Test support across the test targets, hence `package`.

/// Seeded generator of damaged variants of files.
package struct InputMutator {
  private var rng: SeededRNG

  package init(seed: UInt64) { rng = SeededRNG(seed: seed) }

  /// Fragments that mean a raw error dump reached a message: a Swift type, Foundation's domains.
  package static let rawDumpMarkers = [
    "DecodingError", "NSCocoaErrorDomain", "NSXMLParserErrorDomain", "Error Domain=", "Swift.", "Optional(",
    "The operation could not be completed",
  ]

  /// The raw-dump fragments found in `text` (empty for a sentence a person can read).
  package static func rawDumps(in text: String) -> [String] { rawDumpMarkers.filter { text.contains($0) } }

  /// Numbers a field can be handed: past every integer type, negative, fractional, not numbers at all.
  package static let extremeNumbers = [
    "0", "-1", "1.5", "-2147483649", "4294967296", "9223372036854775807", "99999999999999999999", "1e400",
    "-1e400", "NaN", "Infinity", "1e-400", "-0",
  ]

  /// The input cut at `count` offsets spread over it, plus the first and last few bytes.
  package func truncations(of bytes: [UInt8], count: Int) -> [[UInt8]] {
    guard !bytes.isEmpty else { return [] }
    var offsets = Set([0, 1, 2, 7, 8, 9, bytes.count - 1, bytes.count - 2].filter { (0..<bytes.count).contains($0) })
    for k in 0..<max(count, 1) { offsets.insert(k * bytes.count / max(count, 1)) }
    return offsets.sorted().map { Array(bytes[..<$0]) }
  }

  /// `count` copies, each with one byte replaced by a random different value at a random offset
  /// (within `range` when given, e.g. the header of a binary file).
  package mutating func byteFlips(of bytes: [UInt8], count: Int, in range: Range<Int>? = nil) -> [[UInt8]] {
    let span = range ?? 0..<bytes.count
    guard !span.isEmpty else { return [] }
    return (0..<count).map { _ in
      var copy = bytes
      let offset = span.lowerBound + rng.nextInt(below: span.count)
      copy[offset] ^= UInt8(1 + rng.nextInt(below: 255))
      return copy
    }
  }

  /// Copies of JSON-like `text` with one number literal replaced by an extreme one, up to `count`.
  package mutating func numberSwaps(in text: String, count: Int) -> [String] {
    let literals = Self.numberRanges(in: text)
    guard !literals.isEmpty else { return [] }
    return (0..<count).map { _ in
      let range = literals[rng.nextInt(below: literals.count)]
      let extreme = Self.extremeNumbers[rng.nextInt(below: Self.extremeNumbers.count)]
      return text.replacingCharacters(in: range, with: extreme)
    }
  }

  /// Where the number literals of a text are (digits with sign, point and exponent; not inside words).
  private static func numberRanges(in text: String) -> [Range<String.Index>] {
    var ranges: [Range<String.Index>] = []
    var index = text.startIndex
    var previous: Character = " "
    while index < text.endIndex {
      let c = text[index]
      if (c.isNumber || c == "-") && !(previous.isLetter || previous == "_" || previous.isNumber) {
        let start = index
        var end = text.index(after: index)
        while end < text.endIndex, text[end].isNumber || "+-.eE".contains(text[end]) { end = text.index(after: end) }
        if text[start..<end].contains(where: \.isNumber) { ranges.append(start..<end) }
        index = end
        previous = "0"
        continue
      }
      previous = c
      index = text.index(after: index)
    }
    return ranges
  }

  /// Structural variants of a JSON object: every key dropped, doubled (the later value a wrong
  /// type), and every value replaced by values of other types and by extreme numbers, at every
  /// depth. Texts, because a doubled key cannot be written through JSONSerialization.
  package static func jsonVariants(of object: [String: Any]) -> [String] {
    var out: [String] = []
    let wrongValues = ["\"text\"", "[]", "{}", "null", "true", "[1, \"a\", null]"] + extremeNumbers.prefix(8)
    func walk(_ value: Any, rebuild: @escaping (String) -> String) {
      guard let dictionary = value as? [String: Any] else {
        if let list = value as? [Any] {
          for (i, item) in list.enumerated() {
            walk(item) { replacement in
              rebuild(Self.json(list: list.enumerated().map { $0.offset == i ? replacement : Self.json($0.element) }))
            }
          }
          out.append(rebuild("[]"))
        }
        for wrong in wrongValues { out.append(rebuild(wrong)) }
        return
      }
      let keys = dictionary.keys.sorted()
      func object(replacing key: String?, with text: String?, extra: String? = nil) -> String {
        var members = keys.compactMap { k -> String? in
          guard k == key else { return "\(Self.json(k)): \(Self.json(dictionary[k] as Any))" }
          return text.map { "\(Self.json(k)): \($0)" }
        }
        if let extra { members.append(extra) }
        return "{" + members.joined(separator: ", ") + "}"
      }
      for key in keys {
        out.append(rebuild(object(replacing: key, with: nil)))  // missing
        out.append(rebuild(object(replacing: nil, with: nil, extra: "\(Self.json(key)): \"doubled\"")))  // duplicate
        walk(dictionary[key] as Any) { rebuild(object(replacing: key, with: $0)) }
      }
      out.append(rebuild(object(replacing: nil, with: nil, extra: "\"unknownField\": 1")))
    }
    walk(object) { $0 }
    return out
  }

  /// `depth` nested openers and their closers around `core`: "[[[…]]]".
  package static func nested(_ open: String, _ close: String, depth: Int, core: String = "") -> String {
    String(repeating: open, count: depth) + core + String(repeating: close, count: depth)
  }

  /// Compact JSON text of a JSONSerialization value.
  private static func json(_ value: Any) -> String {
    if let text = value as? String {
      let data = (try? JSONSerialization.data(withJSONObject: [text], options: .fragmentsAllowed)) ?? Data("[\"\"]".utf8)
      return String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
    }
    if let list = value as? [Any] { return json(list: list.map { json($0) }) }
    guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys]) else {
      return "null"
    }
    return String(decoding: data, as: UTF8.self)
  }

  private static func json(list items: [String]) -> String { "[" + items.joined(separator: ", ") + "]" }
}

/// How a reader took one damaged input: accepted it, or refused it with a message.
package enum FuzzOutcome: CustomStringConvertible {
  case accepted
  case refused(String)

  /// Runs `body` in this process: a trap would end the test runner, a visible failure of its own.
  package static func of(_ body: () throws -> Void) -> FuzzOutcome {
    do {
      try body()
      return .accepted
    } catch {
      return .refused("\(error)")
    }
  }

  /// Why the outcome is not clean: an empty message or a raw dump in it; nil when clean.
  package var problem: String? {
    guard case .refused(let message) = self else { return nil }
    if message.trimmingCharacters(in: .whitespaces).isEmpty { return "an empty message" }
    let dumps = InputMutator.rawDumps(in: message)
    return dumps.isEmpty ? nil : "raw \(dumps.joined(separator: ", ")) in: \(message)"
  }

  package var description: String {
    switch self {
    case .accepted: "accepted"
    case .refused(let message): "refused: \(message)"
    }
  }
}
