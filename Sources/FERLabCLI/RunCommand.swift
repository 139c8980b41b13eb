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

  @OptionGroup var compute: ComputeOptions

  func run() throws {
    let parsed: Script
    do { parsed = try Script(path: script) } catch { throw Failure("\(error)") }
    let out = session ?? (URL(fileURLWithPath: script).deletingPathExtension().lastPathComponent + ".jsonl")
    let workspace = try Workspace(options: compute.workspaceOptions(seed: seed, session: out))
    let headless = Headless(workspace: workspace)
    for (number, line) in parsed.commands {
      headless.console.status("\(script):\(number): \(line)")
      guard headless.run(line) != nil else {
        throw Failure("\(script):\(number): `\(line)`: \(headless.lastError) (the session up to it is in \(out))")
      }
    }
    headless.console.status("session recorded to \(out)")
  }
}

