import FERWorkspace
import Foundation

// A workspace followed without a screen: the headless CLI subcommands, `ferlab
// run` and line mode print the notebook's new lines to stdout as they appear
// and show progress on stderr (a redrawn bar on a terminal, else a line per tenth).

/// Prints cells to stdout as they grow and progress to stderr until the workspace is idle.
public final class Console {
  /// Whether cell output goes to stdout.
  private let echo: Bool
  /// Whether error lines are printed too (to stderr); off where the caller reports the error itself.
  private let showErrors: Bool
  private var printed: [Int: Int] = [:]
  private let isTerminal = isatty(2) != 0
  private var lastPlain = ""
  private var barShown = false

  public init(echo: Bool = true, showErrors: Bool = false) {
    self.echo = echo
    self.showErrors = showErrors
  }

  /// A line on stderr (ends any bar on screen).
  public func status(_ text: String) {
    clearBar()
    FileHandle.standardError.write(Data((text + "\n").utf8))
  }

  /// Prints until nothing runs or is queued.
  public func follow(_ workspace: Workspace) {
    var idle = workspace.isIdle
    while true {
      let snapshot = workspace.snapshot()
      flushCells(snapshot)
      if idle { break }
      if let p = snapshot.progress { show(p) }
      // A fifth of a second between redraws, cut short when the work ends (a command's end
      // is printed at once rather than at the next tick).
      idle = workspace.waitUntilIdle(atMost: 0.2)
    }
    clearBar()
  }

  private func flushCells(_ snapshot: WorkspaceSnapshot) {
    for (i, cell) in snapshot.cells.enumerated() {
      let done = printed[i] ?? 0
      guard cell.output.count > done else { continue }
      printed[i] = cell.output.count
      let text = cell.output[done...].map { "\($0)\n" }.joined()
      if cell.isError {
        guard showErrors else { continue }  // the caller ends the command with a message of its own
        clearBar()
        FileHandle.standardError.write(Data(text.utf8))
        continue
      }
      guard echo else { continue }
      clearBar()
      FileHandle.standardOutput.write(Data(text.utf8))
    }
  }

  private func show(_ p: FERWorkspace.Progress) {
    let eta = p.secondsLeft.map { String(format: " ETA %.0fs", $0) } ?? ""
    if isTerminal {
      let width = 30
      let filled = Int((p.fraction * Double(width)).rounded())
      let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
      let text = "\r[\(bar)] \(String(format: "%3.0f", p.fraction * 100))% \(p.label)\(eta) \(p.throughput ?? "")"
      FileHandle.standardError.write(Data((text.prefix(160) + "\u{1B}[K").utf8))
      barShown = true
    } else {
      // Plain lines: one per tenth of the way, so a log stays short.
      let line = "\(Int(p.fraction * 10))"
      if line != lastPlain {
        lastPlain = line
        FileHandle.standardError.write(Data("\(String(format: "%3.0f", p.fraction * 100))% \(p.label)\(eta)\n".utf8))
      }
    }
  }

  private func clearBar() {
    guard barShown else { return }
    FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    barShown = false
  }
}
