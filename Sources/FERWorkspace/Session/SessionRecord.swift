import FERCore
import Foundation

// The records of a session file (see SESSION_FORMAT.md, the one description
// of the format): a header, dataset records, command records.

/// The format version this FERLab writes and the newest it reads.
public let sessionFormatVersion = 1

/// The machine a session was recorded on.
public struct MachineInfo: Codable, Sendable, Equatable {
  /// `uname -s`, `uname -r`, `uname -m`.
  public var system: String
  public var release: String
  public var architecture: String
  /// The CPU model name (from /proc/cpuinfo where there is one).
  public var cpu: String
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
    let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
    let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
      .flatMap { $0.split(separator: ":", maxSplits: 1).last }
      .map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown"
    return MachineInfo(
      system: field(name.sysname), release: field(name.release), architecture: field(name.machine), cpu: model,
      cores: ProcessInfo.processInfo.activeProcessorCount)
  }

  /// Same architecture, CPU model and core count: results are expected to be bit-identical.
  public func isSameKind(as other: MachineInfo) -> Bool {
    architecture == other.architecture && cpu == other.cpu && cores == other.cores
  }
}

/// The first line of a session.
public struct SessionHeader: Codable, Sendable, Equatable {
  public var type = "header"
  public var format: Int
  public var ferlab: String
  public var seed: UInt64
  public var machine: MachineInfo
  /// Threads the kernels split work over while recording (results do not depend on it).
  public var threads: Int
  /// When recording started (ISO 8601); informational, never checked.
  public var started: String
}

/// A dataset as loaded: what replay checks first, and the subject → group split.
public struct DatasetRecord: Codable, Sendable, Equatable {
  public var type = "dataset"
  /// Index of the `load` command that made it.
  public var command: Int
  public var name: String
  public var provenance: String
  public var fingerprint: String
  public var clips: Int
  public var frames: Int
  public var size: Int
  public var motion: Bool
  /// Subject → group index of the current folds.
  public var groups: [String: Int]
  public var foldSeed: UInt64
}

/// One command and its results.
public struct CommandRecord: Codable, Sendable, Equatable {
  public var type = "command"
  /// 1-based position among the session's commands.
  public var index: Int
  public var line: String
  /// What replay compares (see SESSION_FORMAT.md for each command's fields).
  public var results: JSONValue
  /// The one-line error, when the command failed.
  public var error: String?
  /// Wall-clock seconds; informational, never checked.
  public var seconds: Double
}
