import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// A child process (ffmpeg, ffprobe, tmux, a Python peer) with its standard
// streams on pipes, started with posix_spawn and reaped with waitpid.
//
// Why not Foundation's Process: on Linux it learns that a child exited from a
// SIGCHLD signal source, and the signal can be delivered to a thread that does
// not block it (the main thread of an async program sits in sigsuspend with
// nothing blocked) and be lost; `waitUntilExit` then waits forever for a child
// that is already a zombie. waitpid on the child's own pid cannot miss it.
//
// Deadlock freedom: a child blocks when a pipe it writes to is full, so the
// stderr pipe is drained to the end on a thread of its own from the moment the
// child starts, stdin (when used) is fed on another thread, and the caller
// reads stdout at its own pace. No stream waits for another. Every pipe end is
// close-on-exec, marked before any other child can start, so a child started
// at the same moment by another thread never inherits one (it would hold the
// pipe open, and a reader would not see its end).

/// A running child process. Read `stdout` with `read(into:)` or feed a
/// streamed stdin with `write(_:)`, then `finish()`.
public final class Subprocess: @unchecked Sendable {
  /// What the child reads on standard input.
  public enum Input {
    /// /dev/null.
    case none
    /// These bytes, then end-of-file (written on a thread of its own).
    case bytes(Data)
    /// Whatever the caller passes to `write(_:)` until `closeInput()`.
    case stream
  }

  /// Where one of the child's output streams goes.
  public enum Output {
    /// A pipe to this process (stdout: `read`/`readAll`; stderr: `finish()` returns it).
    case pipe
    /// /dev/null.
    case discard
    /// This process's own stream.
    case inherit
  }

  private let pid: pid_t
  private var stdoutFD: Int32?
  private var stdinFD: Int32?
  private let stderrDrain: PipeDrain?
  private let stdinFeed: PipeFeed?
  private let lock = NSLock()
  /// Guarded by `lock`: the exit status once reaped (the pid may be reused after that).
  private var reapedStatus: Int32?

  /// Starts `executable` with `arguments`, in this process's environment with
  /// `environment`'s variables set over it.
  public init(
    executable: URL, arguments: [String], environment: [String: String] = [:], input: Input = .none,
    output: Output = .pipe, errors: Output = .pipe
  ) throws {
    Subprocess.ignoreBrokenPipes
    // No other spawn may run between making a pipe and marking it close-on-exec.
    Subprocess.spawnLock.lock()
    defer { Subprocess.spawnLock.unlock() }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    // Our ends of the pipes, and the child's ends to close here once it has started.
    var ours: (stdin: Int32?, stdout: Int32?, stderr: Int32?) = (nil, nil, nil)
    var theirs: [Int32] = []
    func pipeEnds() throws -> (read: Int32, write: Int32) {
      var fds: [Int32] = [-1, -1]
      guard pipe(&fds) == 0 else {
        throw SubprocessError(executable: executable.path, reason: "no pipe: \(String(cString: strerror(errno)))")
      }
      for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
      return (fds[0], fds[1])
    }
    do {
      switch input {
      case .none:
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
      case .bytes, .stream:
        let p = try pipeEnds()
        ours.stdin = p.write
        theirs.append(p.read)
        posix_spawn_file_actions_adddup2(&actions, p.read, 0)
      }
      for (target, choice) in [(Int32(1), output), (Int32(2), errors)] {
        switch choice {
        case .inherit: break
        case .discard: posix_spawn_file_actions_addopen(&actions, target, "/dev/null", O_WRONLY, 0)
        case .pipe:
          let p = try pipeEnds()
          if target == 1 { ours.stdout = p.read } else { ours.stderr = p.read }
          theirs.append(p.write)
          posix_spawn_file_actions_adddup2(&actions, p.write, target)
        }
      }
    } catch {
      for fd in theirs + [ours.stdin, ours.stdout, ours.stderr].compactMap({ $0 }) { close(fd) }
      throw error
    }

    // The child starts with default signal handling and nothing blocked,
    // whatever this thread blocks and whatever this process ignores (SIGPIPE).
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var noSignals = sigset_t()
    sigemptyset(&noSignals)
    posix_spawnattr_setsigmask(&attributes, &noSignals)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    sigaddset(&defaults, SIGPIPE)
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

    let argv: [UnsafeMutablePointer<CChar>?] = ([executable.path] + arguments).map { strdup($0) } + [nil]
    defer { for arg in argv { free(arg) } }
    var child: pid_t = 0
    let variables = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let envp: [UnsafeMutablePointer<CChar>?] = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { for entry in envp { free(entry) } }
    let spawned = posix_spawn(&child, executable.path, &actions, &attributes, argv, envp)
    for fd in theirs { close(fd) }
    guard spawned == 0 else {
      for fd in [ours.stdin, ours.stdout, ours.stderr].compactMap({ $0 }) { close(fd) }
      throw SubprocessError(executable: executable.path, reason: String(cString: strerror(spawned)))
    }
    pid = child
    stdoutFD = ours.stdout
    stderrDrain = ours.stderr.map(PipeDrain.init)
    switch input {
    case .none, .stream:
      stdinFeed = nil
      stdinFD = ours.stdin
    case .bytes(let bytes):
      stdinFeed = ours.stdin.map { PipeFeed($0, bytes: bytes) }
      stdinFD = nil
    }
  }

  /// An abandoned child is stopped and reaped, never left as a zombie.
  deinit {
    if lock.withLock({ reapedStatus == nil }) {
      terminate()
      _ = finish()
    }
  }

  /// Fills `buffer` from the child's stdout. Returns the number of bytes read:
  /// `buffer.count` unless stdout ended first.
  public func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
    guard let fd = stdoutFD, let base = buffer.baseAddress else { return 0 }
    return readFully(fd, base, buffer.count)
  }

  /// Reads stdout to its end.
  public func readAll() -> Data {
    guard let fd = stdoutFD else { return Data() }
    return readToEnd(fd)
  }

  /// Writes bytes to a streamed stdin. Returns false when the child no longer
  /// reads (it exited; `finish()` tells why).
  public func write(_ bytes: UnsafeRawBufferPointer) -> Bool {
    guard let fd = stdinFD, let base = bytes.baseAddress else { return false }
    return writeFully(fd, base, bytes.count)
  }

  /// Ends a streamed stdin: the child sees end-of-file.
  public func closeInput() {
    if let fd = stdinFD { close(fd) }
    stdinFD = nil
  }

  /// Stops the child early (the caller has what it needs or gave up).
  public func terminate() { signal(SIGTERM) }

  /// Sends `number` to the child unless it has been reaped (SIGKILL: a crash or a pulled plug, in tests).
  public func signal(_ number: Int32) {
    lock.withLock {
      if reapedStatus == nil { kill(pid, number) }
    }
  }

  /// Waits for the child to exit; returns its status (the exit code, or 128 +
  /// the signal that ended it) and everything it wrote to a piped stderr.
  public func finish() -> (status: Int32, stderr: String) {
    closeInput()
    if let fd = stdoutFD { close(fd) }
    stdoutFD = nil
    let status = lock.withLock({ reapedStatus }) ?? reap()
    stdinFeed?.wait()
    let err = stderrDrain?.wait() ?? Data()
    return (status, String(decoding: err, as: UTF8.self))
  }

  /// Waits for the exit without reaping it (so `terminate` on another thread
  /// never signals a reused pid), then reaps it under the lock. Returns the
  /// exit code, or 128 + the signal that ended the child.
  private func reap() -> Int32 {
    var info = siginfo_t()
    while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) < 0 && errno == EINTR {}
    return lock.withLock {
      if let reapedStatus { return reapedStatus }
      var raw: Int32 = 0
      while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
      // The wait(2) status word: the low 7 bits are the signal, 0 for a normal exit with the code in bits 8–15.
      let signal = raw & 0x7f
      let status = signal == 0 ? (raw >> 8) & 0xff : 128 + signal
      reapedStatus = status
      return status
    }
  }

  /// Runs a short command to completion and returns its exit status, stdout and stderr.
  public static func run(
    _ executable: URL, _ arguments: [String], environment: [String: String] = [:], errors: Output = .pipe
  ) throws -> (status: Int32, stdout: Data, stderr: String) {
    let child = try Subprocess(executable: executable, arguments: arguments, environment: environment, errors: errors)
    let out = child.readAll()
    let (status, err) = child.finish()
    return (status, out, err)
  }

  /// An executable of this package built beside the running one: the test runner
  /// lives in the build's bin directory, next to `ferlab` and `ferlab-bench`.
  public static func builtExecutable(named name: String) -> URL {
    let running = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
    return running.resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent(name)
  }

  /// Serialises starting children (see `init`); held for microseconds.
  private static let spawnLock = NSLock()

  /// A write to a pipe whose reader has exited must fail with EPIPE rather than
  /// kill this process, so SIGPIPE is ignored process-wide once.
  private static let ignoreBrokenPipes: Void = {
    #if canImport(Glibc)
      _ = Glibc.signal(SIGPIPE, SIG_IGN)
    #else
      _ = Darwin.signal(SIGPIPE, SIG_IGN)
    #endif
  }()
}

/// A child that could not be started.
public struct SubprocessError: Error, CustomStringConvertible, LocalizedError {
  public let executable: String
  public let reason: String
  public var description: String { "cannot start \(executable): \(reason)" }
  public var errorDescription: String? { description }
}

/// The last non-empty lines of a tool's stderr, for an error message.
package func lastLines(of text: String, count: Int = 2) -> String {
  let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
  let tail = lines.filter { !$0.isEmpty }.suffix(count)
  return tail.isEmpty ? "no message" : tail.joined(separator: "; ")
}

/// Calls `step(moved)` (one read or write of the rest) until `count` bytes
/// moved, the stream ended (0) or an error other than EINTR; returns the bytes moved.
private func moveAll(_ count: Int, _ step: (Int) -> Int) -> Int {
  var moved = 0
  while moved < count {
    let n = step(moved)
    if n > 0 {
      moved += n
    } else if n == 0 || errno != EINTR {
      break
    }
  }
  return moved
}

/// Reads until `count` bytes arrived or the stream ended; returns the number read.
private func readFully(_ fd: Int32, _ base: UnsafeMutableRawPointer, _ count: Int) -> Int {
  moveAll(count) { read(fd, base + $0, count - $0) }
}

/// Reads a stream to its end.
private func readToEnd(_ fd: Int32) -> Data {
  var data = Data()
  var chunk = [UInt8](repeating: 0, count: 1 << 16)
  while true {
    let n = chunk.withUnsafeMutableBytes { readFully(fd, $0.baseAddress!, $0.count) }
    data.append(contentsOf: chunk[0..<n])
    if n < chunk.count { return data }
  }
}

/// Writes all bytes; false when the reader has gone (EPIPE) or another error ends it.
private func writeFully(_ fd: Int32, _ base: UnsafeRawPointer, _ count: Int) -> Bool {
  moveAll(count) { write(fd, base + $0, count - $0) } == count
}

/// Reads a pipe to its end on a thread of its own, then closes it.
private final class PipeDrain: @unchecked Sendable {
  private var data = Data()
  private let done = DispatchSemaphore(value: 0)

  init(_ fd: Int32) {
    let thread = Thread { [self] in
      data = readToEnd(fd)
      close(fd)
      done.signal()
    }
    thread.start()
  }

  /// The bytes read (waits for the end; may be called again).
  func wait() -> Data {
    done.wait()
    done.signal()
    return data
  }
}

/// Writes bytes to a pipe and closes it, on a thread of its own. A write error
/// (the child exited without reading) ends the feed; the child's exit status
/// and stderr tell the caller what went wrong.
private final class PipeFeed: @unchecked Sendable {
  private let done = DispatchSemaphore(value: 0)

  init(_ fd: Int32, bytes: Data) {
    let thread = Thread { [self] in
      if !bytes.isEmpty { _ = bytes.withUnsafeBytes { writeFully(fd, $0.baseAddress!, $0.count) } }
      close(fd)
      done.signal()
    }
    thread.start()
  }

  /// Waits for the feed to end (may be called again).
  func wait() {
    done.wait()
    done.signal()
  }
}
