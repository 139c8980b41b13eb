import Foundation
import Testing

// Golden-file snapshots of rendered grids.
//
// Each snapshot is Tests/FERTerminalTests/Snapshots/<name>.txt, read from the
// test bundle's copy. To re-record after an intended change to the drawing:
//
//   FERLAB_RECORD_SNAPSHOTS=1 swift test -c release -Xswiftc -enable-testing --filter FERTerminalTests
//
// writes every snapshot the tests produce into the source tree (via #filePath)
// and fails each one so a recording run never passes by accident. Look at the
// new files (git diff), then build and test again without the variable.

/// Expects `actual` to equal the golden snapshot `name`; on a mismatch, reports the
/// first differing lines and writes the actual text to a temporary file for a closer look.
func expectSnapshot(_ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
  let text = actual + "\n"
  if ProcessInfo.processInfo.environment["FERLAB_RECORD_SNAPSHOTS"] == "1" {
    let url = sourceSnapshotDirectory.appendingPathComponent(name + ".txt")
    do {
      try FileManager.default.createDirectory(at: sourceSnapshotDirectory, withIntermediateDirectories: true)
      try text.write(to: url, atomically: true, encoding: .utf8)
      Issue.record("recorded \(url.path); review it, then run again without FERLAB_RECORD_SNAPSHOTS", sourceLocation: sourceLocation)
    } catch {
      Issue.record("could not record \(url.path): \(error)", sourceLocation: sourceLocation)
    }
    return
  }
  guard
    let url = Bundle.module.url(forResource: name, withExtension: "txt", subdirectory: "Snapshots"),
    let expected = try? String(contentsOf: url, encoding: .utf8)
  else {
    Issue.record(
      "no snapshot Snapshots/\(name).txt; record it with FERLAB_RECORD_SNAPSHOTS=1 (see Snapshot.swift)",
      sourceLocation: sourceLocation)
    return
  }
  guard expected != text else { return }
  let actualURL = FileManager.default.temporaryDirectory.appendingPathComponent("ferlab-snapshots/\(name).txt")
  try? FileManager.default.createDirectory(at: actualURL.deletingLastPathComponent(), withIntermediateDirectories: true)
  try? text.write(to: actualURL, atomically: true, encoding: .utf8)
  Issue.record(
    "snapshot \(name) differs (actual written to \(actualURL.path)):\n\(lineDifferences(expected, text))",
    sourceLocation: sourceLocation)
}

private let sourceSnapshotDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")

/// Up to five differing lines, numbered from 1, expected above actual.
private func lineDifferences(_ expected: String, _ actual: String) -> String {
  let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
  let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
  var report: [String] = []
  for i in 0..<max(e.count, a.count) where report.count < 15 {
    let el = i < e.count ? String(e[i]) : "(none)", al = i < a.count ? String(a[i]) : "(none)"
    if el != al { report += ["line \(i + 1):", "  expected: \(el)", "  actual:   \(al)"] }
  }
  return report.joined(separator: "\n")
}
