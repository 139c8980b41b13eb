import FERCore
import Foundation

// Appends records to a session file, one JSON object a line, writing each
// record with one write(2) as soon as it is complete, so a killed process
// loses at most the command in flight. The file is locked (flock) while it is
// recorded: a second FERLab asked to record onto it is refused before it
// truncates anything, and only a regular file is ever truncated.

/// A session file being recorded.
final class SessionWriter: @unchecked Sendable {
  let path: String
  private let handle: FileHandle
  private let lock = NSLock()

  /// Creates the file (or truncates a regular file nobody else is recording), locks it and writes the header.
  init(path: String, header: SessionHeader) throws(SessionError) {
    let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
    guard fd >= 0 else {
      throw .cannotWrite(path: path, reason: "cannot create the file (\(String(cString: strerror(errno))); check the directory exists and is writable)")
    }
    var info = stat()
    guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
      close(fd)
      throw .cannotWrite(path: path, reason: "it is not a regular file; name a new file or an existing session")
    }
    guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
      close(fd)
      throw .cannotWrite(path: path, reason: "another FERLab is recording to it; name another file")
    }
    guard ftruncate(fd, 0) == 0 else {
      close(fd)
      throw .cannotWrite(path: path, reason: "cannot truncate it (\(String(cString: strerror(errno))))")
    }
    self.path = path
    handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    try append(header)
  }

  deinit { try? handle.close() }

  func append(_ record: some Encodable) throws(SessionError) {
    guard var data = try? SessionCoding.encoder.encode(record) else {
      throw .cannotWrite(path: path, reason: "a record could not be encoded")
    }
    data.append(0x0A)
    do {
      try lock.withLock { try handle.write(contentsOf: data) }
    } catch {
      throw .cannotWrite(path: path, reason: systemReason(error))
    }
  }
}

/// Problems reading, writing or replaying a session.
public enum SessionError: Error, Equatable, CustomStringConvertible {
  case cannotWrite(path: String, reason: String)
  case cannotRead(path: String, reason: String)
  case noHeader(path: String)
  case newerFormat(path: String, format: Int)
  case badRecord(path: String, line: Int, reason: String)

  public var description: String {
    switch self {
    case .cannotWrite(let path, let reason): "cannot write the session \(path): \(reason)"
    case .cannotRead(let path, let reason): "cannot read the session \(path): \(reason)"
    case .noHeader(let path): "\(path) is not a FERLab session: its first line is not a session header"
    case .newerFormat(let path, let format):
      "\(path) is a session of format \(format), newer than this FERLab reads (\(sessionFormatVersion)); update FERLab to replay it"
    case .badRecord(let path, let line, let reason): "\(path):\(line): \(reason)"
    }
  }
}
