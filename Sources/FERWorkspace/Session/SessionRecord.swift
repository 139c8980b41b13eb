import FERCore
import Foundation

// The records of a session file (see SESSION_FORMAT.md, the one description
// of the format): a header, then one record per command with its events.

/// The format version this FERLab writes and the newest it reads. Format 3
/// records each command's events; formats 1 and 2 recorded hand-made results,
/// of which only the command lines are read (their replay re-runs them unchecked).
public let sessionFormatVersion = 3

/// The operating system a session was recorded on (informational: results do not depend on it).
public struct MachineInfo: Codable, Sendable, Equatable {
  /// `uname -s`, `uname -r`, `uname -m`.
  public var system: String
  public var release: String
  public var architecture: String
  public var cores: Int

  /// The machine this process runs on.
  public static var current: MachineInfo {
    var name = utsname()
    uname(&name)
    func field<T>(_ value: T) -> String {
      withUnsafeBytes(of: value) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      }
    }
    return MachineInfo(
      system: field(name.sysname), release: field(name.release), architecture: field(name.machine),
      cores: ProcessInfo.processInfo.activeProcessorCount)
  }
}

/// The first line of a session.
public struct SessionHeader: Codable, Sendable, Equatable {
  public var type = "header"
  public var format: Int
  public var seed: UInt64
  public var machine: MachineInfo
  /// Everything the recorded bits depend on besides commands, seeds and data.
  public var numerics: NumericEnvironment
  /// When recording started (ISO 8601); informational, never checked.
  public var started: String

  public init(seed: UInt64, numerics: NumericEnvironment, started: Date = Date()) {
    format = sessionFormatVersion
    self.seed = seed
    machine = .current
    self.numerics = numerics
    self.started = ISO8601DateFormatter().string(from: started)
  }

  private enum CodingKeys: String, CodingKey { case type, format, seed, machine, numerics, started }
  /// Format 1 named the FERLab version, the thread count and the CPU's model name only.
  private enum FormatOneKeys: String, CodingKey { case ferlab, threads, machine }
  private enum FormatOneMachineKeys: String, CodingKey { case cpu }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    type = try c.decode(String.self, forKey: .type)
    format = try c.decode(Int.self, forKey: .format)
    seed = try c.decode(UInt64.self, forKey: .seed)
    machine = try c.decode(MachineInfo.self, forKey: .machine)
    started = try c.decode(String.self, forKey: .started)
    if format >= 2 {
      numerics = try c.decode(NumericEnvironment.self, forKey: .numerics)
    } else {
      let old = try decoder.container(keyedBy: FormatOneKeys.self)
      let cpu = try old.nestedContainer(keyedBy: FormatOneMachineKeys.self, forKey: .machine)
      numerics = NumericEnvironment(
        cpu: .init(vendor: NumericEnvironment.unrecorded, family: 0, model: 0, name: try cpu.decode(String.self, forKey: .cpu)),
        instructionSets: [], blas: .init(library: NumericEnvironment.unrecorded, version: "", kernels: "", fixed: false),
        libc: NumericEnvironment.unrecorded,
        threads: try old.decode(Int.self, forKey: .threads), ferlab: try old.decode(String.self, forKey: .ferlab))
    }
  }
}

/// One command: its line, where its cell sits in the notebook, and its events.
public struct CommandRecord: Codable, Sendable, Equatable {
  public var type = "command"
  /// 1-based position among the session's records, in the order they were written.
  public var index: Int
  /// The notebook cell's number (submission order): a command typed while another
  /// ran is written first but shown after it.
  public var cell: Int
  public var line: String
  /// What the command did, in order; replay compares them (interactive ones aside).
  public var events: [WorkspaceEvent]
  /// The one-line error, when the command failed.
  public var error: String?
  /// True when a `stop` dropped it from the queue before it ran.
  public var dropped: Bool?
  /// Wall-clock seconds; informational, never checked.
  public var seconds: Double

  /// The optimizer steps after which the command was stopped, when it was.
  public var stoppedAfterSteps: Int? {
    events.lazy.compactMap { event -> Int? in
      if case .stopped(let i) = event { return i.afterSteps }
      return nil
    }.first
  }
}
