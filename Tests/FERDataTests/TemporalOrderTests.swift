import FERCore
import Testing

@testable import FERData

/// Surprise/fear and anger/disgust share an apex and differ only in time
/// order (the second of each pair is the first played backwards), so only a
/// model of the sequence can separate them.
@Suite("Synthetic dynamics: pairs that only time order separates")
struct TemporalOrderTests {
  static let pairs: [(Emotion, Emotion)] = [(.surprise, .fear), (.anger, .disgust)]

  @Test func pairsShareTheirApex() {
    for (forward, backward) in Self.pairs {
      #expect(ExpressionPose.apex(forward) == ExpressionPose.apex(backward))
    }
    let apexes = [Emotion.anger, .happiness, .sadness, .surprise].map(ExpressionPose.apex)
    for i in apexes.indices { for j in apexes.indices where i != j { #expect(apexes[i] != apexes[j]) } }
  }

  /// From the same random draws, the second class's track is the first's reversed.
  @Test func reversedTracks() {
    for (forward, backward) in Self.pairs {
      for seed in 0..<20 as Range<UInt64> {
        var a = SeededRNG(seed: seed)
        var b = SeededRNG(seed: seed)
        let track = ExpressionTrack.draw(forward, frames: 16, rng: &a)
        #expect(ExpressionTrack.draw(backward, frames: 16, rng: &b) == track.reversed())
        #expect(track != track.reversed())
      }
    }
  }

  /// The forward class changes fastest on its way up (before the peak), the
  /// reversed one on its way down — in every clip.
  @Test func fastestChangeComesBeforeOrAfterThePeak() {
    for (forward, backward) in Self.pairs {
      for seed in 0..<50 as Range<UInt64> {
        for (emotion, peaksLate) in [(forward, false), (backward, true)] {
          var rng = SeededRNG(seed: seed)
          let track = ExpressionTrack.draw(emotion, frames: 16, rng: &rng)
          let level = track.poses.map { abs($0.browRaise) + abs($0.browInner) + abs($0.mouthOpen) + abs($0.mouthWidth) }
          let peak = level.indices.max { level[$0] < level[$1] } ?? 0
          let steps = (1..<level.count).map { abs(level[$0] - level[$0 - 1]) }
          let fastest = (steps.indices.max { steps[$0] < steps[$1] } ?? 0) + 1  // step into frame `fastest`
          #expect(peaksLate ? fastest > peak : fastest <= peak, "\(emotion), seed \(seed)")
          #expect(level.first == 0 && level.last == 0, "\(emotion) must start and end neutral")
        }
      }
    }
  }

  /// Rendered with a still head, even light and no noise, a fear clip is a
  /// surprise clip's frames in reverse order, pixel for pixel.
  @Test func renderedFramesAreExactlyReversed() throws {
    let spec = try SyntheticSpec.small.with(noise: 0)
    let identity = SyntheticGenerator.identity(spec, subjectIndex: 3)
    let rasterizer = FaceRasterizer(size: spec.size, noise: 0)
    let still = Nuisance.still(frames: spec.frames)
    let plane = 3 * spec.size * spec.size
    for (forward, backward) in Self.pairs {
      var a = SeededRNG(seed: 5)
      var b = SeededRNG(seed: 5)
      var noise = SeededRNG(seed: 0)
      let first = rasterizer.render(
        identity: identity, track: .draw(forward, frames: spec.frames, rng: &a), nuisance: still, rng: &noise)
      let second = rasterizer.render(
        identity: identity, track: .draw(backward, frames: spec.frames, rng: &b), nuisance: still, rng: &noise)
      for t in 0..<spec.frames {
        let reversedFrame = spec.frames - 1 - t
        #expect(
          first[(t * plane)..<((t + 1) * plane)] == second[(reversedFrame * plane)..<((reversedFrame + 1) * plane)])
      }
      #expect(first != second)
    }
  }

  /// With head motion, light drift and blinks, a fear clip under the reversed
  /// nuisance is the surprise clip backwards, pixel for pixel (noise aside,
  /// which is independent per pixel and frame).
  @Test func reversedClipUnderReversedNuisance() throws {
    let spec = try SyntheticSpec.small.with(noise: 0)
    let rasterizer = FaceRasterizer(size: spec.size, noise: 0)
    let plane = 3 * spec.size * spec.size
    for (forward, backward) in Self.pairs {
      for seed in 0..<3 as Range<UInt64> {
        let identity = SyntheticGenerator.identity(spec, subjectIndex: Int(seed))
        var scene = SeededRNG(seed: 100 + seed)
        var a = SeededRNG(seed: seed)
        var b = SeededRNG(seed: seed)
        var noise = SeededRNG(seed: 0)
        let nuisance = Nuisance.draw(frames: spec.frames, rng: &scene)
        let first = rasterizer.render(
          identity: identity, track: .draw(forward, frames: spec.frames, rng: &a), nuisance: nuisance, rng: &noise)
        let second = rasterizer.render(
          identity: identity, track: .draw(backward, frames: spec.frames, rng: &b), nuisance: nuisance.reversed(),
          rng: &noise)
        let backwards = (0..<spec.frames).reversed().flatMap { first[($0 * plane)..<(($0 + 1) * plane)] }
        #expect(second == backwards)
      }
    }
  }

  /// The nuisance is as likely backwards as forwards: its per-frame statistics
  /// at the first and last frames (and at mirrored frames) agree over many draws.
  @Test func nuisanceIsTimeSymmetric() {
    let frames = 16
    let draws = 4000
    var offsetSpread = [Float](repeating: 0, count: frames)
    var gain = [Float](repeating: 0, count: frames)
    var blinks = [Float](repeating: 0, count: frames)
    var rng = SeededRNG(seed: 11)
    for _ in 0..<draws {
      let n = Nuisance.draw(frames: frames, rng: &rng)
      for t in 0..<frames {
        offsetSpread[t] += n.head[t].offset.x * n.head[t].offset.x
        gain[t] += n.light[t].gain
        blinks[t] += n.blink[t]
      }
    }
    let scale = 1 / Float(draws)
    for t in 0..<frames / 2 {
      let m = frames - 1 - t
      #expect(
        abs(offsetSpread[t] - offsetSpread[m]) * scale < 0.08 * offsetSpread[t] * scale, "head spread at \(t) vs \(m)")
      #expect(abs(gain[t] - gain[m]) * scale < 0.01, "gain at \(t) vs \(m)")
      #expect(abs(blinks[t] - blinks[m]) * scale < 0.03, "blinks at \(t) vs \(m)")
    }
    // Stationary wobble: frame 0 varies as much as a frame in the middle.
    #expect(abs(offsetSpread[0] - offsetSpread[frames / 2]) < 0.08 * offsetSpread[0])
  }
}
