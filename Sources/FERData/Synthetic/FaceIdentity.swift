import FERCore

// The look of one synthetic subject: face shape, colours and feature
// placement. Every clip of a subject is drawn with the same identity, so a
// model must learn expressions, not faces — and subject-group folds test it on
// faces it has never seen.
//
// Face coordinates: origin at the face centre, x to the right, y downwards,
// one unit = half the frame side when the head is at scale 1 (the frame spans
// [-1, 1] on both axes). The face fills most of the frame, as a face crop does.

typealias RGB = SIMD3<Float>

/// Per-subject appearance, drawn once per subject from the spec's seed.
struct FaceIdentity: Sendable {
  var faceHalfWidth: Float  // ellipse half-axes of the face outline
  var faceHalfHeight: Float
  var jawTaper: Float  // 0 = plain ellipse; larger narrows the chin (egg shape)
  var skin: RGB
  var hair: RGB
  var hairline: Float  // y of the hair's lower edge at the middle of the forehead
  var background: RGB
  var eyeSpacing: Float  // half the distance between the eye centres
  var eyeY: Float
  var eyeHalfWidth: Float
  var eyeHalfHeight: Float  // at rest; expressions and blinks scale it
  var iris: RGB
  var browGap: Float  // brow line above the eye centre
  var browHalfLength: Float
  var browThickness: Float
  var brow: RGB
  var noseTipY: Float
  var mouthY: Float
  var mouthHalfWidth: Float
  var lipThickness: Float
  var lip: RGB

  /// Draws an identity; the ranges keep every feature inside the face at any expression.
  /// `spread` (0…1, SyntheticVariation.faces) narrows every range around its middle.
  static func draw(spread: Float = 1, rng: inout SeededRNG) -> FaceIdentity {
    func uniform(_ low: Float, _ high: Float) -> Float {
      narrowed(rng.nextUniform(low, high), around: (low + high) / 2, by: spread)
    }
    // Skin from light to dark along a warm line, with a little hue scatter.
    let tone = uniform(0, 1)
    let skin =
      RGB(0.96, 0.80, 0.68) * (1 - tone) + RGB(0.42, 0.28, 0.20) * tone
      + RGB(uniform(-0.03, 0.03), uniform(-0.03, 0.03), uniform(-0.03, 0.03))
    let hairPalette: [RGB] = [
      RGB(0.08, 0.06, 0.05), RGB(0.25, 0.15, 0.08), RGB(0.45, 0.30, 0.15), RGB(0.75, 0.60, 0.35), RGB(0.5, 0.48, 0.46),
    ]
    let hair = hairPalette[rng.nextInt(below: hairPalette.count)]
    let irisPalette: [RGB] = [RGB(0.25, 0.15, 0.08), RGB(0.15, 0.3, 0.5), RGB(0.25, 0.4, 0.25), RGB(0.1, 0.08, 0.06)]
    let iris = irisPalette[rng.nextInt(below: irisPalette.count)]
    let background = RGB(uniform(0.2, 0.85), uniform(0.2, 0.85), uniform(0.2, 0.85))
    let faceHalfWidth = uniform(0.58, 0.70)
    return FaceIdentity(
      faceHalfWidth: faceHalfWidth, faceHalfHeight: uniform(0.80, 0.90), jawTaper: uniform(0.05, 0.3),
      skin: skin, hair: hair, hairline: uniform(-0.68, -0.55), background: background,
      eyeSpacing: faceHalfWidth * uniform(0.36, 0.44), eyeY: uniform(-0.14, -0.06),
      eyeHalfWidth: uniform(0.085, 0.11), eyeHalfHeight: uniform(0.042, 0.056), iris: iris,
      browGap: uniform(0.11, 0.15), browHalfLength: uniform(0.085, 0.115), browThickness: uniform(0.022, 0.045),
      brow: hair * 0.7, noseTipY: uniform(0.14, 0.22), mouthY: uniform(0.40, 0.48),
      mouthHalfWidth: uniform(0.16, 0.21), lipThickness: uniform(0.022, 0.036),
      lip: skin * RGB(0.85, 0.55, 0.55) + RGB(0.06, 0, 0))
  }
}
