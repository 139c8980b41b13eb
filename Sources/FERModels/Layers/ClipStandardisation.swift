import FERCore

// The RGB stream's input normalisation. Each clip is centred on its own mean
// frame (per pixel and channel, over time) and then scaled to unit variance over
// the whole clip. What is left is how the face changes, not whose face it is:
// identity, skin tone, lighting and background are constant over a clip and
// vanish, and an expression's few moving pixels become the signal. Without it a
// sequence model must find a change of a few per cent of the pixel range next
// to identity differences ten times larger, and on the synthetic set (clips
// start and end neutral) neither the ConvLSTM nor the CNN+LSTM left chance level,
// here or in the PyTorch peer. The dynamic images need no such step: rank
// pooling's coefficients sum to zero, so they are centred by construction.
//
// Written with differentiable ops (a mean and a one-group group norm), so the
// input gradient of `ferlab forward` includes it; the peer does the same.

extension Tensor {
  /// x [N, T, C, H, W] → (x − mean over T) / std over (T, C, H, W), per clip.
  func standardisedOverTime() -> Tensor {
    precondition(rank == 5, "standardisedOverTime: a clip batch [N, T, C, H, W], got \(shape)")
    let (n, steps, channels, height, width) = (shape[0], shape[1], shape[2], shape[3], shape[4])
    let centred = self - mean(axes: [1], keepingDims: true)
    let planes = steps * channels
    return Tensor.groupNorm(
      centred.reshaped([n, planes, height, width]), groups: 1,
      weight: Tensor.full([planes], 1), bias: Tensor.zeros([planes])
    ).reshaped(shape)
  }
}
