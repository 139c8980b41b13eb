import FERData
import Foundation

// `run SCRIPT`: a script read and checked whole, its commands queued.

/// A `.ferlab` script: the command language, one command a line, `#` comments.
public struct Script: Sendable {
  public let path: String
  /// (line number, text) of every line holding a command.
  public let commands: [(number: Int, line: String)]

  /// Reads and parses the whole script, so a typo on line 40 fails before line 1 runs.
  public init(path: String) throws {
    let text: String
    var isFolder: ObjCBool = false
    if !FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
      throw WorkspaceError.cannotReadScript(path, reason: "there is no such file")
    }
    if isFolder.boolValue { throw WorkspaceError.cannotReadScript(path, reason: "it is a folder, not a script") }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw WorkspaceError.cannotReadScript(path, reason: "it is not readable (check its permissions)")
    }
    guard let decoded = String(data: data, encoding: .utf8) else {
      throw WorkspaceError.cannotReadScript(path, reason: "it is not UTF-8 text")
    }
    text = decoded
    try self.init(path: path, text: text)
  }

  public init(path: String, text: String) throws {
    var commands: [(Int, String)] = []
    var errors: [String] = []
    // Any line end: "\r\n" (a script saved on Windows) is one Character, which a split at "\n" would not see.
    for (i, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
      let line = raw.trimmingCharacters(in: .whitespaces)
      do {
        guard let command = try CommandParser.parse(line) else { continue }
        switch command {
        case .run: errors.append("\(path):\(i + 1): scripts cannot run other scripts")
        case .pause, .resume, .stop:
          errors.append("\(path):\(i + 1): `\(line)` acts on a command a person is watching; a script's lines run one after another")
        default: break
        }
        commands.append((i + 1, line))
      } catch {
        errors.append("\(path):\(i + 1): \(error.message)")
      }
    }
    guard errors.isEmpty else { throw WorkspaceError.scriptErrors(errors) }
    self.path = path
    self.commands = commands
  }
}

extension Workspace {
  /// Queues the script's commands ahead of anything already queued.
  func runScript(_ path: String, _ ctx: JobContext) throws {
    let script = try Script(path: path)
    condition.lock()
    var jobs: [Job] = []
    for (_, line) in script.commands {
      guard let command = try? CommandParser.parse(line) else { continue }
      let job = Job(line: line, command: command, cell: state.cells.count)
      state.begin(cell: job.cell, line: line)
      jobs.append(job)
    }
    queue.insert(contentsOf: jobs, at: 0)
    state.queued = queue.map(\.line)
    condition.unlock()
    ctx.emit(.scriptQueued(ScriptQueued(path: path, commands: jobs.map(\.line))))
  }
}
