import Foundation

// Reading a session back: the header, the dataset records and the command
// records in order. A last line cut mid-record (the process was killed while
// writing it) is dropped and the file is read up to the cut.

/// A session file, read.
public struct SessionFile: Sendable {
  public let path: String
  public let header: SessionHeader
  public let datasets: [DatasetRecord]
  public let commands: [CommandRecord]
  /// The 1-based line where the file was cut mid-record, when it was.
  public let cutAtLine: Int?

  public init(path: String) throws(SessionError) {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw .cannotRead(path: path, reason: "no such file, or it is not readable")
    }
    try self.init(path: path, data: data)
  }

  public init(path: String, data: Data) throws(SessionError) {
    let lines = data.split(separator: 0x0A, omittingEmptySubsequences: false)
    let endsWithNewline = data.last == 0x0A
    guard let first = lines.first, let kind = try? SessionCoding.decoder.decode(RecordKind.self, from: Data(first)),
      kind.type == "header", let format = kind.format
    else { throw .noHeader(path: path) }
    guard format <= sessionFormatVersion else { throw .newerFormat(path: path, format: format) }
    guard let header = try? SessionCoding.decoder.decode(SessionHeader.self, from: Data(first)) else {
      throw .badRecord(path: path, line: 1, reason: "the header lacks a field of format \(format)")
    }
    var datasets: [DatasetRecord] = []
    var commands: [CommandRecord] = []
    var cut: Int?
    for (i, line) in lines.enumerated().dropFirst() where !line.isEmpty {
      let isLast = i == lines.count - 1
      let bytes = Data(line)
      do {
        let kind = try SessionCoding.decoder.decode(RecordKind.self, from: bytes)
        switch kind.type {
        case "dataset": datasets.append(try SessionCoding.decoder.decode(DatasetRecord.self, from: bytes))
        case "command": commands.append(try SessionCoding.decoder.decode(CommandRecord.self, from: bytes))
        default: throw SessionError.badRecord(path: path, line: i + 1, reason: "unknown record type \"\(kind.type)\"")
        }
      } catch {
        // Only the unterminated last line may be incomplete; anything else is damage.
        if isLast && !endsWithNewline { cut = i + 1; break }
        if let e = error as? SessionError { throw e }
        throw .badRecord(path: path, line: i + 1, reason: "not a valid record (\(error))")
      }
    }
    self.path = path
    self.header = header
    self.datasets = datasets
    self.commands = commands
    self.cutAtLine = cut
  }

  /// The explorer's playback: each command line with what it recorded, in order.
  public var playback: [(line: String, results: JSONValue, error: String?)] {
    commands.map { ($0.line, $0.results, $0.error) }
  }
}

/// The fields every record shares.
private struct RecordKind: Decodable {
  let type: String
  let format: Int?
}
