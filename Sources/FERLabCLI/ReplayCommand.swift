import ArgumentParser
import FERTerminal
import FERWorkspace
import Foundation

/// `ferlab replay SESSION`: re-run a recorded session and check every result;
/// `ferlab replay --view SESSION`: watch it in the explorer without recomputing.
struct ReplayCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "replay",
    abstract: "Re-run a session's commands and check that every recorded result comes out the same.",
    discussion: """
      On the machine kind and BLAS thread count of the recording, results must be identical; elsewhere \
      the largest deviation is reported and numbers may differ by a relative \(Replay.tolerance). Exits \
      non-zero at the first command whose results diverge, naming it.

      With --view nothing is recomputed: the explorer plays the recorded results back step by step \
      (the curves grow one epoch at a time). Keys: space pause / play, n next step, + faster, - slower, \
      PgUp/PgDn notebook, ? help, q quit.
      """)

  @Argument(help: "The session (.jsonl).")
  var session: String

  @Option(help: "Also record the replay as a new session.")
  var record: String?

  @Flag(help: "Play the recorded results back in the explorer instead of re-running the commands.")
  var view = false

  func validate() throws {
    if view, record != nil { throw ValidationError("--view re-runs nothing, so there is nothing to --record; drop one of them") }
  }

  func run() throws {
    let file: SessionFile
    do { file = try SessionFile(path: session) } catch { throw ValidationError("\(error)") }
    if let cut = file.cutAtLine {
      FileHandle.standardError.write(Data("\(session): cut mid-record at line \(cut); replaying the \(file.commands.count) complete commands before it\n".utf8))
    }
    if view { return try watch(file) }
    let report = try Replay.run(file, recordTo: record) { i, n, line in
      FileHandle.standardError.write(Data("[\(i)/\(n)] \(line)\n".utf8))
    }
    let mode = report.strict ? "same machine kind and thread count: results must be identical" : "another machine kind or thread count: tolerance \(Replay.tolerance)"
    print("replayed \(report.commands) commands of \(session) (\(mode))")
    if let at = report.largestDeviationAt {
      print(String(format: "largest relative deviation %.3g at %@", report.largestDeviation, at))
    } else {
      print("every number identical")
    }
    if let divergence = report.divergence {
      print("DIVERGED: \(divergence)")
      throw ExitCode(1)
    }
    print("OK")
  }

  /// The explorer on the session's frames, with the replay keys.
  private func watch(_ file: SessionFile) throws {
    let source = ReplaySource(frames: SessionPlayback.frames(of: file))
    do {
      try ExplorerApp.run(source: source, view: ExplorerViewState(title: "FERLab replay", keys: .replay))
    } catch let error as TerminalError {
      throw ValidationError("\(error)")
    }
  }
}
