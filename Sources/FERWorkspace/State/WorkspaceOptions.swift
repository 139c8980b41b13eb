// How a workspace starts: the seed, where to record the session, compute threads.

/// Settings fixed for a workspace's lifetime.
public struct WorkspaceOptions: Sendable {
  /// Fixes model initialisation, shuffling, dropout and the subject folds.
  public var seed: UInt64
  /// A JSON Lines file to record the session to (created or truncated); nil records nothing.
  public var sessionPath: String?
  /// Threads the kernels split work over; nil keeps the current setting (the active cores).
  public var threads: Int?

  public init(seed: UInt64 = 1, sessionPath: String? = nil, threads: Int? = nil) {
    self.seed = seed
    self.sessionPath = sessionPath
    self.threads = threads
  }
}
