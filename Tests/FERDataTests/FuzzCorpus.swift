import FERCore
import Foundation
import Testing

@testable import FERData

// The fuzz corpus of the dataset layer's input kinds: CSV manifests and the
// prepared-clip cache files. Seeded generated and damaged inputs (InputMutator,
// SeededRNG), each read in this process: a manifest ends in a Discovery whose
// skipped rows say why in words, or a LoaderError naming the file; a damaged
// cache file is rejected or, when it parses, never serves values other than
// those written.

@Suite("fuzz corpus: manifests and cache files")
struct DataFuzzTests {
  /// Pieces of CSV fields: quoting, separators, line ends, labels, paths, noise.
  static let pieces = [
    "clip.avi", "v/a.mp4", "/abs/b.mkv", "notes.txt", "anger", "HA", "su", "neutral", "s1", "subject 2", "\"", "\"\"",
    ",", ",,", "\n", "\r", "\r\n", " ", "\t", "\u{FEFF}", "é", "💥", "\u{0}", "path", "label", "subject", "Path,Label,Subject",
    String(repeating: "x", count: 5000),
  ]

  /// A seeded random manifest text of up to 40 rows.
  static func randomManifest(_ rng: inout SeededRNG) -> String {
    var text = ""
    for _ in 0..<(1 + rng.nextInt(below: 40)) {
      let fields = (0..<(1 + rng.nextInt(below: 5))).map { _ in
        (0..<(1 + rng.nextInt(below: 3))).map { _ in pieces[rng.nextInt(below: pieces.count)] }.joined()
      }
      text += fields.joined(separator: ",") + ["\n", "\r\n", "\r", ""][rng.nextInt(below: 4)]
    }
    return text
  }

  /// Reads a manifest text from the folder of `tree` in process; records unclean outcomes.
  static func expectClean(manifests texts: [String], in tree: TemporaryTree, _ kind: String) {
    for (i, text) in texts.enumerated() {
      let outcome = FuzzOutcome.of {
        let found = ManifestLoader.read(csvRecords(text), folder: tree.root)
        for skip in found.skipped where !InputMutator.rawDumps(in: skip.description).isEmpty {
          Issue.record("\(kind) case \(i): skipped row as a raw dump: \(skip)")
        }
      }
      if let problem = outcome.problem { Issue.record("\(kind) case \(i): \(problem)") }
    }
  }

  @Test func generatedManifests() throws {
    let tree = try TemporaryTree("fuzz-manifest")
    defer { tree.remove() }
    try tree.touch(["clip.avi", "v/a.mp4", "notes.txt"])
    var rng = SeededRNG(seed: 1607)
    Self.expectClean(manifests: (0..<1500).map { _ in Self.randomManifest(&rng) }, in: tree, "generated")
  }

  @Test func damagedManifestsThroughTheLoader() throws {
    let tree = try TemporaryTree("fuzz-manifest-files")
    defer { tree.remove() }
    try tree.touch(["clips/a.avi", "clips/b.mp4"])
    let valid = "path,label,subject\nclips/a.avi,anger,s1\n\"clips/b.mp4\",ha,s2\n"
    var mutator = InputMutator(seed: 1608)
    let bytes = Array(valid.utf8)
    var cases = mutator.truncations(of: bytes, count: 30) + mutator.byteFlips(of: bytes, count: 120)
    cases += [[0xFF, 0xFE, 0x00], Array("path,label\n".utf8) + [0xC3, 0x28], Array(repeating: UInt8(ascii: "\""), count: 10_000)]
    for (i, damaged) in cases.enumerated() {
      let url = tree.root.appendingPathComponent("manifest-\(i).csv")
      try Data(damaged).write(to: url)
      let outcome = FuzzOutcome.of {
        let found = try ManifestLoader.discover(manifest: url)
        for skip in found.skipped where !InputMutator.rawDumps(in: skip.description).isEmpty {
          Issue.record("case \(i): skipped row as a raw dump: \(skip)")
        }
      }
      if let problem = outcome.problem { Issue.record("case \(i): \(problem)") }
      if case .refused(let message) = outcome, !message.contains(url.path) {
        Issue.record("case \(i) does not name the manifest: \(message)")
      }
    }
    // A byte that is not UTF-8 is located.
    let bad = tree.root.appendingPathComponent("latin1.csv")
    try Data(Array("path,label,subject\nclips/a.avi,anger,s1\nclips/b".utf8) + [0xE9] + Array(".mp4,ha,s2\n".utf8)).write(to: bad)
    #expect { try ManifestLoader.discover(manifest: bad) } throws: { "\($0)".contains("not UTF-8 text (line 3, byte 47)") }
  }

  /// One byte of a cache file changed, anywhere: the lookup rejects the file, or serves exactly what was written.
  @Test func damagedCacheFilesNeverServeOtherValues() throws {
    let tree = try TemporaryTree("fuzz-cache")
    defer { tree.remove() }
    try tree.touch("clip.avi", contents: "the key reads only the file's identity")
    let path = tree.root.appendingPathComponent("clip.avi").path
    let source = ClipSource(id: "clip.avi", subject: "1", label: .fear, location: .file(path: path))
    let settings = try PreprocessingSettings(frameCount: 3, cropSize: 16)
    var rng = SeededRNG(seed: 1609)
    let frames = TensorValue(shape: [3, 3, 16, 16], data: (0..<(3 * 3 * 256)).map { _ in rng.nextUniform() })
    let clip = try PreparedClip(source: source, frames: frames)
      .withMotion(extractMotion(frames: frames, parameters: settings.farnebackParameters))
    let cache = try PreparedClipCache(folder: tree.root.appendingPathComponent("cache"))
    let key = try #require(PreparedClipCache.key(path: path, settings: settings))
    let prepared = PreprocessedClip(
      clip: clip, fallbackFrames: 1, usedCentreCrop: false, frameCounts: SourceFrameCounts(claimed: 9, decoded: 3))
    #expect(cache.store(prepared, key: key, settings: settings) == nil)
    let written = [UInt8](try Data(contentsOf: cache.fileURL(key: key)))
    guard case .hit(let intact) = cache.lookup(source, key: key, settings: settings) else {
      Issue.record("the intact file was not served")
      return
    }
    #expect(intact.clip.contentDigest() == clip.contentDigest() && intact.frameCounts == prepared.frameCounts)

    var mutator = InputMutator(seed: 1610)
    var rejected = 0
    for damaged in mutator.byteFlips(of: written, count: 300) + mutator.truncations(of: written, count: 20) {
      try Data(damaged).write(to: cache.fileURL(key: key))
      switch cache.lookup(source, key: key, settings: settings) {
      case .hit(let served):
        #expect(served.clip.contentDigest() == clip.contentDigest(), "a changed file served other values")
        #expect(served.frameCounts == prepared.frameCounts && served.fallbackFrames == 1 && !served.usedCentreCrop)
      case .rejected(let why):
        rejected += 1
        #expect(InputMutator.rawDumps(in: why).isEmpty, "\(why)")
      case .miss:
        Issue.record("a file that exists was a miss")
      }
    }
    #expect(rejected > 250)
  }
}
