import Foundation

// Events as a JSON tree: what replay compares, field by field. Numbers are
// Doubles (Float values widen exactly); checksums are hex strings because UInt64
// does not fit a JSON number; non-finite numbers are the strings "nan", "inf", "-inf".

/// A JSON value.
public enum JSONValue: Sendable, Equatable, Codable {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object([String: JSONValue])

  public init(from decoder: any Decoder) throws {
    let c = try decoder.singleValueContainer()
    if c.decodeNil() { self = .null }
    else if let b = try? c.decode(Bool.self) { self = .bool(b) }
    else if let x = try? c.decode(Double.self) { self = .number(x) }
    else if let s = try? c.decode(String.self) { self = .string(s) }
    else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
    else { self = .object(try c.decode([String: JSONValue].self)) }
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    switch self {
    case .null: try c.encodeNil()
    case .bool(let b): try c.encode(b)
    case .number(let x): try c.encode(x)
    case .string(let s): try c.encode(s)
    case .array(let a): try c.encode(a)
    case .object(let o): try c.encode(o)
    }
  }

  /// Any Codable value as a tree (through the session's JSON encoder).
  public static func encoding(_ value: some Encodable) -> JSONValue {
    guard let data = try? SessionCoding.encoder.encode(value),
      let tree = try? SessionCoding.decoder.decode(JSONValue.self, from: data)
    else { return .null }
    return tree
  }

  public subscript(key: String) -> JSONValue? {
    if case .object(let o) = self { return o[key] }
    return nil
  }

  public var stringValue: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  public var numberValue: Double? {
    if case .number(let x) = self { return x }
    return nil
  }
}

/// The one JSON encoder and decoder of sessions: sorted keys, one line, non-finite floats as names.
extension JSONValue {
  /// Pretty-printed JSON text with sorted keys (what `--json` prints).
  public var prettyJSON: String {
    let e = SessionCoding.encoder
    e.outputFormatting.insert(.prettyPrinted)
    return (try? e.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
  }
}

enum SessionCoding {
  static var encoder: JSONEncoder {
    let e = JSONEncoder()
    e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return e
  }
  static var decoder: JSONDecoder { JSONDecoder() }
}
