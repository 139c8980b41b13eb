// Whether ops record pullbacks. Off for inference and for evaluation passes,
// where keeping the graph would only cost memory.

/// Switch for recording the autodiff graph on the current thread or task.
public enum GradientRecording {
  @TaskLocal static var enabled = true

  /// True when new op results may track gradients.
  public static var isEnabled: Bool { enabled }

  /// Runs `body` with recording off: results are plain leaves with no pullback.
  public static func disabled<R>(_ body: () throws -> R) rethrows -> R {
    try $enabled.withValue(false, operation: body)
  }
}
