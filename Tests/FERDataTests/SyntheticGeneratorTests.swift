import Testing

@testable import FERData

@Suite("Synthetic generator")
struct SyntheticGeneratorTests {
  static let small = SyntheticGenerator.generate(.small)

  @Test func smallPresetShape() {
    let dataset = Self.small
    #expect(dataset.clips.count == 120)
    #expect(dataset.subjects == (1...10).map(String.init))
    #expect(dataset.classCounts == [Int](repeating: 20, count: 6))
    #expect(dataset.frameCount == 8 && dataset.size == 32)
    #expect(dataset.clips.allSatisfy { $0.frames.shape == [8, 3, 32, 32] && $0.motion == nil })
    #expect(dataset.clips.allSatisfy { $0.frames.data.allSatisfy { $0 >= 0 && $0 <= 1 } })
    #expect(dataset.sources.first?.id == "s1_an_1")
    #expect(dataset.sources.last?.id == "s10_su_2")
    #expect(dataset.provenance.hasPrefix("synthetic {"))
  }

  @Test func deterministicBySeed() throws {
    let spec = try SyntheticSpec.small.with(subjects: 2, clipsPerClass: 1)
    let a = SyntheticGenerator.generate(spec)
    let b = SyntheticGenerator.generate(spec)
    #expect(a.fingerprint == b.fingerprint)
    #expect(a.clips.map(\.frames) == b.clips.map(\.frames))
    let other = SyntheticGenerator.generate(try spec.with(seed: spec.seed + 1))
    #expect(other.fingerprint != a.fingerprint)
    #expect(other.clips[0].frames != a.clips[0].frames)
  }

  /// The parallel generator must give what drawing each clip alone gives: no dependence on scheduling.
  @Test func clipsDependOnlyOnTheirIndex() throws {
    let spec = SyntheticSpec.small
    for index in [0, 7, 61, 119] {
      let subject = index / (Emotion.count * spec.clipsPerClass)
      let identity = SyntheticGenerator.identity(spec, subjectIndex: subject)
      let alone = SyntheticGenerator.renderClip(
        spec, identity: identity, label: Self.small.clips[index].source.label, clipIndex: index)
      #expect(alone == Self.small.clips[index].frames.data)
    }
  }

  @Test func subjectsLookDifferentAndExpressionsMove() {
    let clips = Self.small.clips
    // First frames of two subjects' first clips: different faces and backgrounds.
    let plane = 3 * 32 * 32
    let a = Array(clips[0].frames.data[..<plane])
    let b = Array(clips[12].frames.data[..<plane])
    #expect(meanAbsoluteDifference(a, b) > 0.05)
    // Every clip changes over time by more than sensor noise alone would.
    for clip in clips {
      let frames = clip.frames.data
      let first = Array(frames[..<plane])
      let largest =
        (1..<8).map { meanAbsoluteDifference(first, Array(frames[($0 * plane)..<(($0 + 1) * plane)])) }.max() ?? 0
      #expect(largest > 0.02, "clip \(clip.source.id) barely changes")
    }
  }

  @Test func defaultShapeForAFewSubjects() throws {
    let spec = try SyntheticSpec.default.with(subjects: 2, clipsPerClass: 1)
    let dataset = SyntheticGenerator.generate(spec)
    #expect(dataset.clips.count == 12)
    #expect(dataset.clips[0].frames.shape == [16, 3, 48, 48])
  }

  @Test func rgbBytesAreInterleavedFrames() throws {
    let source = ClipSource(id: "x", subject: "1", label: .anger, location: .synthetic(subject: 1, take: 1))
    // T = 2, S = 2: channel planes hold distinct values so the interleaving is visible.
    let planes: [Float] = [
      0, 1, 0.5, 0.25, 1, 0, 0, 0, 0.2, 0.2, 0.2, 1.5,  // frame 0: R, G, B planes
      1, 1, 1, 1, 0, 0, 0, 0, -1, 0, 0, 0,  // frame 1
    ]
    let clip = try PreparedClip(source: source, frames: TensorValue(shape: [2, 3, 2, 2], data: planes))
    let bytes = clip.rgbFrameBytes()
    #expect(bytes.count == 2)
    #expect(bytes[0] == [0, 255, 51, 255, 0, 51, 128, 0, 51, 64, 0, 255])
    #expect(bytes[1] == [255, 0, 0, 255, 0, 0, 255, 0, 0, 255, 0, 0])
  }

  @Test func enterfacePaths() {
    #expect(
      EnterfaceLayout.relativePath(subject: 7, label: .anger, take: 3) == "subject 7/anger/sentence 3/s7_an_3.avi")
    let sources = SyntheticGenerator.clipSources(.small)
    #expect(
      EnterfaceLayout.relativePath(of: sources[13], fileExtension: "mp4") == "subject 2/anger/sentence 2/s2_an_2.mp4")
    let file = ClipSource(id: "f", subject: "1", label: .fear, location: .file(path: "/f.avi"))
    #expect(EnterfaceLayout.relativePath(of: file) == nil)
  }
}

func meanAbsoluteDifference(_ a: [Float], _ b: [Float]) -> Float {
  zip(a, b).reduce(0) { $0 + abs($1.0 - $1.1) } / Float(a.count)
}
