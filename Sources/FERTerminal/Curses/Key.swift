// The keys the explorer understands, and the decoding of what terminals send
// for them: control characters and the escape sequences (CSI "ESC [", SS3
// "ESC O") that ncurses passes through when terminfo does not know them.

/// A key press.
public enum Key: Hashable, Sendable {
  /// A printable character.
  case character(Character)
  case enter, backspace, tab, backTab, escape
  case up, down, left, right, pageUp, pageDown, home, end, delete
  /// The terminal changed size: query `Terminal.size` and redraw.
  case resize
  /// Ctrl with a letter, lower case: `.control("c")` is Ctrl-C (delivered as a key
  /// only when the Terminal is asked to take Ctrl-C as input).
  case control(Character)

  /// The key for a character read from the terminal; control codes map to their keys.
  public init(character: Character) {
    guard let scalar = character.unicodeScalars.first, character.unicodeScalars.count == 1 else {
      self = .character(character)
      return
    }
    switch scalar.value {
    case 0x0D, 0x0A: self = .enter
    case 0x09: self = .tab
    case 0x08, 0x7F: self = .backspace
    case 0x1B: self = .escape
    case 0x01...0x1A: self = .control(Character(Unicode.Scalar(scalar.value + 0x60) ?? "?"))
    default: self = .character(character)
    }
  }

  /// Decodes the characters that followed ESC: "[A" is up, "OB" down, "[5~" page up,
  /// "[1;5C" (with a modifier, ignored) right. nil for sequences it does not know.
  public init?(escapeSequence: String) {
    let scalars = Array(escapeSequence.unicodeScalars)
    guard scalars.count >= 2, scalars[0] == "[" || scalars[0] == "O", let final = scalars.last else { return nil }
    if final == "~" {
      // "[n~" or "[n;m~": n names the key, m is a modifier.
      let number = String(String.UnicodeScalarView(scalars.dropFirst().dropLast())).split(separator: ";").first
      switch number.flatMap({ Int($0) }) {
      case 1, 7: self = .home
      case 3: self = .delete
      case 4, 8: self = .end
      case 5: self = .pageUp
      case 6: self = .pageDown
      default: return nil
      }
      return
    }
    switch final {
    case "A": self = .up
    case "B": self = .down
    case "C": self = .right
    case "D": self = .left
    case "H": self = .home
    case "F": self = .end
    case "Z": self = .backTab
    default: return nil
    }
  }

  /// Whether the characters after ESC form a whole sequence: SS3 ("O") takes one
  /// more character; CSI ("[") ends at a character in '@'…'~'.
  public static func isComplete(escapeSequence: String) -> Bool {
    let scalars = Array(escapeSequence.unicodeScalars)
    guard let first = scalars.first else { return false }
    switch first {
    case "O": return scalars.count >= 2
    case "[": return scalars.count >= 2 && (0x40...0x7E).contains(scalars[scalars.count - 1].value)
    default: return true  // ESC followed by another character (Alt+key): not a sequence we decode.
    }
  }
}
