import Foundation

// The JSON header of a safetensors file: parsing and validating it on read,
// and writing it byte for byte as the reference (Rust) library does —
// compact, "__metadata__" first, then the tensors in data order, each as
// {"dtype":…,"shape":…,"data_offsets":…}.

/// One tensor's header entry, validated: F32, a shape, and its byte range in the data buffer.
struct SafeTensorsEntry {
  let name: String
  let shape: [Int]
  let begin: Int, end: Int
}

/// The validated header: metadata, and the tensors sorted by where their data lies.
struct SafeTensorsHeader {
  let metadata: [String: String]
  let entries: [SafeTensorsEntry]

  static let metadataKey = "__metadata__"

  /// Parses `json` and checks every entry against a data buffer of `bufferSize` bytes.
  init(json: UnsafeRawBufferPointer, bufferSize: Int) throws(SafeTensorsError) {
    let data = Data(json)
    guard let parsed = try? JSONSerialization.jsonObject(with: data, options: .fragmentsAllowed) else {
      // Where and what, in words; line and column count from the header's first byte (file byte 8).
      let syntax = FileError.jsonSyntaxProblem(data)
      throw .badHeaderJSON(reason: [syntax?.location, syntax?.problem ?? "malformed JSON"].compactMap { $0 }.joined(separator: ": "))
    }
    guard let object = parsed as? [String: Any] else { throw .badHeaderJSON(reason: "the top level is not an object") }
    // JSONSerialization keeps one of two equal keys silently, so find duplicates in the text.
    let keys = topLevelKeys(of: json)
    var seen = Set<String>()
    for key in keys where !seen.insert(key).inserted { throw .duplicateName(key) }

    var metadata: [String: String] = [:]
    // The reference library reads "__metadata__": null as no metadata.
    if let raw = object[Self.metadataKey], !(raw is NSNull) {
      guard let dictionary = raw as? [String: Any] else { throw .invalidMetadata(reason: "it is not an object") }
      for (key, value) in dictionary {
        guard let text = value as? String else { throw .invalidMetadata(reason: "the value of \"\(key)\" is not a string") }
        metadata[key] = text
      }
    }
    var entries: [SafeTensorsEntry] = []
    for name in keys where name != Self.metadataKey {
      entries.append(try Self.entry(name, object[name] as Any, bufferSize: bufferSize))
    }
    entries.sort { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
    // The tensors must tile the buffer: no overlap, no gap, nothing left over.
    var covered = 0
    for (i, e) in entries.enumerated() {
      if e.begin < covered { throw .overlappingOffsets(first: entries[i - 1].name, second: e.name) }
      if e.begin > covered { throw .uncoveredBytes(begin: covered, end: e.begin) }
      covered = e.end
    }
    if covered < bufferSize { throw .uncoveredBytes(begin: covered, end: bufferSize) }
    self.metadata = metadata
    self.entries = entries
  }

  /// Validates one tensor's entry: dtype first (the most useful error), then shape, then offsets.
  private static func entry(_ name: String, _ value: Any, bufferSize: Int) throws(SafeTensorsError) -> SafeTensorsEntry {
    guard let fields = value as? [String: Any] else { throw .entryNotObject(tensor: name) }
    guard let rawDType = fields["dtype"] else { throw .missingField(tensor: name, field: "dtype") }
    guard let dtype = rawDType as? String else {
      throw .invalidField(tensor: name, field: "dtype", expected: "a string such as \"F32\"")
    }
    guard dtype == "F32" else { throw .unsupportedDType(tensor: name, dtype: dtype) }

    guard let rawShape = fields["shape"] else { throw .missingField(tensor: name, field: "shape") }
    guard let shape = nonNegativeIntegers(rawShape) else {
      throw .invalidField(tensor: name, field: "shape", expected: "a list of non-negative integers")
    }
    guard let rawOffsets = fields["data_offsets"] else { throw .missingField(tensor: name, field: "data_offsets") }
    guard let offsets = nonNegativeIntegers(rawOffsets), offsets.count == 2 else {
      throw .invalidField(tensor: name, field: "data_offsets", expected: "two non-negative integers [begin, end]")
    }
    let (begin, end) = (offsets[0], offsets[1])
    guard begin <= end, end <= bufferSize else {
      throw .offsetsOutOfRange(tensor: name, begin: begin, end: end, bufferSize: bufferSize)
    }
    // shape × 4 bytes, without trapping on a product that overflows.
    var bytes = 4
    for dimension in shape {
      let (product, overflow) = bytes.multipliedReportingOverflow(by: dimension)
      guard !overflow else {
        throw .invalidField(tensor: name, field: "shape", expected: "a shape whose byte size fits in memory, got \(shape)")
      }
      bytes = product
    }
    guard end - begin == bytes else {
      throw .sizeMismatch(tensor: name, shape: shape, expectedBytes: bytes, actualBytes: end - begin)
    }
    return SafeTensorsEntry(name: name, shape: shape, begin: begin, end: end)
  }

  /// The value as [Int] when it is a JSON list of non-negative integers.
  private static func nonNegativeIntegers(_ value: Any) -> [Int]? {
    guard let list = value as? [Any] else { return nil }
    var result: [Int] = []
    for item in list {
      // JSONSerialization gives NSNumbers, and on Linux `0 is Bool` holds; a JSON
      // boolean is told apart by its Objective-C type code "c".
      guard let number = item as? NSNumber, String(cString: number.objCType) != "c",
        let n = item as? Int, n >= 0
      else { return nil }
      result.append(n)
    }
    return result
  }

  /// The compact header JSON for tensors laid out in `entries` order (padding is the caller's).
  static func json(metadata: [String: String], entries: [SafeTensorsEntry]) -> [UInt8] {
    var parts: [String] = []
    if !metadata.isEmpty {
      let pairs = metadata.keys.sorted(by: utf8Less).map { "\(jsonString($0)):\(jsonString(metadata[$0] ?? ""))" }
      parts.append("\(jsonString(metadataKey)):{\(pairs.joined(separator: ","))}")
    }
    for e in entries {
      let shape = e.shape.map(String.init).joined(separator: ",")
      parts.append(
        "\(jsonString(e.name)):{\"dtype\":\"F32\",\"shape\":[\(shape)],\"data_offsets\":[\(e.begin),\(e.end)]}")
    }
    return Array("{\(parts.joined(separator: ","))}".utf8)
  }
}

/// Byte-wise order of the UTF-8 encodings, the order the reference library sorts names in.
func utf8Less(_ a: String, _ b: String) -> Bool {
  a.utf8.lexicographicallyPrecedes(b.utf8)
}

/// A JSON string literal escaped as serde_json escapes it: quote, backslash
/// and control characters; everything else verbatim UTF-8.
private func jsonString(_ text: String) -> String {
  var out = "\""
  for scalar in text.unicodeScalars {
    switch scalar {
    case "\"": out += "\\\""
    case "\\": out += "\\\\"
    case "\n": out += "\\n"
    case "\r": out += "\\r"
    case "\t": out += "\\t"
    case "\u{08}": out += "\\b"
    case "\u{0C}": out += "\\f"
    case let c where c.value < 0x20:
      let hex = String(c.value, radix: 16)
      out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    default: out.unicodeScalars.append(scalar)
    }
  }
  return out + "\""
}

/// The keys of the top-level JSON object in the order written, duplicates
/// included. Runs on text the JSON parser has already accepted, so it only
/// tracks nesting and strings; each key is decoded by the parser itself.
private func topLevelKeys(of json: UnsafeRawBufferPointer) -> [String] {
  var keys: [String] = []
  var depth = 0
  var expectingKey = false
  var i = 0
  while i < json.count {
    let byte = json[i]
    switch byte {
    case UInt8(ascii: "{"):
      depth += 1
      expectingKey = depth == 1
    case UInt8(ascii: "["):
      depth += 1
    case UInt8(ascii: "}"), UInt8(ascii: "]"):
      depth -= 1
    case UInt8(ascii: ","):
      expectingKey = depth == 1
    case UInt8(ascii: "\""):
      // Find the closing quote, skipping escaped characters.
      var j = i + 1
      while j < json.count && json[j] != UInt8(ascii: "\"") { j += json[j] == UInt8(ascii: "\\") ? 2 : 1 }
      if expectingKey && depth == 1 {
        let literal = Data(json[i...min(j, json.count - 1)])
        if let key = try? JSONSerialization.jsonObject(with: literal, options: .fragmentsAllowed) as? String {
          keys.append(key)
        }
        expectingKey = false
      }
      i = j
    default:
      break
    }
    i += 1
  }
  return keys
}
