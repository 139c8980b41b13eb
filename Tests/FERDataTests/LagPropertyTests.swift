import FERCore
import Testing

@testable import FERData

/// `lag`: the class is decided by the first frames of a long clip; what follows
/// carries no information about it.
@Suite("Synthetic lag: the stretch after the expression carries no label")
struct LagPropertyTests {
  static let spec = SyntheticSpec.lag
  static var plane: Int { 3 * spec.size * spec.size }

  /// Frames t ≥ expressionFrames of a clip, as one array.
  static func late(_ frames: [Float]) -> ArraySlice<Float> { frames[(spec.expressionFrames * plane)...] }

  /// The same clip index drawn as each of the six classes: identical frames from the end of
  /// the expression span on, bit for bit (scene and noise have streams of their own), while
  /// the span itself differs between classes of different apex.
  @Test func lateFramesAreTheSameWhateverTheClass() {
    for clipIndex in [0, 17, 250, 599] {
      let identity = SyntheticGenerator.identity(Self.spec, subjectIndex: clipIndex / 12)
      let clips = Emotion.allCases.map {
        SyntheticGenerator.renderClip(Self.spec, identity: identity, label: $0, clipIndex: clipIndex)
      }
      for clip in clips.dropFirst() { #expect(Self.late(clip) == Self.late(clips[0]), "clip \(clipIndex)") }
      let early = clips.map { Array($0[..<(Self.spec.expressionFrames * Self.plane)]) }
      #expect(early[Emotion.anger.rawValue] != early[Emotion.happiness.rawValue])
      #expect(early[Emotion.surprise.rawValue] != early[Emotion.sadness.rawValue])
    }
  }

  /// The layout of generator 1 would not give this: the expression's draws shift the scene's.
  @Test func generatorOneWouldLeakTheClassIntoTheScene() throws {
    let shared = try Self.spec.with(generator: 1)
    let identity = SyntheticGenerator.identity(shared, subjectIndex: 0)
    let anger = SyntheticGenerator.renderClip(shared, identity: identity, label: .anger, clipIndex: 3)
    let happiness = SyntheticGenerator.renderClip(shared, identity: identity, label: .happiness, clipIndex: 3)
    #expect(Self.late(anger) != Self.late(happiness))
  }

  /// Across the whole preset, the late frames' statistics agree between classes: mean level
  /// and mean change per frame of each class lie within a small band (the classes share the
  /// same scene process, so they differ only by which clips they drew).
  @Test func lateStatisticsMatchAcrossClasses() {
    let dataset = SyntheticGenerator.generate(Self.spec)
    var level = [Double](repeating: 0, count: Emotion.count)
    var change = [Double](repeating: 0, count: Emotion.count)
    var count = [Double](repeating: 0, count: Emotion.count)
    let (start, plane) = (Self.spec.expressionFrames, Self.plane)
    for clip in dataset.clips {
      let x = clip.frames.data
      let k = clip.source.label.rawValue
      var sum = 0.0, moved = 0.0
      for t in start..<Self.spec.frames {
        for i in 0..<plane {
          sum += Double(x[t * plane + i])
          if t > start { moved += Double(abs(x[t * plane + i] - x[(t - 1) * plane + i])) }
        }
      }
      level[k] += sum / Double((Self.spec.frames - start) * plane)
      change[k] += moved / Double((Self.spec.frames - start - 1) * plane)
      count[k] += 1
    }
    let meanLevel = zip(level, count).map { $0 / $1 }
    let meanChange = zip(change, count).map { $0 / $1 }
    #expect((meanLevel.max() ?? 0) - (meanLevel.min() ?? 0) < 0.005, "\(meanLevel)")
    #expect((meanChange.max() ?? 0) / (meanChange.min() ?? 1) < 1.02, "\(meanChange)")
  }
}
