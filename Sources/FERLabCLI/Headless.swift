import FERTerminal
import FERWorkspace
import Foundation

/// A workspace without a screen: command lines in, the notebook on stdout,
/// progress on stderr. `ferlab run` and every experiment subcommand run through it,
/// so a subcommand computes and prints exactly what the same lines do in a script
/// or in the explorer.
struct Headless {
  let workspace: Workspace
  let console: Console

  /// `echo`: print each command's notebook lines to stdout (off for `--json`, whose
  /// stdout is the JSON alone).
  init(workspace: Workspace, echo: Bool = true) {
    self.workspace = workspace
    console = Console(echo: echo)
  }

  /// Runs one line to its end; its record, or nil when it failed (its error is in the notebook).
  func run(_ line: String) -> CommandRecord? {
    let before = workspace.commandRecords().count
    workspace.submit(line)
    console.follow(workspace)
    guard !workspace.lastCommandFailed else { return nil }
    let records = workspace.commandRecords()
    return records.count > before ? records[before] : nil
  }

  /// The last error the notebook shows.
  var lastError: String {
    workspace.snapshot().cells.last { $0.isError }?.output.last ?? "failed"
  }
}
