import FERWorkspace
import Foundation

// `ferlab replay --view`: the explorer showing a recorded session's frames
// (SessionPlayback) one after another on a clock, nothing recomputed. Space
// pauses and plays, n steps one frame while paused, + and - double and halve
// the speed. Nothing can be typed: the session is what was recorded.

/// An explorer source that plays back frames instead of running commands.
public final class ReplaySource: ExplorerSource {
  public let frames: [WorkspaceSnapshot]
  /// Index of the frame on screen.
  public private(set) var position = 0
  /// Frames per second at speed 1 is `1 / baseInterval`.
  public private(set) var speed = 1.0
  public private(set) var isPaused = false
  /// Seconds each frame stays on screen at speed 1.
  public static let baseInterval = 0.6
  static let speeds = (minimum: 0.125, maximum: 32.0)
  private var lastAdvance: Date?

  /// `frames` must not be empty (SessionPlayback always yields the empty workspace first).
  public init(frames: [WorkspaceSnapshot]) {
    precondition(!frames.isEmpty, "ReplaySource: no frames to show")
    self.frames = frames
  }

  public var isAtEnd: Bool { position == frames.count - 1 }

  public func snapshot() -> WorkspaceSnapshot { frames[position] }

  /// A replay takes no commands.
  public func submit(_ line: String) {}
  public func cancelQueued(_ line: String) -> Bool { false }
  public func completions(for partial: String) -> [String] { [] }

  public func tick() { advance(at: Date()) }

  /// Moves on as many frames as the time since the last move allows at the current speed.
  public func advance(at now: Date) {
    guard let last = lastAdvance else {
      lastAdvance = now
      return
    }
    guard !isPaused, !isAtEnd else {
      lastAdvance = now
      return
    }
    let interval = Self.baseInterval / speed
    let due = Int(now.timeIntervalSince(last) / interval)
    guard due > 0 else { return }
    position = min(position + due, frames.count - 1)
    lastAdvance = last.addingTimeInterval(Double(due) * interval)
  }

  public func control(_ action: ExplorerAction) -> String? {
    switch action {
    case .replayPause: isPaused.toggle()
    case .replayStep:
      if !isPaused { isPaused = true } else if !isAtEnd { position += 1 }
    case .replayFaster: speed = min(speed * 2, Self.speeds.maximum)
    case .replaySlower: speed = max(speed / 2, Self.speeds.minimum)
    default: return nil
    }
    return status
  }

  public var statusLine: String? { status }

  /// "paused (n steps) - step 12/40 - speed 2×", kept under the notebook.
  public var status: String {
    let state = isAtEnd ? "end of the session" : isPaused ? "paused (n steps)" : "playing"
    let rate = speed >= 1 ? String(format: "%g×", speed) : "1/\(Int((1 / speed).rounded()))×"
    return "\(state) - step \(position + 1)/\(frames.count) - speed \(rate)"
  }
}
