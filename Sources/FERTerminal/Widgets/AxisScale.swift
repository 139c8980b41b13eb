import Foundation

// Axis scaling for the plots: maps data values onto [0, 1] (then onto cells or
// braille dots) and puts ticks on round numbers — 1, 2 or 5 × 10^k for a linear
// axis, whole decades for a log axis.

/// A linear or log10 axis over a domain, with tick values and their labels.
struct AxisScale: Equatable {
  enum Kind: Equatable { case linear, log10 }

  let kind: Kind
  /// The domain: values map to 0 at `lower` and 1 at `upper` (lower < upper, both positive for log10).
  let lower: Double
  let upper: Double
  /// Tick values inside the domain, ascending.
  let ticks: [Double]
  /// Spacing of linear ticks (sets the label precision); the decade step for log10.
  let step: Double

  /// A linear axis covering `values`' finite entries with at most about `maxTicks` ticks.
  /// - `extendToTicks`: widen the domain to the ticks around the data (y axes);
  ///   otherwise the domain is exactly the data range (x axes).
  /// - `integerTicks`: ticks only on whole numbers (epochs, steps).
  /// - `includeZero`: the domain reaches 0 (bar heights).
  /// No finite value gives 0...1; a single value is padded so it sits mid-axis.
  static func linear(
    covering values: [Double], maxTicks: Int, extendToTicks: Bool, integerTicks: Bool = false, includeZero: Bool = false
  ) -> AxisScale {
    let finite = values.filter(\.isFinite) + (includeZero ? [0] : [])
    var low = finite.min() ?? 0, high = finite.max() ?? 1
    if finite.isEmpty { (low, high) = (0, 1) }
    if low == high {
      // With includeZero this means every value is 0: show 0...1.
      let pad = integerTicks || low == 0 ? 1 : abs(low) * 0.1
      (low, high) = includeZero ? (0, 1) : (low - pad, high + pad)
    }
    var step = niceStep(span: high - low, maxTicks: maxTicks)
    if integerTicks { step = max(1, step.rounded()) }
    // Widening to the ticks can add one at each end: take the next round step until they fit.
    while true {
      let scale = linear(low: low, high: high, step: step, extendToTicks: extendToTicks)
      if scale.ticks.count <= max(2, maxTicks) { return scale }
      step = nextNiceStep(after: step)
    }
  }

  private static func linear(low: Double, high: Double, step: Double, extendToTicks: Bool) -> AxisScale {
    // The tolerance keeps values a rounding error off a tick (0.6 / 0.1 = 5.999…) on it.
    let tolerance = 1e-9
    var (low, high) = (low, high)
    if extendToTicks {
      low = (low / step + tolerance).rounded(.down) * step
      high = (high / step - tolerance).rounded(.up) * step
    }
    let first = Int((low / step - tolerance).rounded(.up)), last = Int((high / step + tolerance).rounded(.down))
    let ticks = first <= last ? (first...last).map { Double($0) * step } : []
    return AxisScale(kind: .linear, lower: low, upper: high, ticks: ticks, step: step)
  }

  /// A log10 axis from the decade at or below the smallest positive value to the
  /// decade at or above the largest; ticks on decades (every k-th when there are many).
  /// No positive value gives 1...10.
  static func log10(covering values: [Double], maxTicks: Int) -> AxisScale {
    let positive = values.filter { $0.isFinite && $0 > 0 }
    var lowExp = Foundation.log10(positive.min() ?? 1).rounded(.down)
    var highExp = Foundation.log10(positive.max() ?? 10).rounded(.up)
    if highExp <= lowExp { highExp = lowExp + 1 }
    let decades = Int(highExp - lowExp)
    let every = max(1, Int((Double(decades) / Double(max(1, maxTicks - 1))).rounded(.up)))
    // Keep the top on a tick: widen the bottom to a multiple of the tick spacing.
    lowExp = highExp - Double(((decades + every - 1) / every) * every)
    let ticks = stride(from: lowExp, through: highExp, by: Double(every)).map { pow(10, $0) }
    return AxisScale(kind: .log10, lower: pow(10, lowExp), upper: pow(10, highExp), ticks: ticks, step: Double(every))
  }

  /// 1, 2 or 5 × 10^k, the smallest that splits `span` into at most `maxTicks - 1` steps.
  static func niceStep(span: Double, maxTicks: Int) -> Double {
    let raw = span / Double(max(1, maxTicks - 1))
    guard raw.isFinite, raw > 0 else { return 1 }
    let magnitude = pow(10, Foundation.log10(raw).rounded(.down))
    let residual = raw / magnitude
    let nice: Double = residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 5 ? 5 : 10
    return nice * magnitude
  }

  /// The round step after `step`: 1 → 2 → 5 → 10 (times its power of ten).
  static func nextNiceStep(after step: Double) -> Double {
    let magnitude = pow(10, Foundation.log10(step).rounded(.down))
    let residual = (step / magnitude).rounded()
    return (residual < 2 ? 2 : residual < 5 ? 5 : 10) * magnitude
  }

  /// Where `value` lies: 0 at `lower`, 1 at `upper`; outside for values off the
  /// domain, and NaN for values that have no place (NaN, or ≤ 0 on a log axis).
  func fraction(_ value: Double) -> Double {
    switch kind {
    case .linear:
      return value.isFinite ? (value - lower) / (upper - lower) : .nan
    case .log10:
      guard value.isFinite, value > 0 else { return .nan }
      return (Foundation.log10(value) - Foundation.log10(lower)) / (Foundation.log10(upper) - Foundation.log10(lower))
    }
  }

  /// The cell (or dot) index of `value` among `count` evenly spaced positions,
  /// 0 for `lower` and count - 1 for `upper`; nil when it has no place or falls outside.
  func position(_ value: Double, count: Int) -> Int? {
    let f = fraction(value)
    guard f.isFinite, count > 0 else { return nil }
    let index = Int((f * Double(count - 1)).rounded())
    return (0..<count).contains(index) ? index : nil
  }

  /// A tick's label: as many decimals as the tick spacing needs, scientific
  /// notation for very large or small values, and decades as 0.01 … 1000 or 1e-5.
  func label(_ value: Double) -> String {
    switch kind {
    case .log10:
      let exponent = Int(Foundation.log10(value).rounded())
      if (-3...3).contains(exponent) {
        return exponent >= 0 ? String(Int(pow(10, Double(exponent)))) : String(format: "%.\(-exponent)f", value)
      }
      return "1e\(exponent)"
    case .linear:
      if abs(value) < step * 1e-9 { return "0" }
      let magnitude = max(abs(lower), abs(upper))
      if magnitude >= 1e6 || step < 1e-4 { return String(format: "%.1e", value) }
      let decimals = max(0, Int((-Foundation.log10(step) - 1e-9).rounded(.up)))
      return String(format: "%.\(decimals)f", value)
    }
  }
}
