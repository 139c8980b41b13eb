import FERData
import Foundation

// `run SCRIPT` and tab completion.

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
        if case .run = command { errors.append("\(path):\(i + 1): scripts cannot run other scripts") }
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
      jobs.append(Job(line: line, command: command, cell: state.cells.count))
      state.cells.append(Cell(command: line, output: [], isError: false, isFinished: false))
    }
    queue.insert(contentsOf: jobs, at: 0)
    state.queued = queue.map(\.line)
    condition.unlock()
    ctx.print("\(path): \(jobs.count) commands queued")
  }

  /// Candidate completions of a partial command line (whole lines, ready to replace the input).
  public func completions(for partial: String) -> [String] {
    let endsWithSpace = partial.last == " " || partial.isEmpty
    var words = CommandParser.words(partial)
    let fragment = endsWithSpace ? "" : (words.popLast() ?? "")
    let prefix = words.isEmpty ? "" : words.joined(separator: " ") + " "
    let candidates: [String]
    switch words.count {
    case 0: candidates = CommandTable.names
    case 1:
      switch words[0] {
      case "load": candidates = ["synthetic", "enterface", "folder", "manifest"]
      case "set": candidates = SettingTable.names
      case "ablate": candidates = AblationChoice.allCases.map(\.rawValue)
      case "help": candidates = CommandTable.names
      case "compare": candidates = snapshot().runs.map { "\($0.id)" }
      default: candidates = []
      }
    case 2:
      switch words[0] {
      case "set": candidates = SettingTable.entries.first { $0.name == words[1] }?.choices ?? []
      case "load" where words[1] == "synthetic": candidates = SyntheticSpec.presetNames + CommandParser.syntheticKeys.map { $0 + "=" }
      case "compare": candidates = snapshot().runs.map { "\($0.id)" }
      default: candidates = []
      }
    default:
      candidates = words[0] == "load" && words[1] == "synthetic" ? CommandParser.syntheticKeys.map { $0 + "=" } : []
    }
    return candidates.filter { $0.hasPrefix(fragment) }.map { prefix + $0 }
  }
}

extension SyntheticSpec {
  static var presetNames: [String] { presets.keys.sorted() }
}
