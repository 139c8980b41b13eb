import FERCore

// A mean with its spread and 95 % t-interval, and the paired comparison of two
// sets of results measured on the same cells (same folds, same seeds): what an
// ablation row and a pair of rows report.

/// Mean, sample standard deviation and 95 % t-interval of some values.
public struct Estimate: Codable, Sendable, Equatable {
  public let mean: Double
  /// Sample standard deviation (n − 1); 0 for one value.
  public let sd: Double
  public let n: Int
  /// [low, high]: mean ± t(0.975, n − 1) · sd / √n; nil for fewer than two values.
  public let ci95: [Double]?

  public init(_ values: [Double]) {
    precondition(!values.isEmpty, "Estimate: no values")
    n = values.count
    mean = Statistics.mean(values)
    sd = Statistics.standardDeviation(values)
    if n >= 2 {
      let half = StudentT.quantile(twoSidedTail: 0.05, degreesOfFreedom: Double(n - 1)) * sd / Double(n).squareRoot()
      ci95 = [mean - half, mean + half]
    } else {
      ci95 = nil
    }
  }

  private enum CodingKeys: String, CodingKey { case mean, sd, n, ci95 }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    mean = try c.decode(Double.self, forKey: .mean)
    sd = try c.decode(Double.self, forKey: .sd)
    n = try c.decode(Int.self, forKey: .n)
    ci95 = try c.decodeIfPresent([Double].self, forKey: .ci95)
    try c.require(n >= 1, .n, "an estimate is made of 1 value or more, not \(n)")
    try c.require(ci95 == nil || ci95?.count == 2, .ci95, "an interval is [low, high]")
  }

  /// Half the interval's width (0 without an interval).
  public var halfWidth: Double { ci95.map { ($0[1] - $0[0]) / 2 } ?? 0 }
}

/// The paired difference first − second over the same cells, with a paired t-test.
public struct PairedComparison: Codable, Sendable, Equatable {
  /// e.g. "c − b".
  public let name: String
  public let first: String
  public let second: String
  /// The mean difference with its interval (over `difference.n` pairs).
  public let difference: Estimate
  /// Two-sided p-value of the paired t-test (H0: mean difference 0); nil when every
  /// difference is the same (the test is undefined) or there is one pair.
  public let p: Double?
  /// The test used, for the reader: "paired t-test, 4 df".
  public let test: String

  public init(name: String, first: String, second: String, differences: [Double]) {
    self.name = name
    self.first = first
    self.second = second
    difference = Estimate(differences)
    let df = differences.count - 1
    test = "paired t-test, \(df) df"
    // Equal differences (up to rounding: a mean of 0.1s is not exactly 0.1) leave the test undefined.
    if df >= 1, difference.sd > 1e-12 * max(1, abs(difference.mean)) {
      let t = difference.mean / (difference.sd / Double(differences.count).squareRoot())
      p = StudentT.twoSidedTail(t, degreesOfFreedom: Double(df))
    } else {
      p = nil
    }
  }
}

/// Mean and sample standard deviation.
public enum Statistics {
  public static func mean(_ values: [Double]) -> Double {
    values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
  }

  /// Sample standard deviation (n − 1); 0 for fewer than two values.
  public static func standardDeviation(_ values: [Double]) -> Double {
    guard values.count > 1 else { return 0 }
    let m = mean(values)
    return (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)).squareRoot()
  }
}
