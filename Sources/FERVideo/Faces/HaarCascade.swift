import FERCore
import Foundation

// A boosted cascade of Haar-feature trees, as OpenCV's traincascade writes it
// (the format of every file in opencv-data's haarcascades folder):
//
//   cascade: stageType BOOST, featureType HAAR, width × height (the window, 24×24 for faces)
//   stages[s]: stageThreshold, weakClassifiers[t]:
//       internalNodes = (left right featureIndex threshold) per node,
//       leafValues    = nodeCount + 1 values
//     a child index > 0 is another node of the tree, ≤ 0 the leaf −index
//   features[f]: rects = up to three (x y width height weight), tilted 0/1
//
// A window passes stage s when the sum of its trees' leaves reaches the stage
// threshold; it is an object when it passes every stage.

/// Why a cascade file could not be used.
public enum HaarCascadeError: Error, Equatable, CustomStringConvertible {
  /// No cascade file at the path (or in the opencv-data folders).
  case notFound(path: String)
  /// The file is not well-formed XML or lacks a required part.
  case malformed(path: String, detail: String)
  /// A valid cascade of a kind this detector does not evaluate (LBP, HOG, the pre-2.0 format).
  case unsupported(path: String, detail: String)

  public var description: String {
    switch self {
    case .notFound(let path):
      return "\(path): no Haar cascade file there; OpenCV's cascades come with the Debian package opencv-data "
        + "(apt-get install opencv-data) in /usr/share/opencv4/haarcascades"
    case .malformed(let path, let detail):
      return "\(path): not a readable OpenCV cascade (\(detail)); use a file from opencv-data or opencv_traincascade"
    case .unsupported(let path, let detail):
      return "\(path): \(detail); only Haar-feature BOOST cascades (the haarcascade_*.xml files) are supported"
    }
  }
}

/// A Haar cascade classifier loaded from OpenCV's XML format.
public struct HaarCascade: Sendable {
  /// One weighted rectangle of a feature, in window pixels. A tilted rectangle
  /// is turned 45°: its corner (x, y) is the top, `width` runs down-right and
  /// `height` down-left.
  struct WeightedRect: Equatable {
    var x: Int, y: Int, width: Int, height: Int
    var weight: Float
  }

  struct Feature: Equatable {
    var rects: [WeightedRect]
    var tilted: Bool
  }

  /// A split: go `left` when the feature value is below `threshold`.
  /// Child indices > 0 are nodes of the same tree, ≤ 0 the leaf −index.
  struct Node: Equatable {
    var feature: Int
    var threshold: Float
    var left: Int
    var right: Int
  }

  struct Stage: Equatable {
    /// Trees of this stage (consecutive in `treeNodeCounts`).
    var treeCount: Int
    /// The XML stage threshold minus 1e-5 in float, as OpenCV loads it.
    var threshold: Float
  }

  /// Where the cascade was read from (for messages).
  public let source: String
  /// The detection window the features are defined on.
  public let windowWidth: Int
  public let windowHeight: Int
  let stages: [Stage]
  /// Nodes per tree, trees in stage order; tree k's nodes and its nodeCount + 1
  /// leaves follow those of tree k − 1 in `nodes` and `leaves`.
  let treeNodeCounts: [Int]
  let nodes: [Node]
  let leaves: [Float]
  let features: [Feature]

  var hasTiltedFeatures: Bool { features.contains { $0.tilted } }

  /// Folders searched for OpenCV's cascade files, Debian's first.
  public static let opencvDataFolders = [
    "/usr/share/opencv4/haarcascades", "/usr/share/opencv/haarcascades",
    "/usr/local/share/opencv4/haarcascades", "/opt/homebrew/share/opencv4/haarcascades",
  ]

  /// A cascade shipped with OpenCV, by file name, e.g. "haarcascade_frontalface_default.xml".
  /// Each file is parsed once per process (about 0.1 s per megabyte of XML) and shared.
  public static func opencvData(named name: String) throws -> HaarCascade {
    loadedLock.lock()
    defer { loadedLock.unlock() }
    if let cascade = loaded[name] { return cascade }
    for folder in opencvDataFolders {
      let url = URL(fileURLWithPath: folder).appendingPathComponent(name)
      if FileManager.default.fileExists(atPath: url.path) {
        let cascade = try HaarCascade(contentsOf: url)
        loaded[name] = cascade
        return cascade
      }
    }
    throw HaarCascadeError.notFound(path: name)
  }

  nonisolated(unsafe) private static var loaded: [String: HaarCascade] = [:]
  private static let loadedLock = NSLock()

  /// The frontal-face cascade of opencv-data, the detector's default.
  public static func frontalFace() throws -> HaarCascade {
    try opencvData(named: "haarcascade_frontalface_default.xml")
  }

  /// Reads a cascade file.
  public init(contentsOf url: URL) throws {
    guard FileManager.default.fileExists(atPath: url.path) else { throw HaarCascadeError.notFound(path: url.path) }
    let data: Data
    do { data = try FileError.contents(of: url) } catch {
      throw HaarCascadeError.malformed(path: url.path, detail: error.problem)
    }
    try self.init(xml: data, source: url.path)
  }

  init(
    source: String, windowWidth: Int, windowHeight: Int, stages: [Stage], treeNodeCounts: [Int],
    nodes: [Node], leaves: [Float], features: [Feature]
  ) throws {
    self.source = source
    self.windowWidth = windowWidth
    self.windowHeight = windowHeight
    self.stages = stages
    self.treeNodeCounts = treeNodeCounts
    self.nodes = nodes
    self.leaves = leaves
    self.features = features
    try validate()
  }

  /// Checks every index and rectangle so evaluation never reads out of bounds.
  private func validate() throws {
    func fail(_ detail: String) -> HaarCascadeError { .malformed(path: source, detail: detail) }
    guard (3...4096).contains(windowWidth) && (3...4096).contains(windowHeight) else {
      throw fail("window \(windowWidth)×\(windowHeight): each side must be 3 to 4096 pixels")
    }
    guard !stages.isEmpty else { throw fail("no stages") }
    // Every count within what the file holds before any sum of them, so none can overflow.
    guard stages.allSatisfy({ (0...treeNodeCounts.count).contains($0.treeCount) }),
      treeNodeCounts.allSatisfy({ (0...nodes.count).contains($0) })
    else { throw fail("a stage or tree claims more trees or nodes than the file holds") }
    guard stages.reduce(0, { $0 + $1.treeCount }) == treeNodeCounts.count else { throw fail("stage tree counts") }
    guard treeNodeCounts.reduce(0, +) == nodes.count,
      treeNodeCounts.reduce(0, { $0 + $1 + 1 }) == leaves.count
    else { throw fail("each tree needs one more leaf value than internal nodes") }
    var first = 0
    for count in treeNodeCounts {
      for (position, node) in nodes[first..<first + count].enumerated() {
        guard features.indices.contains(node.feature) else { throw fail("feature index \(node.feature) out of range") }
        // A child is a later node of the tree (> 0) or a leaf (≤ 0, leaf −child of count + 1):
        // evaluation always moves forward, so no tree can loop.
        for child in [node.left, node.right] where child >= count || child < -count || (child > 0 && child <= position) {
          throw fail(
            "tree child \(child) of node \(position) is neither a later node of its \(count)-node tree nor one of its leaves")
        }
      }
      first += count
    }
    // Rectangle fields within ±4 windows before any sum of them, so none can overflow.
    let span = 4 * max(windowWidth, windowHeight)
    for (index, feature) in features.enumerated() {
      guard (1...3).contains(feature.rects.count) else { throw fail("feature \(index) has \(feature.rects.count) rects") }
      for r in feature.rects {
        guard [r.x, r.y, r.width, r.height].allSatisfy({ (-span...span).contains($0) }) else {
          throw fail("feature \(index) has a rectangle (\(r.x), \(r.y), \(r.width), \(r.height)) far outside the \(windowWidth)×\(windowHeight) window")
        }
        let inside =
          feature.tilted
          ? r.x - r.height >= 0 && r.x + r.width <= windowWidth && r.y >= 0 && r.y + r.width + r.height <= windowHeight
          : r.x >= 0 && r.y >= 0 && r.x + r.width <= windowWidth && r.y + r.height <= windowHeight
        guard inside && r.width >= 0 && r.height >= 0 else { throw fail("feature \(index) leaves the window") }
      }
    }
  }
}
