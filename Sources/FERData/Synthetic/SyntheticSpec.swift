import Foundation

// The settings of the built-in synthetic expression-video dataset. Every
// value is checked when a spec is made or decoded, so a bad spec fails before
// any pixel is drawn, with a sentence saying what to change.

/// What the synthetic generator draws: how many subjects and clips, their shape, the seed and noise.
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

  /// The default dataset: eNTERFACE'05's shape (43 subjects × 6 classes × 5 clips = 1,290 clips), T = 16, S = 48.
  public static let `default` = SyntheticSpec(unchecked: 43, 5, 16, 48, 2005, 0.02)
  /// A quick one for tests and demos: 10 subjects × 6 classes × 2 clips = 120 clips, T = 8, S = 32.
  public static let small = SyntheticSpec(unchecked: 10, 2, 8, 32, 2005, 0.02)

  /// Named presets, for the command line and the workspace.
  public static let presets: [String: SyntheticSpec] = ["default": .default, "small": .small]

  public static let subjectRange = 1...1000
  public static let clipsPerClassRange = 1...100
  public static let frameRange = 4...256
  public static let sizeRange = 16...256
  public static let noiseRange: ClosedRange<Float> = 0...0.5
  /// The most frame values (T·3·S·S summed over clips) one spec may ask for: 1 Gi floats, 4 GiB.
  public static let maxTotalValues = 1 << 30

  public init(
    subjects: Int, clipsPerClass: Int, frames: Int, size: Int, seed: UInt64, noise: Float
  ) throws(SyntheticSpecError) {
    self.init(unchecked: subjects, clipsPerClass, frames, size, seed, noise)
    try validate()
  }

  private init(
    unchecked subjects: Int, _ clipsPerClass: Int, _ frames: Int, _ size: Int, _ seed: UInt64, _ noise: Float
  ) {
    self.subjects = subjects
    self.clipsPerClass = clipsPerClass
    self.frames = frames
    self.size = size
    self.seed = seed
    self.noise = noise
  }

  /// This spec with some fields changed, checked again.
  public func with(
    subjects: Int? = nil, clipsPerClass: Int? = nil, frames: Int? = nil, size: Int? = nil, seed: UInt64? = nil,
    noise: Float? = nil
  ) throws(SyntheticSpecError) -> SyntheticSpec {
    try SyntheticSpec(
      subjects: subjects ?? self.subjects, clipsPerClass: clipsPerClass ?? self.clipsPerClass,
      frames: frames ?? self.frames, size: size ?? self.size, seed: seed ?? self.seed, noise: noise ?? self.noise)
  }

  /// Number of clips: subjects × 6 × clipsPerClass.
  public var clipCount: Int { subjects * Emotion.count * clipsPerClass }

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
    let total = clipCount.multipliedReportingOverflow(by: frames * 3 * size * size)
    try check(
      !total.overflow && total.partialValue <= Self.maxTotalValues, "size",
      "\(clipCount) clips × \(frames) × 3 × \(size) × \(size)",
      "that is more than 4 GiB of frames; use fewer subjects, clips, frames or a smaller size")
  }

  private enum CodingKeys: String, CodingKey { case subjects, clipsPerClass, frames, size, seed, noise }

  /// Decodes and checks a spec, so a hand-edited file fails with the same message as code.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    try self.init(
      subjects: c.decode(Int.self, forKey: .subjects), clipsPerClass: c.decode(Int.self, forKey: .clipsPerClass),
      frames: c.decode(Int.self, forKey: .frames), size: c.decode(Int.self, forKey: .size),
      seed: c.decode(UInt64.self, forKey: .seed), noise: c.decode(Float.self, forKey: .noise))
  }

  /// The spec as one line of JSON with sorted keys (the dataset's provenance).
  public var canonicalJSON: String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    // Encoding six numbers cannot fail.
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
