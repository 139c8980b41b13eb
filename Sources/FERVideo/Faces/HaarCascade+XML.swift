import Foundation

#if canImport(FoundationXML)
  import FoundationXML
#endif

// Reading OpenCV's FileStorage XML: elements named `_` are sequence items,
// numbers are whitespace-separated text. The file is parsed into a small
// element tree with XMLParser, then the cascade is read off that tree with the
// same conversions OpenCV applies (reals parsed as double, stored as float;
// stage thresholds lowered by 1e-5).

extension HaarCascade {
  /// Parses the XML text of a cascade. `source` names it in error messages.
  public init(xml data: Data, source: String) throws {
    func fail(_ detail: String) -> HaarCascadeError { .malformed(path: source, detail: detail) }
    let builder = ElementTreeBuilder()
    let parser = XMLParser(data: data)
    parser.delegate = builder
    guard parser.parse(), let storage = builder.root else {
      throw fail("XML error at line \(parser.lineNumber): \(parser.parserError?.localizedDescription ?? "unknown")")
    }
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

/// Builds the element tree from XMLParser's events.
private final class ElementTreeBuilder: NSObject, XMLParserDelegate {
  var root: Element?
  private var open: [Element] = []

  func parser(
    _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
    attributes: [String: String] = [:]
  ) {
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
}
