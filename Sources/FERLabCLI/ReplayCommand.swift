import ArgumentParser
import FERWorkspace
import Foundation

/// `ferlab replay SESSION`: re-run a recorded session and check every result.
struct ReplayCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "replay",
    abstract: "Re-run a session's commands and check that every recorded result comes out the same.",
    discussion: """
      On the machine kind and BLAS thread count of the recording, results must be identical; elsewhere \
      the largest deviation is reported and numbers may differ by a relative \(Replay.tolerance). Exits \
      non-zero at the first command whose results diverge, naming it.
      """)

  @Argument(help: "The session (.jsonl).")
  var session: String

  @Option(help: "Also record the replay as a new session.")
  var record: String?

  func run() throws {
    let file: SessionFile
    do { file = try SessionFile(path: session) } catch { throw ValidationError("\(error)") }
    if let cut = file.cutAtLine {
      FileHandle.standardError.write(Data("\(session): cut mid-record at line \(cut); replaying the \(file.commands.count) complete commands before it\n".utf8))
    }
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
}
