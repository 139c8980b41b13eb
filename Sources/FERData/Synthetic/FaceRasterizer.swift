import FERCore
import Foundation

// Draws synthetic faces straight at S×S. Every shape is a signed distance d
// (negative inside) in face units, turned into an antialiased coverage
// clamp(0.5 − d / pixel, 0, 1), where `pixel` is one pixel's size in face
// units; shapes are composited back to front. Shapes are tested against a
// bounding box first so a pixel pays only for the features near it.
//
// Layers, back to front: background, neck, hair behind the head, face (shaded
// towards the rim), forehead / brow / nose / nasolabial wrinkles, nose,
// fringe, brows, eyes (sclera, iris, pupil, lid line), mouth (lips, opening,
// teeth). Then the frame's lighting and sensor noise.

struct FaceRasterizer {
  let size: Int
  let noise: Float

  /// A clip's frames, [T, 3, S, S] planar RGB in [0, 1]; `rng` supplies the sensor noise.
  func render(identity: FaceIdentity, track: ExpressionTrack, nuisance: Nuisance, rng: inout SeededRNG) -> [Float] {
    let frames = track.poses.count
    let plane = size * size
    var out = [Float](repeating: 0, count: frames * 3 * plane)
    out.withUnsafeMutableBufferPointer { buffer in
      for t in 0..<frames {
        let geometry = FaceGeometry(identity: identity, pose: track.poses[t], blink: nuisance.blink[t])
        drawFrame(
          geometry, identity, head: nuisance.head[t], light: nuisance.light[t],
          into: buffer.baseAddress! + t * 3 * plane, rng: &rng)
      }
    }
    return out
  }

  /// One frame into `out` ([3, S, S]).
  private func drawFrame(
    _ g: FaceGeometry, _ id: FaceIdentity, head: HeadPose, light: Lighting, into out: UnsafeMutablePointer<Float>,
    rng: inout SeededRNG
  ) {
    let plane = size * size
    let step = 2 / Float(size)  // one pixel in frame units
    let pixel = PixelScale(size: step / head.scale)  // one pixel in face units
    // Frame → face: undo the head's offset, rotation and scale.
    let c = cosf(head.rotation) / head.scale
    let s = sinf(head.rotation) / head.scale
    for y in 0..<size {
      let v = (Float(y) + 0.5) * step - 1
      for x in 0..<size {
        let u = (Float(x) + 0.5) * step - 1
        let d = SIMD2(u, v) - head.offset
        let p = SIMD2(c * d.x + s * d.y, -s * d.x + c * d.y)
        var color = shade(p, frame: SIMD2(u, v), g, id, pixel: pixel)
        color *= (light.gain + light.gradient.x * u + light.gradient.y * v) * light.tint
        let i = y * size + x
        for channel in 0..<3 {
          var value = color[channel]
          if noise > 0 { value += noise * irwinHall4(rng.next()) }
          out[channel * plane + i] = min(max(value, 0), 1)
        }
      }
    }
  }

  /// The colour of face point `p` (frame point `frame`) before lighting.
  private func shade(_ p: SIMD2<Float>, frame: SIMD2<Float>, _ g: FaceGeometry, _ id: FaceIdentity, pixel: PixelScale)
    -> RGB
  {
    // Face: an ellipse narrowed towards the chin.
    let below = max(0, p.y / id.faceHalfHeight)
    let q = SIMD2(p.x / (1 - id.jawTaper * below * below), p.y)
    let face = ellipseDistance(q, inverseRadii: g.faceInverseRadii)
    let rim = min((q * g.faceInverseRadii * q * g.faceInverseRadii).sum(), 1)
    let skin = id.skin * (1 - 0.22 * rim)
    // Well inside the face nothing behind it shows.
    guard face > -pixel.size else { return drawFeatures(skin, p, g, id, pixel: pixel) }

    var color = id.background * (0.88 - 0.12 * frame.y)
    // Neck: a capsule under the chin.
    if abs(p.x) < 0.5, p.y > 0.3 {
      let neck = segmentDistance(p, SIMD2(0, 0.55), SIMD2(0, 2)) - 0.55 * id.faceHalfWidth
      color = mix(color, id.skin * 0.78, coverage(neck, pixel))
    }
    // Hair behind the head: the top of a slightly larger ellipse.
    if p.y < 0.15 {
      let back = max(ellipseDistance(p - SIMD2(0, -0.06), inverseRadii: g.hairInverseRadii), p.y - 0.1)
      color = mix(color, id.hair, coverage(back, pixel))
    }
    guard face < pixel.size else { return color }
    color = mix(color, skin, coverage(face, pixel))
    return face < 0 ? drawFeatures(color, p, g, id, pixel: pixel) : color
  }

  /// Wrinkles, nose, fringe, brows, eyes and mouth over the face colour `base`.
  private func drawFeatures(_ base: RGB, _ p: SIMD2<Float>, _ g: FaceGeometry, _ id: FaceIdentity, pixel: PixelScale)
    -> RGB
  {
    var color = base
    drawWrinkles(&color, p, g, id, pixel: pixel)
    drawNose(&color, p, g, id, pixel: pixel)
    // Fringe: hair above a line that curves down towards the temples.
    if p.y < id.hairline + 0.2 {
      let fringe = p.y - (id.hairline + 0.45 * p.x * p.x)
      color = mix(color, id.hair, coverage(fringe, pixel))
    }
    drawBrow(&color, p, p.x < 0 ? g.leftBrow : g.rightBrow, id, pixel: pixel)
    drawEye(&color, p, p.x < 0 ? g.leftEye : g.rightEye, id, pixel: pixel)
    drawMouth(&color, p, g.mouth, id, pixel: pixel)
    return color
  }

  private func drawBrow(
    _ color: inout RGB, _ p: SIMD2<Float>, _ brow: FaceGeometry.Brow, _ id: FaceIdentity, pixel: PixelScale
  ) {
    guard abs(p.y - brow.middle.y) < 0.12 else { return }
    let d = min(
      segmentDistance(p, brow.inner, brow.middle) - brow.thickness,
      segmentDistance(p, brow.middle, brow.outer) - 0.8 * brow.thickness)
    color = mix(color, id.brow, coverage(d, pixel))
  }

  private func drawEye(
    _ color: inout RGB, _ p: SIMD2<Float>, _ eye: FaceGeometry.Eye, _ id: FaceIdentity, pixel: PixelScale
  ) {
    let e = p - eye.center
    guard abs(e.x) < eye.halfWidth + 3 * pixel.size, abs(e.y) < 2 * id.eyeHalfHeight + 3 * pixel.size else { return }
    let sclera = ellipseDistance(e, inverseRadii: 1 / SIMD2(eye.halfWidth, eye.halfHeight))
    let inside = coverage(sclera, pixel)
    color = mix(color, RGB(0.93, 0.92, 0.88), inside)
    let toCenter = (e * e).sum().squareRoot()
    color = mix(color, id.iris, inside * coverage(toCenter - eye.irisRadius, pixel))
    color = mix(color, RGB(0.03, 0.03, 0.03), inside * coverage(toCenter - 0.45 * eye.irisRadius, pixel))
    // Lid line: the outline, strong along the upper lid; a shut eye is just this line.
    let lid = coverage(abs(sclera) - 0.011, pixel) * (e.y < 0 ? 0.95 : 0.4)
    color = mix(color, RGB(0.1, 0.07, 0.06), lid)
  }

  private func drawMouth(
    _ color: inout RGB, _ p: SIMD2<Float>, _ m: FaceGeometry.Mouth, _ id: FaceIdentity, pixel: PixelScale
  ) {
    guard abs(p.x) < m.halfWidth + 3 * pixel.size, p.y > m.centerY - 0.2, p.y < m.centerY + 0.25 else { return }
    // Curves as functions of ξ = x / half-width: the lip line is a parabola
    // through the lifted corners; the opening spreads above and below it.
    let xi = p.x / m.halfWidth
    let spread = max(0, 1 - xi * xi)
    let lineY = m.centerY - m.cornerLift * xi * xi + 0.3 * m.cornerLift
    let top = lineY - (0.22 * m.openHalfHeight + m.upperLipLift) * spread
    let bottom = lineY + m.openHalfHeight * spread
    let beyondCorner = (abs(xi) - 1) * m.halfWidth
    let lipRoot = spread.squareRoot()

    let upperLip = max(max(top - m.lipThickness * lipRoot - p.y, p.y - top), beyondCorner)
    let lowerLip = max(max(bottom - p.y, p.y - bottom - 1.25 * m.lipThickness * lipRoot), beyondCorner)
    color = mix(color, id.lip, coverage(min(upperLip, lowerLip), pixel))
    color = mix(color, id.lip * 0.35, 0.8 * coverage(max(abs(p.y - lineY) - 0.006, beyondCorner), pixel))
    let opening = max(max(top - p.y, p.y - bottom), beyondCorner)
    let open = coverage(opening, pixel)
    guard open > 0 else { return }
    color = mix(color, RGB(0.22, 0.05, 0.05), open)
    let teeth = max(max(top - p.y, p.y - (top + 0.45 * (bottom - top))), (abs(xi) - 0.72) * m.halfWidth)
    color = mix(color, RGB(0.92, 0.9, 0.84), open * coverage(teeth, pixel))
  }

  private func drawNose(_ color: inout RGB, _ p: SIMD2<Float>, _ g: FaceGeometry, _ id: FaceIdentity, pixel: PixelScale)
  {
    guard abs(p.x) < 0.12, p.y > id.eyeY, p.y < g.noseTipY + 0.05 else { return }
    let bridge =
      segmentDistance(SIMD2(abs(p.x), p.y), SIMD2(0.03, id.eyeY + 0.05), SIMD2(0.05, g.noseTipY - 0.03)) - 0.01
    color = mix(color, id.skin * 0.7, 0.3 * coverage(bridge, pixel))
    let nostril = ellipseDistance(SIMD2(abs(p.x) - 0.045, p.y - g.noseTipY), inverseRadii: SIMD2(1 / 0.022, 1 / 0.011))
    color = mix(color, id.skin * 0.4, 0.9 * coverage(nostril, pixel))
  }

  /// Expression wrinkles as thin dark lines whose opacity follows the pose.
  private func drawWrinkles(
    _ color: inout RGB, _ p: SIMD2<Float>, _ g: FaceGeometry, _ id: FaceIdentity, pixel: PixelScale
  ) {
    let crease = id.skin * 0.68
    let ax = abs(p.x)
    if g.foreheadLines > 0, ax < 0.25, p.y < g.browLineY - 0.08 {
      for k in 0..<3 {
        let y0 = g.browLineY - 0.13 - 0.055 * Float(k)
        let d = max(abs(p.y - (y0 + 0.3 * p.x * p.x)) - 0.006, ax - 0.22)
        color = mix(color, crease, 0.65 * g.foreheadLines * coverage(d, pixel))
      }
    }
    if g.browFurrow > 0, ax < 0.08, abs(p.y - g.browLineY) < 0.12 {
      let d = segmentDistance(SIMD2(ax, p.y), SIMD2(0.025, g.browLineY - 0.03), SIMD2(0.04, g.browLineY + 0.07)) - 0.006
      color = mix(color, crease, 0.75 * g.browFurrow * coverage(d, pixel))
    }
    if g.noseWrinkle > 0, ax < 0.08, abs(p.y - (id.eyeY + 0.08)) < 0.05 {
      for k in 0..<2 {
        let y0 = id.eyeY + 0.06 + 0.035 * Float(k)
        let d = max(abs(p.y - (y0 - 0.8 * p.x * p.x)) - 0.005, ax - 0.055)
        color = mix(color, crease, 0.7 * g.noseWrinkle * coverage(d, pixel))
      }
    }
    if g.nasolabial > 0, p.y > g.noseTipY - 0.05, p.y < g.mouth.centerY + 0.1 {
      let start = SIMD2<Float>(0.085, g.noseTipY - 0.02)
      let end = SIMD2(g.mouth.halfWidth + 0.04, g.mouth.centerY + 0.05)
      let middle = (start + end) * 0.5 + SIMD2(0.035, -0.01)
      let d = min(segmentDistance(SIMD2(ax, p.y), start, middle), segmentDistance(SIMD2(ax, p.y), middle, end)) - 0.007
      color = mix(color, crease, 0.7 * g.nasolabial * coverage(d, pixel))
    }
  }
}

// MARK: Distance and compositing helpers

/// One pixel's size in face units, with its reciprocal (coverage runs per shape per pixel: multiply, don't divide).
private struct PixelScale {
  let size: Float
  let inverse: Float
  init(size: Float) {
    self.size = size
    self.inverse = 1 / size
  }
}

/// Antialiased coverage of a shape at signed distance `d` (face units).
@inline(__always) private func coverage(_ d: Float, _ pixel: PixelScale) -> Float {
  min(max(0.5 - d * pixel.inverse, 0), 1)
}

@inline(__always) private func mix(_ a: RGB, _ b: RGB, _ t: Float) -> RGB { a + (b - a) * t }

/// Approximate signed distance to an axis-aligned ellipse centred at the origin, given the
/// reciprocals of its half-axes (Quílez's first-order approximation: exact on the axes, good near the rim).
@inline(__always) private func ellipseDistance(_ p: SIMD2<Float>, inverseRadii ir: SIMD2<Float>) -> Float {
  let a = p * ir
  let b = a * ir
  let k0 = (a * a).sum().squareRoot()
  let k1 = (b * b).sum().squareRoot()
  return k1 > 1e-6 ? k0 * (k0 - 1) / k1 : -1 / max(ir.x, ir.y)
}

/// Distance from `p` to the segment a–b.
@inline(__always) private func segmentDistance(_ p: SIMD2<Float>, _ a: SIMD2<Float>, _ b: SIMD2<Float>) -> Float {
  let pa = p - a
  let ba = b - a
  let h = min(max((pa * ba).sum() / (ba * ba).sum(), 0), 1)
  let e = pa - ba * h
  return (e * e).sum().squareRoot()
}

/// A zero-mean, unit-variance value from one 64-bit draw: the sum of four
/// 16-bit uniforms (Irwin–Hall, close to normal), scaled by √3. Cheaper than
/// Box–Muller for millions of noise samples.
@inline(__always) private func irwinHall4(_ bits: UInt64) -> Float {
  let a = Float(bits & 0xFFFF)
  let b = Float((bits >> 16) & 0xFFFF)
  let c = Float((bits >> 32) & 0xFFFF)
  let d = Float(bits >> 48)
  return ((a + b + c + d) * (1 / 65536) - 2) * 1.732_050_8
}
