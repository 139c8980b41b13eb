import FERSystem
import Foundation

// Gunnar Farnebäck, "Two-Frame Motion Estimation Based on Polynomial
// Expansion" (SCIA 2003), as OpenCV's calcOpticalFlowFarneback computes it, so
// that flow made here matches flow made by OpenCV on the same frames:
//
// - Coarse to fine over a pyramid. Level k has scale pyrScale^k; its image is
//   the full frame blurred with a Gaussian of σ = (1/scale − 1)/2 (kernel size
//   round(5σ) made odd, at least 3; at full size OpenCV's 3-tap binomial) and
//   resized bilinearly to round(scale · size). Levels under 32 pixels in
//   either axis are skipped.
// - Every level of both frames is polynomial-expanded
//   (FarnebackPolynomialExpansion.swift). That depends on one frame only, so
//   a clip expands each frame once and reuses it for the pair before and the
//   pair after (`farnebackFlows`).
// - Per level, the flow from the coarser level is resized bilinearly and
//   multiplied by 1/pyrScale (zero at the coarsest); then `iterations` rounds
//   of "build the normal equations under the current flow, average them over
//   the window, solve" (FarnebackDisplacement.swift, FarnebackWindowSolve.swift).

/// Dense optical flow from `first` to `second` (same size): for every pixel of `first`, where its
/// content moved in `second`. Intensities should be on the 8-bit scale (see GrayImage).
public func farnebackFlow(
  from first: GrayImage, to second: GrayImage, parameters: FarnebackParameters = .standard
) -> FlowField {
  precondition(
    first.width == second.width && first.height == second.height,
    "farnebackFlow: frames of sizes \(first.width)×\(first.height) and \(second.width)×\(second.height) differ")
  let frames = [first, second]
  let pyramids = parallelMap(2) { FarnebackPyramid(frame: frames[$0], parameters: parameters) }
  return pyramids[0].flow(to: pyramids[1])
}

/// The flows between consecutive frames of a clip: element t is the flow from `frames[t]` to
/// `frames[t + 1]` (T frames give T − 1 flows). Each frame is expanded once, and frames and
/// pairs are spread over the cores.
public func farnebackFlows(_ frames: [GrayImage], parameters: FarnebackParameters = .standard) -> [FlowField] {
  guard let size = frames.first.map({ ($0.width, $0.height) }) else { return [] }
  precondition(
    frames.allSatisfy { ($0.width, $0.height) == size },
    "farnebackFlows: frames differ in size (\(frames.map { "\($0.width)×\($0.height)" }))")
  let pyramids = parallelMap(frames.count) { FarnebackPyramid(frame: frames[$0], parameters: parameters) }
  return parallelMap(frames.count - 1) { pyramids[$0].flow(to: pyramids[$0 + 1]) }
}

/// One frame's polynomial expansions at every pyramid level, coarsest first.
struct FarnebackPyramid {
  let parameters: FarnebackParameters
  /// Scale of each level relative to the frame, coarsest first (the last is 1).
  let scales: [Double]
  let levels: [PolynomialExpansion]

  init(frame: GrayImage, parameters p: FarnebackParameters) {
    var scales = [1.0]
    while scales.count <= p.levels {
      let next = scales[scales.count - 1] * p.pyrScale
      if Double(frame.width) * next < 32 || Double(frame.height) * next < 32 { break }
      scales.append(next)
    }
    scales.reverse()
    self.parameters = p
    self.scales = scales
    levels = scales.map { scale in
      let sigma = (1 / scale - 1) * 0.5
      let kernelSize = max(roundHalfEven(sigma * 5) | 1, 3)
      let image = frame.gaussianBlurred(kernelSize: kernelSize, sigma: sigma).resized(
        width: roundHalfEven(Double(frame.width) * scale), height: roundHalfEven(Double(frame.height) * scale))
      return PolynomialExpansion(image: image, n: p.polyN, sigma: p.polySigma)
    }
  }

  /// The flow from this pyramid's frame to `next`'s (built from a frame of the same size).
  func flow(to next: FarnebackPyramid) -> FlowField {
    let p = parameters
    var flow = FlowField.zero(width: levels[0].width, height: levels[0].height)
    for (index, (first, second)) in zip(levels, next.levels).enumerated() {
      if index > 0 { flow = upsampled(flow, width: first.width, height: first.height, factor: 1 / p.pyrScale) }
      var equations = NormalEquations(width: first.width, height: first.height)
      equations.update(first: first, second: second, flow: flow)
      for iteration in 0..<p.iterations {
        switch p.window {
        case .box: equations.solveBox(windowSize: p.windowSize, into: &flow)
        case .gaussian: equations.solveGaussian(windowSize: p.windowSize, into: &flow)
        }
        if iteration < p.iterations - 1 {
          equations.update(first: first, second: second, flow: flow)
        }
      }
    }
    return flow
  }
}

/// A coarser level's flow carried to the next finer level: resized bilinearly, vectors scaled.
private func upsampled(_ flow: FlowField, width: Int, height: Int, factor: Double) -> FlowField {
  let factor = Float(factor)
  func plane(_ values: [Float]) -> [Float] {
    GrayImage(width: flow.width, height: flow.height, pixels: values)
      .resized(width: width, height: height).pixels.map { $0 * factor }
  }
  return FlowField(width: width, height: height, dx: plane(flow.dx), dy: plane(flow.dy))
}

/// OpenCV's cvRound: to the nearest integer, ties to even.
private func roundHalfEven(_ value: Double) -> Int {
  Int(value.rounded(.toNearestOrEven))
}
