import CNCurses
import Foundation

// The one type that talks to ncurses. Screens draw into a CellGrid; the
// Terminal copies it to the real terminal (only the cells that changed since the
// last frame), reads keys with a timeout so the UI can redraw on a clock, and
// always puts the terminal back: restore() on normal exit and thrown errors (via
// run or deinit), an atexit hook for exit(), and signal handlers for
// SIGINT/SIGTERM/SIGHUP (see TerminalSignals).

/// Why the terminal could not be started.
public enum TerminalError: Error, CustomStringConvertible {
  case notATerminal
  case alreadyActive
  case cannotStart(term: String)
  /// The terminal starts but cannot move its cursor (TERM=dumb, an Emacs shell buffer …).
  case cannotAddress(term: String)

  /// Why there is no screen, in a few words (line mode's greeting).
  public var briefly: String {
    switch self {
    case .notATerminal: "input or output is not a terminal"
    case .alreadyActive: "the terminal is in use"
    case .cannotStart(let term): "curses cannot start on TERM=\(term.isEmpty ? "(unset)" : term)"
    case .cannotAddress(let term): "TERM=\(term.isEmpty ? "(unset)" : term) cannot draw a screen"
    }
  }

  /// A screen cannot be drawn here, but lines can be read and written: line mode works.
  public var allowsLineMode: Bool {
    switch self {
    case .notATerminal, .cannotStart, .cannotAddress: true
    case .alreadyActive: false
    }
  }

  public var description: String {
    switch self {
    case .notATerminal:
      "standard input and output are not a terminal (a pipe or a file?); run ferlab in a terminal, or use a headless command instead"
    case .alreadyActive:
      "the terminal is already in use by another Terminal; restore() it before starting a new one"
    case .cannotStart(let term):
      "curses could not start on TERM=\(term.isEmpty ? "(unset)" : term); set TERM to a type terminfo knows, e.g. xterm-256color"
    case .cannotAddress(let term):
      "TERM=\(term.isEmpty ? "(unset)" : term) cannot move the cursor, so no screen can be drawn; set TERM to e.g. xterm-256color"
    }
  }
}

/// The screen in curses mode. One at a time; use from one thread.
public final class Terminal {
  /// What widgets may use here: the environment's wishes narrowed to what the terminal supports.
  public private(set) var capabilities: TerminalCapabilities

  private let screen: OpaquePointer
  private let inputTimeout: Int32
  private var lastFrame: CellGrid?
  private var colorPairs: [ColorPairKey: Int16] = [:]
  private var defaultColors = false
  private var active = true

  private struct ColorPairKey: Hashable {
    var foreground: Int16
    var background: Int16
  }

  /// Starts curses mode.
  /// - inputTimeoutMilliseconds: how long `readKey` waits for a key (0 = never wait, negative = forever).
  /// - ctrlCAsKey: deliver Ctrl-C (and Ctrl-Z, Ctrl-\) as keys instead of signals.
  /// - environment: read for the locale, TERM, COLORTERM and NO_COLOR.
  public init(
    inputTimeoutMilliseconds: Int = 100, ctrlCAsKey: Bool = false,
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws {
    guard !cursesActive else { throw TerminalError.alreadyActive }
    guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw TerminalError.notATerminal }
    // Wide characters need the user's character-type locale (numbers keep the C locale).
    setlocale(LC_CTYPE, "")
    TerminalSignals.install()
    // newterm, unlike initscr, returns nil rather than exiting when TERM is unusable.
    guard let screen = fer_newterm() else {
      TerminalSignals.uninstall()
      throw TerminalError.cannotStart(term: environment["TERM"] ?? "")
    }
    guard fer_can_address() else {
      _ = endwin()
      delscreen(screen)
      TerminalSignals.uninstall()
      throw TerminalError.cannotAddress(term: environment["TERM"] ?? "")
    }
    self.screen = screen
    inputTimeout = Int32(clamping: inputTimeoutMilliseconds)
    cursesActive = true
    Terminal.registerExitHook()

    _ = ctrlCAsKey ? raw() : cbreak()
    _ = noecho()
    _ = fer_keypad(true)
    _ = set_escdelay(25)  // a lone Escape is reported after 25 ms, not a second
    _ = curs_set(0)
    fer_timeout(inputTimeout)

    let wanted = TerminalCapabilities(environment: environment)
    var colors = 0
    if wanted.hasColor && has_colors() {
      _ = start_color()
      defaultColors = use_default_colors() == OK
      colors = Int(fer_colors())
    }
    let utf8 = nl_langinfo(nl_item(CODESET)).map { String(cString: $0) == "UTF-8" } ?? false
    capabilities = wanted.limited(unicode: utf8, colors: colors)
    TerminalSignals.setResetSequence(Terminal.resetSequence())
  }

  deinit { restore() }

  /// Runs `body` in curses mode and restores the terminal however `body` ends.
  public static func run<R>(
    inputTimeoutMilliseconds: Int = 100, ctrlCAsKey: Bool = false,
    environment: [String: String] = ProcessInfo.processInfo.environment,
    _ body: (Terminal) throws -> R
  ) throws -> R {
    let terminal = try Terminal(inputTimeoutMilliseconds: inputTimeoutMilliseconds, ctrlCAsKey: ctrlCAsKey, environment: environment)
    defer { terminal.restore() }
    return try body(terminal)
  }

  /// Leaves curses mode and puts back the shell's terminal settings and signal handlers. Safe to call twice.
  public func restore() {
    guard active else { return }
    active = false
    _ = endwin()
    delscreen(screen)
    cursesActive = false
    TerminalSignals.uninstall()
  }

  /// The screen size in cells.
  public var size: (width: Int, height: Int) { (Int(fer_max_x()), Int(fer_max_y())) }

  /// A blank grid the size of the screen.
  public func makeGrid() -> CellGrid {
    let (width, height) = size
    return CellGrid(width: width, height: height)
  }

  // MARK: Output

  /// Shows `grid`: writes the runs of cells that differ from the last frame, then refreshes.
  /// A grid of another size than the last (after a resize) is drawn whole on a cleared screen.
  public func blit(_ grid: CellGrid) {
    guard active else { return }
    if let last = lastFrame, last.width != grid.width || last.height != grid.height { lastFrame = nil }
    if lastFrame == nil { _ = fer_clear() }
    let (screenWidth, screenHeight) = size
    let width = min(screenWidth, grid.width)
    var text: [wchar_t] = []
    for y in 0..<min(screenHeight, grid.height) {
      var x = 0
      while x < width {
        guard changed(grid, x, y) else { x += 1; continue }
        // A run: consecutive changed cells of one style, written in one call.
        let start = x, style = grid[x, y].style
        text.removeAll(keepingCapacity: true)
        while x < width, changed(grid, x, y), grid[x, y].style == style {
          for scalar in grid[x, y].character.unicodeScalars { text.append(wchar_t(bitPattern: scalar.value)) }
          x += 1
        }
        apply(style)
        _ = text.withUnsafeBufferPointer { fer_put_wide(Int32(y), Int32(start), $0.baseAddress, Int32($0.count)) }
      }
    }
    _ = fer_refresh()
    lastFrame = grid
  }

  private func changed(_ grid: CellGrid, _ x: Int, _ y: Int) -> Bool {
    guard let last = lastFrame else { return true }
    return last[x, y] != grid[x, y]
  }

  private func apply(_ style: Style) {
    var attributes = fer_a_normal()
    if style.attributes.contains(.bold) { attributes |= fer_a_bold() }
    if style.attributes.contains(.dim) { attributes |= fer_a_dim() }
    if style.attributes.contains(.reverse) { attributes |= fer_a_reverse() }
    if style.attributes.contains(.underline) { attributes |= fer_a_underline() }
    _ = fer_set_attributes(attributes, pair(for: style))
  }

  /// The colour pair for a style's colours, allocated on first use; 0 (the
  /// terminal's defaults) without colour or when the terminal runs out of pairs.
  private func pair(for style: Style) -> Int16 {
    guard capabilities.hasColor, style.foreground != .default || style.background != .default else { return 0 }
    let key = ColorPairKey(foreground: cursesColor(style.foreground, isBackground: false), background: cursesColor(style.background, isBackground: true))
    if let pair = colorPairs[key] { return pair }
    let next = colorPairs.count + 1
    guard next < Int(fer_color_pairs()), next <= Int(Int16.max) else { return 0 }
    _ = init_pair(Int16(next), key.foreground, key.background)
    colorPairs[key] = Int16(next)
    return Int16(next)
  }

  /// xterm-256 colours of the heat ramp, dark grey to yellow (a viridis-like path);
  /// with 8 colours: default, magenta, blue, cyan, green, yellow.
  private static let heatRamp256: [Int16] = [235, 53, 61, 30, 77, 220]
  private static let heatRamp8: [Int16] = [-1, 5, 4, 6, 2, 3]

  private func cursesColor(_ color: TerminalColor, isBackground: Bool) -> Int16 {
    let terminalDefault: Int16 = defaultColors ? -1 : (isBackground ? 0 : 7)
    switch color {
    case .default: return terminalDefault
    case .black: return 0
    case .red: return 1
    case .green: return 2
    case .yellow: return 3
    case .blue: return 4
    case .magenta: return 5
    case .cyan: return 6
    case .white: return 7
    case .gray: return capabilities.colors >= 16 ? 8 : 7
    case .heat(let step):
      let index = min(max(step, 0), TerminalColor.heatSteps - 1)
      let value = capabilities.colors >= 256 ? Terminal.heatRamp256[index] : Terminal.heatRamp8[index]
      return value == -1 ? terminalDefault : value
    case .rgb(let r, let g, let b):
      guard capabilities.colors >= 256 else {
        // The basic colours are the corners of the RGB cube: red 1, green 2, blue 4.
        return Int16((r > 127 ? 1 : 0) | (g > 127 ? 2 : 0) | (b > 127 ? 4 : 0))
      }
      func level(_ v: UInt8) -> Int16 { Int16((Double(v) / 255 * 5).rounded()) }
      return 16 + 36 * level(r) + 6 * level(g) + level(b)
    }
  }

  // MARK: Input

  /// The next key, or nil when none arrived within the input timeout (or the key
  /// or escape sequence read is not one `Key` names). After `.resize` the next
  /// blit redraws everything.
  public func readKey() -> Key? {
    guard active else { return nil }
    var input: wint_t = 0
    switch fer_get_wch(&input) {
    case KEY_CODE_YES:
      return key(code: Int32(input))
    case OK:
      guard let scalar = Unicode.Scalar(UInt32(input)) else { return nil }
      return scalar == "\u{1B}" ? readEscapeSequence() : Key(character: Character(scalar))
    default:
      return nil
    }
  }

  private func key(code: Int32) -> Key? {
    switch code {
    case KEY_UP: return .up
    case KEY_DOWN: return .down
    case KEY_LEFT: return .left
    case KEY_RIGHT: return .right
    case KEY_PPAGE: return .pageUp
    case KEY_NPAGE: return .pageDown
    case KEY_HOME: return .home
    case KEY_END: return .end
    case KEY_DC: return .delete
    case KEY_BTAB: return .backTab
    case KEY_BACKSPACE: return .backspace
    case KEY_ENTER: return .enter
    case KEY_RESIZE:
      lastFrame = nil
      return .resize
    default: return nil
    }
  }

  /// After ESC: the rest of a sequence terminfo did not know arrives at once; a lone ESC is the Escape key.
  private func readEscapeSequence() -> Key? {
    fer_timeout(10)
    defer { fer_timeout(inputTimeout) }
    var sequence = ""
    while sequence.unicodeScalars.count < 8, !Key.isComplete(escapeSequence: sequence) {
      var input: wint_t = 0
      guard fer_get_wch(&input) == OK, let scalar = Unicode.Scalar(UInt32(input)) else { break }
      sequence.unicodeScalars.append(scalar)
    }
    return sequence.isEmpty ? .escape : Key(escapeSequence: sequence)
  }

  // MARK: Leaving curses mode

  /// Terminfo's strings that leave curses mode: exit the alternate screen, reset
  /// attributes, show the cursor, stop keypad-transmit mode.
  private static func resetSequence() -> [UInt8] {
    var bytes: [UInt8] = []
    for name in ["rmcup", "sgr0", "cnorm", "rmkx"] {
      guard let value = tigetstr(name), Int(bitPattern: value) != -1 else { continue }
      bytes += Array(String(cString: value).utf8)
    }
    return bytes
  }

  private static func registerExitHook() {
    guard !exitHookRegistered else { return }
    exitHookRegistered = true
    // exit() skips defer blocks and deinit: leave curses mode on the way out.
    atexit { if cursesActive { _ = endwin() } }
  }
}

// Whether curses mode is on (one Terminal at a time) and whether the atexit hook is in place.
nonisolated(unsafe) private var cursesActive = false
nonisolated(unsafe) private var exitHookRegistered = false
