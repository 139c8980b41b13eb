import Foundation

// Reading and writing safetensors files (F32 tensors only), the format of
// FERLab's checkpoints and of the weights exchanged with PyTorch peers:
//
//   [8 bytes]  N, the header length, little-endian u64
//   [N bytes]  JSON: {"__metadata__": {str: str}, name: {"dtype", "shape", "data_offsets"}, …},
//              padded with spaces
//   [rest]     the data buffer; data_offsets [begin, end) are relative to its start
//
// Files are written as the reference Python library writes them: tensors
// sorted by name, laid out in that order, the header padded so the data
// buffer starts 8-byte aligned.

/// A set of named F32 tensors with string metadata, as stored in a safetensors file.
public struct SafeTensorsFile {
  /// Tensor names in order: data layout order when read, otherwise as added.
  public private(set) var names: [String] = []
  public private(set) var tensors: [String: Tensor] = [:]
  public var metadata: [String: String]

  /// A file holding `tensors` (named in sorted order) and `metadata`.
  public init(tensors: [String: Tensor] = [:], metadata: [String: String] = [:]) {
    self.metadata = metadata
    for name in tensors.keys.sorted(by: utf8Less) { self[name] = tensors[name] }
  }

  /// The tensor called `name`; setting nil removes it, setting a new name appends it.
  public subscript(name: String) -> Tensor? {
    get { tensors[name] }
    set {
      precondition(
        name != SafeTensorsHeader.metadataKey, "SafeTensorsFile: \"\(name)\" is reserved for metadata; rename the tensor")
      if let newValue {
        if tensors.updateValue(newValue, forKey: name) == nil { names.append(name) }
      } else if tensors.removeValue(forKey: name) != nil {
        names.removeAll { $0 == name }
      }
    }
  }

  /// Parses a whole file held in memory.
  public init(bytes: [UInt8]) throws(SafeTensorsError) {
    self = try bytes.withUnsafeBytes(SafeTensorsFile.parse).get()
  }

  /// Reads the file at `url`; errors name the file.
  public static func read(from url: URL) throws(SafeTensorsError) -> SafeTensorsFile {
    let data: Data
    do {
      data = try FileError.contents(of: url)
    } catch {
      throw .unreadable(path: url.path, reason: error.problem)
    }
    do {
      return try data.withUnsafeBytes(SafeTensorsFile.parse).get()
    } catch {
      throw .inFile(path: url.path, error)
    }
  }

  /// The parse as a Result: the buffer-pointer closures of Array and Data only rethrow untyped errors.
  private static func parse(_ raw: UnsafeRawBufferPointer) -> Result<SafeTensorsFile, SafeTensorsError> {
    Result { () throws(SafeTensorsError) in try SafeTensorsFile(raw: raw) }
  }

  private init(raw: UnsafeRawBufferPointer) throws(SafeTensorsError) {
    guard raw.count >= 8 else { throw .fileTooShort(byteCount: raw.count) }
    let headerLength = UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self))
    guard headerLength <= UInt64(raw.count - 8) else {
      throw .headerBeyondFile(headerLength: headerLength, fileSize: raw.count)
    }
    let dataStart = 8 + Int(headerLength)
    let header = try SafeTensorsHeader(
      json: UnsafeRawBufferPointer(rebasing: raw[8..<dataStart]), bufferSize: raw.count - dataStart)
    metadata = header.metadata
    for entry in header.entries {
      let count = (entry.end - entry.begin) / 4
      let source = UnsafeRawBufferPointer(rebasing: raw[(dataStart + entry.begin)..<(dataStart + entry.end)])
      var values = [Float](repeating: 0, count: count)
      #if _endian(little)
        values.withUnsafeMutableBytes { $0.copyMemory(from: source) }
      #else
        for i in 0..<count {
          values[i] = Float(bitPattern: UInt32(littleEndian: source.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
        }
      #endif
      self[entry.name] = Tensor(shape: entry.shape, data: values)
    }
  }

  /// The file's bytes: header length, padded header, data buffer.
  public func serialized() -> [UInt8] {
    var entries: [SafeTensorsEntry] = []
    var offset = 0
    for name in names.sorted(by: utf8Less) {
      guard let tensor = tensors[name] else { continue }
      entries.append(SafeTensorsEntry(name: name, shape: tensor.shape, begin: offset, end: offset + 4 * tensor.count))
      offset += 4 * tensor.count
    }
    var header = SafeTensorsHeader.json(metadata: metadata, entries: entries)
    // Pad with spaces so the data buffer starts on an 8-byte boundary.
    header += [UInt8](repeating: UInt8(ascii: " "), count: (8 - header.count % 8) % 8)

    var bytes: [UInt8] = []
    bytes.reserveCapacity(8 + header.count + offset)
    withUnsafeBytes(of: UInt64(header.count).littleEndian) { bytes += $0 }
    bytes += header
    for entry in entries {
      let values = tensors[entry.name]?.data ?? []
      #if _endian(little)
        values.withUnsafeBytes { bytes.append(contentsOf: $0) }
      #else
        values.map { $0.bitPattern.littleEndian }.withUnsafeBytes { bytes.append(contentsOf: $0) }
      #endif
    }
    return bytes
  }

  /// Writes the file to a temporary name beside `url` (Foundation syncs it to
  /// disk), then renames it into place, so a crash mid-write never leaves a
  /// truncated checkpoint. Only a new path or a regular file is replaced.
  public func write(to url: URL) throws(SafeTensorsError) {
    var info = stat()
    if lstat(url.path, &info) == 0, info.st_mode & S_IFMT != S_IFREG {
      throw .unwritable(path: url.path, reason: "it is not a regular file; name a new file or an existing checkpoint")
    }
    Self.removePartialFilesOfDeadWriters(beside: url)
    let temporary = url.deletingLastPathComponent()
      .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).partial")
    do {
      try Data(serialized()).write(to: temporary)
    } catch {
      throw .unwritable(path: url.path, reason: systemReason(error))
    }
    guard rename(temporary.path, url.path) == 0 else {
      let reason = posixReason(errno)
      try? FileManager.default.removeItem(at: temporary)
      throw .unwritable(path: url.path, reason: reason)
    }
  }

  /// A writer killed mid-write leaves `.NAME.PID.partial`; the next write of NAME removes
  /// those whose process is gone (kill(pid, 0) says no such process), never a live one's.
  static func removePartialFilesOfDeadWriters(beside url: URL) {
    let folder = url.deletingLastPathComponent()
    let prefix = ".\(url.lastPathComponent)."
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
    for name in names where name.hasPrefix(prefix) && name.hasSuffix(".partial") {
      guard let pid = Int32(name.dropFirst(prefix.count).dropLast(".partial".count)), pid > 0 else { continue }
      if kill(pid, 0) != 0 && errno == ESRCH {
        try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
      }
    }
  }
}
