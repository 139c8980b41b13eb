// exp, tanh and sigmoid for the element-wise kernels, written so the compiler
// can vectorise loops over them (libm's expf / tanhf are opaque scalar calls and
// took a fifth of a ConvLSTM training step). exp is Cephes' expf: n = round(x·log₂e),
// r = x − n·ln 2 (in two parts), a degree-5 polynomial for e^r, then scaling by
// 2^n through the exponent bits. Relative error below 2e-7 over the clamped range.

@usableFromInline let expUpper: Float = 88.37626  // e^x stays finite below this
@usableFromInline let expLower: Float = -87.33654  // e^x stays normal above this

package enum FastMath {
  /// e^x, for x clamped to [−87.3, 88.4] (beyond that the result saturates at the clamp).
  @inlinable @inline(__always)
  package static func exp(_ x: Float) -> Float {
    let clamped = min(max(x, expLower), expUpper)
    let n = (clamped * 1.442_695_04).rounded(.toNearestOrEven)
    var r = clamped - n * 0.693_359_375
    r -= n * -2.121_944_4e-4
    var p: Float = 1.987_569_15e-4
    p = p * r + 1.398_199_95e-3
    p = p * r + 8.333_451_9e-3
    p = p * r + 4.166_579_59e-2
    p = p * r + 1.666_666_55e-1
    p = p * r + 5.000_000_12e-1
    let er = p * r * r + r + 1
    // n as an integer without a trapping conversion (NaN must flow through as
    // NaN): adding 1.5·2²³ puts n in the low mantissa bits.
    let integer = (n + 12_582_912).bitPattern &- 0x4B40_0000
    return er * Float(bitPattern: (integer &+ 127) << 23)
  }

  /// tanh(x) = 1 − 2 / (e^{2x} + 1); absolute error below 3e-7.
  @inlinable @inline(__always)
  package static func tanh(_ x: Float) -> Float {
    1 - 2 / (exp(2 * x) + 1)
  }

  /// σ(x) = 1 / (1 + e^{−x}); exact 0 and 1 only in the far tails.
  @inlinable @inline(__always)
  package static func sigmoid(_ x: Float) -> Float {
    1 / (1 + exp(-x))
  }
}

/// Eight lanes (one AVX2 register) of FastMath at once, for kernels the compiler does not
/// vectorise on its own (the fused gate step: five exps per element behind
/// loads from ten buffers). The same formulas as the scalar forms, lane by lane.
extension FastMath {
  package typealias Lanes = SIMD8<Float>

  @inlinable @inline(__always)
  package static func exp(_ x: Lanes) -> Lanes {
    // Clamped by masks, not pointwiseMin/Max: those compile to a branchy scalar loop per lane
    // (and would turn NaN into a bound; here it flows through as in the scalar form).
    let lower = Lanes(repeating: expLower), upper = Lanes(repeating: expUpper)
    let clamped = x.replacing(with: lower, where: x .< lower).replacing(with: upper, where: x .> upper)
    // Round to nearest even by adding and removing 1.5·2²³ (|n| < 2²²), which
    // also leaves n's integer in the low mantissa bits of `shifted`.
    let magic = Lanes(repeating: 12_582_912)
    let shifted = clamped * Lanes(repeating: 1.442_695_04) + magic
    let n = shifted - magic
    var r = clamped - n * Lanes(repeating: 0.693_359_375)
    r -= n * Lanes(repeating: -2.121_944_4e-4)
    var p = Lanes(repeating: 1.987_569_15e-4)
    p = p * r + Lanes(repeating: 1.398_199_95e-3)
    p = p * r + Lanes(repeating: 8.333_451_9e-3)
    p = p * r + Lanes(repeating: 4.166_579_59e-2)
    p = p * r + Lanes(repeating: 1.666_666_55e-1)
    p = p * r + Lanes(repeating: 5.000_000_12e-1)
    let er = p * r * r + r + Lanes(repeating: 1)
    let integer = unsafeBitCast(shifted, to: SIMD8<UInt32>.self) &- SIMD8<UInt32>(repeating: 0x4B40_0000)
    return er * unsafeBitCast((integer &+ SIMD8<UInt32>(repeating: 127)) &<< SIMD8<UInt32>(repeating: 23), to: Lanes.self)
  }

  @inlinable @inline(__always)
  package static func tanh(_ x: Lanes) -> Lanes {
    let one = Lanes(repeating: 1)
    return one - Lanes(repeating: 2) / (exp(Lanes(repeating: 2) * x) + one)
  }

  @inlinable @inline(__always)
  package static func sigmoid(_ x: Lanes) -> Lanes {
    let one = Lanes(repeating: 1)
    return one / (one + exp(-x))
  }
}
