import Foundation
import FERSystem

// Decoding through the ffmpeg command-line tool: ffmpeg writes raw rgb24 frames
// to a pipe and we read them one fixed-size frame at a time as they come, so
// nothing touches the disk and a long clip never sits in memory twice.
//
//   ffmpeg -i clip.avi -map 0:v:0 -vf scale=W:H -fps_mode passthrough -f rawvideo -pix_fmt rgb24 pipe:1
//
// The explicit scale pins every frame to one size (even if the stream changes
// resolution) and `passthrough` hands over every decoded frame exactly once.

/// How to decode a clip.
public struct VideoDecodingOptions: Sendable, Equatable {
  /// Frames to keep, spread uniformly over the clip (`uniformFrameIndices`); nil keeps every frame.
  public var frameCount: Int?
  /// The size ffmpeg scales every frame to; nil keeps the source size.
  public var outputSize: FrameSize?

  public init(frameCount: Int? = nil, outputSize: FrameSize? = nil) {
    if let frameCount {
      precondition(frameCount > 0, "VideoDecodingOptions: frameCount \(frameCount) must be positive (or nil for all frames)")
    }
    self.frameCount = frameCount
    self.outputSize = outputSize
  }
}

/// The frames of one clip and where they came from.
public struct DecodedClip: Sendable {
  /// The file or image folder decoded.
  public let source: URL
  /// The kept frames, in time order, all of one size.
  public var frames: [RGBFrame]
  /// For each kept frame, its index among all frames of the source.
  public let frameIndices: [Int]
  /// How many frames the source holds.
  public let sourceFrameCount: Int
  /// The size of the source's frames (before any scaling).
  public let sourceSize: FrameSize
  /// Frames per second of a video, when the container states it; nil for image folders.
  public let frameRate: Double?
  /// How many frames the container's header (or ffprobe's packet count) said the video holds,
  /// before decoding; nil for image folders. More than `sourceFrameCount` means frames the
  /// header promised did not decode (a truncated or damaged file).
  public var claimedFrameCount: Int? = nil
}

/// Decodes videos (any container ffmpeg reads: .avi, .mp4, .mov, .mkv, …) and
/// folders of images into `RGBFrame`s.
public struct VideoDecoder: Sendable {
  /// The frame sides FERLab decodes (an 8K frame is 7680 wide).
  public static let frameSides = 1...8192

  let tools: FFmpegTools

  /// A decoder over the ffmpeg found on PATH; throws `.toolMissing` without it.
  public init() throws {
    self.tools = try FFmpegTools.shared()
  }

  public init(tools: FFmpegTools) {
    self.tools = tools
  }

  /// Decodes the video file or image folder at `url`.
  ///
  /// Throws `VideoIOError` for a missing, empty, corrupt or frameless source;
  /// never traps on bad input.
  public func decode(_ url: URL, options: VideoDecodingOptions = VideoDecodingOptions()) throws -> DecodedClip {
    let path = url.path
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw VideoIOError.fileNotFound(path: path)
    }
    if isDirectory.boolValue {
      return try decodeImageFolder(url, options: options)
    }
    let attributes = try? FileManager.default.attributesOfItem(atPath: path)
    if let size = attributes?[.size] as? NSNumber, size.intValue == 0 {
      throw VideoIOError.emptyFile(path: path)
    }
    // An AVI's own header saves launching ffprobe (see AVIHeader).
    let probe = try AVIHeader.probe(path) ?? VideoProbe.probe(path, tools: tools)
    return try decodeVideo(url, probe: probe, options: options, expectedFrameCount: probe.packetCount)
  }

  /// Decodes a video whose frame count is believed to be `expectedFrameCount`.
  ///
  /// With a frame count to sample and a believed total, only the chosen frames
  /// are kept while streaming. If the stream holds another number of frames (a
  /// damaged file), the choice is redone over the true total in a second pass,
  /// so sampling is always uniform over the frames that actually decode.
  /// Without a believed total every frame is kept, then sampled.
  func decodeVideo(
    _ url: URL, probe: VideoProbe, options: VideoDecodingOptions, expectedFrameCount: Int?
  ) throws -> DecodedClip {
    let path = url.path
    // A header's frame size is a claim: past the limit a frame alone could take gigabytes.
    for (claimed, what) in [(probe.size, "its header claims"), (options.outputSize ?? probe.size, "the requested output is")] {
      guard VideoDecoder.frameSides.contains(claimed.width), VideoDecoder.frameSides.contains(claimed.height) else {
        throw VideoIOError.unreadable(
          path: path,
          detail: "\(what) \(claimed.width)×\(claimed.height) frames; FERLab reads frames of \(VideoDecoder.frameSides.lowerBound) to \(VideoDecoder.frameSides.upperBound) pixels a side")
      }
    }
    let size = options.outputSize ?? probe.size

    // One decoding pass keeping the frames in `wanted` (all when nil).
    func pass(keeping wanted: Set<Int>?) throws -> (total: Int, kept: [Int: RGBFrame]) {
      var kept: [Int: RGBFrame] = [:]
      let total = try streamFrames(
        inputArguments: ["-i", path], stdin: nil, source: probe.size, output: size, path: path,
        keep: { wanted?.contains($0) ?? true }, receive: { kept[$0] = $1 })
      guard total > 0 else { throw VideoIOError.noFrames(path: path) }
      return (total, kept)
    }
    func clip(_ indices: [Int], _ kept: [Int: RGBFrame], total: Int) -> DecodedClip {
      DecodedClip(
        source: url, frames: indices.compactMap { kept[$0] }, frameIndices: indices,
        sourceFrameCount: total, sourceSize: probe.size, frameRate: probe.frameRate, claimedFrameCount: expectedFrameCount)
    }

    if let count = options.frameCount, let believed = expectedFrameCount, believed > 0 {
      let indices = uniformFrameIndices(total: believed, count: count)
      let first = try pass(keeping: Set(indices))
      if first.total == believed { return clip(indices, first.kept, total: believed) }
      let again = uniformFrameIndices(total: first.total, count: count)
      let second = try pass(keeping: Set(again))
      guard second.total == first.total else {
        throw VideoIOError.unreadable(
          path: path, detail: "decodes to \(first.total) frames, then to \(second.total)")
      }
      return clip(again, second.kept, total: second.total)
    }
    let all = try pass(keeping: nil)
    let indices = options.frameCount.map { uniformFrameIndices(total: all.total, count: $0) } ?? Array(0..<all.total)
    return clip(indices, all.kept, total: all.total)
  }

  /// Runs ffmpeg on `inputArguments`, reads rgb24 frames of `output` size from
  /// its stdout and hands each frame whose index passes `keep` to `receive`.
  /// Returns the number of frames ffmpeg produced.
  func streamFrames(
    inputArguments: [String], stdin: Data?, source: FrameSize, output: FrameSize, path: String,
    keep: (Int) -> Bool, receive: (Int, RGBFrame) -> Void
  ) throws -> Int {
    let shrinking = output.width < source.width && output.height < source.height
    let scale = "scale=\(output.width):\(output.height):flags=\(shrinking ? "area" : "bicubic")"
    let arguments =
      ["-hide_banner", "-nostats", "-loglevel", "error"] + inputArguments
      + ["-map", "0:v:0", "-vf", scale] + (try tools.passthroughTimingOptions())
      + ["-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"]
    let child = try Subprocess(
      executable: tools.ffmpeg, arguments: arguments, input: stdin.map { .bytes($0) } ?? .none)
    let frameBytes = output.width * output.height * 3
    var scratch = [UInt8](repeating: 0, count: frameBytes)
    var index = 0
    var complete = true
    while true {
      if keep(index) {
        var got = 0
        let pixels = [UInt8](unsafeUninitializedCapacity: frameBytes) { buffer, initialized in
          got = child.read(into: UnsafeMutableRawBufferPointer(buffer))
          initialized = got
        }
        if got < frameBytes {
          complete = got == 0
          break
        }
        receive(index, RGBFrame(width: output.width, height: output.height, pixels: pixels))
      } else {
        let got = scratch.withUnsafeMutableBytes { child.read(into: $0) }
        if got < frameBytes {
          complete = got == 0
          break
        }
      }
      index += 1
    }
    let (status, err) = child.finish()
    guard status == 0 else { throw VideoIOError.unreadable(path: path, detail: lastLines(of: err)) }
    guard complete else { throw VideoIOError.unreadable(path: path, detail: "ffmpeg stopped inside a frame") }
    return index
  }
}
