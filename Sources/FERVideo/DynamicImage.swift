import FERCore

// Dynamic images by approximate rank pooling (Bilen, Fernando, Gavves, Vedaldi
// & Gould, "Dynamic Image Networks for Action Recognition", CVPR 2016): a clip
// of T frames V₁…V_T becomes one image d = Σ_t α_t V_t, the first gradient
// step of the RankSVM that orders the time-averaged frames, with
//
//   α_t = 2(T − t + 1) − (T + 1)(H_T − H_{t−1}),   t = 1…T,
//
// H_t = Σ_{i=1..t} 1/i the t-th harmonic number (H₀ = 0). The coefficients sum
// to zero, so a static clip gives d = 0 and only change over time shows.
//
// Network input: d has no fixed scale (it grows with T and with the frames'
// range), so the ResNet streams see it rescaled to [−1, 1]: the values are
// divided by the largest magnitude in the image, so 0 stays 0 ("no change")
// and the sign of the change is kept. A clip with no change stays all zeros.
// (Bilen et al. min–max rescale to 0…255 instead; the symmetric version keeps
// "no change" at the same input value for every clip.)

/// Rank-pooling weights α₁…α_T of a clip of `frameCount` frames (see the top of this file).
public func rankPoolingCoefficients(frameCount: Int) -> [Double] {
  precondition(frameCount >= 1, "rankPoolingCoefficients: a clip needs at least one frame, got \(frameCount)")
  let count = Double(frameCount)
  // harmonic[t] = H_t for t = 0…T.
  var harmonic = [0.0]
  for t in 1...frameCount { harmonic.append(harmonic[t - 1] + 1 / Double(t)) }
  return (1...frameCount).map { t in
    2 * (count - Double(t) + 1) - (count + 1) * (harmonic[frameCount] - harmonic[t - 1])
  }
}

/// The dynamic image of a clip: frames [T, C, H, W] → [C, H, W], d = Σ_t α_t · frames[t].
/// Pre-processing, not part of the graph: the result is a leaf without gradient.
public func dynamicImage(_ frames: Tensor) -> Tensor {
  precondition(frames.rank == 4, "dynamicImage: frames must be [T, C, H, W], got shape \(frames.shape)")
  let steps = frames.shape[0]
  let imageSize = frames.count / max(steps, 1)
  let alphas = rankPoolingCoefficients(frameCount: steps).map(Float.init)
  var out = [Float](repeating: 0, count: imageSize)
  frames.data.withUnsafeBufferPointer { src in
    out.withUnsafeMutableBufferPointer { dst in
      for t in 0..<steps {
        let frame = src.baseAddress! + t * imageSize, alpha = alphas[t]
        for i in 0..<imageSize { dst[i] += alpha * frame[i] }
      }
    }
  }
  return Tensor(shape: Array(frames.shape.dropFirst()), data: out)
}

/// A dynamic image scaled for the network: divided by its largest magnitude, into [−1, 1].
public func dynamicImageNetworkInput(_ image: Tensor) -> Tensor {
  let peak = image.data.reduce(Float(0)) { max($0, abs($1)) }
  guard peak > 0 else { return Tensor(shape: image.shape, data: image.data.map { _ in 0 }) }
  return Tensor(shape: image.shape, data: image.data.map { $0 / peak })
}
