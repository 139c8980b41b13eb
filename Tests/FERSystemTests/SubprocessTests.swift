import Foundation
import Testing

@testable import FERSystem

// The child-process runner under the decoder, the encoder and the end-to-end
// test: exit codes and signals come back, stdin and stderr go through, and
// children started from many threads at once are all reaped (a runner that
// relies on SIGCHLD can lose one and wait forever).

@Suite("Subprocess") struct SubprocessTests {
  static let sh = URL(fileURLWithPath: "/bin/sh")

  @Test func exitCodeStdoutAndStderr() throws {
    let result = try Subprocess.run(Self.sh, ["-c", "printf out; printf err >&2; exit 3"])
    #expect(result.status == 3)
    #expect(String(decoding: result.stdout, as: UTF8.self) == "out")
    #expect(result.stderr == "err")
  }

  @Test func bytesOnStdinReachTheChild() throws {
    let text = String(repeating: "0123456789", count: 20_000)  // larger than a pipe's buffer
    let child = try Subprocess(executable: Self.sh, arguments: ["-c", "wc -c"], input: .bytes(Data(text.utf8)))
    let out = child.readAll()
    #expect(child.finish().status == 0)
    #expect(String(decoding: out, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) == "\(text.utf8.count)")
  }

  @Test func streamedStdinThenEndOfFile() throws {
    let child = try Subprocess(executable: Self.sh, arguments: ["-c", "cat"], input: .stream)
    let sent = Array("frame".utf8).withUnsafeBytes { child.write($0) }
    #expect(sent)
    child.closeInput()
    #expect(String(decoding: child.readAll(), as: UTF8.self) == "frame")
    #expect(child.finish().status == 0)
  }

  @Test func terminatedChildReportsItsSignal() throws {
    let child = try Subprocess(executable: Self.sh, arguments: ["-c", "exec sleep 30"])
    child.terminate()
    #expect(child.finish().status == 128 + SIGTERM)
    // Finishing again gives the same answer and does not wait.
    #expect(child.finish().status == 128 + SIGTERM)
  }

  @Test func missingExecutableIsAnError() {
    #expect(throws: SubprocessError.self) {
      try Subprocess.run(URL(fileURLWithPath: "/nonexistent/ferlab-tool"), [])
    }
  }

  @Test func manyChildrenFromManyThreadsAllFinish() throws {
    let statuses = ConcurrentCollector()
    DispatchQueue.concurrentPerform(iterations: 8) { worker in
      for i in 0..<25 {
        let code = (worker * 25 + i) % 7
        statuses.add((try? Subprocess.run(Self.sh, ["-c", "exit \(code)"]).status).map { $0 == code } ?? false)
      }
    }
    #expect(statuses.values.count == 200)
    #expect(statuses.values.allSatisfy { $0 })
  }
}

/// Results gathered from several threads.
private final class ConcurrentCollector: @unchecked Sendable {
  private let lock = NSLock()
  private var stored: [Bool] = []
  func add(_ value: Bool) { lock.withLock { stored.append(value) } }
  var values: [Bool] { lock.withLock { stored } }
}
