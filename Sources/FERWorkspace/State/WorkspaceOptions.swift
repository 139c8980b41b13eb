import Foundation

// How a workspace starts: the seed, where to record the session, compute threads.

/// Settings fixed for a workspace's lifetime.
public struct WorkspaceOptions: Sendable {
  /// Fixes model initialisation, shuffling, dropout and the subject folds.
  public var seed: UInt64
  /// A JSON Lines file to record the session to (created or truncated); nil records nothing.
  public var sessionPath: String?
  /// Threads the kernels split work over; nil keeps the current setting (the active cores).
  public var threads: Int?
  /// The most memory a training command may plan to use (bytes); nil: three quarters of this
  /// machine's memory. A command whose estimate (ModelSpec.trainingMemory) is larger is
  /// refused before anything is built. Not recorded: results do not depend on it.
  public var maxMemory: Int?

  public init(seed: UInt64 = 1, sessionPath: String? = nil, threads: Int? = nil, maxMemory: Int? = nil) {
    self.seed = seed
    self.sessionPath = sessionPath
    self.threads = threads
    self.maxMemory = maxMemory
  }

  /// The limit in force: `maxMemory`, or three quarters of the physical memory.
  public var memoryLimit: Int { maxMemory ?? Int(ProcessInfo.processInfo.physicalMemory / 4 * 3) }
}
