#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Puts the terminal back when SIGINT, SIGTERM or SIGHUP ends the program while
// the screen is in curses mode. A signal handler may only make async-signal-safe
// calls, so it does not call endwin(): it writes the terminal's own reset
// sequence (prepared before any signal can arrive) with write(2), restores the
// shell's terminal modes with tcsetattr(3), then re-raises the signal with the
// default action so the program ends as the signal intends.

enum TerminalSignals {
  static let handled: [Int32] = [SIGINT, SIGTERM, SIGHUP]

  /// Installs the handlers, saving the current terminal modes and handlers.
  /// Call before curses starts, so curses does not install handlers of its own.
  static func install() {
    let modes = UnsafeMutablePointer<termios>.allocate(capacity: 1)
    if tcgetattr(STDIN_FILENO, modes) == 0 {
      shellModes = modes
    } else {
      modes.deallocate()
    }
    for number in handled { previousHandlers[number] = signal(number, restoreTerminalAndReraise) }
  }

  /// The bytes that leave curses mode on this terminal (from terminfo, once curses has started).
  static func setResetSequence(_ bytes: [UInt8]) {
    let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, bytes.count))
    buffer.initialize(from: bytes, count: bytes.count)
    // The handler reads the count after the pointer; publish the pointer last.
    resetCount = bytes.count
    resetBytes = buffer
  }

  /// Puts back the handlers that were there before `install` and frees what it saved.
  static func uninstall() {
    for number in handled { _ = signal(number, previousHandlers[number] ?? nil) }
    previousHandlers = [:]
    let (bytes, modes) = (resetBytes, shellModes)
    resetBytes = nil
    shellModes = nil
    resetCount = 0
    bytes?.deallocate()
    modes?.deallocate()
  }
}

// State the handler reads: set before the handlers can run, cleared after they
// are uninstalled. Plain globals with constant initial values, so reading them
// in the handler runs no initialisation code.
nonisolated(unsafe) private var resetBytes: UnsafeMutablePointer<UInt8>? = nil
nonisolated(unsafe) private var resetCount = 0
nonisolated(unsafe) private var shellModes: UnsafeMutablePointer<termios>? = nil
nonisolated(unsafe) private var previousHandlers: [Int32: SignalHandler?] = [:]

private typealias SignalHandler = @convention(c) (Int32) -> Void

/// The signal handler: async-signal-safe calls only (write, tcsetattr, signal, raise).
private func restoreTerminalAndReraise(_ number: Int32) {
  if let bytes = resetBytes, resetCount > 0 { _ = write(STDOUT_FILENO, bytes, resetCount) }
  if let modes = shellModes { _ = tcsetattr(STDIN_FILENO, TCSANOW, modes) }
  _ = signal(number, SIG_DFL)
  // Delivered when the handler returns (the signal is blocked while it runs).
  _ = raise(number)
}
