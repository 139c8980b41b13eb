// Arrays the kernels fill completely. `[Float](repeating: 0, count:)` writes
// every byte once before the kernel writes it again; on the training step's
// multi-megabyte activations and gradients that zero-fill was a visible share
// of the time (memset in the profile).

/// A new array of `count` values, every one of which `fill` must write.
@inline(__always)
package func uninitializedFloats(_ count: Int, _ fill: (UnsafeMutableBufferPointer<Float>) -> Void) -> [Float] {
  [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
    fill(buffer)
    initialized = count
  }
}

/// acc[i] += add[i] for i in 0..<count, sixteen lanes at a time.
@inline(__always)
package func addInPlace(_ acc: UnsafeMutablePointer<Float>, _ add: UnsafePointer<Float>, _ count: Int) {
  var i = 0
  let ra = UnsafeMutableRawPointer(acc), rb = UnsafeRawPointer(add)
  while i + 16 <= count {
    let sum =
      ra.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
      + rb.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
    ra.storeBytes(of: sum, toByteOffset: i * 4, as: SIMD16<Float>.self)
    i += 16
  }
  while i < count { acc[i] += add[i]; i += 1 }
}

// Unaligned loads and stores of SIMD lanes for the hand-vectorised kernels.

@inline(__always)
func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
  UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
}

@inline(__always)
func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
  UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
}

@inline(__always)
func load4(_ p: UnsafePointer<Float>) -> SIMD4<Float> {
  UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Float>.self)
}

@inline(__always)
func store4(_ v: SIMD4<Float>, _ p: UnsafeMutablePointer<Float>) {
  UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD4<Float>.self)
}
