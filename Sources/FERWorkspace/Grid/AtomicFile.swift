import Foundation

// A file that is either absent, the old version or the new one, never a part:
// the bytes go to a temporary file beside it, are flushed to disk, and the
// temporary file is renamed over the name (rename(2) is atomic within a file
// system), then the folder is flushed. A writer killed at any point leaves at
// most a temporary ".NAME.partial-HOST-PID", which readers never open.

enum AtomicFile {
  /// The temporary name this process writes `url` under.
  static func partialName(of url: URL) -> URL {
    url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial-\(hostName)-\(getpid())")
  }

  /// Writes `data` to `url` atomically, creating its folder. `beforeRename` runs between
  /// the flushed temporary file and the rename (tests interrupt a write there).
  static func write(_ data: Data, to url: URL, beforeRename: () throws -> Void = {}) throws {
    let folder = url.deletingLastPathComponent()
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let partial = partialName(of: url)
    func failure() -> GridFolderError { .cannotWrite(url.path, reason: String(cString: strerror(errno))) }
    let fd = open(partial.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw failure() }
    do {
      defer { close(fd) }
      try data.withUnsafeBytes { raw in
        guard let base = raw.baseAddress else { return }
        var done = 0
        while done < raw.count {
          let n = Foundation.write(fd, base + done, raw.count - done)
          if n < 0 && errno == EINTR { continue }
          guard n > 0 else { throw failure() }
          done += n
        }
      }
      guard fsync(fd) == 0 else { throw failure() }
    } catch {
      unlink(partial.path)
      throw error
    }
    do {
      try beforeRename()
      guard rename(partial.path, url.path) == 0 else { throw failure() }
    } catch {
      unlink(partial.path)
      throw error
    }
    let dir = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if dir >= 0 {
      fsync(dir)
      close(dir)
    }
  }

  /// Removes temporary files of `url` that writers on this host left when they were killed.
  static func removeAbandonedPartials(of url: URL) {
    let folder = url.deletingLastPathComponent()
    let prefix = ".\(url.lastPathComponent).partial-\(hostName)-"
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
    for name in names where name.hasPrefix(prefix) {
      guard let pid = Int32(name.dropFirst(prefix.count)), !processIsAlive(pid) else { continue }
      unlink(folder.appendingPathComponent(name).path)
    }
  }
}

/// This machine's host name (what Slurm calls the node).
let hostName: String = {
  var buffer = [CChar](repeating: 0, count: 256)
  guard gethostname(&buffer, buffer.count) == 0 else { return "localhost" }
  return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}()

/// Whether a process with this id runs on this machine.
func processIsAlive(_ pid: Int32) -> Bool {
  pid > 0 && (kill(pid, 0) == 0 || errno == EPERM)
}
