import FERCore
import Foundation
import Testing

@testable import FERVideo

// The fuzz corpus of the video layer's input kinds: Haar cascades (XML) and video
// files (AVI headers, and a few whole damaged files through ffmpeg). Seeded
// damaged copies of valid inputs (InputMutator), each read in this process:
// every case ends in a value or a thrown sentence naming the file, never a raw
// dump, a trap or a hang.

@Suite("fuzz corpus: cascades and videos")
struct VideoFuzzTests {
  /// A valid two-stage cascade: a stump and a two-node tree over three features, one tilted.
  static let cascade = """
    <?xml version="1.0"?>
    <opencv_storage>
    <cascade type_id="opencv-cascade-classifier"><stageType>BOOST</stageType>
      <featureType>HAAR</featureType>
      <height>24</height>
      <width>24</width>
      <featureParams><maxCatCount>0</maxCatCount></featureParams>
      <stageNum>2</stageNum>
      <stages>
        <_><maxWeakCount>1</maxWeakCount><stageThreshold>-0.5</stageThreshold>
          <weakClassifiers><_><internalNodes>0 -1 0 1.5e-02</internalNodes><leafValues>-0.8 0.7</leafValues></_></weakClassifiers></_>
        <_><maxWeakCount>1</maxWeakCount><stageThreshold>-1.25</stageThreshold>
          <weakClassifiers><_><internalNodes>1 -1 1 -3.2e-03 0 -2 2 4.1e-03</internalNodes>
            <leafValues>0.6 -0.4 0.2</leafValues></_></weakClassifiers></_>
      </stages>
      <features>
        <_><rects><_>6 4 12 9 -1.</_><_>6 7 12 3 3.</_></rects></_>
        <_><rects><_>0 0 8 8 -1.</_><_>4 0 4 8 2.</_></rects><tilted>0</tilted></_>
        <_><rects><_>12 2 4 4 -1.</_><_>12 4 2 2 2.</_></rects><tilted>1</tilted></_>
      </features>
    </cascade>
    </opencv_storage>
    """

  /// Parses each case as "fuzz.xml"; a refusal must name that source and be no raw dump.
  static func expectClean(cascades: [[UInt8]], _ kind: String, sourceLocation: SourceLocation = #_sourceLocation) {
    for (i, bytes) in cascades.enumerated() {
      let outcome = FuzzOutcome.of { _ = try HaarCascade(xml: Data(bytes), source: "fuzz.xml") }
      if let problem = outcome.problem { Issue.record("\(kind) case \(i): \(problem)", sourceLocation: sourceLocation) }
      if case .refused(let message) = outcome, !message.hasPrefix("fuzz.xml: ") {
        Issue.record("\(kind) case \(i) does not name the file: \(message)", sourceLocation: sourceLocation)
      }
    }
  }

  @Test func theBaseCascadeLoads() throws {
    let cascade = try HaarCascade(xml: Data(Self.cascade.utf8), source: "fuzz.xml")
    #expect(cascade.stages.count == 2 && cascade.features.count == 3 && cascade.hasTiltedFeatures)
  }

  @Test func cascadeTruncationsFlipsAndNumbers() {
    let bytes = Array(Self.cascade.utf8)
    var mutator = InputMutator(seed: 1605)
    let truncated = mutator.truncations(of: bytes, count: 120)
    Self.expectClean(cascades: truncated, "truncation")
    // Cut before the closing tag of the storage, no file is a cascade.
    #expect(truncated.allSatisfy { (try? HaarCascade(xml: Data($0), source: "fuzz.xml")) == nil })
    Self.expectClean(cascades: mutator.byteFlips(of: bytes, count: 400), "flip")
    Self.expectClean(cascades: mutator.numberSwaps(in: Self.cascade, count: 300).map { Array($0.utf8) }, "number")
  }

  /// Elements dropped or doubled, one line at a time: missing and duplicate parts.
  @Test func cascadeLinesDroppedOrDoubled() {
    let lines = Self.cascade.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var cases: [[UInt8]] = []
    for i in lines.indices {
      var dropped = lines
      dropped.remove(at: i)
      var doubled = lines
      doubled.insert(lines[i], at: i)
      cases += [dropped, doubled].map { Array($0.joined(separator: "\n").utf8) }
    }
    Self.expectClean(cascades: cases, "line")
  }

  /// 50,000 nested elements used to overflow the stack when the element tree was released.
  @Test func nestingIsRefusedBeforeItCanOverflow() {
    for (open, close) in [("<a>", "</a>"), ("<_>", "</_>"), ("<stages><_>", "</_></stages>")] {
      let deep = "<opencv_storage><cascade>" + InputMutator.nested(open, close, depth: 50_000) + "</cascade></opencv_storage>"
      #expect { _ = try HaarCascade(xml: Data(deep.utf8), source: "deep.xml") } throws: { error in
        let text = "\(error)"
        return text.hasPrefix("deep.xml: ") && text.contains("nest deeper than \(HaarCascade.maxElementDepth)")
      }
    }
    #expect(HaarCascade.maxElementDepth == 64)
  }

  @Test(arguments: [
    ("<opencv_storage><cascade></opencv_storage>", "line 1, column", "does not match"),
    ("<opencv_storage><cascade>", "ends inside <cascade>", "cut short"),
    ("", "the file is empty", "bad.xml"),
    ("<a>&bogus;</a>", "malformed XML at line 1", "entity"),
    ("<opencv_storage/><second/>", "malformed XML", "after the end"),
  ])
  func malformedXMLIsLocatedInWords(_ xml: String, _ first: String, _ second: String) {
    #expect { _ = try HaarCascade(xml: Data(xml.utf8), source: "bad.xml") } throws: { error in
      let text = "\(error)"
      return text.hasPrefix("bad.xml: ") && text.contains(first) && text.contains(second)
        && InputMutator.rawDumps(in: text).isEmpty
    }
  }

  /// AVI headers cut and flipped are read in place (no ffmpeg); a few whole damaged files go
  /// through the decoder, which refuses them by name or decodes what is there.
  @Test func damagedAVIFiles() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("ferlab-fuzz-\(UUID().uuidString).avi")
    defer { try? FileManager.default.removeItem(at: url) }
    try VideoEncoder.write(AVIHeaderTests.frames(6, width: 32, height: 24), to: url, frameRate: 25)
    let bytes = [UInt8](try Data(contentsOf: url))
    let headerEnd = try #require(AVIHeaderTests.offset(of: "movi", in: bytes))
    var mutator = InputMutator(seed: 1606)
    for damaged in mutator.truncations(of: bytes, count: 200) + mutator.byteFlips(of: bytes, count: 2000, in: 0..<headerEnd) {
      _ = AVIHeader.parse(damaged)
    }
    let decoder = try VideoDecoder()
    let whole = mutator.truncations(of: bytes, count: 4) + mutator.byteFlips(of: bytes, count: 6, in: 0..<headerEnd)
    for (i, damaged) in whole.enumerated() {
      try Data(damaged).write(to: url)
      let outcome = FuzzOutcome.of { _ = try decoder.decode(url, options: VideoDecodingOptions(frameCount: 4)) }
      if let problem = outcome.problem { Issue.record("decode case \(i): \(problem)") }
      if case .refused(let message) = outcome, !message.hasPrefix(url.path) {
        Issue.record("decode case \(i) does not name the file: \(message)")
      }
    }
  }
}
