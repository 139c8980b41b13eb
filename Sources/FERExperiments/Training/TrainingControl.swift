import Foundation

// Pause / resume / stop requests from another thread (the terminal UI) to a
// running trainer, which checks them between minibatches.

/// A thread-safe switchboard a trainer polls between steps.
public final class TrainingControl: @unchecked Sendable {
  private let condition = NSCondition()
  private var isPaused = false
  private var isStopped = false

  public init() {}

  public func pause() { condition.withLock { isPaused = true } }

  public func resume() {
    condition.withLock {
      isPaused = false
      condition.broadcast()
    }
  }

  /// Ends the run after the step in flight (also wakes a paused run).
  public func stop() {
    condition.withLock {
      isStopped = true
      condition.broadcast()
    }
  }

  public var paused: Bool { condition.withLock { isPaused } }
  public var stopped: Bool { condition.withLock { isStopped } }

  /// Blocks while paused; calls `onPause` / `onResume` around the wait. Returns false when stopped.
  func checkpoint(onPause: () -> Void, onResume: () -> Void) -> Bool {
    condition.lock()
    defer { condition.unlock() }
    if isPaused && !isStopped {
      onPause()
      while isPaused && !isStopped { condition.wait() }
      onResume()
    }
    return !isStopped
  }
}
