import FERSystem
import Foundation
import Synchronization

// Running a Python peer script in the same benchmark run: its last stdout
// line is one JSON object of figures.

/// The package root (peer scripts and fixtures are found relative to it).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent()

/// Runs `python args…` and parses the last stdout line as a JSON object; nil (with a note) on failure.
func runPeer(_ python: String, _ arguments: [String]) -> [String: Any]? {
  let child: Subprocess
  do {
    // The peer's stderr (its progress) goes to ours.
    child = try Subprocess(executable: URL(fileURLWithPath: python), arguments: arguments, errors: .inherit)
  } catch {
    say("(peer \(python) did not start: \(error))")
    return nil
  }
  let data = child.readAll()
  let (status, _) = child.finish()
  guard status == 0,
    let line = String(decoding: data, as: UTF8.self).split(separator: "\n").last,
    let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
  else {
    say("(peer \(arguments.first ?? "") failed with status \(status))")
    return nil
  }
  return object
}

/// A peer that stays up and takes one step per request: a line to its stdin
/// ("train", "infer"), one JSON line back with the seconds that step took (the
/// peer times the step itself, not the pipe). Its first line says whether it is
/// ready; `start` gives up after `timeout` seconds (a compilation that will not
/// finish) and stops the child.
final class StepPeer {
  private let child: Subprocess
  /// What the peer said when it became ready (torch version, threads, set-up time).
  let greeting: [String: Any]

  private init(child: Subprocess, greeting: [String: Any]) {
    self.child = child
    self.greeting = greeting
  }

  /// The peer running, or why it is not.
  static func start(
    _ python: String, _ arguments: [String], environment: [String: String] = [:], timeout: Double
  ) -> Result<StepPeer, PeerUnavailable> {
    let child: Subprocess
    do {
      child = try Subprocess(
        executable: URL(fileURLWithPath: python), arguments: arguments, environment: environment, input: .stream,
        errors: .discard)
    } catch {
      return .failure(PeerUnavailable(reason: "\(python) did not start: \(error)"))
    }
    // The watchdog stops a peer that is not ready in time; reading its stdout then ends.
    let ready = Atomic<Bool>(false)
    let timedOut = Atomic<Bool>(false)
    DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
      if !ready.load(ordering: .acquiring) {
        timedOut.store(true, ordering: .releasing)
        child.terminate()
      }
    }
    let greeting = readJSONLine(child)
    ready.store(true, ordering: .releasing)
    guard let greeting, greeting["ready"] as? Bool == true else {
      child.terminate()
      _ = child.finish()
      if timedOut.load(ordering: .acquiring) {
        return .failure(PeerUnavailable(reason: "not ready within \(Int(timeout)) s (stopped)"))
      }
      return .failure(PeerUnavailable(reason: greeting?["reason"] as? String ?? "exited before it was ready"))
    }
    return .success(StepPeer(child: child, greeting: greeting))
  }

  /// The time of one step of `command`, as the peer measured it; nil when it failed.
  func step(_ command: String) -> StepTime? {
    guard Data((command + "\n").utf8).withUnsafeBytes({ child.write($0) }) else { return nil }
    guard let reply = StepPeer.readJSONLine(child), let wall = reply["s"] as? Double else { return nil }
    return StepTime(wall: wall, cpu: reply["cpu_s"] as? Double ?? .nan)
  }

  /// Asks the peer to exit and waits for it.
  func stop() {
    _ = Data("quit\n".utf8).withUnsafeBytes { child.write($0) }
    _ = child.finish()
  }

  /// The next line of the child's stdout that is a JSON object (a library's stray
  /// output is skipped); nil at end of file.
  private static func readJSONLine(_ child: Subprocess) -> [String: Any]? {
    while true {
      var line = Data()
      var byte: UInt8 = 0
      var ended = true
      while withUnsafeMutableBytes(of: &byte, { child.read(into: $0) }) == 1 {
        if byte == 10 {
          ended = false
          break
        }
        line.append(byte)
      }
      if let object = (try? JSONSerialization.jsonObject(with: line)) as? [String: Any] { return object }
      if ended { return nil }
    }
  }
}

/// Why a peer is not there.
struct PeerUnavailable: Error {
  let reason: String
}
