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
// - Per level: both images are polynomial-expanded
//   (FarnebackPolynomialExpansion.swift); the flow from the coarser level is
//   resized bilinearly and multiplied by 1/pyrScale (zero at the coarsest);
//   then `iterations` rounds of "build the normal equations under the current
//   flow, average them over the window, solve" (FarnebackDisplacement.swift,
//   FarnebackWindowSolve.swift).

/// Dense optical flow from `first` to `second` (same size): for every pixel of `first`, where its
/// content moved in `second`. Intensities should be on the 8-bit scale (see GrayImage).
public func farnebackFlow(
  from first: GrayImage, to second: GrayImage, parameters p: FarnebackParameters = .standard
) -> FlowField {
  precondition(
    first.width == second.width && first.height == second.height,
    "farnebackFlow: frames of sizes \(first.width)×\(first.height) and \(second.width)×\(second.height) differ")
  // Pyramid scales, coarsest first; levels under 32 pixels in either axis are dropped.
  var scales = [1.0]
  while scales.count <= p.levels {
    let next = scales[scales.count - 1] * p.pyrScale
    if Double(first.width) * next < 32 || Double(first.height) * next < 32 { break }
    scales.append(next)
  }
  scales.reverse()

  var flow = FlowField.zero(
    width: roundHalfEven(Double(first.width) * scales[0]), height: roundHalfEven(Double(first.height) * scales[0]))
  for (index, scale) in scales.enumerated() {
    let width = roundHalfEven(Double(first.width) * scale)
    let height = roundHalfEven(Double(first.height) * scale)
    if index > 0 { flow = upsampled(flow, width: width, height: height, factor: 1 / p.pyrScale) }

    let sigma = (1 / scale - 1) * 0.5
    let kernelSize = max(roundHalfEven(sigma * 5) | 1, 3)
    let expansions = [first, second].map { frame in
      let image = frame.gaussianBlurred(kernelSize: kernelSize, sigma: sigma).resized(width: width, height: height)
      return PolynomialExpansion(image: image, n: p.polyN, sigma: p.polySigma)
    }
    var equations = NormalEquations(width: width, height: height)
    equations.update(first: expansions[0], second: expansions[1], flow: flow)
    for iteration in 0..<p.iterations {
      switch p.window {
      case .box: equations.solveBox(windowSize: p.windowSize, into: &flow)
      case .gaussian: equations.solveGaussian(windowSize: p.windowSize, into: &flow)
      }
      if iteration < p.iterations - 1 {
        equations.update(first: expansions[0], second: expansions[1], flow: flow)
      }
    }
  }
  return flow
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
