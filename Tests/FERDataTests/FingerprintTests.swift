import Testing

@testable import FERData

@Suite("FNV-1a 64 and natural order")
struct FingerprintTests {
  // Published FNV-1a 64-bit test vectors.
  @Test func knownVectors() {
    #expect(FNV1a64().value == 0xCBF2_9CE4_8422_2325)
    var a = FNV1a64()
    a.combine(bytes: Array("a".utf8))
    #expect(a.value == 0xAF63_DC4C_8601_EC8C)
    var foobar = FNV1a64()
    foobar.combine(bytes: Array("foobar".utf8))
    #expect(foobar.value == 0x8594_4171_F739_67E8)
    #expect(foobar.hex == "85944171f73967e8")
  }

  @Test func wordsAndFloatsAreLittleEndianBytes() {
    var word = FNV1a64()
    var bytes = FNV1a64()
    word.combine(UInt64(0x0102_0304_0506_0708))
    bytes.combine(bytes: [8, 7, 6, 5, 4, 3, 2, 1])
    #expect(word.value == bytes.value)
    var float = FNV1a64()
    var floatBytes = FNV1a64()
    float.combine(floats: [1.0])  // 0x3F800000
    floatBytes.combine(bytes: [0x00, 0x00, 0x80, 0x3F])
    #expect(float.value == floatBytes.value)
  }

  // Reference values from an independent Python implementation of the lane
  // definition (struct.pack('<f') per float, four strided FNV-1a streams, then
  // FNV-1a over the count as '<q' and the lanes as '<Q').
  @Test func laneDigestVectors() {
    #expect(FNV1a64.laneDigest(floats: [1, 2, 3, 4, 5, 6]) == 0xF502_B24C_4E87_9C2B)
    #expect(FNV1a64.laneDigest(floats: []) == 0x2B0B_8A79_FFD4_25C5)
    #expect(FNV1a64.laneDigest(floats: [0.5, -1.25, 3.0, 1e-3, 7, 8, 9, 10]) == 0xD4D4_E174_59E4_7EA5)
  }

  @Test func stringsAreLengthPrefixed() {
    var ab = FNV1a64()
    var a = FNV1a64()
    ab.combine("ab")
    ab.combine("c")
    a.combine("a")
    a.combine("bc")
    #expect(ab.value != a.value)
  }

  @Test func naturalOrderSortsNumbersByValue() {
    #expect(
      ["10", "2", "1", "subject 10", "subject 9", "alice"].sorted(by: naturalOrder)
        == ["1", "2", "10", "alice", "subject 9", "subject 10"])
    #expect(naturalOrder("7", "07") != naturalOrder("07", "7"))  // total: equal values still order
    #expect(!naturalOrder("s3", "s3"))
  }
}
