import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// A child process (ffmpeg / ffprobe) with its standard streams on pipes.
//
// Deadlock freedom: a child blocks when a pipe it writes to is full, so the
// stderr pipe is drained to the end on a thread of its own from the moment the
// child starts, stdin (when used) is fed on another thread, and the caller
// reads stdout at its own pace. No stream waits for another.

/// A running child process. Read `stdout` with `read(into:)` or feed a
/// streamed stdin with `write(_:)`, then `finish()`.
final class Subprocess: @unchecked Sendable {
  /// What the child reads on standard input.
  enum Input {
    /// /dev/null.
    case none
    /// These bytes, then end-of-file (written on a thread of its own).
    case bytes(Data)
    /// Whatever the caller passes to `write(_:)` until `closeInput()`.
    case stream
  }

  private let process: Process
  private let stdoutHandle: FileHandle?
  private var stdinHandle: FileHandle?
  private let stderrDrain: PipeDrain
  private let stdinFeed: PipeFeed?

  /// Starts `executable` with `arguments`. With `capturesOutput == false` the
  /// child's stdout goes to /dev/null (an encoder writes to its file).
  init(executable: URL, arguments: [String], input: Input = .none, capturesOutput: Bool = true) throws {
    Subprocess.ignoreBrokenPipes
    process = Process()
    process.executableURL = executable
    process.arguments = arguments
    let outPipe: Pipe? = capturesOutput ? Pipe() : nil
    let errPipe = Pipe()
    process.standardOutput = outPipe ?? FileHandle.nullDevice
    process.standardError = errPipe
    var inPipe: Pipe?
    if case .none = input {
      process.standardInput = FileHandle.nullDevice
    } else {
      inPipe = Pipe()
      process.standardInput = inPipe
    }
    do {
      try process.run()
    } catch {
      throw VideoIOError.toolMissing(tool: executable.lastPathComponent)
    }
    // Our copies of the child's pipe ends must be closed, or reads never see
    // end-of-file. Foundation closes them on run() (on Linux); closing a closed
    // FileHandle again is a no-op, so this only matters where it does not.
    try? outPipe?.fileHandleForWriting.close()
    try? errPipe.fileHandleForWriting.close()
    try? inPipe?.fileHandleForReading.close()
    stdoutHandle = outPipe?.fileHandleForReading
    stderrDrain = PipeDrain(errPipe.fileHandleForReading)
    switch input {
    case .none:
      stdinFeed = nil
    case .bytes(let bytes):
      stdinFeed = inPipe.map { PipeFeed($0.fileHandleForWriting, bytes: bytes) }
    case .stream:
      stdinFeed = nil
      stdinHandle = inPipe?.fileHandleForWriting
    }
  }

  /// Fills `buffer` from the child's stdout. Returns the number of bytes read:
  /// `buffer.count` unless stdout ended first.
  func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
    guard let fd = stdoutHandle?.fileDescriptor, let base = buffer.baseAddress else { return 0 }
    var filled = 0
    while filled < buffer.count {
      let n = posixRead(fd, base + filled, buffer.count - filled)
      if n > 0 {
        filled += n
      } else if n == 0 || errno != EINTR {
        break
      }
    }
    return filled
  }

  /// Reads stdout to its end.
  func readAll() -> Data {
    stdoutHandle?.readDataToEndOfFile() ?? Data()
  }

  /// Writes bytes to a streamed stdin. Returns false when the child no longer
  /// reads (it exited; `finish()` tells why).
  func write(_ bytes: UnsafeRawBufferPointer) -> Bool {
    guard let fd = stdinHandle?.fileDescriptor, let base = bytes.baseAddress else { return false }
    var sent = 0
    while sent < bytes.count {
      let n = posixWrite(fd, base + sent, bytes.count - sent)
      if n > 0 {
        sent += n
      } else if n < 0 && errno == EINTR {
        continue
      } else {
        return false
      }
    }
    return true
  }

  /// Ends a streamed stdin: the child sees end-of-file.
  func closeInput() {
    try? stdinHandle?.close()
    stdinHandle = nil
  }

  /// Stops the child early (the caller has what it needs or gave up).
  func terminate() {
    if process.isRunning { process.terminate() }
  }

  /// Waits for the child to exit; returns its status and everything it wrote to stderr.
  func finish() -> (status: Int32, stderr: String) {
    closeInput()
    try? stdoutHandle?.close()
    process.waitUntilExit()
    stdinFeed?.wait()
    let err = stderrDrain.wait()
    return (process.terminationStatus, String(decoding: err, as: UTF8.self))
  }

  /// Runs a short command to completion and returns its exit status, stdout and stderr.
  static func run(_ executable: URL, _ arguments: [String]) throws -> (status: Int32, stdout: Data, stderr: String) {
    let child = try Subprocess(executable: executable, arguments: arguments)
    let out = child.readAll()
    let (status, err) = child.finish()
    return (status, out, err)
  }

  /// A write to a pipe whose reader has exited must fail with EPIPE rather than
  /// kill this process, so SIGPIPE is ignored process-wide once.
  private static let ignoreBrokenPipes: Void = {
    _ = signal(SIGPIPE, SIG_IGN)
  }()
}

/// The last non-empty lines of a tool's stderr, for an error message.
func lastLines(of text: String, count: Int = 2) -> String {
  let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
  let tail = lines.filter { !$0.isEmpty }.suffix(count)
  return tail.isEmpty ? "no message" : tail.joined(separator: "; ")
}

// POSIX read / write at file scope, where FileHandle-like method names do not shadow them.
private func posixRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
  read(fd, buffer, count)
}

private func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
  write(fd, buffer, count)
}

/// Reads a pipe to its end on a thread of its own.
private final class PipeDrain: @unchecked Sendable {
  private var data = Data()
  private let done = DispatchSemaphore(value: 0)

  init(_ handle: FileHandle) {
    let thread = Thread { [self] in
      data = handle.readDataToEndOfFile()
      try? handle.close()
      done.signal()
    }
    thread.start()
  }

  func wait() -> Data {
    done.wait()
    return data
  }
}

/// Writes bytes to a pipe and closes it, on a thread of its own. A write error
/// (the child exited without reading) ends the feed; the child's exit status
/// and stderr tell the caller what went wrong.
private final class PipeFeed: @unchecked Sendable {
  private let done = DispatchSemaphore(value: 0)

  init(_ handle: FileHandle, bytes: Data) {
    let thread = Thread { [self] in
      try? handle.write(contentsOf: bytes)
      try? handle.close()
      done.signal()
    }
    thread.start()
  }

  func wait() { done.wait() }
}
