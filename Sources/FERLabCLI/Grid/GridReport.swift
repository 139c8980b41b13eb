import FERWorkspace
import Foundation

/// Merging a results folder and printing it: the notebook (or `--json`) of a finished
/// grid, exactly as the sequential run prints it; otherwise the cells still to run.
enum GridReport {
  /// Collects `folder`: on success writes its session.jsonl (and `session`) and prints;
  /// otherwise lists the unfinished cells and fails.
  static func collect(_ folder: GridFolder, json: Bool, session: String?, partial: Bool = false) throws {
    let live = Slurm.liveTasks(of: folder)
    let state: GridFolderState
    do { state = try GridFolderState.read(folder, liveSlurmTasks: live) } catch { throw Failure("\(error)") }
    guard state.isComplete else {
      print(unfinished(state).joined(separator: "\n"))
      if partial, let summary = state.partialSummary {
        print("partial summary over the \(state.cells(.done).count) cells done:")
        print(summary.rowTable(showPublished: false).lines.joined(separator: "\n"))
      }
      throw Failure(
        "\(GridFolderError.incomplete(folder.path, left: state.cells.count - state.cells(.done).count, of: state.cells.count))")
    }
    let collection: GridCollection
    do {
      collection = try GridCollection(folder)
      try collection.writeSession(to: folder.sessionURL.path)
      if let session { try collection.writeSession(to: session) }
    } catch { throw Failure("\(error)") }
    if json {
      let record = collection.gridRecord
      print(JSONValue.encoding(CommandOutput(line: record.line, events: record.events)).prettyJSON)
    } else {
      let text = collection.notebook.map { $0 + "\n" }.joined()
      FileHandle.standardOutput.write(Data(text.utf8))
    }
    FileHandle.standardError.write(Data("session recorded to \(session ?? folder.sessionURL.path)\n".utf8))
  }

  /// What is left of an unfinished grid, with where to look and how to finish it.
  static func unfinished(_ state: GridFolderState) -> [String] {
    let m = state.manifest
    let counts = [CellState.running, .queued, .failed, .missing].compactMap { s -> String? in
      let n = state.cells(s).count
      return n == 0 ? nil : "\(n) \(s.rawValue)"
    }
    var lines = [
      "\(m.command): \(state.cells(.done).count) of \(state.cells.count) cells done; " + counts.joined(separator: ", ")
    ]
    lines += state.unfinishedLines
    if let prepare = (try? state.folder.submissions())?.last?.prepareJob {
      lines.append("  (the data is prepared by slurm job \(prepare), log \(state.folder.absolute("logs/prepare-\(prepare).log")))")
    }
    if !state.unfinished.isEmpty {
      lines.append("`\(resumeCommand(m, folder: state.folder.path))` runs the failed and missing cells again")
    }
    return lines
  }

  /// The command that started the grid, with `--resume DIR` for `--results`.
  static func resumeCommand(_ m: GridManifest, folder: String) -> String {
    var words: [String] = []
    var rest = m.arguments[...]
    while let word = rest.popFirst() {
      if ["--results", "--resume"].contains(word) { _ = rest.popFirst(); continue }
      if word.hasPrefix("--results=") || word.hasPrefix("--resume=") || word == "--dry-run" { continue }
      words.append(word)
    }
    return (["ferlab"] + words + ["--resume", folder]).map(shellQuoted).joined(separator: " ")
  }
}

/// `word` as one shell word.
func shellQuoted(_ word: String) -> String {
  let plain = word.allSatisfy { $0.isLetter || $0.isNumber || "-_./:=,+%@".contains($0) }
  return plain && !word.isEmpty ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
