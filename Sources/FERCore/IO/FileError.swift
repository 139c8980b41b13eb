import Foundation

// The one shape of a file problem: a sentence naming the file, where in it the
// problem lies (a field, a line and column, a byte) when that is known, what is
// wrong and what to do. Foundation describes the same failures as
// "The operation could not be completed. (NSCocoaErrorDomain error 256.)";
// every reader of a person's files in FERLab turns such errors into this type
// at the place where the file is opened, so no domain, code or Swift type name
// reaches a person. Decoding errors are translated in FileError+Decoding.swift.

/// A file that could not be read, written or understood, as one sentence:
/// "spec.json: field convLSTM.channels[1]: expected a whole number, found a string; <hint>".
public struct FileError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The file as the person named it (or a description such as "the metadata of ckpt.safetensors").
  public let file: String
  /// Where in the file: "field a.b[3]", "line 4, column 9", "byte 120"; nil when unknown or the whole file.
  public let location: String?
  /// What is wrong, in words.
  public let problem: String
  /// What to do about it, when there is something to say.
  public let hint: String?

  public init(file: String, location: String? = nil, problem: String, hint: String? = nil) {
    self.file = file
    self.location = location
    self.problem = problem
    self.hint = hint
  }

  public var description: String {
    [file, location, problem].compactMap { $0 }.joined(separator: ": ") + (hint.map { "; \($0)" } ?? "")
  }

  /// Location and problem without the file and hint, for a message that names the file itself.
  public var detail: String { [location, problem].compactMap { $0 }.joined(separator: ": ") }

  /// The same problem with a hint (kept when one is already given).
  public func hinting(_ text: String?) -> FileError {
    FileError(file: file, location: location, problem: problem, hint: hint ?? text)
  }
}

// MARK: - Reading and writing

extension FileError {
  /// Reading `path` failed with `error` (from Foundation or the system).
  public static func reading(_ path: String, _ error: any Error, hint: String? = nil) -> FileError {
    FileError(file: path, problem: "cannot be read (\(systemReason(error)))", hint: hint)
  }

  /// Writing `path` failed with `error` (from Foundation or the system).
  public static func writing(_ path: String, _ error: any Error, hint: String? = nil) -> FileError {
    FileError(file: path, problem: "cannot be written (\(systemReason(error)))", hint: hint)
  }

  /// The bytes of the file at `url`; a folder, a missing file or a refused read is a FileError.
  public static func contents(of url: URL, hint: String? = nil) throws(FileError) -> Data {
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue {
      throw FileError(file: url.path, problem: "is a folder, not a file", hint: hint)
    }
    do {
      return try Data(contentsOf: url, options: .mappedIfSafe)
    } catch {
      throw reading(url.path, error, hint: hint)
    }
  }
}

extension FileError {
  /// Where `data` first stops being UTF-8 ("line 3, byte 46", counting bytes from 0), or nil
  /// when it is all UTF-8 text.
  public static func firstInvalidUTF8(in data: Data) -> String? {
    var decoder = UTF8()
    var bytes = data.makeIterator()
    var offset = 0
    var line = 1
    while true {
      switch decoder.decode(&bytes) {
      case .scalarValue(let scalar):
        offset += UTF8.width(scalar)
        if scalar == "\n" { line += 1 }
      case .emptyInput: return nil
      case .error: return "line \(line), byte \(offset)"
      }
    }
  }
}

/// Why the system refused a file operation, in a few words ("no such file",
/// "permission denied", "the disk is full"), from a Foundation or POSIX error.
public func systemReason(_ error: any Error) -> String {
  if let code = posixCode(of: error) { return posixReason(code) }
  let nsError = error as NSError
  guard nsError.domain == NSCocoaErrorDomain else { return "the system refused it" }
  switch CocoaError.Code(rawValue: nsError.code) {
  case .fileNoSuchFile, .fileReadNoSuchFile: return "no such file"
  case .fileReadNoPermission, .fileWriteNoPermission: return "permission denied"
  case .fileWriteOutOfSpace: return "the disk is full"
  case .fileWriteVolumeReadOnly: return "the disk is read-only"
  case .fileReadTooLarge: return "it is too large to read"
  case .fileReadInvalidFileName, .fileWriteInvalidFileName: return "the name is not a valid file name"
  case .fileReadInapplicableStringEncoding, .fileReadUnknownStringEncoding: return "it is not UTF-8 text"
  case .fileWriteFileExists: return "a file of that name is in the way"
  default: return "the system refused it"
  }
}

/// The POSIX error number inside a Foundation error, if it carries one.
private func posixCode(of error: any Error) -> Int32? {
  if let posix = error as? POSIXError { return posix.code.rawValue }
  let nsError = error as NSError
  if nsError.domain == NSPOSIXErrorDomain { return Int32(truncatingIfNeeded: nsError.code) }
  // On Linux the underlying error may be a Swift error that does not cast to NSError from Any.
  guard let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? any Error else { return nil }
  if let posix = underlying as? POSIXError { return posix.code.rawValue }
  let underlyingNSError = underlying as NSError
  return underlyingNSError.domain == NSPOSIXErrorDomain ? Int32(truncatingIfNeeded: underlyingNSError.code) : nil
}

/// strerror's words, lowercased, with the common cases said the way a person expects.
public func posixReason(_ code: Int32) -> String {
  switch code {
  case ENOENT: return "no such file"
  case EISDIR: return "it is a folder"
  case EACCES, EPERM: return "permission denied"
  case ENOSPC: return "the disk is full"
  case EROFS: return "the disk is read-only"
  default:
    let text = String(cString: strerror(code))
    return text.prefix(1).lowercased() + text.dropFirst()
  }
}
