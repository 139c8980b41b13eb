// What `ferlab synth --out DIR` needs to write the synthetic dataset as real
// video files: each clip's frames as 8-bit RGB, and where each clip goes in
// the eNTERFACE'05 folder layout, so the written set loads back through the
// eNTERFACE loader like the real one:
//
//   DIR/subject N/<emotion>/sentence K/sN_<code>_K.avi
//
// e.g. "subject 7/anger/sentence 3/s7_an_3.avi": subject number N from 1,
// emotion folder by full lowercase name, one "sentence K" folder per take K
// from 1, and the file named with the emotion's two-letter code.

extension PreparedClip {
  /// The frames as T images of S·S·3 bytes each, row-major, RGB interleaved
  /// (the layout video encoders take as `rgb24`); values in [0, 1] map to 0…255, rounded.
  public func rgbFrameBytes() -> [[UInt8]] {
    let t = frameCount
    let plane = size * size
    return frames.data.withUnsafeBufferPointer { values in
      (0..<t).map { frame in
        let base = frame * 3 * plane
        var bytes = [UInt8](repeating: 0, count: plane * 3)
        for i in 0..<plane {
          for channel in 0..<3 {
            let v = min(max(values[base + channel * plane + i], 0), 1)
            bytes[i * 3 + channel] = UInt8((v * 255).rounded())
          }
        }
        return bytes
      }
    }
  }
}

/// The eNTERFACE'05 folder layout.
public enum EnterfaceLayout {
  /// "subject N/<emotion>/sentence K/sN_<code>_K.<ext>" for subject N and take K (both from 1).
  public static func relativePath(subject: Int, label: Emotion, take: Int, fileExtension: String = "avi") -> String {
    "subject \(subject)/\(label.name)/sentence \(take)/s\(subject)_\(label.code)_\(take).\(fileExtension)"
  }

  /// Where a synthetic clip goes; nil for a clip that is not synthetic.
  public static func relativePath(of source: ClipSource, fileExtension: String = "avi") -> String? {
    guard case .synthetic(let subject, let take) = source.location else { return nil }
    return relativePath(subject: subject, label: source.label, take: take, fileExtension: fileExtension)
  }
}
