import Foundation
import FERSystem

// The ffmpeg command-line tools (Debian package `ffmpeg`): where they are and
// what this build of them can do. Found on PATH once per process; the
// capability questions run ffmpeg once each and are remembered.

/// The `ffmpeg` and `ffprobe` executables of this machine.
public final class FFmpegTools: @unchecked Sendable {
  public let ffmpeg: URL
  public let ffprobe: URL
  private let lock = NSLock()
  private var encoders: Set<String>?
  private var fpsMode: Bool?

  init(ffmpeg: URL, ffprobe: URL) {
    self.ffmpeg = ffmpeg
    self.ffprobe = ffprobe
  }

  /// The tools on PATH, found once and shared. Throws `.toolMissing` naming the
  /// Debian package when either is absent.
  public static func shared() throws -> FFmpegTools {
    sharedLock.lock()
    defer { sharedLock.unlock() }
    if let found = sharedTools { return found }
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    let tools = try FFmpegTools(
      ffmpeg: executable(named: "ffmpeg", searchPath: path),
      ffprobe: executable(named: "ffprobe", searchPath: path))
    sharedTools = tools
    return tools
  }

  /// The first executable file called `name` in the colon-separated `searchPath`.
  static func executable(named name: String, searchPath: String) throws -> URL {
    for directory in searchPath.split(separator: ":") where !directory.isEmpty {
      let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    }
    throw VideoIOError.toolMissing(tool: name)
  }

  /// Whether this ffmpeg has the named encoder (`ffmpeg -encoders`), e.g. "libx264".
  public func hasEncoder(_ name: String) throws -> Bool {
    lock.lock()
    defer { lock.unlock() }
    if encoders == nil {
      let (_, out, _) = try Subprocess.run(ffmpeg, ["-hide_banner", "-encoders"])
      // Lines look like " V....D libx264    libx264 H.264 / AVC ..." after a legend.
      var names = Set<String>()
      for line in String(decoding: out, as: UTF8.self).split(whereSeparator: \.isNewline) {
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        if fields.count >= 3, fields[0].count == 6, fields[1] != "=" { names.insert(String(fields[1])) }
      }
      encoders = names
    }
    return encoders?.contains(name) ?? false
  }

  /// The options that pass every decoded frame through unchanged (no frame-rate
  /// conversion duplicating or dropping frames): `-fps_mode` from ffmpeg 5.1,
  /// `-vsync` before it.
  func passthroughTimingOptions() throws -> [String] {
    lock.lock()
    defer { lock.unlock() }
    if fpsMode == nil {
      let (_, out, _) = try Subprocess.run(ffmpeg, ["-hide_banner", "-h", "long"])
      fpsMode = String(decoding: out, as: UTF8.self).contains("-fps_mode")
    }
    return fpsMode == true ? ["-fps_mode", "passthrough"] : ["-vsync", "passthrough"]
  }

  nonisolated(unsafe) private static var sharedTools: FFmpegTools?
  private static let sharedLock = NSLock()
}
