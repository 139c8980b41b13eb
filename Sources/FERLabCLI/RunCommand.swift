import ArgumentParser
import FERWorkspace
import Foundation

/// `ferlab run SCRIPT`: a `.ferlab` script, headless, recorded to a session.
struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Run a .ferlab script headless and record the session.",
    discussion: """
      A script holds workspace commands, one a line, with # comments (see `help` in the workspace, \
      Examples/ and Sources/FERWorkspace/Session/SESSION_FORMAT.md). Command output goes to stdout, \
      progress to stderr (a bar on a terminal, plain lines otherwise). The script stops at the first failing command.
      """)

  @Argument(help: "The script (.ferlab).")
  var script: String

  @Option(help: "Session file to record (JSON Lines); default: the script's name with .jsonl.")
  var session: String?

  @Option(help: "Seed of initialisation, shuffling and folds.")
  var seed: UInt64 = 1

  @Option(help: "Threads the kernels split work over (default: the active cores).")
  var threads: Int?

  func run() throws {
    let parsed: Script
    do { parsed = try Script(path: script) } catch { throw Failure("\(error)") }
    let out = session ?? (URL(fileURLWithPath: script).deletingPathExtension().lastPathComponent + ".jsonl")
    let workspace = try Workspace(options: WorkspaceOptions(
      seed: seed, sessionPath: out, threads: threads))
    let console = Console()
    for (number, line) in parsed.commands {
      console.status("\(script):\(number): \(line)")
      workspace.submit(line)
      console.follow(workspace)
      if workspace.lastCommandFailed {
        console.finish()
        throw Failure("\(script):\(number): `\(line)` failed; the session up to it is in \(out)")
      }
    }
    console.finish()
    console.status("session recorded to \(out)")
  }
}

/// Prints cells to stdout as they grow and progress to stderr until the workspace is idle.
final class Console {
  private var printed: [Int: Int] = [:]
  private let isTerminal = isatty(2) != 0
  private var lastPlain = ""
  private var barShown = false

  func status(_ text: String) {
    clearBar()
    FileHandle.standardError.write(Data((text + "\n").utf8))
  }

  func follow(_ workspace: Workspace) {
    while true {
      let idle = workspace.isIdle
      let snapshot = workspace.snapshot()
      flushCells(snapshot)
      if idle { break }
      if let p = snapshot.progress { show(p) }
      Thread.sleep(forTimeInterval: 0.2)
    }
    clearBar()
  }

  func finish() { clearBar() }

  private func flushCells(_ snapshot: WorkspaceSnapshot) {
    for (i, cell) in snapshot.cells.enumerated() {
      let done = printed[i] ?? 0
      guard cell.output.count > done else { continue }
      clearBar()
      let text = cell.output[done...].map { cell.isError ? "error: \($0)\n" : "\($0)\n" }.joined()
      FileHandle.standardOutput.write(Data(text.utf8))
      printed[i] = cell.output.count
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
