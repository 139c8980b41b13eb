// The six expression classes of eNTERFACE'05, in a fixed index order.
//
// The raw value is the class index everywhere in FERLab: logits [N, K] have
// K = 6 columns in this order, confusion matrices use it for rows and columns,
// and saved runs store it. Never reorder the cases.
//
//   0 anger   1 disgust   2 fear   3 happiness   4 sadness   5 surprise
//
// (alphabetical, as eNTERFACE's folders sort.)

/// An expression class: one of eNTERFACE'05's six.
public enum Emotion: Int, CaseIterable, Codable, Sendable, Comparable, CustomStringConvertible {
  case anger = 0
  case disgust, fear, happiness, sadness, surprise

  /// Number of classes (K).
  public static let count = allCases.count

  /// The lowercase full name, as eNTERFACE's folders spell it.
  public var name: String {
    switch self {
    case .anger: "anger"
    case .disgust: "disgust"
    case .fear: "fear"
    case .happiness: "happiness"
    case .sadness: "sadness"
    case .surprise: "surprise"
    }
  }

  /// The two-letter code of eNTERFACE's file names (`s7_an_3.avi`).
  public var code: String { String(name.prefix(2)) }

  public var description: String { name }

  public static func < (lhs: Emotion, rhs: Emotion) -> Bool { lhs.rawValue < rhs.rawValue }

  /// Other words a folder or manifest may use for a class.
  private static let aliases: [String: Emotion] = [
    "angry": .anger, "disgusted": .disgust, "afraid": .fear, "fearful": .fear, "scared": .fear,
    "happy": .happiness, "joy": .happiness, "sad": .sadness, "surprised": .surprise,
  ]

  /// Reads a class from a folder name or label, forgivingly: case and
  /// non-letters are ignored ("Anger", "ANGER ", "2_fear"), the two-letter
  /// codes are accepted ("an", "di", "fe", "ha", "sa", "su"), so are prefixes
  /// of a full name of two letters or more ("surp") and a few common
  /// adjectives ("happy", "angry"). The six two-letter prefixes are distinct,
  /// so no word is read as two classes. Returns nil for anything else.
  public init?(label: String) {
    let letters = String(label.lowercased().unicodeScalars.filter { ("a"..."z").contains($0) })
    guard letters.count >= 2 else { return nil }
    if let alias = Emotion.aliases[letters] {
      self = alias
      return
    }
    guard let match = Emotion.allCases.first(where: { $0.name.hasPrefix(letters) }) else { return nil }
    self = match
  }
}
