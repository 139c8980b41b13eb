import FERCore
import Foundation

#if canImport(FoundationXML)
  import FoundationXML
#endif

// Reading OpenCV's FileStorage XML: elements named `_` are sequence items,
// numbers are whitespace-separated text. The file is parsed into a small
// element tree with XMLParser, then the cascade is read off that tree with the
// same conversions OpenCV applies (reals parsed as double, stored as float;
// stage thresholds lowered by 1e-5).
//
// The tree is built only as deep as a cascade goes: OpenCV's files nest 7
// elements (opencv_storage > cascade > stages > _ > weakClassifiers > _ >
// internalNodes), and a file nested thousands deep would overflow the stack when
// its tree is released, so parsing stops past `maxElementDepth`. XMLParser on
// Linux reports some damage only through its delegate and accepts a file whose
// elements never close, so both are checked here.

extension HaarCascade {
  /// Elements may nest this deep; OpenCV's cascades use 7.
  public static let maxElementDepth = 64

  /// Parses the XML text of a cascade. `source` names it in error messages.
  public init(xml data: Data, source: String) throws {
    func fail(_ detail: String) -> HaarCascadeError { .malformed(path: source, detail: detail) }
    // Foundation's XMLParser traps on a tag name that is not UTF-8 (found by the fuzz corpus):
    // refuse such bytes before it sees them.
    if let place = FileError.firstInvalidUTF8(in: data) { throw fail("not UTF-8 text at \(place)") }
    let builder = ElementTreeBuilder()
    let parser = XMLParser(data: data)
    parser.delegate = builder
    _ = parser.parse()
    if let depth = builder.tooDeepAtLine {
      throw fail(
        "elements nest deeper than \(Self.maxElementDepth) at line \(depth); OpenCV cascades nest 7 deep, so this is not one")
    }
    // libxml2 reports a file that ends inside an element as "extra content at the end" (code 5).
    let cutShort = builder.root != nil && !builder.isComplete
    if let error = builder.firstError, !(cutShort && error.code == 5) {
      throw fail("malformed XML at line \(error.line), column \(error.column): \(xmlProblem(code: error.code))")
    }
    guard let storage = builder.root else { throw fail(data.isEmpty ? "the file is empty" : "no XML element in the file") }
    guard !cutShort else { throw fail("the XML ends inside <\(builder.innermostOpenName)>: the file is cut short") }
    guard let cascade = storage.children.first else { throw fail("empty opencv_storage") }
    if cascade.child("trees") != nil || cascade.child("stages")?.children.first?.child("trees") != nil {
      throw HaarCascadeError.unsupported(path: source, detail: "the pre-OpenCV-2.0 cascade format")
    }
    guard let stageType = cascade.child("stageType")?.trimmedText, stageType == "BOOST" else {
      throw HaarCascadeError.unsupported(path: source, detail: "stage type is not BOOST")
    }
    guard let featureType = cascade.child("featureType")?.trimmedText, featureType == "HAAR" else {
      let kind = cascade.child("featureType")?.trimmedText ?? "missing"
      throw HaarCascadeError.unsupported(path: source, detail: "feature type \(kind), not HAAR")
    }
    if let categories = cascade.child("featureParams")?.child("maxCatCount")?.trimmedText, categories != "0" {
      throw HaarCascadeError.unsupported(path: source, detail: "categorical features")
    }
    guard let width = cascade.child("width").flatMap({ Int($0.trimmedText) }),
      let height = cascade.child("height").flatMap({ Int($0.trimmedText) })
    else { throw fail("no window width/height") }
    guard let stageNodes = cascade.child("stages")?.children, let featureNodes = cascade.child("features")?.children
    else { throw fail("no stages or features") }

    var stages: [Stage] = []
    var treeNodeCounts: [Int] = []
    var nodes: [Node] = []
    var leaves: [Float] = []
    for (s, stageNode) in stageNodes.enumerated() {
      guard let thresholdText = stageNode.child("stageThreshold")?.trimmedText, let threshold = Double(thresholdText),
        let weak = stageNode.child("weakClassifiers")?.children
      else { throw fail("stage \(s) lacks stageThreshold or weakClassifiers") }
      stages.append(Stage(treeCount: weak.count, threshold: Float(threshold) - 1e-5))
      for (t, tree) in weak.enumerated() {
        guard let internals = tree.child("internalNodes")?.numbers, let values = tree.child("leafValues")?.numbers,
          !internals.isEmpty, internals.count % 4 == 0
        else { throw fail("stage \(s) tree \(t): internalNodes must hold 4 numbers per node") }
        for i in stride(from: 0, to: internals.count, by: 4) {
          guard let left = Int(exactly: internals[i]), let right = Int(exactly: internals[i + 1]),
            let feature = Int(exactly: internals[i + 2])
          else { throw fail("stage \(s) tree \(t): node indices must be integers") }
          nodes.append(Node(feature: feature, threshold: Float(internals[i + 3]), left: left, right: right))
        }
        treeNodeCounts.append(internals.count / 4)
        leaves += values.map { Float($0) }
      }
    }

    var features: [Feature] = []
    for (f, featureNode) in featureNodes.enumerated() {
      guard let rectNodes = featureNode.child("rects")?.children else { throw fail("feature \(f) has no rects") }
      var rects: [WeightedRect] = []
      for rectNode in rectNodes {
        guard let v = rectNode.numbers, v.count == 5, let x = Int(exactly: v[0]), let y = Int(exactly: v[1]), let w = Int(exactly: v[2]),
          let h = Int(exactly: v[3])
        else { throw fail("feature \(f): a rect must be x y width height weight") }
        rects.append(WeightedRect(x: x, y: y, width: w, height: h, weight: Float(v[4])))
      }
      let tilted = featureNode.child("tilted").map { $0.trimmedText != "0" } ?? false
      features.append(Feature(rects: rects, tilted: tilted))
    }
    try self.init(
      source: source, windowWidth: width, windowHeight: height, stages: stages, treeNodeCounts: treeNodeCounts,
      nodes: nodes, leaves: leaves, features: features)
  }
}

/// One XML element: its name, its own text and its child elements.
private final class Element {
  let name: String
  var text = ""
  var children: [Element] = []

  init(name: String) { self.name = name }

  func child(_ name: String) -> Element? { children.first { $0.name == name } }

  var trimmedText: String { text.trimmingCharacters(in: .whitespacesAndNewlines) }

  /// The whitespace-separated numbers of the text; nil if any is not a number.
  /// (Scanned as UTF-8 bytes: the files hold ASCII digits and spaces only, and
  /// Character-level splitting would dominate the load time.)
  var numbers: [Double]? {
    var values: [Double] = []
    let bytes = text.utf8
    var index = bytes.startIndex
    while index != bytes.endIndex {
      while index != bytes.endIndex, Element.isSpace(bytes[index]) { index = bytes.index(after: index) }
      let start = index
      while index != bytes.endIndex, !Element.isSpace(bytes[index]) { index = bytes.index(after: index) }
      guard start != index else { break }
      guard let value = Double(Substring(bytes[start..<index])), value.isFinite else { return nil }
      values.append(value)
    }
    return values
  }

  private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D }
}

/// Builds the element tree from XMLParser's events, at most `HaarCascade.maxElementDepth` deep.
private final class ElementTreeBuilder: NSObject, XMLParserDelegate {
  var root: Element?
  private var open: [Element] = []
  /// The first parse error: libxml2's code and where.
  private(set) var firstError: (code: Int, line: Int, column: Int)?
  /// The line where nesting passed the limit (parsing stopped there).
  private(set) var tooDeepAtLine: Int?

  /// Every element opened was closed.
  var isComplete: Bool { open.isEmpty }
  var innermostOpenName: String { open.last?.name ?? "" }

  func parser(
    _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
    attributes: [String: String] = [:]
  ) {
    guard open.count < HaarCascade.maxElementDepth else {
      if tooDeepAtLine == nil { tooDeepAtLine = parser.lineNumber }
      parser.abortParsing()
      return
    }
    let element = Element(name: elementName)
    if let parent = open.last { parent.children.append(element) } else { root = element }
    open.append(element)
  }

  func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
    _ = open.popLast()
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) {
    open.last?.text += string
  }

  func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
    guard firstError == nil, tooDeepAtLine == nil else { return }
    firstError = ((parseError as NSError).code, parser.lineNumber, parser.columnNumber)
  }
}

/// libxml2's error codes (which XMLParser passes on) in words, for the common kinds of damage.
private func xmlProblem(code: Int) -> String {
  switch code {
  case 4: "the document is empty"
  case 5: "there is content after the end of the document (a second root element, or a tag that does not match)"
  case 9: "a character XML does not allow"
  case 23, 26, 27: "an unknown or unterminated entity (&name;)"
  case 38, 39, 40, 41: "an attribute without a quoted value"
  case 73: "a tag is missing its closing >"
  case 76: "a closing tag does not match the element it closes"
  case 77: "an element is never closed"
  default: "libxml2 error \(code) (a damaged tag, attribute or character)"
  }
}
