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

      With --until K the commands up to K are replayed and checked, then the explorer opens on the \
      workspace they made, so a person can branch from a recorded state.

      With --view nothing is recomputed: the explorer plays the recorded results back step by step \
      (the curves grow one epoch at a time). Keys: space pause / play, n next step, + faster, - slower, \
      PgUp/PgDn notebook, ? help, q quit.
      """)

  @Argument(help: "The session (.jsonl).")
  var session: String

  @Option(help: "Also record the replay as a new session.")
  var record: String?

  @OptionGroup var compute: ComputeOptions

  @Flag(help: "Play the recorded results back in the explorer instead of re-running the commands.")
  var view = false

  @Option(help: "Replay and check commands 1 to K only, then open the explorer on the workspace they made.")
  var until: Int?

  func validate() throws {
    if view, record != nil { throw ValidationError("--view re-runs nothing, so there is nothing to --record; drop one of them") }
    if view, until != nil { throw ValidationError("--view plays every recorded step back; --until re-runs commands up to K: drop one of them") }
    if let until, until < 1 { throw ValidationError("--until \(until): give a command index from 1") }
  }

  func run() throws {
    let file: SessionFile
    do { file = try SessionFile(path: session) } catch { throw Failure("\(error)") }
    if let cut = file.cutAtLine {
      FileHandle.standardError.write(Data("\(session): cut mid-record at line \(cut); replaying the \(file.commands.count) complete commands before it\n".utf8))
    }
    if view { return try watch(file) }
    if let until, !file.commands.contains(where: { $0.index == until }) {
      throw Failure("--until \(until): \(session) holds commands 1 to \(file.commands.count)")
    }
    let workspace = try Replay.workspace(for: file, recordTo: record, threads: compute.threads, maxMemory: try compute.maxMemoryBytes())
    let report = try Replay.run(file, in: workspace, until: until) { i, n, line in
      FileHandle.standardError.write(Data("[\(i)/\(n)] \(line)\n".utf8))
    }
    for line in ReplayVerdict.lines(report, session: session) { print(line) }
    if report.divergence != nil { throw ExitCode(1) }
    guard until != nil else { return }
    do {
      try ExplorerApp.run(source: workspace, view: ExplorerViewState(title: "FERLab (from \(session))"))
    } catch let error as TerminalError {
      throw Failure("\(error)")
    }
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
