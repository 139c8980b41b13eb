import Foundation

// The fused gate step of the (Enhanced) ConvLSTM cell: everything between the
// gate pre-activations and the cell output in one pass over memory, forward and
// backward. With a = W_x*x_t + W_h*h_{t−1} + b split into (a_i, a_f, a_g, a_o):
//
//   i = σ(a_i + w_ci∘c_{t−1})      f = σ(a_f + w_cf∘c_{t−1})      g = tanh(a_g)
//   c = f∘c_{t−1} + i∘g
//   o = σ(a_o + w_co∘p)            p = c_{t−1} (the seed's equation) or c (Shi et al.)
//   h̃ = o∘tanh(c)
//
// h̃ is the conventional cell's output; the enhanced cell adds its skips and
// group norm to it with ordinary ops. Tests check this op against the same
// computation built from small ops.

extension Tensor {
  /// One fused ConvLSTM gate step.
  ///
  /// - Parameters:
  ///   - preactivations: a, [N, 4·C, H, W], gate blocks in the order i, f, g, o.
  ///   - previousCell: c_{t−1}, [N, C, H, W].
  ///   - peepholes: w_ci, w_cf, w_co, each [C, H, W].
  ///   - outputSeesCurrentCell: the output gate's peephole reads c_t (Shi et al.) instead of c_{t−1}.
  /// - Returns: [N, 2·C, H, W]: channels 0..<C hold h̃ = o∘tanh(c), channels C..<2C hold c.
  public static func convLSTMGates(
    preactivations a: Tensor, previousCell cPrev: Tensor,
    peepholes: (input: Tensor, forget: Tensor, output: Tensor),
    outputSeesCurrentCell: Bool = false
  ) -> Tensor {
    convLSTMGates(
      inputProjection: a, channel: 0, recurrent: nil, previousCell: cPrev, peepholes: peepholes,
      outputSeesCurrentCell: outputSeesCurrentCell)
  }

  /// One fused ConvLSTM gate step whose pre-activations are a = x[:, channel ..< channel + 4·C] + r:
  /// a step's block of the batched input convolution x [N, K, H, W] read in place, plus the
  /// recurrent convolution r [N, 4·C, H, W] (nil when h_{t−1} = 0). The same values as
  /// `convLSTMGates(preactivations: x.slice(…) + r, …)` without the slice's copy and the sum's
  /// array; the gradient of a goes to x's block and to r alike.
  public static func convLSTMGates(
    inputProjection x: Tensor, channel: Int, recurrent r: Tensor?, previousCell cPrev: Tensor,
    peepholes: (input: Tensor, forget: Tensor, output: Tensor),
    outputSeesCurrentCell: Bool = false
  ) -> Tensor {
    precondition(cPrev.rank == 4, "convLSTMGates: cell state must be [N, C, H, W], got \(cPrev.shape)")
    let (n, ch, hh, ww) = (cPrev.shape[0], cPrev.shape[1], cPrev.shape[2], cPrev.shape[3])
    precondition(
      x.rank == 4 && x.shape[0] == n && x.shape[2] == hh && x.shape[3] == ww && channel >= 0
        && channel + 4 * ch <= x.shape[1],
      "convLSTMGates: pre-activations \(x.shape) from channel \(channel) should hold [\(n), \(4 * ch), \(hh), \(ww)] for cell \(cPrev.shape)")
    if let r {
      precondition(
        r.shape == [n, 4 * ch, hh, ww],
        "convLSTMGates: recurrent part \(r.shape) should be [\(n), \(4 * ch), \(hh), \(ww)] for cell \(cPrev.shape)")
    }
    for w in [peepholes.input, peepholes.forget, peepholes.output] {
      precondition(w.shape == [ch, hh, ww], "convLSTMGates: peephole \(w.shape) should be [\(ch), \(hh), \(ww)]")
    }
    let plane = ch * hh * ww  // one gate block of one sample
    let total = n * plane
    let sampleStride = x.shape[1] * hh * ww  // floats between two samples of x
    // Gate activations kept for the backward pass: five blocks of [N, C, H, W]
    // holding i, f, g, o and c, at offsets 0, total, 2·total, 3·total, 4·total.
    var saved = [Float]()
    let useCurrent = outputSeesCurrentCell

    let out = uninitializedFloats(2 * total) { outBuffer in
      saved = uninitializedFloats(5 * total) { keep in
        x.data.withUnsafeBufferPointer { xBuffer in
          withOptionalBuffer(r?.data) { rBuffer in
            cPrev.data.withUnsafeBufferPointer { cBuffer in
              peepholes.input.data.withUnsafeBufferPointer { wiBuffer in
                peepholes.forget.data.withUnsafeBufferPointer { wfBuffer in
                  peepholes.output.data.withUnsafeBufferPointer { woBuffer in
                    let k = keep.baseAddress!
                    ConvLSTMGateBuffers(
                      preactivations: xBuffer.baseAddress! + channel * hh * ww, previousCell: cBuffer.baseAddress!,
                      peepholeInput: wiBuffer.baseAddress!, peepholeForget: wfBuffer.baseAddress!,
                      peepholeOutput: woBuffer.baseAddress!, preactivationStride: sampleStride, recurrent: rBuffer,
                      input: k, forget: k + total, candidate: k + 2 * total, output: k + 3 * total,
                      cell: k + 4 * total, result: outBuffer.baseAddress!
                    ).forward(samples: n, plane: plane, useCurrentCell: useCurrent)
                  }
                }
              }
            }
          }
        }
      }
    }

    let (wiT, wfT, woT) = peepholes
    let inputs = [x] + (r.map { [$0] } ?? []) + [cPrev, wiT, wfT, woT]
    return Tensor(shape: [n, 2 * ch, hh, ww], data: out, op: "convLSTMGates", inputs: inputs) { grad in
      var dcPrev = [Float]()
      var dwi = [Float](repeating: 0, count: plane), dwf = dwi, dwo = dwi
      // Every element of da and dcPrev is written; the peephole sums accumulate over the batch.
      let da = uninitializedFloats(4 * total) { daBuffer in
        dcPrev = uninitializedFloats(total) { dcBuffer in
          saved.withUnsafeBufferPointer { keep in
            grad.withUnsafeBufferPointer { gradBuffer in
              cPrev.data.withUnsafeBufferPointer { cBuffer in
                wiT.data.withUnsafeBufferPointer { wiBuffer in
                  wfT.data.withUnsafeBufferPointer { wfBuffer in
                    woT.data.withUnsafeBufferPointer { woBuffer in
                      dwi.withUnsafeMutableBufferPointer { dwiBuffer in
                        dwf.withUnsafeMutableBufferPointer { dwfBuffer in
                          dwo.withUnsafeMutableBufferPointer { dwoBuffer in
                            let kept = keep.baseAddress!
                            ConvLSTMGateGradientBuffers(
                              input: kept, forget: kept + total, candidate: kept + 2 * total,
                              output: kept + 3 * total, cell: kept + 4 * total, previousCell: cBuffer.baseAddress!,
                              peepholeInput: wiBuffer.baseAddress!, peepholeForget: wfBuffer.baseAddress!,
                              peepholeOutput: woBuffer.baseAddress!, resultGrad: gradBuffer.baseAddress!,
                              preactivationGrad: daBuffer.baseAddress!, previousCellGrad: dcBuffer.baseAddress!,
                              peepholeInputGrad: dwiBuffer.baseAddress!, peepholeForgetGrad: dwfBuffer.baseAddress!,
                              peepholeOutputGrad: dwoBuffer.baseAddress!
                            ).backward(samples: n, plane: plane, useCurrentCell: useCurrent)
                          }
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
      r?.accumulateGrad(da)
      x.accumulateGrad(da, blocks: n, width: 4 * plane, stride: sampleStride, offset: channel * hh * ww)
      cPrev.accumulateGrad(dcPrev)
      wiT.accumulateGrad(dwi)
      wfT.accumulateGrad(dwf)
      woT.accumulateGrad(dwo)
    }
  }
}

/// Runs `body` with a pointer to `values`' storage, or nil when there are none.
private func withOptionalBuffer<R>(_ values: [Float]?, _ body: (UnsafePointer<Float>?) -> R) -> R {
  guard let values else { return body(nil) }
  return values.withUnsafeBufferPointer { body($0.baseAddress) }
}
