import FERVideo
import Foundation
import FERSystem

// Running a Python peer script in the same benchmark run: its last stdout
// line is one JSON object of figures.

/// The package root (peer scripts and fixtures are found relative to it).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent()

/// Runs `python args…` and parses the last stdout line as a JSON object; nil (with a note) on failure.
func runPeer(_ python: String, _ arguments: [String]) -> [String: Any]? {
  let child: Subprocess
  do {
    // The peer's stderr (its progress) goes to ours.
    child = try Subprocess(executable: URL(fileURLWithPath: python), arguments: arguments, errors: .inherit)
  } catch {
    print("(peer \(python) did not start: \(error))")
    return nil
  }
  let data = child.readAll()
  let (status, _) = child.finish()
  guard status == 0,
    let line = String(decoding: data, as: UTF8.self).split(separator: "\n").last,
    let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
  else {
    print("(peer \(arguments.first ?? "") failed with status \(status))")
    return nil
  }
  return object
}
