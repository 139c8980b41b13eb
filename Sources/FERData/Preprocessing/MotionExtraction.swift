import Dispatch
import FERSystem
import FERCore
import FERVideo

// From a clip's frames to the inputs of the other three streams: Farnebäck
// flow between consecutive frames, the dynamic image of the frames, and the
// dynamic image of the flow (the seed's pre-processing, after the face crop).
//
//   frames [T, 3, S, S] in [0, 1]
//     → gray on the 8-bit scale (OpenCV's weights) → T − 1 Farnebäck flows
//     → flow [T − 1, 2, S, S], (dx, dy) scaled by FlowField.networkInput
//   dynamic images (approximate rank pooling), each scaled into [−1, 1]:
//     RGB [3, S, S] from the frames, flow [2, S, S] from the flow clip

/// Flow and dynamic images of one clip's frames [T, 3, S, S].
public func extractMotion(frames: TensorValue, parameters: FarnebackParameters = .standard) -> ClipMotion {
  let (steps, side) = (frames.shape[0], frames.shape[2])
  let plane = side * side
  let gray = (0..<steps).map { t in
    let base = t * 3 * plane
    let pixels = (0..<plane).map { p in
      255 * (0.299 * frames.data[base + p] + 0.587 * frames.data[base + plane + p] + 0.114 * frames.data[base + 2 * plane + p])
    }
    return GrayImage(width: side, height: side, pixels: pixels)
  }
  let flows = farnebackFlows(gray, parameters: parameters).map { $0.networkInput() }
  let flow = Tensor.stack(flows, axis: 0)  // [T − 1, 2, S, S]
  return ClipMotion(
    flow: TensorValue(flow),
    rgbDynamicImage: TensorValue(dynamicImageNetworkInput(dynamicImage(frames.tensor))),
    flowDynamicImage: TensorValue(dynamicImageNetworkInput(dynamicImage(flow))))
}

extension Dataset {
  /// The dataset with motion attached to every clip that lacks it, computed over `ComputeThreads`.
  /// `progress(done, total)` is called from worker threads as clips finish.
  public func withMotion(
    parameters: FarnebackParameters = .standard, progress: @Sendable (Int, Int) -> Void = { _, _ in }
  ) throws(DatasetError) -> Dataset {
    let total = clips.count
    let counter = DoneCounter()
    let motions = parallelMap(total) { i -> ClipMotion? in
      guard clips[i].motion == nil else { return nil }
      defer { progress(counter.increment(), total) }
      return extractMotion(frames: clips[i].frames, parameters: parameters)
    }
    var prepared: [PreparedClip] = []
    prepared.reserveCapacity(total)
    for (clip, motion) in zip(clips, motions) {
      prepared.append(try motion.map { m throws(DatasetError) in try clip.withMotion(m) } ?? clip)
    }
    return try Dataset(name: name, provenance: provenance, clips: prepared)
  }
}

/// A counter shared by worker threads.
final class DoneCounter: @unchecked Sendable {
  private let lock = DispatchQueue(label: "ferlab.done-counter")
  private var value = 0
  func increment() -> Int { lock.sync { value += 1; return value } }
}
