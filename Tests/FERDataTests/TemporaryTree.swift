import Foundation

/// A folder under the system's temporary directory for loader tests, removed by `remove()`.
struct TemporaryTree {
  let root: URL

  init(_ name: String) throws {
    root = FileManager.default.temporaryDirectory
      .appendingPathComponent("ferdata-\(name)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
  }

  /// Creates an empty file (and its folders) at a path relative to the root; discovery never reads contents.
  func touch(_ relative: String, contents: String = "") throws {
    let url = root.appendingPathComponent(relative)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(contents.utf8).write(to: url)
  }

  func touch(_ paths: [String]) throws { for path in paths { try touch(path) } }

  func remove() { try? FileManager.default.removeItem(at: root) }
}
