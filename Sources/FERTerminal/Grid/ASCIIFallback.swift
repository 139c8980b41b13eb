// One ASCII character for each non-ASCII one the explorer may show: the
// notebook's mathematics (‖∂L/∂h_t‖ → |dL/dh_t|), typography (— … · ×), marks
// (● ○) and any box, block or braille character that reached a cell. Used
// where the locale is not UTF-8 (LANG=C), after a screen is drawn.

public enum ASCIIFallback {
  static let table: [Character: Character] = [
    "‖": "|", "∂": "d", "×": "x", "·": ".", "…": ".", "—": "-", "–": "-", "−": "-", "±": "+",
    "≥": ">", "≤": "<", "≈": "~", "→": ">", "←": "<", "↑": "^", "↓": "v", "‘": "'", "’": "'", "“": "\"",
    "”": "\"", "●": "*", "○": "o", "•": "*", "›": ">", "‹": "<", "√": "v", "∑": "S", "σ": "s", "φ": "f",
    "²": "2", "³": "3", "⁴": "4", "⁶": "6", "⁻": "-", "°": "o", "µ": "u", "é": "e", "è": "e", "ä": "a",
    "ö": "o", "ü": "u", "ß": "s", "│": "|", "─": "-", "┌": "+", "┐": "+", "└": "+", "┘": "+", "├": "+",
    "┤": "+", "┬": "+", "┴": "+", "┼": "+", "█": "#", "▓": "#", "▒": ":", "░": ".", "▕": "|", "▏": "|",
  ]

  /// The stand-in for `character`: from the table, a block or braille cell by its
  /// range, '?' for anything else.
  public static func character(_ character: Character) -> Character {
    if let mapped = table[character] { return mapped }
    guard let scalar = character.unicodeScalars.first?.value else { return "?" }
    switch scalar {
    case 0x2500...0x257F: return "+"  // box drawing
    case 0x2580...0x259F: return "#"  // blocks
    case 0x2800...0x28FF: return scalar == 0x2800 ? " " : "."  // braille
    default: return "?"
    }
  }
}
