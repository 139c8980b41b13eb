import Foundation

// What ffprobe would say about an .avi, read from the file's own RIFF header.
//
// Starting a process costs about 140 ms here (ffprobe and ffmpeg alike, mostly
// dynamic linking), which made the probe half of decoding a small clip.
// eNTERFACE'05 and `ferlab synth` write AVI. Its header states the frame size
// and rate and the stream's length in frames, so those files need only the
// ffmpeg launch that decodes them. Anything else, such as another container, an
// OpenDML (> 1 GB) file whose first header does not count every frame, or a
// header that does not parse, goes to ffprobe as before. A length that
// disagrees with the frames that actually decode is caught by the decoder's
// second pass, as with any container.

enum AVIHeader {
  /// The header's bytes searched for the stream lists; the hdrl list comes first and is small.
  static let headerBytes = 1 << 16

  /// The probe of `path` from its AVI header, or nil when it is not a plain AVI
  /// whose header gives a video stream's size, rate and length.
  static func probe(_ path: String) -> VideoProbe? {
    guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
    defer { try? handle.close() }
    guard let data = try? handle.read(upToCount: headerBytes) else { return nil }
    return parse([UInt8](data))
  }

  /// Parses the start of an AVI file (see `probe`).
  static func parse(_ bytes: [UInt8]) -> VideoProbe? {
    guard bytes.count >= 12, fourCC(bytes, 0) == "RIFF", fourCC(bytes, 8) == "AVI " else { return nil }
    var video: VideoProbe?
    var openDML = false
    // Walks the chunks of [start, end): descends into LIST hdrl (at the top) and
    // strl (inside hdrl) only, so a crafted file cannot nest it deep; reads strh + strf pairs.
    func walk(_ start: Int, _ end: Int, depth: Int) {
      var offset = start
      var streamHeader: (isVideo: Bool, rate: Double?, length: Int)?
      while offset + 8 <= end, offset + 8 <= bytes.count {
        let id = fourCC(bytes, offset), size = Int(uint32(bytes, offset + 4))
        let body = offset + 8, next = body + size + size % 2  // chunks are padded to even sizes
        if id == "LIST", body + 4 <= bytes.count {
          let kind = fourCC(bytes, body)
          if kind == "odml" { openDML = true }
          if (kind == "hdrl" && depth == 0) || (kind == "strl" && depth == 1) {
            walk(body + 4, min(next, end), depth: depth + 1)
          }
        } else if id == "strh", size >= 36, body + 36 <= bytes.count {
          let scale = Double(uint32(bytes, body + 20)), rate = Double(uint32(bytes, body + 24))
          streamHeader = (
            fourCC(bytes, body) == "vids", scale > 0 && rate > 0 ? rate / scale : nil, Int(uint32(bytes, body + 32))
          )
        } else if id == "strf", let header = streamHeader, header.isVideo, video == nil, size >= 12,
          body + 12 <= bytes.count
        {
          // BITMAPINFOHEADER: biSize, then biWidth and biHeight (negative for top-down rows).
          let width = Int(Int32(bitPattern: uint32(bytes, body + 4)))
          let height = abs(Int(Int32(bitPattern: uint32(bytes, body + 8))))
          if width > 0, height > 0, header.length > 0 {
            video = VideoProbe(
              size: FrameSize(width: width, height: height), packetCount: header.length, frameRate: header.rate)
          }
        }
        guard next > offset else { return }
        offset = next
      }
    }
    walk(12, bytes.count, depth: 0)
    return openDML ? nil : video
  }

  private static func fourCC(_ bytes: [UInt8], _ offset: Int) -> String {
    String(decoding: bytes[offset..<min(offset + 4, bytes.count)], as: UTF8.self)
  }

  private static func uint32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
    (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) }
  }
}
