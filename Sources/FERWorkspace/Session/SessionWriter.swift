import Foundation

// Appends records to a session file, one JSON object a line, writing each
// record with one write(2) as soon as it is complete, so a killed process
// loses at most the command in flight.

/// A session file being recorded.
final class SessionWriter: @unchecked Sendable {
  let path: String
  private let handle: FileHandle
  private let lock = NSLock()

  /// Creates (or truncates) the file and writes the header.
  init(path: String, header: SessionHeader) throws(SessionError) {
    let url = URL(fileURLWithPath: path)
    guard FileManager.default.createFile(atPath: path, contents: nil),
      let handle = try? FileHandle(forWritingTo: url)
    else { throw .cannotWrite(path: path, reason: "cannot create the file (check the directory exists and is writable)") }
    self.path = path
    self.handle = handle
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
      throw .cannotWrite(path: path, reason: error.localizedDescription)
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
