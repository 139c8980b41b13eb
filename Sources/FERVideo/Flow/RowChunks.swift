import Dispatch
import Foundation

// Splitting per-row image work over the cores. The flow kernels compute each
// output row from input rows only, so disjoint row ranges can run at once;
// below a work threshold the dispatch overhead outweighs the gain and the
// rows run on the calling thread.

/// Approximate scalar operations below which a pass runs on one thread (measured on
/// 48×48 and 96×96 face crops: thread hand-off costs more than such a pass).
let parallelWorkThreshold = 200_000

/// Calls `body` on disjoint row ranges that together cover `0..<rows`, concurrently on all cores
/// when `work` (an estimate of the scalar operations of the whole pass) is large enough.
func forEachRowChunk(_ rows: Int, work: Int, _ body: (Range<Int>) -> Void) {
  let chunks = work < parallelWorkThreshold ? 1 : min(rows, ProcessInfo.processInfo.activeProcessorCount)
  if chunks <= 1 {
    body(0..<rows)
    return
  }
  // The chunks touch disjoint rows of their outputs, which is what makes sharing `body`
  // (and the buffers it captures) across threads safe.
  withoutActuallyEscaping(body) { body in
    nonisolated(unsafe) let body = body
    DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
      body((rows * chunk / chunks)..<(rows * (chunk + 1) / chunks))
    }
  }
}
