import Foundation

// The ratio of two timings measured in pairs, with a distribution-free interval.
//
// On a shared machine the load changes from second to second, so a time is only
// comparable with one measured right beside it: each pair is our step and the
// peer's step taken back to back, and its ratio (ours / peer) is one observation.
// The pairs' ratios are independent draws of whatever the load did; their median
// is the figure, and its 95 % interval comes from order statistics: with n ratios
// sorted, [r₍ₖ₎, r₍ₙ₊₁₋ₖ₎] covers the true median with probability
// 1 − 2·P(Binomial(n, ½) ≤ k − 1), whatever the distribution of the ratios (the
// sign-test interval). k is the largest for which that is at least 95 %.
// Such an interval exists from n = 6 on; with 15 pairs it is [r₍₄₎, r₍₁₂₎] (96.5 %).

/// Observations of one ratio, summarised as a median with its order-statistic interval.
struct PairedRatios {
  var values: [Double] = []

  /// How the interval is made, in words (printed and put in the JSON).
  static let method = "distribution-free 95 % interval of the median from order statistics (sign test)"

  mutating func append(_ value: Double) { values.append(value) }

  var count: Int { values.count }

  var median: Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return .nan }
    let mid = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
  }

  /// The interval's order statistics (1-based k and n + 1 − k) and its exact coverage; nil below 6 values.
  static func orderStatistics(count n: Int, confidence: Double = 0.95) -> (lower: Int, upper: Int, coverage: Double)? {
    // cumulative[j] = P(Binomial(n, ½) ≤ j), computed in Double from the binomial coefficients.
    var cumulative: [Double] = []
    var coefficient = 1.0, total = 0.0
    let scale = pow(0.5, Double(n))
    for j in 0...n {
      total += coefficient * scale
      cumulative.append(total)
      coefficient = coefficient * Double(n - j) / Double(j + 1)
    }
    var best: (Int, Int, Double)? = nil
    for k in 1...max(1, n / 2) {
      let coverage = 1 - 2 * cumulative[k - 1]
      if coverage >= confidence { best = (k, n + 1 - k, coverage) } else { break }
    }
    return best
  }

  /// [lower, upper] of the median's 95 % interval; NaNs when there are too few values.
  var interval: (lower: Double, upper: Double) {
    guard let (k, l, _) = Self.orderStatistics(count: values.count) else { return (.nan, .nan) }
    let sorted = values.sorted()
    return (sorted[k - 1], sorted[l - 1])
  }

  /// `{"median": m, "ci95": [lo, hi], "n": n}`, rounded to 4 decimals.
  var json: [String: Any] {
    let (lo, hi) = interval
    return ["median": rounded(median), "ci95": [rounded(lo), rounded(hi)], "n": count]
  }

  /// "0.52 [0.49, 0.55]".
  var text: String {
    let (lo, hi) = interval
    return "\(fixed(median, 2)) [\(fixed(lo, 2)), \(fixed(hi, 2))]"
  }
}

/// A number rounded to `digits` decimals, for JSON.
func rounded(_ value: Double, _ digits: Int = 4) -> Double {
  let scale = pow(10, Double(digits))
  return (value * scale).rounded() / scale
}
