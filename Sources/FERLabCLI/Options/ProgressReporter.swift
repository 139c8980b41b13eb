import FERExperiments
import Foundation

/// Progress on stderr: a redrawn bar when stderr is a terminal, plain lines otherwise
/// (at most one per second, so logs stay readable). Results go to stdout, never here.
final class ProgressReporter: @unchecked Sendable {
  private let isTerminal = isatty(2) == 1
  private let quiet: Bool
  private let lock = NSLock()
  private var lastLine = Date.distantPast
  private var barShown = false

  init(quiet: Bool = false) { self.quiet = quiet }

  /// A one-off line (ends any bar on screen).
  func note(_ text: String) {
    guard !quiet else { return }
    lock.withLock {
      clearBar()
      FileHandle.standardError.write(Data("\(text)\n".utf8))
    }
  }

  /// A fraction done with a label.
  func fraction(_ done: Double, _ label: String, eta: Double? = nil) {
    guard !quiet else { return }
    lock.withLock {
      let percent = Int((100 * min(max(done, 0), 1)).rounded())
      let etaText = eta.map { " ETA \(clock($0))" } ?? ""
      if isTerminal {
        let width = 24, filled = Int(Double(width) * min(max(done, 0), 1))
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        FileHandle.standardError.write(Data("\r\u{1B}[2K[\(bar)] \(percent)% \(label)\(etaText)".utf8))
        barShown = true
        if done >= 1 { clearBar() }
      } else if Date().timeIntervalSince(lastLine) >= 1 || done >= 1 {
        lastLine = Date()
        FileHandle.standardError.write(Data("\(percent)% \(label)\(etaText)\n".utf8))
      }
    }
  }

  /// A trainer event as progress.
  func training(_ event: TrainingEvent, prefix: String = "") {
    switch event {
    case .step(let p):
      fraction(
        p.fractionDone,
        "\(prefix)epoch \(p.epoch) step \(p.step)/\(p.stepsPerEpoch) loss \(String(format: "%.3f", p.loss)) "
          + "acc \(String(format: "%.2f", p.accuracy)) \(String(format: "%.1f", p.clipsPerSecond)) clips/s",
        eta: p.secondsLeft)
    case .epoch(let e):
      let validation = e.validationAccuracy.map { String(format: " val loss %.3f acc %.3f", e.validationLoss ?? 0, $0) } ?? ""
      note("\(prefix)epoch \(e.epoch): loss \(String(format: "%.3f", e.trainLoss)) acc \(String(format: "%.3f", e.trainAccuracy))\(validation)")
    case .finished(let reason):
      if reason != .completed { note("\(prefix)\(reason.summary)") }
    case .started, .paused, .resumed:
      break
    }
  }

  /// Takes a bar off the screen (before an error message, say).
  func end() {
    lock.withLock { clearBar() }
  }

  private func clearBar() {
    if barShown {
      FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
      barShown = false
    }
  }

  private func clock(_ seconds: Double) -> String {
    let s = Int(seconds.rounded())
    return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
  }
}
