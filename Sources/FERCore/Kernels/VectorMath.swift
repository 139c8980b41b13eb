import CSIMD

// The fused multiply-add of eight floats as one vector instruction, for the
// hand-vectorised kernels. Swift's `SIMD8.addingProduct` is written lane by lane;
// in small loops the optimiser turns it back into one instruction, in larger
// kernels (the Winograd transforms) it left scalar FMAs and lane shuffles.
// Every lane is rounded once, as `Float.addingProduct` rounds.

/// a·b + c in every lane.
@inline(__always)
func multiplyAdd(_ a: SIMD8<Float>, _ b: SIMD8<Float>, _ c: SIMD8<Float>) -> SIMD8<Float> {
  ferlab_fma8(a, b, c)
}

/// a·b + c in every lane, for a constant a.
@inline(__always)
func multiplyAdd(_ a: Float, _ b: SIMD8<Float>, _ c: SIMD8<Float>) -> SIMD8<Float> {
  ferlab_fma8(SIMD8(repeating: a), b, c)
}
