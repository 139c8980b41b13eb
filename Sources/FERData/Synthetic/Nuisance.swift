import FERCore
import Foundation

// What varies in a clip besides the expression: the head wobbles, the light
// drifts, the eyes blink. All of it is drawn forwards in time and the same way
// for every class, so none of it tells classes apart.

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

  static func draw(frames: Int, rng: inout SeededRNG) -> Nuisance {
    // Head: a per-clip placement plus a smooth AR(1) wobble around it.
    let base = HeadPose(
      offset: SIMD2(0.03 * rng.nextNormal(), 0.04 + 0.03 * rng.nextNormal()), rotation: 0.04 * rng.nextNormal(),
      scale: rng.nextUniform(1.12, 1.28))
    var wobble = HeadPose(offset: .zero, rotation: 0, scale: 0)
    var head: [HeadPose] = []
    for _ in 0..<frames {
      wobble.offset = 0.75 * wobble.offset + SIMD2(0.012 * rng.nextNormal(), 0.012 * rng.nextNormal())
      wobble.rotation = 0.75 * wobble.rotation + 0.012 * rng.nextNormal()
      wobble.scale = 0.75 * wobble.scale + 0.006 * rng.nextNormal()
      head.append(
        HeadPose(
          offset: base.offset + wobble.offset, rotation: base.rotation + wobble.rotation,
          scale: base.scale + wobble.scale))
    }

    // Light: gain drifting linearly over the clip, a gradient whose direction turns slowly, a fixed tint.
    let gain = rng.nextUniform(0.85, 1.1), drift = 0.08 * rng.nextNormal()
    let strength = rng.nextUniform(0, 0.18)
    let angle = rng.nextUniform(0, 2 * .pi), turn = 0.4 * rng.nextNormal()
    let warmth = 0.04 * rng.nextNormal()
    let tint = RGB(1 + warmth, 1, 1 - warmth)
    var light: [Lighting] = []
    for t in 0..<frames {
      let u = Float(t) / Float(max(frames - 1, 1))
      let a = angle + turn * u
      light.append(
        Lighting(gain: gain + drift * (u - 0.5), gradient: strength * SIMD2(cosf(a), sinf(a)), tint: tint))
    }

    // Blinks: each frame may start one (about one per 12 frames); the lid shuts at once and reopens over a frame.
    var blink = [Float](repeating: 0, count: frames)
    var t = 0
    while t < frames {
      if rng.nextUniform() < 0.08 {
        blink[t] = max(blink[t], rng.nextUniform(0.8, 1))
        if t + 1 < frames { blink[t + 1] = max(blink[t + 1], 0.45) }
        t += 3
      } else {
        t += 1
      }
    }
    return Nuisance(head: head, light: light, blink: blink)
  }
}
