import Foundation

// JSON that did not decode, said in words. Foundation's JSONDecoder describes a
// failure as "DecodingError.typeMismatch(Swift.Int, Context(codingPath: …))",
// and on Linux reports a syntax error, a number out of range or a fraction where
// a whole number belongs alike as "The given data was not valid JSON." with no
// position. Here:
//   - a DecodingError with a path becomes "field a.b[3]: expected a whole number, found a string";
//   - a syntax error is located by JSONSerialization ("around character N") and
//     given as a line and column;
//   - a number that parses but does not fit its field is found by replacing the
//     candidates (fractions, numbers past ±2⁵³) one at a time until the decode
//     gets past it, and named with its field and value.

extension FileError {
  /// Decodes `T` from the JSON `data` of `file`; every failure is a FileError naming the field or line.
  public static func decodeJSON<T: Decodable>(
    _ type: T.Type, from data: Data, file: String, hint: String? = nil
  ) throws(FileError) -> T {
    do {
      return try JSONDecoder().decode(T.self, from: data)
    } catch {
      throw decoding(error, as: T.self, json: data, file: file, hint: hint)
    }
  }

  /// `error`, thrown while decoding `T` from `json`, as a FileError. Errors that are not
  /// DecodingErrors (a check inside an `init(from:)`) keep their own sentence.
  public static func decoding<T: Decodable>(
    _ error: any Error, as type: T.Type, json: Data, file: String, hint: String? = nil
  ) -> FileError {
    guard let decodingError = error as? DecodingError else {
      if let fileError = error as? FileError { return fileError }
      return FileError(file: file, problem: "\(error)", hint: hint)
    }
    if case .dataCorrupted(let context) = decodingError, context.codingPath.isEmpty {
      if let syntax = jsonSyntaxProblem(json) {
        return FileError(file: file, location: syntax.location, problem: syntax.problem, hint: hint)
      }
      if let misfit = numberThatDoesNotFit(T.self, json: json) {
        return FileError(file: file, location: "field \(misfit.field)", problem: misfit.problem, hint: hint)
      }
    }
    let (field, problem) = decodingError.readable
    return FileError(file: file, location: field.map { "field \($0)" }, problem: problem, hint: hint)
  }

  /// Where JSON text is malformed, as (location, problem); nil when it parses.
  public static func jsonSyntaxProblem(_ json: Data) -> (location: String?, problem: String)? {
    do {
      _ = try JSONSerialization.jsonObject(with: json, options: .fragmentsAllowed)
      return nil
    } catch {
      let said = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? ""
      var location: String? = nil
      if let offset = characterOffset(in: said) { location = lineAndColumn(json, offset: offset) }
      if said.contains("end of file") { return ("end of file", "the JSON ends early (the file is cut short?)") }
      if said.contains("nested") { return (location, "arrays or objects are nested deeper than JSON readers allow (512)") }
      if said.hasPrefix("Number "), let literal = said.dropFirst("Number ".count).split(separator: " ").first {
        let place = json.firstRange(of: Data(literal.utf8)).map { lineAndColumn(json, offset: $0.lowerBound - json.startIndex) }
        return (place, "the number \(literal) is out of range")
      }
      if json.isEmpty { return (nil, "the file is empty, not JSON") }
      return (location, "malformed JSON (a missing quote, comma, colon or bracket, or a word JSON does not know)")
    }
  }

  /// The N of "… around character N." in JSONSerialization's description.
  private static func characterOffset(in text: String) -> Int? {
    guard let range = text.range(of: "character ") else { return nil }
    return Int(text[range.upperBound...].prefix { $0.isNumber })
  }

  /// "line L, column C" (1-based) of a byte offset.
  private static func lineAndColumn(_ bytes: Data, offset: Int) -> String {
    let prefix = bytes.prefix(max(0, min(offset, bytes.count)))
    let line = prefix.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
    let column = prefix.count - (prefix.lastIndex(of: 0x0A).map { $0 - prefix.startIndex + 1 } ?? 0) + 1
    return "line \(line), column \(column)"
  }
}

// MARK: - Numbers that parse but do not fit

extension FileError {
  /// A number JSONDecoder refused without a path. The candidates are replaced by 0 one
  /// after another (the values do not matter, only whether the decode gets past them);
  /// the one whose replacement first lets the decode past the numbers is a misfit.
  private static func numberThatDoesNotFit<T: Decodable>(_ type: T.Type, json: Data) -> (field: String, problem: String)? {
    guard var tree = try? JSONSerialization.jsonObject(with: json, options: .fragmentsAllowed) else { return nil }
    var candidates: [([JSONStep], NSNumber)] = []
    collectNumbers(tree, at: [], into: &candidates)
    for (path, number) in candidates.prefix(256) {
      tree = replacing(tree, at: path[...], with: NSNumber(value: 0))
      guard let data = try? JSONSerialization.data(withJSONObject: tree, options: .fragmentsAllowed) else { continue }
      do {
        _ = try JSONDecoder().decode(T.self, from: data)
      } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
        continue
      } catch {}
      let field = describe(path.map(\.codingKey))
      let value = number.stringValue
      let whole = number.doubleValue.rounded() == number.doubleValue
      return (field.isEmpty ? "(top level)" : field, whole ? "\(value) is too large for this field" : "expected a whole number, found \(value)")
    }
    return nil
  }

  /// One step into a JSON tree: an object's key or a list's index.
  private enum JSONStep {
    case key(String), index(Int)
    var codingKey: any CodingKey {
      switch self {
      case .key(let name): PathKey(stringValue: name)
      case .index(let i): PathKey(intValue: i)
      }
    }
  }

  /// Numbers a Swift integer field would refuse: fractions and magnitudes past 2⁵³.
  private static func collectNumbers(_ value: Any, at path: [JSONStep], into found: inout [([JSONStep], NSNumber)]) {
    if let object = value as? [String: Any] {
      for key in object.keys.sorted() { collectNumbers(object[key] as Any, at: path + [.key(key)], into: &found) }
    } else if let list = value as? [Any] {
      for (i, item) in list.enumerated() { collectNumbers(item, at: path + [.index(i)], into: &found) }
    } else if let number = value as? NSNumber, String(cString: number.objCType) != "c" {
      let x = number.doubleValue
      if x.rounded() != x || abs(x) > 9_007_199_254_740_992 { found.append((path, number)) }
    }
  }

  private static func replacing(_ value: Any, at path: ArraySlice<JSONStep>, with replacement: Any) -> Any {
    guard let step = path.first else { return replacement }
    switch step {
    case .key(let key):
      guard var object = value as? [String: Any], let child = object[key] else { return value }
      object[key] = replacing(child, at: path.dropFirst(), with: replacement)
      return object
    case .index(let i):
      guard var list = value as? [Any], list.indices.contains(i) else { return value }
      list[i] = replacing(list[i], at: path.dropFirst(), with: replacement)
      return list
    }
  }
}

/// A coding key made from a path step.
private struct PathKey: CodingKey {
  var stringValue: String
  var intValue: Int?
  init(stringValue: String) { self.stringValue = stringValue }
  init(intValue: Int) {
    self.stringValue = "\(intValue)"
    self.intValue = intValue
  }
}

/// "a.b[3]" for the coding path a → b → 3.
private func describe(_ path: [any CodingKey]) -> String {
  var text = ""
  for key in path {
    if let index = key.intValue {
      text += "[\(index)]"
    } else {
      text += (text.isEmpty ? "" : ".") + key.stringValue
    }
  }
  return text
}

// MARK: - DecodingError in words

extension DecodingError {
  /// The field (nil at the top level) and the problem in words, without Swift type names:
  /// (`"head.hidden[0]"`, `"expected a whole number, found a string"`).
  public var readable: (field: String?, problem: String) {
    func field(_ context: Context, adding key: (any CodingKey)? = nil) -> String? {
      let text = describe(context.codingPath + (key.map { [$0] } ?? []))
      return text.isEmpty ? nil : text
    }
    switch self {
    case .typeMismatch(let type, let context):
      let found = Self.found(in: context.debugDescription).map { ", found \($0)" } ?? ""
      return (field(context), "expected \(Self.words(for: type))\(found)")
    case .valueNotFound(let type, let context):
      let atEnd = context.debugDescription.contains("at end")
      return (field(context), atEnd ? "the list is too short" : "expected \(Self.words(for: type)), found null")
    case .keyNotFound(let key, let context):
      return (field(context), "the required field \"\(key.stringValue)\" is missing")
    case .dataCorrupted(let context):
      return (field(context), Self.plain(context.debugDescription))
    @unknown default:
      return (nil, "the content does not have the expected form")
    }
  }

  /// What a Swift type is called in a file: a whole number, a number, a string, a list, an object.
  private static func words(for type: Any.Type) -> String {
    var name = String(describing: type)
    while name.hasPrefix("Optional<") { name = String(name.dropFirst("Optional<".count).dropLast()) }
    switch name {
    case "Int", "Int8", "Int16", "Int32", "Int64", "UInt", "UInt8", "UInt16", "UInt32", "UInt64": return "a whole number"
    case "Float", "Double", "Float16", "CGFloat", "Decimal": return "a number"
    case "String", "Character", "Substring": return "a string"
    case "Bool": return "true or false"
    default:
      if name.hasPrefix("Array<") || name.hasPrefix("[") && !name.contains(":") { return "a list" }
      return "an object"
    }
  }

  /// "a string" from "Expected to decode Int but found a string instead."
  private static func found(in text: String) -> String? {
    guard let start = text.range(of: "found "), let end = text.range(of: " instead", range: start.upperBound..<text.endIndex)
    else { return nil }
    let what = String(text[start.upperBound..<end.lowerBound])
    switch what {
    case "a dictionary", "dictionary": return "an object"
    case "an array", "array": return "a list"
    case "a number", "number": return "a number"
    case "a string", "string": return "a string"
    case "a bool", "bool", "a boolean": return "true or false"
    case "null", "a null value", "null value": return "null"
    default: return what.contains("Swift.") ? nil : what
    }
  }

  /// A corruption message without Swift's wording ("Cannot initialize StreamKind from invalid String value x").
  private static func plain(_ text: String) -> String {
    if text.hasPrefix("Cannot initialize"), let range = text.range(of: " value ") {
      return "\"\(text[range.upperBound...])\" is not an accepted value here"
    }
    if text.contains("not valid JSON") { return "malformed JSON" }
    return text
  }
}

// MARK: - Words from a fixed set

extension RawRepresentable where Self: CaseIterable, RawValue == String {
  /// Decodes one of the cases' raw values; any other word is refused with the accepted ones listed.
  /// Enums call it from their `init(from:)` in place of the synthesised decoding.
  public init(decodingOneOf decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let word = try container.decode(String.self)
    guard let value = Self(rawValue: word) else {
      let accepted = Self.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
      throw DecodingError.dataCorruptedError(in: container, debugDescription: "\"\(word)\" is not one of \(accepted)")
    }
    self = value
  }
}
