import Foundation

// Student's t distribution: the two-sided tail probability and the quantile
// that 95 % intervals and paired t-tests need. The tail comes from the
// regularised incomplete beta function, P(|T| ≥ t) = I_x(ν/2, 1/2) with
// x = ν / (ν + t²), evaluated by its continued fraction (modified Lentz); the
// quantile inverts the tail by bisection. Accurate to ~1e-10, far below what
// a handful of folds and seeds can resolve.

public enum StudentT {
  /// P(|T| ≥ |t|) for ν degrees of freedom (ν ≥ 1).
  public static func twoSidedTail(_ t: Double, degreesOfFreedom nu: Double) -> Double {
    precondition(nu >= 1, "StudentT: degrees of freedom must be at least 1, got \(nu)")
    guard t.isFinite else { return t.isNaN ? .nan : 0 }
    return regularizedIncompleteBeta(nu / (nu + t * t), a: nu / 2, b: 0.5)
  }

  /// The t with P(|T| ≥ t) = `tail`: `quantile(twoSidedTail: 0.05, …)` is the 97.5 % point.
  public static func quantile(twoSidedTail tail: Double, degreesOfFreedom nu: Double) -> Double {
    precondition(tail > 0 && tail < 1, "StudentT: the tail probability must lie in (0, 1), got \(tail)")
    var (low, high) = (0.0, 1.0)
    while twoSidedTail(high, degreesOfFreedom: nu) > tail { high *= 2 }
    for _ in 0..<200 where high - low > 1e-12 * high {
      let mid = (low + high) / 2
      if twoSidedTail(mid, degreesOfFreedom: nu) > tail { low = mid } else { high = mid }
    }
    return (low + high) / 2
  }

  /// I_x(a, b), using the symmetry I_x(a, b) = 1 − I_{1−x}(b, a) where the fraction converges faster.
  static func regularizedIncompleteBeta(_ x: Double, a: Double, b: Double) -> Double {
    if x <= 0 { return 0 }
    if x >= 1 { return 1 }
    let logFront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x)
    if x < (a + 1) / (a + b + 2) {
      return exp(logFront) * continuedFraction(x, a: a, b: b) / a
    }
    let logMirror = lgamma(a + b) - lgamma(a) - lgamma(b) + b * log1p(-x) + a * log(x)
    return 1 - exp(logMirror) * continuedFraction(1 - x, a: b, b: a) / b
  }

  /// The continued fraction of I_x(a, b) (Lentz's method).
  private static func continuedFraction(_ x: Double, a: Double, b: Double) -> Double {
    let tiny = 1e-300
    var c = 1.0
    var d = 1 - (a + b) * x / (a + 1)
    if abs(d) < tiny { d = tiny }
    d = 1 / d
    var result = d
    for m in 1...400 {
      let m = Double(m)
      // Even step.
      var term = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
      d = 1 + term * d
      c = 1 + term / c
      if abs(d) < tiny { d = tiny }
      if abs(c) < tiny { c = tiny }
      d = 1 / d
      result *= d * c
      // Odd step.
      term = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
      d = 1 + term * d
      c = 1 + term / c
      if abs(d) < tiny { d = tiny }
      if abs(c) < tiny { c = tiny }
      d = 1 / d
      let step = d * c
      result *= step
      if abs(step - 1) < 1e-15 { break }
    }
    return result
  }
}
