import FERCore
import Foundation

// What varies in a clip besides the expression: the head wobbles, the light
// drifts, the eyes blink, drawn the same way for every class, so none of it
// tells classes apart.
//
// Every process here is time-reversible in distribution — a clip's nuisance
// played backwards is as likely as played forwards: the wobble is a stationary
// AR(1) process (it starts from its stationary spread), the light drifts
// linearly with a drift of random sign, and blinks are centred on frames
// independently with a symmetric lid profile (half, shut, half). So a class
// drawn as another's time reversal (ExpressionDynamics.swift) has exactly the
// reversed clip distribution, nuisance included, and no frame-level cue
// separates the two.

/// Head placement in the frame at one instant.
struct HeadPose: Sendable, Equatable {
  var offset: SIMD2<Float>  // face centre in frame units ([-1, 1] spans the frame)
  var rotation: Float  // radians, clockwise on screen
  var scale: Float  // 1 = one face unit is half the frame; above 1 the face is cropped closer
}

/// Scene light at one instant: overall gain, a linear gradient across the frame, a colour tint.
struct Lighting: Sendable, Equatable {
  var gain: Float
  var gradient: SIMD2<Float>  // added gain per frame unit along x and y
  var tint: RGB  // per-channel multiplier
}

/// Per-frame nuisance of one clip.
struct Nuisance: Sendable, Equatable {
  var head: [HeadPose]
  var light: [Lighting]
  /// Eyelid closure from blinks, 0 (open) … 1 (shut).
  var blink: [Float]

  /// A still head under constant, even light, no blinks (for tests that isolate the expression).
  static func still(frames: Int) -> Nuisance {
    Nuisance(
      head: Array(repeating: HeadPose(offset: .zero, rotation: 0, scale: 1), count: frames),
      light: Array(repeating: Lighting(gain: 1, gradient: .zero, tint: RGB(1, 1, 1)), count: frames),
      blink: Array(repeating: 0, count: frames))
  }

  /// The same nuisance backwards in time.
  func reversed() -> Nuisance { Nuisance(head: head.reversed(), light: light.reversed(), blink: blink.reversed()) }

  /// Draws a clip's nuisance; `variation`'s head motion, lighting and blink factors scale their spreads.
  static func draw(frames: Int, variation: SyntheticVariation = .full, rng: inout SeededRNG) -> Nuisance {
    let (h, l) = (variation.headMotion, variation.lighting)
    // Head: a per-clip placement plus a smooth, stationary AR(1) wobble around it.
    let base = HeadPose(
      offset: SIMD2(h * 0.03 * rng.nextNormal(), 0.04 + h * 0.03 * rng.nextNormal()),
      rotation: h * 0.04 * rng.nextNormal(), scale: narrowed(rng.nextUniform(1.12, 1.28), around: 1.2, by: h))
    let keep: Float = 0.75
    let stationary = 1 / (1 - keep * keep).squareRoot()
    func wobbleStep(_ previous: Float, _ spread: Float) -> Float { keep * previous + spread * rng.nextNormal() }
    var wobble = HeadPose(
      offset: SIMD2(h * 0.012 * stationary * rng.nextNormal(), h * 0.012 * stationary * rng.nextNormal()),
      rotation: h * 0.012 * stationary * rng.nextNormal(), scale: h * 0.006 * stationary * rng.nextNormal())
    var head: [HeadPose] = []
    for t in 0..<frames {
      if t > 0 {
        wobble.offset = SIMD2(wobbleStep(wobble.offset.x, h * 0.012), wobbleStep(wobble.offset.y, h * 0.012))
        wobble.rotation = wobbleStep(wobble.rotation, h * 0.012)
        wobble.scale = wobbleStep(wobble.scale, h * 0.006)
      }
      head.append(
        HeadPose(
          offset: base.offset + wobble.offset, rotation: base.rotation + wobble.rotation,
          scale: base.scale + wobble.scale))
    }

    // Light: gain drifting linearly over the clip, a gradient whose direction turns slowly, a fixed tint.
    let gain = narrowed(rng.nextUniform(0.85, 1.1), around: 0.975, by: l)
    let drift = l * 0.08 * rng.nextNormal()
    let strength = l * rng.nextUniform(0, 0.18)
    let angle = rng.nextUniform(0, 2 * .pi)
    let turn = l * 0.4 * rng.nextNormal()
    let warmth = l * 0.04 * rng.nextNormal()
    let tint = RGB(1 + warmth, 1, 1 - warmth)
    var light: [Lighting] = []
    for t in 0..<frames {
      let u = Float(t) / Float(max(frames - 1, 1))
      let a = angle + turn * u
      light.append(
        Lighting(gain: gain + drift * (u - 0.5), gradient: strength * SIMD2(cosf(a), sinf(a)), tint: tint))
    }

    // Blinks: each frame is the centre of one with probability 0.06 (about one
    // per 16 frames, times the blink factor); the lid is half shut, shut, half shut around the centre.
    var blink = [Float](repeating: 0, count: frames)
    for t in 0..<frames where rng.nextUniform() < 0.06 * variation.blinks {
      blink[t] = max(blink[t], rng.nextUniform(0.85, 1))
      for n in [t - 1, t + 1] where blink.indices.contains(n) { blink[n] = max(blink[n], 0.45) }
    }
    return Nuisance(head: head, light: light, blink: blink)
  }
}
