// A stable content hash. Swift's `Hasher` is seeded randomly per process, so
// it cannot name a dataset across runs; FNV-1a (Fowler–Noll–Vo, 64-bit) is
// fully specified, byte-oriented and the same everywhere:
//
//   hash = 0xcbf29ce484222325
//   for each byte b:  hash = (hash XOR b) · 0x100000001b3   (mod 2^64)
//
// Multi-byte values are fed little-endian; strings are fed as their UTF-8
// bytes preceded by their byte count (8 bytes), so ("ab", "c") and ("a", "bc")
// hash differently; floats are fed as their IEEE-754 bit patterns.
//
// Large float arrays (clip tensors: hundreds of megabytes per dataset) go
// through `laneDigest(floats:)`, which runs four FNV-1a streams side by side —
// lane k hashes floats k, k+4, k+8, … — and then hashes the count and the
// four lane values with one more FNV-1a. Same definition everywhere, four
// times the speed of one stream (whose multiply chain is the bottleneck).

/// An FNV-1a 64-bit hasher for fingerprints that must not change between runs or machines.
public struct FNV1a64: Sendable {
  public static let offsetBasis: UInt64 = 0xCBF2_9CE4_8422_2325
  public static let prime: UInt64 = 0x0000_0100_0000_01B3

  /// The hash of everything fed so far.
  public private(set) var value: UInt64 = FNV1a64.offsetBasis

  public init() {}

  /// Feeds raw bytes.
  public mutating func combine<Bytes: Sequence>(bytes: Bytes) where Bytes.Element == UInt8 {
    var h = value
    for byte in bytes { h = (h ^ UInt64(byte)) &* FNV1a64.prime }
    value = h
  }

  /// Feeds a 64-bit value as 8 little-endian bytes.
  public mutating func combine(_ word: UInt64) {
    var h = value
    for shift in stride(from: 0, to: 64, by: 8) { h = (h ^ ((word >> UInt64(shift)) & 0xFF)) &* FNV1a64.prime }
    value = h
  }

  /// Feeds an integer as a 64-bit value.
  public mutating func combine(_ integer: Int) { combine(UInt64(bitPattern: Int64(integer))) }

  /// Feeds a string: its UTF-8 byte count, then its bytes.
  public mutating func combine(_ string: String) {
    combine(string.utf8.count)
    combine(bytes: string.utf8)
  }

  /// Feeds floats as their 4-byte little-endian bit patterns.
  public mutating func combine(floats: [Float]) {
    var h = value
    floats.withUnsafeBufferPointer { buffer in
      for x in buffer {
        let bits = x.bitPattern
        h = (h ^ UInt64(bits & 0xFF)) &* FNV1a64.prime
        h = (h ^ UInt64((bits >> 8) & 0xFF)) &* FNV1a64.prime
        h = (h ^ UInt64((bits >> 16) & 0xFF)) &* FNV1a64.prime
        h = (h ^ UInt64(bits >> 24)) &* FNV1a64.prime
      }
    }
    value = h
  }

  /// FNV-1a 64 of the count and the four lane hashes of `floats` (lane k: floats k, k+4, …; 4-byte little-endian each).
  public static func laneDigest(floats: [Float]) -> UInt64 {
    var lanes: (UInt64, UInt64, UInt64, UInt64) = (offsetBasis, offsetBasis, offsetBasis, offsetBasis)
    @inline(__always) func feed(_ h: inout UInt64, _ x: Float) {
      let bits = UInt64(x.bitPattern)
      h = (h ^ (bits & 0xFF)) &* prime
      h = (h ^ ((bits >> 8) & 0xFF)) &* prime
      h = (h ^ ((bits >> 16) & 0xFF)) &* prime
      h = (h ^ (bits >> 24)) &* prime
    }
    floats.withUnsafeBufferPointer { buffer in
      let whole = buffer.count / 4 * 4
      var i = 0
      while i < whole {
        feed(&lanes.0, buffer[i])
        feed(&lanes.1, buffer[i + 1])
        feed(&lanes.2, buffer[i + 2])
        feed(&lanes.3, buffer[i + 3])
        i += 4
      }
      // The tail: lanes past the end take no bytes.
      if i < buffer.count { feed(&lanes.0, buffer[i]) }
      if i + 1 < buffer.count { feed(&lanes.1, buffer[i + 1]) }
      if i + 2 < buffer.count { feed(&lanes.2, buffer[i + 2]) }
    }
    var hash = FNV1a64()
    hash.combine(floats.count)
    hash.combine(lanes.0)
    hash.combine(lanes.1)
    hash.combine(lanes.2)
    hash.combine(lanes.3)
    return hash.value
  }

  /// The hash as 16 lowercase hex digits.
  public var hex: String { hexDigits(value) }
}

/// 16 lowercase hex digits, zero-padded.
func hexDigits(_ value: UInt64) -> String {
  let digits = String(value, radix: 16)
  return String(repeating: "0", count: 16 - digits.count) + digits
}
