import Foundation

// The fused step of the (Enhanced) ConvLSTM cell: everything between the gate
// pre-activations and the cell output in one pass over memory, forward and
// backward. With a = W_x*x_t + W_h*h_{t−1} + b split into (a_i, a_f, a_g, a_o):
//
//   i = σ(a_i + w_ci∘c_{t−1})      f = σ(a_f + w_cf∘c_{t−1})      g = tanh(a_g)
//   c = f∘c_{t−1} + i∘g
//   o = σ(a_o + w_co∘p)            p = c_{t−1} (the seed's equation) or c (Shi et al.)
//   h̃ = o∘tanh(c)
//
// `convLSTMStep` also adds the enhanced cell's skips to h̃ (h̃ + h_{t−2} + W_xs * x_t,
// in that order; the group norm stays an op of its own) and reads a's two parts
// where they are: the step's block of the batched input convolution, in place, and
// W_h * h_{t−1}. Beside its outputs it keeps i, f, g and o for the backward
// (ConvLSTMGateKernel.swift). Tests check this op against the same computation built
// from small ops.

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
    let (n, ch, hh, ww) = checkStep(a, gateChannel: 0, recurrent: nil, cPrev, peepholes)
    let plane = ch * hh * ww
    let step = StepInputs(
      x: a, gateChannel: 0, recurrent: nil, previousCell: cPrev, peepholes: peepholes, skip: nil,
      spatialChannel: nil, outputSeesCurrentCell: outputSeesCurrentCell)
    var kept = [Float]()
    let out = uninitializedFloats(2 * n * plane) { o in
      kept = uninitializedFloats(4 * n * plane) { k in
        step.run(n: n, plane: plane, kept: k.baseAddress!, hidden: o.baseAddress!, hiddenStride: 2 * plane,
          cell: o.baseAddress! + plane, cellStride: 2 * plane) { $0.forward(samples: n, plane: plane) }
      }
    }
    return Tensor(shape: [n, 2 * ch, hh, ww], data: out, op: "convLSTMGates", inputs: step.inputs) { grad in
      grad.withUnsafeBufferPointer { g in
        kept.withUnsafeBufferPointer { k in
          out.withUnsafeBufferPointer { o in
            // The backward only reads the kept values and the outputs.
            let (k, o) = (UnsafeMutablePointer(mutating: k.baseAddress!), UnsafeMutablePointer(mutating: o.baseAddress!))
            step.backward(
              n: n, plane: plane, kept: k, hidden: o, hiddenStride: 2 * plane, cell: o + plane, cellStride: 2 * plane,
              hiddenGrad: g.baseAddress!, cellGrad: g.baseAddress! + plane, gradStride: 2 * plane)
          }
        }
      }
    }
  }

  /// One step of a ConvLSTM layer: (h, c) with c the cell state and h = h̃ (+ h_{t−2}) (+ W_xs * x_t),
  /// the enhanced cell's value before its group norm.
  ///
  /// - Parameters:
  ///   - x: the batched input convolution [N, K, H, W]; the step's gate pre-activations are its
  ///     channels `gateChannel ..< gateChannel + 4·C` (i, f, g, o), read in place.
  ///   - recurrent: W_h * h_{t−1} [N, 4·C, H, W], added to them; nil when h_{t−1} = 0.
  ///   - previousCell: c_{t−1}, [N, C, H, W]; peepholes w_ci, w_cf, w_co, each [C, H, W].
  ///   - skip: h_{t−2} [N, C, H, W], the temporal skip; nil when off (or before t = 2).
  ///   - spatialChannel: where W_xs * x_t starts in x's channels (C of them); nil when off.
  /// - Returns: h and c, each [N, C, H, W]. Their gradients flow back together: c's node runs the
  ///   fused backward once h's has handed over its gradient (see `StepGradient`).
  public static func convLSTMStep(
    inputProjection x: Tensor, gateChannel: Int, recurrent: Tensor?, previousCell cPrev: Tensor,
    peepholes: (input: Tensor, forget: Tensor, output: Tensor), skip: Tensor? = nil, spatialChannel: Int? = nil,
    outputSeesCurrentCell: Bool = false
  ) -> (hidden: Tensor, cell: Tensor) {
    let (n, ch, hh, ww) = checkStep(x, gateChannel: gateChannel, recurrent: recurrent, cPrev, peepholes)
    let plane = ch * hh * ww
    if let skip {
      precondition(skip.shape == cPrev.shape, "convLSTMStep: skip \(skip.shape) should be \(cPrev.shape)")
    }
    if let spatialChannel {
      precondition(
        spatialChannel >= 0 && spatialChannel + ch <= x.shape[1],
        "convLSTMStep: the spatial skip's \(ch) channels from \(spatialChannel) lie outside \(x.shape)")
    }
    let step = StepInputs(
      x: x, gateChannel: gateChannel, recurrent: recurrent, previousCell: cPrev, peepholes: peepholes, skip: skip,
      spatialChannel: spatialChannel, outputSeesCurrentCell: outputSeesCurrentCell)
    var (cellData, kept) = ([Float](), [Float]())
    let hiddenData = uninitializedFloats(n * plane) { h in
      cellData = uninitializedFloats(n * plane) { c in
        kept = uninitializedFloats(4 * n * plane) { k in
          step.run(n: n, plane: plane, kept: k.baseAddress!, hidden: h.baseAddress!, hiddenStride: plane,
            cell: c.baseAddress!, cellStride: plane) { $0.forward(samples: n, plane: plane) }
        }
      }
    }
    let handOver = StepGradient()
    let cell = Tensor(shape: cPrev.shape, data: cellData, op: "convLSTMStep", inputs: step.inputs) { dc in
      let dh = handOver.take() ?? [Float](repeating: 0, count: n * plane)
      dh.withUnsafeBufferPointer { h in
        dc.withUnsafeBufferPointer { c in
          kept.withUnsafeBufferPointer { k in
            cellData.withUnsafeBufferPointer { cv in
              // The backward only reads the kept values and c (h it does not read at all).
              let (k, cv) = (UnsafeMutablePointer(mutating: k.baseAddress!), UnsafeMutablePointer(mutating: cv.baseAddress!))
              step.backward(
                n: n, plane: plane, kept: k, hidden: cv, hiddenStride: 0, cell: cv, cellStride: plane,
                hiddenGrad: h.baseAddress!, cellGrad: c.baseAddress!, gradStride: plane)
            }
          }
        }
      }
      // The skips pass ∂L/∂h on unchanged.
      skip?.accumulateGrad(dh)
      if let spatialChannel {
        x.accumulateGrad(dh, blocks: n, width: plane, stride: x.shape[1] * hh * ww, offset: spatialChannel * hh * ww)
      }
    }
    // h's node only hands its gradient to c's, which is its input, so c's pullback runs after it.
    let hidden = Tensor(shape: cPrev.shape, data: hiddenData, op: "convLSTMStepHidden", inputs: [cell]) { dh in
      handOver.give(dh)
      // c's pullback must run even where nothing else uses c (the last step).
      if cell.grad == nil { cell.accumulateGrad([Float](repeating: 0, count: n * plane)) }
    }
    return (hidden, cell)
  }

  /// Checks a step's shapes; returns (N, C, H, W) of the cell.
  private static func checkStep(
    _ x: Tensor, gateChannel: Int, recurrent r: Tensor?, _ cPrev: Tensor,
    _ peepholes: (input: Tensor, forget: Tensor, output: Tensor)
  ) -> (Int, Int, Int, Int) {
    precondition(cPrev.rank == 4, "convLSTMGates: cell state must be [N, C, H, W], got \(cPrev.shape)")
    let (n, ch, hh, ww) = (cPrev.shape[0], cPrev.shape[1], cPrev.shape[2], cPrev.shape[3])
    precondition(
      x.rank == 4 && x.shape[0] == n && x.shape[2] == hh && x.shape[3] == ww && gateChannel >= 0
        && gateChannel + 4 * ch <= x.shape[1],
      "convLSTMGates: pre-activations \(x.shape) from channel \(gateChannel) should hold [\(n), \(4 * ch), \(hh), \(ww)] for cell \(cPrev.shape)")
    if let r {
      precondition(
        r.shape == [n, 4 * ch, hh, ww],
        "convLSTMGates: recurrent part \(r.shape) should be [\(n), \(4 * ch), \(hh), \(ww)] for cell \(cPrev.shape)")
    }
    for w in [peepholes.input, peepholes.forget, peepholes.output] {
      precondition(w.shape == [ch, hh, ww], "convLSTMGates: peephole \(w.shape) should be [\(ch), \(hh), \(ww)]")
    }
    return (n, ch, hh, ww)
  }
}

/// ∂L/∂h of a step, from h's node to c's (pullbacks run one at a time).
private final class StepGradient: @unchecked Sendable {
  private var gradient: [Float]?
  func give(_ g: [Float]) { gradient = g }
  func take() -> [Float]? {
    defer { gradient = nil }
    return gradient
  }
}

/// A step's input tensors and how the kernel reads them.
private struct StepInputs {
  let x: Tensor
  let gateChannel: Int
  let recurrent: Tensor?
  let previousCell: Tensor
  let peepholes: (input: Tensor, forget: Tensor, output: Tensor)
  let skip: Tensor?
  let spatialChannel: Int?
  let outputSeesCurrentCell: Bool

  /// The graph inputs: x, W_h * h_{t−1}, c_{t−1}, the peepholes, h_{t−2}.
  var inputs: [Tensor] {
    [x] + (recurrent.map { [$0] } ?? []) + [previousCell, peepholes.input, peepholes.forget, peepholes.output]
      + (skip.map { [$0] } ?? [])
  }

  /// Runs `body` with the kernel's buffers over the tensors' storage and the given outputs.
  func run<R>(
    n: Int, plane: Int, kept: UnsafeMutablePointer<Float>, hidden: UnsafeMutablePointer<Float>, hiddenStride: Int,
    cell: UnsafeMutablePointer<Float>, cellStride: Int, _ body: (ConvLSTMStepBuffers) -> R
  ) -> R {
    let planeHW = x.shape[2] * x.shape[3]
    return x.data.withUnsafeBufferPointer { xp in
      withOptionalBuffer(recurrent?.data) { rp in
        previousCell.data.withUnsafeBufferPointer { cp in
          peepholes.input.data.withUnsafeBufferPointer { wi in
            peepholes.forget.data.withUnsafeBufferPointer { wf in
              peepholes.output.data.withUnsafeBufferPointer { wo in
                withOptionalBuffer(skip?.data) { sp in
                  body(
                    ConvLSTMStepBuffers(
                      x: xp.baseAddress! + gateChannel * planeHW, xStride: x.shape[1] * planeHW, recurrent: rp,
                      previousCell: cp.baseAddress!, peepholeInput: wi.baseAddress!, peepholeForget: wf.baseAddress!,
                      peepholeOutput: wo.baseAddress!, skip: sp,
                      spatial: spatialChannel.map { xp.baseAddress! + $0 * planeHW }, spatialStride: x.shape[1] * planeHW,
                      outputSeesCurrentCell: outputSeesCurrentCell, kept: kept, keptBlock: n * plane, hidden: hidden,
                      hiddenStride: hiddenStride, cell: cell, cellStride: cellStride))
                }
              }
            }
          }
        }
      }
    }
  }

  /// Pushes ∂L/∂a into x's gate block and W_h * h_{t−1}, ∂L/∂c_{t−1} and the peepholes' gradients
  /// into theirs, from ∂L/∂h and ∂L/∂c (both `gradStride` apart per sample). (The skips' gradients
  /// are ∂L/∂h itself; `convLSTMStep` passes them on.)
  func backward(
    n: Int, plane: Int, kept: UnsafeMutablePointer<Float>, hidden: UnsafeMutablePointer<Float>, hiddenStride: Int,
    cell: UnsafeMutablePointer<Float>, cellStride: Int, hiddenGrad: UnsafePointer<Float>,
    cellGrad: UnsafePointer<Float>, gradStride: Int
  ) {
    var dcPrev = [Float]()
    var dwi = [Float](repeating: 0, count: plane), dwf = dwi, dwo = dwi
    // Every element of da and dcPrev is written; the peephole sums accumulate over the batch.
    let da = uninitializedFloats(4 * n * plane) { daBuffer in
      dcPrev = uninitializedFloats(n * plane) { dcBuffer in
        dwi.withUnsafeMutableBufferPointer { gi in
          dwf.withUnsafeMutableBufferPointer { gf in
            dwo.withUnsafeMutableBufferPointer { go in
              run(n: n, plane: plane, kept: kept, hidden: hidden, hiddenStride: hiddenStride, cell: cell, cellStride: cellStride) {
                $0.backward(
                  samples: n, plane: plane, hiddenGrad: hiddenGrad, hiddenGradStride: gradStride, cellGrad: cellGrad,
                  cellGradStride: gradStride, preactivationGrad: daBuffer.baseAddress!,
                  previousCellGrad: dcBuffer.baseAddress!, peepholeGrads: (gi.baseAddress!, gf.baseAddress!, go.baseAddress!))
              }
            }
          }
        }
      }
    }
    let hw = x.shape[2] * x.shape[3]
    recurrent?.accumulateGrad(da)
    x.accumulateGrad(da, blocks: n, width: 4 * plane, stride: x.shape[1] * hw, offset: gateChannel * hw)
    previousCell.accumulateGrad(dcPrev)
    peepholes.input.accumulateGrad(dwi)
    peepholes.forget.accumulateGrad(dwf)
    peepholes.output.accumulateGrad(dwo)
  }
}

/// Runs `body` with a pointer to `values`' storage, or nil when there are none.
private func withOptionalBuffer<R>(_ values: [Float]?, _ body: (UnsafePointer<Float>?) -> R) -> R {
  guard let values else { return body(nil) }
  return values.withUnsafeBufferPointer { body($0.baseAddress) }
}
