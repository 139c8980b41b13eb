import Foundation

// A clip stored as a folder of images, one per frame. The images are decoded by
// ffmpeg too: the chosen files go to its concat demuxer as a list on stdin
//
//   file 'file:/abs/path/0001.png'
//   file 'file:/abs/path/0002.png'
//
// and come back as rgb24 frames on the same pipe as a video's. The concat
// demuxer needs one codec per run, so a folder mixing formats is decoded run by
// run (consecutive files of one format each); every frame is scaled to one
// size (the first image's, or the requested one).

extension VideoDecoder {
  /// Image file extensions read from a folder, lower-cased, with the ffmpeg codec family of each.
  static let imageFormats: [String: String] = ["png": "png", "jpg": "jpeg", "jpeg": "jpeg", "bmp": "bmp"]

  /// The images of a folder in frame order: by name, with digit runs compared
  /// as numbers (frame2 before frame10).
  static func imageFiles(in folder: URL) throws -> [URL] {
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
    return
      names
      .filter { imageFormats[($0 as NSString).pathExtension.lowercased()] != nil && !$0.hasPrefix(".") }
      .sorted { a, b in
        let order = a.compare(b, options: [.numeric])
        return order == .orderedSame ? a < b : order == .orderedAscending
      }
      .map { folder.appendingPathComponent($0) }
  }

  func decodeImageFolder(_ folder: URL, options: VideoDecodingOptions) throws -> DecodedClip {
    let files = try Self.imageFiles(in: folder)
    guard !files.isEmpty else { throw VideoIOError.noImages(folder: folder.path) }
    let indices = options.frameCount.map { uniformFrameIndices(total: files.count, count: $0) } ?? Array(files.indices)
    // Each distinct chosen image is decoded once; repeats reuse the frame.
    let distinct = Array(Set(indices)).sorted()
    let first = files[distinct[0]]
    if let bytes = (try? FileManager.default.attributesOfItem(atPath: first.path))?[.size] as? NSNumber,
      bytes.intValue == 0
    {
      throw VideoIOError.emptyFile(path: first.path)
    }
    let sourceSize = try VideoProbe.probe(first.path, tools: tools).size
    let size = options.outputSize ?? sourceSize

    var decoded: [Int: RGBFrame] = [:]
    for run in formatRuns(distinct, files: files) {
      let list = run.map { "file '\(Self.concatQuoted("file:" + files[$0].standardizedFileURL.path))'\n" }.joined()
      var frames: [RGBFrame] = []
      let produced = try streamFrames(
        inputArguments: ["-f", "concat", "-safe", "0", "-protocol_whitelist", "file,pipe", "-i", "pipe:0"],
        stdin: Data(list.utf8), source: sourceSize, output: size, path: folder.path,
        keep: { _ in true }, receive: { frames.append($1) })
      guard produced == run.count else {
        let names = run.map { files[$0].lastPathComponent }
        throw VideoIOError.unreadable(
          path: folder.path,
          detail: "\(run.count - produced) of the \(run.count) images \(names.first ?? "")…\(names.last ?? "") did not decode")
      }
      for (file, frame) in zip(run, frames) { decoded[file] = frame }
    }
    return DecodedClip(
      source: folder, frames: indices.compactMap { decoded[$0] }, frameIndices: indices,
      sourceFrameCount: files.count, sourceSize: sourceSize, frameRate: nil)
  }

  /// Splits sorted file indices into runs of consecutive entries of one format.
  private func formatRuns(_ indices: [Int], files: [URL]) -> [[Int]] {
    var runs: [[Int]] = []
    var lastFormat: String?
    for i in indices {
      let format = Self.imageFormats[files[i].pathExtension.lowercased()]
      if format != lastFormat || runs.isEmpty {
        runs.append([i])
      } else {
        runs[runs.count - 1].append(i)
      }
      lastFormat = format
    }
    return runs
  }

  /// A path inside single quotes for an ffmpeg concat list ('\'' for a quote).
  static func concatQuoted(_ path: String) -> String {
    path.replacingOccurrences(of: "'", with: "'\\''")
  }
}
