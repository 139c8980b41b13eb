import Foundation

extension LearningRateSchedule {
  /// The rate at `step` (0-based) of `totalSteps`, for a base rate, after `warmup` linear warm-up steps.
  public func rate(base: Float, step: Int, totalSteps: Int, warmup: Int) -> Float {
    if step < warmup { return base * Float(step + 1) / Float(warmup) }
    let span = max(totalSteps - warmup, 1)
    let progress = Float(step - warmup) / Float(span)
    switch self {
    case .constant:
      return base
    case .cosine:
      return base * 0.5 * (1 + cos(Float.pi * min(progress, 1)))
    case .step:
      return progress < 0.5 ? base : progress < 0.75 ? base * 0.1 : base * 0.01
    }
  }
}
