// What the terminal can show, decided once from the environment and passed to
// every widget, so a widget never reads globals and tests pick any combination.

/// What the terminal can display: Unicode (braille, blocks, box drawing) and how many colours.
public struct TerminalCapabilities: Hashable, Sendable {
  /// Braille, block elements and box-drawing characters display correctly.
  public var unicode: Bool
  /// Colours available: 0 for monochrome, otherwise 8, 16 or 256.
  public var colors: Int

  public init(unicode: Bool, colors: Int) {
    precondition(colors >= 0, "TerminalCapabilities: colors must be 0 (monochrome) or more, got \(colors)")
    self.unicode = unicode
    self.colors = colors
  }

  /// Whether widgets may use colour (at least the 8 basic colours).
  public var hasColor: Bool { colors >= 8 }

  /// Plain ASCII, no colour: what a dumb terminal or a log file can show.
  public static let ascii = TerminalCapabilities(unicode: false, colors: 0)
  /// Unicode without colour (e.g. NO_COLOR set in a UTF-8 locale).
  public static let unicodeMonochrome = TerminalCapabilities(unicode: true, colors: 0)
  /// A modern terminal: Unicode and 256 colours.
  public static let full = TerminalCapabilities(unicode: true, colors: 256)

  /// Reads the usual variables from `environment` (pass ProcessInfo's, or a test's):
  /// - Unicode when the character-type locale (LC_ALL, else LC_CTYPE, else LANG) is UTF-8.
  /// - No colour when NO_COLOR is set to anything non-empty (https://no-color.org) or TERM is
  ///   "dumb" or unset; 256 colours when TERM mentions 256color or COLORTERM is
  ///   truecolor/24bit; 8 otherwise.
  public init(environment: [String: String]) {
    let locale = ["LC_ALL", "LC_CTYPE", "LANG"].lazy.compactMap { environment[$0] }.first { !$0.isEmpty } ?? ""
    let normalised = locale.lowercased().filter { $0 != "-" }
    let unicode = normalised.hasSuffix(".utf8") || normalised.contains(".utf8@")

    let term = environment["TERM"] ?? ""
    let colorTerm = (environment["COLORTERM"] ?? "").lowercased()
    let colors: Int
    if let noColor = environment["NO_COLOR"], !noColor.isEmpty {
      colors = 0
    } else if term.isEmpty || term == "dumb" {
      colors = 0
    } else if term.contains("256color") || colorTerm == "truecolor" || colorTerm == "24bit" {
      colors = 256
    } else {
      colors = 8
    }
    self.init(unicode: unicode, colors: colors)
  }

  /// These capabilities narrowed to what the terminal reported after start-up.
  public func limited(unicode terminalUnicode: Bool, colors terminalColors: Int) -> TerminalCapabilities {
    TerminalCapabilities(unicode: unicode && terminalUnicode, colors: terminalColors < 8 ? 0 : min(colors, terminalColors))
  }
}
