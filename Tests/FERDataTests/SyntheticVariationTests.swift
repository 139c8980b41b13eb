import FERCore
import Testing

@testable import FERData

/// The variation factors: what they scale, and why `starter` turns them down.
@Suite("Synthetic variation")
struct SyntheticVariationTests {
  /// Head motion scales the head's offset, tilt and wobble around its centre: the same draws at
  /// factor 0.1 lie a tenth as far from the centre as at factor 1.
  @Test func headMotionScalesTheHeadAroundItsCentre() {
    for seed in 0..<20 as Range<UInt64> {
      var a = SeededRNG(seed: seed)
      var b = SeededRNG(seed: seed)
      let full = Nuisance.draw(frames: 12, rng: &a)
      let calm = Nuisance.draw(frames: 12, variation: SyntheticVariation(headMotion: 0.1), rng: &b)
      for t in 0..<12 {
        #expect(abs(calm.head[t].rotation - 0.1 * full.head[t].rotation) < 1e-6)
        #expect(abs(calm.head[t].offset.x - 0.1 * full.head[t].offset.x) < 1e-6)
        #expect(abs((calm.head[t].scale - 1.2) - 0.1 * (full.head[t].scale - 1.2)) < 1e-5)
      }
      #expect(calm.light == full.light && calm.blink == full.blink)
    }
  }

  @Test func noVariationMeansStillHeadEvenLightNoBlinks() {
    var rng = SeededRNG(seed: 3)
    let none = SyntheticVariation(faces: 0, headMotion: 0, lighting: 0, blinks: 0)
    let n = Nuisance.draw(frames: 16, variation: none, rng: &rng)
    #expect(n.head.allSatisfy { $0.offset == SIMD2(0, 0.04) && $0.rotation == 0 && $0.scale == 1.2 })
    #expect(n.light.allSatisfy { $0.gain == 0.975 && $0.gradient == .zero && $0.tint == RGB(1, 1, 1) })
    #expect(n.blink.allSatisfy { $0 == 0 })
    var x = SeededRNG(seed: 1)
    var y = SeededRNG(seed: 2)
    let a = FaceIdentity.draw(spread: 0, rng: &x)
    let b = FaceIdentity.draw(spread: 0, rng: &y)
    #expect(a.faceHalfWidth == b.faceHalfWidth && a.mouthY == b.mouthY && a.skin == b.skin)
  }

  /// The diagnosis behind `starter`: after centring each clip on its mean frame, how much of
  /// what moves is the expression. Each part is rendered alone (same identity, clip draws and
  /// placement; no sensor noise). In `default`'s scene the head's wobble and the light move
  /// more than the expression does; in `starter`'s the expression is most of it.
  @Test func expressionIsMostOfWhatMovesInStarter() throws {
    func expressionShare(_ spec: SyntheticSpec) -> Double {
      let raster = FaceRasterizer(size: spec.size, noise: 0)
      var expression = 0.0, scene = 0.0
      for clip in 0..<36 {
        let identity = SyntheticGenerator.identity(spec, subjectIndex: clip / 12)
        let label = Emotion.allCases[clip % Emotion.count]
        var streams = ClipStreams(spec, clipIndex: clip)
        let track = streams.draw(.expression) { SyntheticGenerator.expressionTrack(spec, label: label, rng: &$0) }
        let moving = streams.draw(.scene) { Nuisance.draw(frames: spec.frames, variation: spec.variation, rng: &$0) }
        var placed = Nuisance.still(frames: spec.frames)
        placed.head = Array(repeating: moving.head[0], count: spec.frames)
        let neutral = ExpressionTrack(poses: Array(repeating: ExpressionPose(), count: spec.frames))
        var unused = SeededRNG(seed: 0)
        expression += centredEnergy(
          raster.render(identity: identity, track: track, nuisance: placed, rng: &unused), frames: spec.frames)
        scene += centredEnergy(
          raster.render(identity: identity, track: neutral, nuisance: moving, rng: &unused), frames: spec.frames)
      }
      return expression / (expression + scene)
    }
    let starter = expressionShare(.starter)
    let defaultScene = expressionShare(try SyntheticSpec.starter.with(variation: .full))
    #expect(starter > 0.75, "starter: expression \(starter) of what moves")
    #expect(defaultScene < 0.35, "default's scene: expression \(defaultScene) of what moves")
  }
}

/// Σ_t Σ_i (x_t,i − mean_t x_t,i)² of a clip [T, …]: what is left after centring on the mean frame.
func centredEnergy(_ x: [Float], frames: Int) -> Double {
  let plane = x.count / frames
  var energy = 0.0
  for i in 0..<plane {
    var mean = 0.0
    for t in 0..<frames { mean += Double(x[t * plane + i]) }
    mean /= Double(frames)
    for t in 0..<frames {
      let d = Double(x[t * plane + i]) - mean
      energy += d * d
    }
  }
  return energy
}
