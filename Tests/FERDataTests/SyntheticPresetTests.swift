import FERCore
import Foundation
import Testing

@testable import FERData

/// The presets `starter` (the one a terminal default learns from) and `lag`
/// (the class decided early in a long clip), and the spec fields they use.
@Suite("Synthetic presets starter and lag")
struct SyntheticPresetTests {
  static let starter = SyntheticGenerator.generate(.starter)
  static let lag = SyntheticGenerator.generate(.lag)

  @Test func shapes() {
    for (dataset, frames) in [(Self.starter, 12), (Self.lag, 32)] {
      #expect(dataset.clips.count == 600)
      #expect(dataset.subjects.count == 50)
      #expect(dataset.classCounts == [Int](repeating: 100, count: 6))
      #expect(dataset.frameCount == frames && dataset.size == 24)
      #expect(dataset.clips.allSatisfy { $0.frames.shape == [frames, 3, 24, 24] })
      #expect(dataset.clips.allSatisfy { $0.frames.data.allSatisfy { $0 >= 0 && $0 <= 1 } })
    }
    #expect(SyntheticSpec.starter.expressionFrames == 12)
    #expect(SyntheticSpec.lag.expressionFrames == 12)
    #expect(SyntheticSpec.presets["starter"] == .starter && SyntheticSpec.presets["lag"] == .lag)
  }

  @Test func sameSeedSameFingerprint() throws {
    for spec in [SyntheticSpec.starter, .lag] {
      let few = try spec.with(subjects: 3, clipsPerClass: 1)
      let a = SyntheticGenerator.generate(few)
      #expect(a.fingerprint == SyntheticGenerator.generate(few).fingerprint)
      #expect(a.clips.map(\.frames) == SyntheticGenerator.generate(few).clips.map(\.frames))
      #expect(SyntheticGenerator.generate(try few.with(seed: few.seed + 1)).fingerprint != a.fingerprint)
    }
    #expect(Self.starter.fingerprint == SyntheticGenerator.generate(.starter).fingerprint)
  }

  /// `default` and `small` draw the pixels they always drew: the new fields, at their
  /// full-spread values, are neither in their provenance nor in their arithmetic.
  /// (The fingerprint is the one Sessions/quick.jsonl recorded for `load synthetic small`.)
  @Test func olderPresetsDrawAsBefore() {
    #expect(SyntheticGenerator.generate(.small).fingerprintHex == "677a41731cb11822")
    #expect(!SyntheticSpec.default.canonicalJSON.contains("generator"))
    #expect(SyntheticSpec.starter.canonicalJSON.contains(#""generator":2"#))
    for value: Float in [0, 0.1, -0.37, 1.12, 1.28, 3e-7, -5] {
      #expect(narrowed(value, around: 1.2, by: 1) == value)
      #expect(narrowed(value, around: -0.3, by: 0) == -0.3)
    }
  }

  /// In the new presets, as in `default`, fear's expression is surprise's played backwards
  /// and disgust's is anger's — within the expression span, the neutral stretch after it untouched.
  @Test func timeOrderPairsDifferOnlyByOrder() {
    for spec in [SyntheticSpec.starter, .lag] {
      let span = spec.expressionFrames
      for (forward, backward) in [(Emotion.surprise, Emotion.fear), (.anger, .disgust)] {
        for seed in 0..<10 as Range<UInt64> {
          var a = SeededRNG(seed: seed)
          var b = SeededRNG(seed: seed)
          let first = SyntheticGenerator.expressionTrack(spec, label: forward, rng: &a).poses
          let second = SyntheticGenerator.expressionTrack(spec, label: backward, rng: &b).poses
          #expect(first.count == spec.frames && second.count == spec.frames)
          #expect(Array(second[..<span]) == Array(first[..<span].reversed()))
          #expect(first[span...].allSatisfy { $0 == ExpressionPose() } && second[span...] == first[span...])
          #expect(first != second)
        }
      }
    }
  }

  @Test func newFieldsAreChecked() {
    func refused(_ make: () throws -> SyntheticSpec) -> String? {
      do {
        _ = try make()
        return nil
      } catch { return (error as? SyntheticSpecError)?.field ?? "\(error)" }
    }
    let starter = SyntheticSpec.starter
    let fields = [
      refused { try starter.with(variation: SyntheticVariation(headMotion: 1.5)) },
      refused { try starter.with(variation: SyntheticVariation(faces: -0.1)) },
      refused { try starter.with(variation: SyntheticVariation(blinks: .nan)) },
      refused { try starter.with(generator: 3) },
      refused { try SyntheticSpec.lag.with(expressionSpan: 0) },
      refused { try SyntheticSpec.lag.with(expressionSpan: 1.01) },
      refused { try SyntheticSpec.lag.with(frames: 8) },  // 0.375 × 8 = 3 frames
      refused { try SyntheticSpec.lag.with(frames: 11) },  // 4.125 → 4 frames: accepted
    ]
    #expect(
      fields == [
        "variation.headMotion", "variation.faces", "variation.blinks", "generator", "expressionSpan",
        "expressionSpan", "expressionSpan", nil,
      ])
  }

  @Test func codableKeepsNewFieldsAndReadsOldSpecs() throws {
    for spec in [SyntheticSpec.starter, .lag] {
      #expect(try JSONDecoder().decode(SyntheticSpec.self, from: JSONEncoder().encode(spec)) == spec)
    }
    let old = Data(#"{"subjects":10,"clipsPerClass":2,"frames":8,"size":32,"seed":2005,"noise":0.02}"#.utf8)
    #expect(try JSONDecoder().decode(SyntheticSpec.self, from: old) == .small)
    let partial = Data(
      #"{"subjects":2,"clipsPerClass":1,"frames":8,"size":24,"seed":1,"noise":0,"variation":{"blinks":0}}"#.utf8)
    let decoded = try JSONDecoder().decode(SyntheticSpec.self, from: partial)
    #expect(decoded.variation == SyntheticVariation(blinks: 0) && decoded.generator == 1)
  }
}
