import FERCore
import Foundation

// Reading a session back: the header and the command records in order. A last
// line cut mid-record (the process was killed while writing it) is dropped and
// the file is read up to the cut. Sessions of formats 1 and 2 recorded results
// in a shape this FERLab no longer compares: their command lines are read (and
// replay re-runs them, saying it cannot check them).

/// A session file, read.
public struct SessionFile: Sendable {
  public let path: String
  public let header: SessionHeader
  public let commands: [CommandRecord]
  /// Whether the records hold events (format 3 on): what replay compares and `--view` shows.
  public let recordsEvents: Bool
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
    let header: SessionHeader
    do { header = try SessionCoding.decoder.decode(SessionHeader.self, from: Data(first)) } catch {
      throw .badRecord(path: path, line: 1, reason: "the header of format \(format): \(Self.explain(error, SessionHeader.self, Data(first)))")
    }
    var commands: [CommandRecord] = []
    var cut: Int?
    for (i, line) in lines.enumerated().dropFirst() where !line.isEmpty {
      let isLast = i == lines.count - 1
      let bytes = Data(line)
      do {
        let kind = try SessionCoding.decoder.decode(RecordKind.self, from: bytes)
        switch kind.type {
        case "command" where format >= 3: commands.append(try SessionCoding.decoder.decode(CommandRecord.self, from: bytes))
        case "command": commands.append(try SessionCoding.decoder.decode(EarlierCommand.self, from: bytes).record)
        case "dataset" where format < 3: continue
        default: throw SessionError.badRecord(path: path, line: i + 1, reason: "unknown record type \"\(kind.type)\"")
        }
      } catch {
        // Only the unterminated last line may be incomplete; anything else is damage.
        if isLast && !endsWithNewline { cut = i + 1; break }
        if let e = error as? SessionError { throw e }
        throw .badRecord(path: path, line: i + 1, reason: "not a valid record: \(Self.explain(error, CommandRecord.self, bytes))")
      }
    }
    self.path = path
    self.header = header
    self.commands = commands
    self.recordsEvents = format >= 3
    self.cutAtLine = cut
  }

  /// A record's decoding failure in words: the field and what is wrong with it.
  private static func explain<T: Decodable>(_ error: any Error, _ type: T.Type, _ json: Data) -> String {
    if let sessionError = error as? SessionError { return sessionError.description }
    return FileError.decoding(error, as: type, json: json, file: "").detail
  }
}

/// The fields every record shares.
private struct RecordKind: Decodable {
  let type: String
  let format: Int?
}

/// A command record of format 1 or 2: its line and error (its results are not read).
private struct EarlierCommand: Decodable {
  let index: Int
  let line: String
  let error: String?

  var record: CommandRecord {
    CommandRecord(index: index, cell: index, line: line, events: [], error: error, dropped: nil, seconds: 0)
  }
}
