import Foundation

// The one random generator of FERLab: xoshiro256** (Blackman & Vigna 2018),
// seeded through SplitMix64. Both are integer-only and fully specified, so one
// seed gives the same stream on every machine and every Swift version — which
// `SystemRandomNumberGenerator` and Foundation's generators do not promise.

/// A deterministic, seedable random number generator (xoshiro256**).
public struct SeededRNG: RandomNumberGenerator, Sendable, Codable, Equatable {
  private var s0, s1, s2, s3: UInt64

  /// Seeds the four state words from SplitMix64(seed), as the xoshiro authors recommend.
  public init(seed: UInt64) {
    var sm = seed
    func splitMix() -> UInt64 {
      sm &+= 0x9E37_79B9_7F4A_7C15
      var z = sm
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
  }

  /// A generator for an independent sub-stream, e.g. one per fold or per worker,
  /// derived from this generator's seed material without advancing it.
  public func derived(_ stream: UInt64) -> SeededRNG {
    SeededRNG(seed: s0 ^ (stream &* 0xD605_BBB5_8C8A_BBCB) ^ s3)
  }

  public mutating func next() -> UInt64 {
    let result = rotl(s1 &* 5, 7) &* 9
    let t = s1 << 17
    s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
    s2 ^= t
    s3 = rotl(s3, 45)
    return result
  }

  /// Uniform in [0, 1) with 24 random bits (exactly representable as Float).
  public mutating func nextUniform() -> Float {
    Float(next() >> 40) * (1.0 / 16_777_216.0)
  }

  /// Uniform in [low, high).
  public mutating func nextUniform(_ low: Float, _ high: Float) -> Float {
    low + (high - low) * nextUniform()
  }

  /// Standard normal by the Box–Muller transform (one value per call; computed in Double).
  public mutating func nextNormal() -> Float {
    let u1 = (Double(next() >> 11) + 1) * 0x1p-53  // (0, 1]: log is finite
    let u2 = Double(next() >> 11) * 0x1p-53
    return Float((-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2))
  }

  /// Uniform integer in 0..<bound, without modulo bias (Lemire's method).
  public mutating func nextInt(below bound: Int) -> Int {
    precondition(bound > 0, "nextInt(below:) needs a positive bound, got \(bound)")
    // Lemire's multiply-shift with rejection, spelled out so the stream never
    // depends on the standard library's choice of algorithm.
    let range = UInt64(bound)
    var product = next().multipliedFullWidth(by: range)
    if product.low < range {
      let threshold = (0 &- range) % range
      while product.low < threshold {
        product = next().multipliedFullWidth(by: range)
      }
    }
    return Int(product.high)
  }

  private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}
