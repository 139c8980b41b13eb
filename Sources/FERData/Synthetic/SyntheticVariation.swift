// How much the synthetic clips vary in what does not decide their class:
// faces between subjects, and head motion, lighting and blinks within a clip.
// Each factor scales the spread the `default` preset draws with: 1 draws
// exactly as `default` does (bit for bit), 0 not at all, in between a spread
// narrowed around the same centre. Above 1 is refused: the ranges at 1 are
// the ones that keep every feature inside the face and the face in the frame.
//
// Why it matters: after the RGB stream's centring (ClipStandardisation.swift)
// a clip is what changes over time. At `default`'s spread the head's sub-pixel
// wobble moves every edge of face, hair and background in every frame: in 120
// clips at 24×24 it held 2.5× the centred energy of the expression, light drift
// 0.8×, so the expression is about a fifth of what moves, and a ConvLSTM trained
// on a few hundred clips learns its training clips' wobble (100 % train, chance
// to 45 % test). `starter`'s factors leave the expression about 86 % of it
// (SyntheticVariationTests measures both).

/// Factors (0 to 1) on the spread of faces, head motion, lighting and blinks; 1 is the `default` preset's.
public struct SyntheticVariation: Codable, Sendable, Equatable {
  /// Between subjects: face shape, feature layout and size, skin tone and background
  /// (hair and iris colours are still picked from their palettes).
  public var faces: Float
  /// Within a clip: the head's placement in the frame (offset, tilt, scale) and its wobble.
  public var headMotion: Float
  /// Within a clip: light level, gradient and its turn, drift over the clip, colour tint.
  public var lighting: Float
  /// Within a clip: the blink rate (about one blink per 16 frames at 1).
  public var blinks: Float

  public init(faces: Float = 1, headMotion: Float = 1, lighting: Float = 1, blinks: Float = 1) {
    self.faces = faces
    self.headMotion = headMotion
    self.lighting = lighting
    self.blinks = blinks
  }

  /// The spread of the `default` and `small` presets.
  public static let full = SyntheticVariation()

  public static let factorRange: ClosedRange<Float> = 0...1

  /// The factors by name, in declaration order (for checking and messages).
  var named: [(String, Float)] {
    [("faces", faces), ("headMotion", headMotion), ("lighting", lighting), ("blinks", blinks)]
  }

  /// A field name and value out of range, if any.
  func firstOutOfRange() -> (field: String, value: Float)? {
    named.first { !$0.1.isFinite || !Self.factorRange.contains($0.1) }.map { ($0.0, $0.1) }
  }

  private enum CodingKeys: String, CodingKey { case faces, headMotion, lighting, blinks }

  /// Missing factors are 1, so a hand-written spec names only what it turns down.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      faces: try c.decodeIfPresent(Float.self, forKey: .faces) ?? 1,
      headMotion: try c.decodeIfPresent(Float.self, forKey: .headMotion) ?? 1,
      lighting: try c.decodeIfPresent(Float.self, forKey: .lighting) ?? 1,
      blinks: try c.decodeIfPresent(Float.self, forKey: .blinks) ?? 1)
  }
}

/// `value` drawn around `centre` with its spread scaled by `factor`: exactly `value` at factor 1
/// (value·1 + centre·0), so the presets drawn at full spread keep their pixels.
@inline(__always) func narrowed(_ value: Float, around centre: Float, by factor: Float) -> Float {
  value * factor + centre * (1 - factor)
}
