import Foundation

// The settings of the built-in synthetic expression-video dataset. Every
// value is checked when a spec is made or decoded, so a bad spec fails before
// any pixel is drawn, with a sentence saying what to change.

/// What the synthetic generator draws: how many subjects and clips, their shape, the seed and noise,
/// how much the scene varies, where in the clip the expression happens, and which drawing.
public struct SyntheticSpec: Codable, Sendable, Equatable {
  /// People (distinct face identities); clips of one subject share a face.
  public let subjects: Int
  /// Clips of each class per subject.
  public let clipsPerClass: Int
  /// Frames per clip (T).
  public let frames: Int
  /// Frame side in pixels (S).
  public let size: Int
  /// Seeds everything drawn; one seed, one dataset, on any machine and any thread count.
  public let seed: UInt64
  /// Standard deviation of the per-pixel sensor noise (values are in [0, 1]).
  public let noise: Float
  /// Spread of faces, head motion, lighting and blinks (SyntheticVariation.swift).
  public let variation: SyntheticVariation
  /// Share of the clip, from its first frame, in which the expression happens (onset, apex and
  /// offset); after it the face is neutral while head motion, light and blinks go on. 1: the whole clip.
  public let expressionSpan: Float
  /// How a clip's random draws are laid out (SyntheticGenerator.swift): 1 draws the expression,
  /// the scene and the sensor noise one after the other from one stream, as `default` and `small`
  /// always have (their fingerprints are recorded in sessions); 2 gives each its own stream, so two
  /// clips that differ only in class share their scene and noise frame for frame.
  public let generator: Int

  /// The default dataset: eNTERFACE'05's shape (43 subjects × 6 classes × 5 clips = 1,290 clips), T = 16, S = 48.
  public static let `default` = SyntheticSpec(unchecked: 43, 5, 16, 48, 2005, 0.02)
  /// A quick one for tests and demos: 10 subjects × 6 classes × 2 clips = 120 clips, T = 8, S = 32.
  public static let small = SyntheticSpec(unchecked: 10, 2, 8, 32, 2005, 0.02)
  /// One that a small ConvLSTM learns at a terminal in under a minute: 50 subjects × 6 × 2 = 600 clips,
  /// T = 12, S = 24, faces at half their spread, a nearly still head (0.1), light at a quarter, half
  /// the blinks, half the sensor noise. The time-order pairs are kept: T = 12 is what lets a
  /// sequence model tell them apart (at T = 8 they are where most of its errors are), and 30
  /// training subjects a fold are what keeps it from learning their faces (with 24 it did on some folds).
  public static let starter = SyntheticSpec(
    unchecked: 50, 2, 12, 24, 2005, 0.01,
    variation: SyntheticVariation(faces: 0.5, headMotion: 0.1, lighting: 0.25, blinks: 0.5), generator: 2)
  /// `starter`'s clips stretched to T = 32 with the expression in the first 12 frames (span 0.375):
  /// the class is decided early, and the 20 frames after it are a neutral face under the same
  /// head motion, light and blinks whatever the class — a model must carry the early frames to the
  /// end of the clip, where the stream's feature is read.
  public static let lag = SyntheticSpec(
    unchecked: 50, 2, 32, 24, 2005, 0.01, variation: starter.variation, expressionSpan: 0.375, generator: 2)

  /// Named presets, for the command line and the workspace.
  public static let presets: [String: SyntheticSpec] = [
    "default": .default, "small": .small, "starter": .starter, "lag": .lag,
  ]

  public static let subjectRange = 1...1000
  public static let clipsPerClassRange = 1...100
  public static let frameRange = 4...256
  public static let sizeRange = 16...256
  public static let noiseRange: ClosedRange<Float> = 0...0.5
  public static let generatorRange = 1...2
  /// Fewest frames an expression can unfold in (onset, apex, offset); also the shortest clip.
  public static let minimumExpressionFrames = 4
  /// The most frame values (T·3·S·S summed over clips) one spec may ask for: 1 Gi floats, 4 GiB.
  public static let maxTotalValues = 1 << 30

  public init(
    subjects: Int, clipsPerClass: Int, frames: Int, size: Int, seed: UInt64, noise: Float,
    variation: SyntheticVariation = .full, expressionSpan: Float = 1, generator: Int = 1
  ) throws(SyntheticSpecError) {
    self.init(
      unchecked: subjects, clipsPerClass, frames, size, seed, noise, variation: variation,
      expressionSpan: expressionSpan, generator: generator)
    try validate()
  }

  private init(
    unchecked subjects: Int, _ clipsPerClass: Int, _ frames: Int, _ size: Int, _ seed: UInt64, _ noise: Float,
    variation: SyntheticVariation = .full, expressionSpan: Float = 1, generator: Int = 1
  ) {
    self.subjects = subjects
    self.clipsPerClass = clipsPerClass
    self.frames = frames
    self.size = size
    self.seed = seed
    self.noise = noise
    self.variation = variation
    self.expressionSpan = expressionSpan
    self.generator = generator
  }

  /// This spec with some fields changed, checked again.
  public func with(
    subjects: Int? = nil, clipsPerClass: Int? = nil, frames: Int? = nil, size: Int? = nil, seed: UInt64? = nil,
    noise: Float? = nil, variation: SyntheticVariation? = nil, expressionSpan: Float? = nil, generator: Int? = nil
  ) throws(SyntheticSpecError) -> SyntheticSpec {
    try SyntheticSpec(
      subjects: subjects ?? self.subjects, clipsPerClass: clipsPerClass ?? self.clipsPerClass,
      frames: frames ?? self.frames, size: size ?? self.size, seed: seed ?? self.seed, noise: noise ?? self.noise,
      variation: variation ?? self.variation, expressionSpan: expressionSpan ?? self.expressionSpan,
      generator: generator ?? self.generator)
  }

  /// Number of clips: subjects × 6 × clipsPerClass.
  public var clipCount: Int { subjects * Emotion.count * clipsPerClass }

  /// Frames the expression unfolds over, from the first: the span's share of T, rounded (T at span 1).
  public var expressionFrames: Int {
    expressionSpan >= 1 ? frames : min(frames, Int((expressionSpan * Float(frames)).rounded()))
  }

  private func validate() throws(SyntheticSpecError) {
    func check(_ ok: Bool, _ field: String, _ value: String, _ hint: String) throws(SyntheticSpecError) {
      if !ok { throw SyntheticSpecError(field: field, value: value, hint: hint) }
    }
    try check(Self.subjectRange.contains(subjects), "subjects", "\(subjects)", "use 1 to 1000 subjects")
    try check(
      Self.clipsPerClassRange.contains(clipsPerClass), "clipsPerClass", "\(clipsPerClass)",
      "use 1 to 100 clips per class")
    try check(
      Self.frameRange.contains(frames), "frames", "\(frames)",
      "use 4 to 256 frames: an expression needs room for onset, apex and offset")
    try check(
      Self.sizeRange.contains(size), "size", "\(size)", "use 16 to 256 pixels: below 16 the facial features merge")
    try check(
      noise.isFinite && Self.noiseRange.contains(noise), "noise", "\(noise)", "use a noise level from 0 to 0.5")
    if let (field, value) = variation.firstOutOfRange() {
      try check(
        false, "variation.\(field)", "\(value)",
        "use a factor from 0 (no variation) to 1 (the default preset's spread)")
    }
    try check(
      expressionSpan.isFinite && expressionSpan > 0 && expressionSpan <= 1, "expressionSpan", "\(expressionSpan)",
      "use a share of the clip above 0 and at most 1")
    try check(
      expressionFrames >= Self.minimumExpressionFrames, "expressionSpan",
      "\(expressionSpan) of \(frames) frames",
      "the expression needs at least \(Self.minimumExpressionFrames) frames; use a larger span or more frames")
    try check(
      Self.generatorRange.contains(generator), "generator", "\(generator)",
      "use 1 (one stream per clip, as default and small) or 2 (expression, scene and noise apart)")
    let total = clipCount.multipliedReportingOverflow(by: frames * 3 * size * size)
    try check(
      !total.overflow && total.partialValue <= Self.maxTotalValues, "size",
      "\(clipCount) clips × \(frames) × 3 × \(size) × \(size)",
      "that is more than 4 GiB of frames; use fewer subjects, clips, frames or a smaller size")
  }

  private enum CodingKeys: String, CodingKey {
    case subjects, clipsPerClass, frames, size, seed, noise, variation, expressionSpan, generator
  }

  /// Decodes and checks a spec, so a hand-edited file fails with the same message as code.
  /// Fields added after the first six take the values `default` has when they are missing.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    try self.init(
      subjects: c.decode(Int.self, forKey: .subjects), clipsPerClass: c.decode(Int.self, forKey: .clipsPerClass),
      frames: c.decode(Int.self, forKey: .frames), size: c.decode(Int.self, forKey: .size),
      seed: c.decode(UInt64.self, forKey: .seed), noise: c.decode(Float.self, forKey: .noise),
      variation: c.decodeIfPresent(SyntheticVariation.self, forKey: .variation) ?? .full,
      expressionSpan: c.decodeIfPresent(Float.self, forKey: .expressionSpan) ?? 1,
      generator: c.decodeIfPresent(Int.self, forKey: .generator) ?? 1)
  }

  /// Writes the later fields only where they differ from `default`'s, so a spec without them
  /// (and the provenance, hence the fingerprint, of `default` and `small`) reads as it always did.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(subjects, forKey: .subjects)
    try c.encode(clipsPerClass, forKey: .clipsPerClass)
    try c.encode(frames, forKey: .frames)
    try c.encode(size, forKey: .size)
    try c.encode(seed, forKey: .seed)
    try c.encode(noise, forKey: .noise)
    if variation != .full { try c.encode(variation, forKey: .variation) }
    if expressionSpan != 1 { try c.encode(expressionSpan, forKey: .expressionSpan) }
    if generator != 1 { try c.encode(generator, forKey: .generator) }
  }

  /// The spec as one line of JSON with sorted keys (the dataset's provenance).
  public var canonicalJSON: String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    // Encoding numbers cannot fail.
    guard let data = try? encoder.encode(self), let text = String(data: data, encoding: .utf8) else { return "" }
    return text
  }
}

/// A synthetic spec value out of range.
public struct SyntheticSpecError: Error, Equatable, CustomStringConvertible {
  public let field: String
  public let value: String
  public let hint: String

  public var description: String { "synthetic spec: \(field) = \(value) is out of range; \(hint)" }
}
