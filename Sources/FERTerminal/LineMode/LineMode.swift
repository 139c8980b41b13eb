import FERWorkspace
import Foundation

// The explorer where no screen can be drawn (TERM=dumb, an editor's shell
// buffer, input from a pipe): the same workspace commands, one line at a time.
// Each line runs to its end and its notebook lines are printed, errors on
// stderr; `quit`, `exit` or the end of input ends it.

public enum LineMode {
  /// Words that end line mode (they are not workspace commands).
  static let quitWords: Set<String> = ["quit", "exit", "q"]

  /// Runs `startup`, then every line `nextLine` gives until it gives nil or a quit word.
  /// `reason` says why there is no screen.
  public static func run(
    workspace: Workspace, startup: [String], reason: String, nextLine: () -> String? = { readLine(strippingNewline: true) }
  ) {
    let console = Console(echo: true, showErrors: true)
    let prompting = isatty(STDIN_FILENO) == 1
    console.status("FERLab line mode (\(reason)): type workspace commands; `help` lists them, `quit` or Ctrl-D ends")
    for line in startup {
      workspace.submit(line)
      console.follow(workspace)
    }
    while true {
      if prompting { FileHandle.standardError.write(Data("ferlab> ".utf8)) }
      guard let line = nextLine() else { break }
      if quitWords.contains(line.trimmingCharacters(in: .whitespaces)) { break }
      workspace.submit(line)
      console.follow(workspace)
    }
    workspace.waitUntilIdle()
  }
}
