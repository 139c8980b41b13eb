import ArgumentParser
import FERCore
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
      Where the recording and this machine are both inside the reproducibility promise (an x86-64 CPU \
      with AVX2 and FMA, OpenBLAS on FERLab's fixed \(BLASLibrary.fixedKernelFamily) kernels, the same \
      OpenBLAS and FERLab versions), every result must be bit-identical, whatever the CPU model or the \
      thread count. Outside it, each command reports its largest relative deviation and the first epoch \
      and step where results part, and the replay fails only past a relative \(Replay.tolerance). The \
      numeric environments are printed side by side wherever they differ. Exits 1 at the first command \
      whose results diverge, naming it.

      With --view nothing is recomputed: the explorer plays the recorded results back step by step \
      (the curves grow one epoch at a time). Keys: space pause / play, n next step, + faster, - slower, \
      PgUp/PgDn notebook, ? help, q quit.
      """)

  @Argument(help: "The session (.jsonl).")
  var session: String

  @Option(help: "Also record the replay as a new session.")
  var record: String?

  @OptionGroup var compute: ThreadsOption

  @Flag(help: "Play the recorded results back in the explorer instead of re-running the commands.")
  var view = false

  func validate() throws {
    if view, record != nil { throw ValidationError("--view re-runs nothing, so there is nothing to --record; drop one of them") }
  }

  func run() throws {
    let file: SessionFile
    do { file = try SessionFile(path: session) } catch { throw Failure("\(error)") }
    if let cut = file.cutAtLine {
      FileHandle.standardError.write(Data("\(session): cut mid-record at line \(cut); replaying the \(file.commands.count) complete commands before it\n".utf8))
    }
    if view { return try watch(file) }
    let report = try Replay.run(file, recordTo: record, threads: compute.threads) { i, n, line in
      FileHandle.standardError.write(Data("[\(i)/\(n)] \(line)\n".utf8))
    }
    for line in ReplayVerdict.lines(report, session: session) { print(line) }
    if report.divergence != nil { throw ExitCode(1) }
  }

  /// The explorer on the session's frames, with the replay keys.
  private func watch(_ file: SessionFile) throws {
    let source = ReplaySource(frames: SessionPlayback.frames(of: file))
    do {
      try ExplorerApp.run(source: source, view: ExplorerViewState(title: "FERLab replay", keys: .replay))
    } catch let error as TerminalError {
      throw Failure("\(error)")
    }
  }
}
