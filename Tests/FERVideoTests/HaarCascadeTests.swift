import FERCore
import Foundation
import Testing

@testable import FERVideo

// The detector against OpenCV (fixtures from Benchmarks/peers/make_face_fixture.py,
// cascades from the Debian package opencv-data, installed by `make test`).

@Suite("HaarCascade")
struct HaarCascadeTests {
  @Test func grayConversionMatchesOpenCV() throws {
    let cases = try FaceFixtures.cases()
    let rgb = try FaceFixtures.ppm(cases.gray.rgb)
    #expect(LumaPlane(rgb) == (try FaceFixtures.pgm(cases.gray.gray)))
  }

  @Test func resizeMatchesOpenCVBitForBit() throws {
    for r in try FaceFixtures.cases().resizes {
      let resized = try FaceFixtures.pgm(r.source).resized(width: r.width, height: r.height)
      let expected = try FaceFixtures.pgm(r.expected)
      let differing = zip(resized.pixels, expected.pixels).filter { $0 != $1 }.count
      #expect(differing == 0, "\(r.width)×\(r.height): \(differing) pixels differ from cv2.resize")
    }
  }

  /// Every case of cases.json: the boxes and hit counts of cv2's
  /// detectMultiScale2. The acceptance bound is the same number of boxes, each
  /// within IoU 0.9 of OpenCV's; the detector in fact reproduces them exactly,
  /// raw hits (minNeighbors 0) included, which is checked too.
  @Test func detectionsMatchOpenCV() throws {
    let cases = try FaceFixtures.cases()
    var cascades: [String: HaarCascadeDetector] = [:]
    for c in cases.detections {
      let detector = try cascades[c.cascade] ?? HaarCascadeDetector(cascade: .opencvData(named: c.cascade))
      cascades[c.cascade] = detector
      let options = HaarDetectionOptions(
        scaleFactor: c.scaleFactor, minNeighbors: c.minNeighbors,
        minSize: c.minSize > 0 ? FrameSize(width: c.minSize, height: c.minSize) : nil)
      let found = detector.detections(try FaceFixtures.pgm(c.image), options: options)
      let expected = c.detections.map {
        Detection(rect: PixelRect(x: $0[0], y: $0[1], width: $0[2], height: $0[3]), neighbours: $0[4])
      }
      let label = "\(c.image) \(c.cascade) scale \(c.scaleFactor) neighbours \(c.minNeighbors)"
      #expect(found.count == expected.count, "\(label): \(found.count) boxes, OpenCV \(expected.count)")
      for box in expected {
        let best = found.map { $0.rect.iou(box.rect) }.max() ?? 0
        #expect(best >= 0.9, "\(label): OpenCV's \(box.rect) has no match (best IoU \(best))")
      }
      let order: (Detection, Detection) -> Bool = {
        ($0.rect.x, $0.rect.y, $0.rect.width, $0.rect.height, $0.neighbours)
          < ($1.rect.x, $1.rect.y, $1.rect.width, $1.rect.height, $1.neighbours)
      }
      #expect(found.sorted(by: order) == expected.sorted(by: order), "\(label): boxes differ from OpenCV's")
    }
  }

  @Test func everyOpenCVHaarCascadeLoads() throws {
    let folder = try #require(HaarCascade.opencvDataFolders.first { FileManager.default.fileExists(atPath: $0) })
    let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".xml") }
    #expect(names.count >= 10)
    for name in names {
      do {
        let cascade = try HaarCascade.opencvData(named: name)
        #expect(cascade.windowWidth > 0 && !cascade.stages.isEmpty)
      } catch HaarCascadeError.unsupported(_, let detail) {
        // The one pre-2.0-format file (a licence-plate cascade) is refused with a reason.
        #expect(detail.contains("pre-OpenCV-2.0"), "\(name): \(detail)")
      }
    }
    let face = try HaarCascade.frontalFace()
    #expect(face.windowWidth == 24 && face.windowHeight == 24)
    #expect(face.stages.count == 25)
    #expect(face.treeNodeCounts.count == 2913 && face.features.count == 2913)
  }

  @Test func badCascadeFilesThrowDescriptiveErrors() throws {
    #expect(throws: HaarCascadeError.notFound(path: "no_such_cascade.xml")) {
      _ = try HaarCascade.opencvData(named: "no_such_cascade.xml")
    }
    #expect(HaarCascadeError.notFound(path: "x.xml").description.contains("apt-get install opencv-data"))
    #expect(throws: HaarCascadeError.self) { _ = try HaarCascade(xml: Data("<opencv_storage><cascade>".utf8), source: "cut.xml") }
    let lbp = """
      <?xml version="1.0"?><opencv_storage><cascade><stageType>BOOST</stageType>
      <featureType>LBP</featureType><height>24</height><width>24</width></cascade></opencv_storage>
      """
    #expect(throws: HaarCascadeError.unsupported(path: "lbp.xml", detail: "feature type LBP, not HAAR")) {
      _ = try HaarCascade(xml: Data(lbp.utf8), source: "lbp.xml")
    }
    // A node naming a feature that does not exist is caught at load time, not during a scan.
    let dangling = """
      <opencv_storage><cascade><stageType>BOOST</stageType><featureType>HAAR</featureType>
      <height>24</height><width>24</width><featureParams><maxCatCount>0</maxCatCount></featureParams>
      <stages><_><stageThreshold>-1.</stageThreshold><weakClassifiers><_>
      <internalNodes>0 -1 5 0.5</internalNodes><leafValues>1. -1.</leafValues></_></weakClassifiers></_></stages>
      <features><_><rects><_>0 0 4 4 -1.</_><_>0 0 2 4 2.</_></rects></_></features></cascade></opencv_storage>
      """
    #expect(throws: HaarCascadeError.malformed(path: "dangling.xml", detail: "feature index 5 out of range")) {
      _ = try HaarCascade(xml: Data(dangling.utf8), source: "dangling.xml")
    }
  }

  /// A cascade whose numbers would loop, overflow or read outside the window is refused
  /// at load time: each in turn replaces one field of an otherwise valid one-stump cascade.
  @Test(arguments: [
    ("0 1 0 0.5", "0 0 4 4 -1.", "tree child 1 of node 0"),  // a child past the tree's end
    ("0 -9223372036854775808 0 0.5", "0 0 4 4 -1.", "tree child -9223372036854775808"),
    ("0 -1 0 0.5", "0 0 4 4 -1.</_><_>0 0 1000000 4 2.", "far outside the 24×24 window"),
    ("0 -1 0 0.5", "-9223372036854775808 0 4 4 -1.", "far outside the 24×24 window"),
    ("0 -1 0 0.5", "20 0 8 4 -1.", "feature 0 leaves the window"),
  ])
  func dangerousNumbersAreRefused(node: String, rect: String, message: String) {
    let xml = """
      <opencv_storage><cascade><stageType>BOOST</stageType><featureType>HAAR</featureType>
      <height>24</height><width>24</width><featureParams><maxCatCount>0</maxCatCount></featureParams>
      <stages><_><stageThreshold>-1.</stageThreshold><weakClassifiers><_>
      <internalNodes>\(node)</internalNodes><leafValues>1. -1.</leafValues></_></weakClassifiers></_></stages>
      <features><_><rects><_>\(rect)</_></rects></_></features></cascade></opencv_storage>
      """
    #expect { _ = try HaarCascade(xml: Data(xml.utf8), source: "bad.xml") } throws: {
      "\($0)".contains(message)
    }
  }

  /// A two-node tree whose second node is its own child would spin forever in a scan.
  @Test func aTreeThatLoopsIsRefused() {
    let xml = """
      <opencv_storage><cascade><stageType>BOOST</stageType><featureType>HAAR</featureType>
      <height>24</height><width>24</width><featureParams><maxCatCount>0</maxCatCount></featureParams>
      <stages><_><stageThreshold>-1.</stageThreshold><weakClassifiers><_>
      <internalNodes>1 0 0 0.5 1 -1 0 0.5</internalNodes><leafValues>1. -1. 0.5</leafValues></_></weakClassifiers></_></stages>
      <features><_><rects><_>0 0 4 4 -1.</_></rects></_></features></cascade></opencv_storage>
      """
    #expect { _ = try HaarCascade(xml: Data(xml.utf8), source: "loop.xml") } throws: {
      "\($0)".contains("tree child 1 of node 1 is neither a later node")
    }
  }

  /// The tilted table against its definition: the triangle of pixels
  /// y < Y, |x − X + 1| ≤ Y − y − 1, summed directly.
  @Test func tiltedIntegralMatchesDefinition() {
    var rng = SeededRNG(seed: 11)
    let (w, h) = (9, 7)
    let plane = LumaPlane(width: w, height: h, pixels: (0..<(w * h)).map { _ in UInt8(rng.nextInt(below: 256)) })
    let tables = IntegralImages(plane, tilted: true)
    for Y in 0...h {
      for X in 0...w {
        var direct = 0
        for y in 0..<Y {
          for x in 0..<w where abs(x - X + 1) <= Y - y - 1 { direct += Int(plane.pixels[y * w + x]) }
        }
        #expect(Int(tables.sums[tables.tiltedOffset + Y * (w + 1) + X]) == direct, "tilted(\(X), \(Y))")
        var upright = 0
        for y in 0..<Y { for x in 0..<X { upright += Int(plane.pixels[y * w + x]) } }
        #expect(Int(tables.sums[Y * (w + 1) + X]) == upright)
      }
    }
  }

  @Test func groupingAveragesNeighboursAndDropsInnerBoxes() {
    let face = [
      PixelRect(x: 100, y: 100, width: 50, height: 50), PixelRect(x: 102, y: 101, width: 52, height: 52),
      PixelRect(x: 98, y: 99, width: 50, height: 50), PixelRect(x: 101, y: 103, width: 48, height: 48),
    ]
    let lone = [PixelRect(x: 10, y: 10, width: 30, height: 30)]
    let inner = [PixelRect(x: 110, y: 110, width: 24, height: 24), PixelRect(x: 111, y: 110, width: 24, height: 24)]
    // Threshold 1: the face (4 hits) and the inner pair (2 hits) pass the count; the
    // pair lies inside the face box and has fewer than 3 hits, so it is dropped.
    let grouped = groupRectangles(face + lone + inner, groupThreshold: 1, eps: 0.2)
    #expect(grouped == [PixelRect(x: 100, y: 101, width: 50, height: 50)])
    // Threshold 0 returns the raw hits.
    #expect(groupRectangles(lone + inner, groupThreshold: 0, eps: 0.2) == lone + inner)
    // Classes are numbered in order of first member.
    let (labels, count) = partition([3, 40, 4, 41, 90]) { abs($0 - $1) <= 1 }
    #expect(labels == [0, 1, 0, 1, 2] && count == 3)
  }

  @Test func scaleListFollowsOpenCV() throws {
    let detector = try HaarCascadeDetector(cascade: .frontalFace())
    let factors = detector.scaleFactors(imageWidth: 64, imageHeight: 48, options: HaarDetectionOptions())
    // 24·1.1ᵏ ≤ 48 for k ≤ 7 (24 · 1.1⁷ = 46.8 → 47).
    #expect(factors.count == 8)
    #expect(abs(factors[7] - 1.948717) < 1e-5)
    let bounded = detector.scaleFactors(
      imageWidth: 64, imageHeight: 48,
      options: HaarDetectionOptions(minSize: FrameSize(width: 30, height: 30), maxSize: FrameSize(width: 40, height: 40)))
    #expect(bounded.map { Int((24 * Double($0)).rounded()) } == [32, 35, 39])
  }

  /// A search area scans the windows of the whole scan that lie inside it: on the mosaic of
  /// faces, the raw hits inside each area are exactly the whole scan's, and the area of the
  /// whole image changes nothing.
  @Test func aSearchAreaScansTheWholeScansWindowsInsideIt() throws {
    let detector = try HaarCascadeDetector(cascade: .frontalFace())
    let mosaic = try FaceFixtures.pgm("lfw-mosaic.pgm")
    let everywhere = detector.detect(mosaic, options: HaarDetectionOptions(minNeighbors: 0))
    let areas = [
      PixelRect(x: 30, y: 30, width: 80, height: 80), PixelRect(x: 120, y: -10, width: 90, height: 70),
      PixelRect(x: 85, y: 85, width: 61, height: 61), PixelRect(x: 0, y: 0, width: mosaic.width, height: mosaic.height),
    ]
    for area in areas {
      let inside = everywhere.filter { $0.intersection(area) == $0 }
      let found = detector.detect(mosaic, options: HaarDetectionOptions(minNeighbors: 0, searchArea: area))
      #expect(!inside.isEmpty && found == inside, "\(area): \(found.count) raw hits, \(inside.count) of the whole scan's inside it; only ours \(found.filter { !inside.contains($0) }), only theirs \(inside.filter { !found.contains($0) })")
    }
    // Grouped: the astronaut's face alone, without the false hit beside it.
    let astronaut = try FaceFixtures.pgm("astronaut.pgm")
    let around = detector.detections(astronaut, options: HaarDetectionOptions(searchArea: PixelRect(x: 59, y: 4, width: 107, height: 107)))
    #expect(around == [Detection(rect: PixelRect(x: 86, y: 31, width: 53, height: 53), neighbours: 27)])
  }
}
