import FERData
import FERExperiments
import Foundation

// `show CLIP`: one clip of the loaded dataset as small pictures — its frames,
// the flow magnitude between them and its dynamic images (computed for this clip
// alone when the dataset has none yet) — with the current run's latest prediction for it.

extension Workspace {
  func show(_ id: String, _ ctx: JobContext) throws {
    guard let dataset else { throw WorkspaceError.noDataset }
    guard let clip = dataset.clips.first(where: { $0.source.id == id }) else {
      let near = dataset.clips.map(\.source.id).filter { $0.hasPrefix(String(id.prefix(2))) }.prefix(5)
      throw WorkspaceError.failed(
        "show: there is no clip \(id) in \(dataset.name)" + (near.isEmpty ? "" : "; e.g. \(near.joined(separator: ", "))"))
    }
    let evaluation = update { s in s.currentRunID.flatMap { id in s.runs.first { $0.id == id } }?.evaluation }
    let index = evaluation?.clips.firstIndex(of: id)
    let names = Emotion.allCases.map(\.name)
    let frames = Self.sampled(clip.frameCount)
    let motion = clip.motion ?? extractMotion(frames: clip.frames)
    ctx.emit(.clipShown(ClipPicture(
      clip: id, subject: clip.source.subject, label: clip.source.label.name,
      frames: frames.map { Self.picture(clip.frames, index: $0, channels: 3, scale: .unit) },
      flow: frames.filter { $0 < motion.flow.shape[0] }.map {
        Self.picture(motion.flow, index: $0, channels: 2, scale: .magnitude(of: motion.flow))
      },
      rgbDynamic: Self.picture(motion.rgbDynamicImage, index: nil, channels: 3, scale: .range(of: motion.rgbDynamicImage)),
      flowDynamic: Self.picture(motion.flowDynamicImage, index: nil, channels: 2, scale: .magnitude(of: motion.flowDynamicImage)),
      predicted: index.flatMap { evaluation?.predictions[$0] }.map { names.indices.contains($0) ? names[$0] : "class \($0)" },
      probabilities: index.flatMap { evaluation?.probabilities[$0] })))
  }

  /// At most `ClipPicture.maximumFrames` frame indices spread evenly over `count`.
  static func sampled(_ count: Int) -> [Int] {
    let n = min(count, ClipPicture.maximumFrames)
    return (0..<n).map { $0 * count / n }
  }

  /// How values become bytes: [0, 1] as is; a range stretched to 0…255; (dx, dy) as magnitude over its largest.
  enum PictureScale {
    case unit
    case range(lower: Float, upper: Float)
    case magnitude(largest: Float)

    static func range(of t: TensorValue) -> PictureScale {
      .range(lower: t.data.min() ?? 0, upper: t.data.max() ?? 1)
    }

    /// The largest (dx, dy) length over a [..., 2, S, S] tensor.
    static func magnitude(of t: TensorValue) -> PictureScale {
      let plane = t.shape[t.shape.count - 1] * t.shape[t.shape.count - 2]
      var largest: Float = 0
      for base in stride(from: 0, to: t.data.count, by: 2 * plane) {
        for i in 0..<plane { largest = max(largest, (t.data[base + i] * t.data[base + i] + t.data[base + plane + i] * t.data[base + plane + i]).squareRoot()) }
      }
      return .magnitude(largest: largest)
    }
  }

  /// Image `index` of a [N, C, S, S] tensor (or the [C, S, S] tensor itself), box-averaged to
  /// `ClipPicture.side` pixels a side: RGB for three channels, flow magnitude (grey) for two.
  static func picture(_ t: TensorValue, index: Int?, channels: Int, scale: PictureScale) -> Picture {
    let s = t.shape[t.shape.count - 1]
    let plane = s * s
    let base = (index ?? 0) * channels * plane
    let side = min(ClipPicture.side, s)
    let outChannels = channels == 3 ? 3 : 1
    var bytes = Data(count: side * side * outChannels)
    for y in 0..<side {
      for x in 0..<side {
        let (y0, y1) = (y * s / side, max(y * s / side + 1, (y + 1) * s / side))
        let (x0, x1) = (x * s / side, max(x * s / side + 1, (x + 1) * s / side))
        var sums = [Float](repeating: 0, count: channels)
        for sy in y0..<y1 {
          for sx in x0..<x1 {
            for c in 0..<channels { sums[c] += t.data[base + c * plane + sy * s + sx] }
          }
        }
        let n = Float((y1 - y0) * (x1 - x0))
        let values: [Float]
        switch scale {
        case .unit: values = sums.map { $0 / n }
        case .range(let lower, let upper): values = sums.map { ($0 / n - lower) / max(upper - lower, 1e-12) }
        case .magnitude(let largest):
          values = [((sums[0] / n) * (sums[0] / n) + (sums[1] / n) * (sums[1] / n)).squareRoot() / max(largest, 1e-12)]
        }
        for (c, v) in values.enumerated() {
          bytes[(y * side + x) * outChannels + c] = UInt8((min(max(v, 0), 1) * 255).rounded())
        }
      }
    }
    return Picture(side: side, channels: outChannels, pixels: bytes)
  }
}
