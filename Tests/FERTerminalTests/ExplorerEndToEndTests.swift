import Foundation
import Testing
import FERSystem

// The real release binary in a tmux pane: open the explorer on the small
// synthetic set, toggle the temporal skip, train one epoch (which evaluates
// itself), see the loss curve and the confusion matrix, evaluate again, quit,
// and find the shell's screen back.
// The binary is the one this build made, beside the test runner; the test fails
// when it or tmux is missing (`make test` builds the first and installs the second).

@Suite("Explorer end to end (tmux)", .serialized)
struct ExplorerEndToEndTests {
  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  static let binary = Subprocess.builtExecutable(named: "ferlab").path
  static let tmux = ["/usr/bin/tmux", "/usr/local/bin/tmux"].first { FileManager.default.isExecutableFile(atPath: $0) }

  @Test func trainAndQuitInTmux() throws {
    #expect(FileManager.default.isExecutableFile(atPath: Self.binary), "\(Self.binary) was not built: run `make test`")
    let tmux = try #require(Self.tmux, "tmux is not installed: run `make test` (it installs it)")
    let session = "ferlab-e2e-\(getpid())"
    let pane = Pane(tmux: tmux, session: session)
    defer { pane.kill() }
    let command = "TERM=xterm-256color LANG=C.UTF-8 \(Self.binary) --dataset small --then 'set epochs 1'; echo FERLAB-EXITED-$?"
    try pane.start(command: command, width: 80, height: 24)

    // Each wait holds the whole of what the screen should show: a capture can catch a frame half drawn.
    _ = try pane.waitFor(timeout: 60) { $0.contains("synthetic") && $0.contains("● ready") && $0.contains("[1] temporal ● on") }

    pane.send("1")
    // The notebook shows what the key did.
    _ = try pane.waitFor(timeout: 10) { $0.contains("[1] temporal ○ off") && $0.contains("switches: temporal off") }

    pane.send("t")
    _ = try pane.waitFor(timeout: 20) { $0.contains("training") || $0.contains("run 1") }
    // `train` evaluates on the fold's test subjects itself: the confusion matrix is already up.
    let trained = try pane.waitFor(timeout: 120) {
      $0.contains("● ready") && $0.contains("completed") && $0.contains("Loss · run 1") && $0.contains("train ")
        && $0.contains("validation ") && $0.contains("Confusion · run 1") && $0.contains("surprise")
    }

    // `e` evaluates again: wait for its lines (a prompt, an accuracy line, the matrix's 7) and the idle state.
    let before = Self.olderLines(trained) ?? 0
    pane.send("e")
    _ = try pane.waitFor(timeout: 60) { $0.contains("● ready") && (Self.olderLines($0) ?? 0) >= before + 9 && $0.contains("anger") }

    pane.send("q")
    let after = try pane.waitFor(timeout: 10) { $0.contains("FERLAB-EXITED-") }
    #expect(after.contains("FERLAB-EXITED-0"))
    // The alternate screen is gone: no frame of the explorer is left in the pane.
    #expect(!after.contains("Notebook") && !after.contains("┌─"))
  }

  /// Two runs compared (their curves overlaid), a confusion cell opened and one of its clips shown.
  @Test func compareRunsAndLookAtAClipInTmux() throws {
    #expect(FileManager.default.isExecutableFile(atPath: Self.binary), "\(Self.binary) was not built: run `make test`")
    let tmux = try #require(Self.tmux, "tmux is not installed: run `make test` (it installs it)")
    let pane = Pane(tmux: tmux, session: "ferlab-e2e-compare-\(getpid())")
    defer { pane.kill() }
    let setup = "set preset tiny; set streams rgb; set epochs 2"
    try pane.start(
      command: "TERM=xterm-256color LANG=C.UTF-8 \(Self.binary) --dataset small --then '\(setup)'; echo FERLAB-EXITED-$?",
      width: 120, height: 40)
    _ = try pane.waitFor(timeout: 60) { $0.contains("synthetic") && $0.contains("● ready") && $0.contains("epochs 2") }
    pane.send("t")
    _ = try pane.waitFor(timeout: 120) { $0.contains("● ready") && $0.contains("run 1 tiny: completed") }
    pane.send("2")
    pane.send("t")
    _ = try pane.waitFor(timeout: 120) { $0.contains("● ready") && $0.contains("run 2 tiny: completed") }
    pane.send(":compare 1 2")
    pane.key("Enter")
    // A capture can catch a frame half drawn (the title before the legend): wait for the whole of it.
    _ = try pane.waitFor(timeout: 30) { $0.contains("Loss · runs 1, 2") && $0.contains("run 1") && $0.contains("run 2") }

    // `eval` makes run 2 current again with its clips; walk the matrix until a cell has clips.
    pane.send("e")
    _ = try pane.waitFor(timeout: 60) { $0.contains("● ready") && $0.contains("Confusion · run 2") }
    pane.key("Down")
    var listed = ""
    for step in 0..<36 {
      _ = try pane.waitFor(timeout: 5) { $0.contains("Enter lists them") }
      pane.key("Enter")
      // The cell's status line is still up until the key lands: wait for what Enter does.
      listed = try pane.waitFor(timeout: 5) {
        $0.contains("no clips in that cell") || ($0.contains("Up/Down choose") && $0.contains("predicted as"))
      }
      if listed.contains("Up/Down choose") { break }
      pane.key(step % 6 == 5 ? "Down" : "Right")
    }
    #expect(listed.contains("predicted as"), "a confusion cell's clips are listed: \(listed)")
    pane.key("Enter")
    _ = try pane.waitFor(timeout: 30) {
      $0.contains("frames") && $0.contains("dynamic images") && $0.contains("clip s") && $0.contains("optical flow")
    }
    pane.key("Escape")
    _ = try pane.waitFor(timeout: 10) { !$0.contains("dynamic images:") && $0.contains("Notebook") }

    pane.send("q")
    let after = try pane.waitFor(timeout: 10) { $0.contains("FERLAB-EXITED-") }
    #expect(after.contains("FERLAB-EXITED-0"))
  }

  /// A terminal that cannot draw a screen gets line mode: the same commands, one a line.
  @Test func aDumbTerminalGetsLineMode() throws {
    #expect(FileManager.default.isExecutableFile(atPath: Self.binary), "\(Self.binary) was not built: run `make test`")
    let tmux = try #require(Self.tmux, "tmux is not installed: run `make test` (it installs it)")
    let pane = Pane(tmux: tmux, session: "ferlab-e2e-dumb-\(getpid())")
    defer { pane.kill() }
    try pane.start(command: "TERM=dumb \(Self.binary) --dataset none; echo FERLAB-EXITED-$?", width: 100, height: 30)
    let greeted = try pane.waitFor(timeout: 10) { $0.contains("ferlab>") }
    #expect(greeted.replacingOccurrences(of: "\n", with: "").contains("line mode (TERM=dumb cannot draw a screen)"))
    pane.send("help cv")
    pane.key("Enter")
    _ = try pane.waitFor(timeout: 10) { $0.contains("usage: cv [seeds=N]") }
    pane.send("quit")
    pane.key("Enter")
    let after = try pane.waitFor(timeout: 10) { $0.contains("FERLAB-EXITED-") }
    #expect(after.contains("FERLAB-EXITED-0"))
  }

  /// N of the notebook's "PgUp for N older" title.
  static func olderLines(_ screen: String) -> Int? {
    guard let range = screen.range(of: "PgUp for ") else { return nil }
    return Int(screen[range.upperBound...].prefix { $0.isNumber })
  }
}

/// A detached tmux session running one command.
private struct Pane {
  let tmux: String
  let session: String

  /// Runs tmux; `capturing` reads its output (never for new-session: the server
  /// it forks would hold the pipe open, and reading would not end).
  @discardableResult
  func run(_ arguments: [String], capturing: Bool = true) throws -> String {
    let child = try Subprocess(
      executable: URL(fileURLWithPath: tmux), arguments: arguments, output: capturing ? .pipe : .discard, errors: .discard)
    let data = child.readAll()
    _ = child.finish()
    return String(decoding: data, as: UTF8.self)
  }

  func start(command: String, width: Int, height: Int) throws {
    // Given as separate arguments, tmux runs sh directly (no outer shell that
    // would expand `$?` before the explorer ran). The shell stays after the
    // explorer exits, so the pane can be read.
    try run(
      ["new-session", "-d", "-s", session, "-x", "\(width)", "-y", "\(height)", "sh", "-c", "\(command); sleep 60"],
      capturing: false)
  }

  func send(_ keys: String) { _ = try? run(["send-keys", "-t", session, "-l", keys], capturing: false) }

  /// A named key: Enter, Escape, Up, Down, Left, Right.
  func key(_ name: String) { _ = try? run(["send-keys", "-t", session, name], capturing: false) }

  func capture() throws -> String { try run(["capture-pane", "-p", "-t", session]) }

  /// The pane's text once `condition` holds; fails with the last screen after `timeout` seconds.
  func waitFor(timeout: Double, _ condition: (String) -> Bool) throws -> String {
    let deadline = Date().addingTimeInterval(timeout)
    var screen = ""
    while Date() < deadline {
      screen = try capture()
      if condition(screen) { return screen }
      Thread.sleep(forTimeInterval: 0.2)
    }
    Issue.record("timed out after \(timeout)s; the pane shows:\n\(screen)")
    throw PaneTimeout()
  }

  func kill() { _ = try? run(["kill-session", "-t", session], capturing: false) }
}

private struct PaneTimeout: Error {}
