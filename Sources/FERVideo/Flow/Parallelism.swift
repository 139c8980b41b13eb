import FERSystem

// Spreading the flow work over the cores. Two shapes of work occur: many
// independent items (frames to expand, frame pairs to solve), mapped one item
// per task; and one large image, whose kernels compute each output row from
// input rows only, so disjoint row ranges run at once. Below a work threshold
// the dispatch overhead outweighs the gain and rows run on the calling thread.

/// Approximate scalar operations below which a row pass runs on one thread. Measured on face
/// crops: up to about 128×128 the hand-offs cost more CPU time than splitting the rows saves in
/// wall time, and a clip (`farnebackFlows`) already keeps the cores busy with whole frames.
let parallelWorkThreshold = 2_000_000

/// Calls `body` on disjoint row ranges that together cover `0..<rows`, concurrently on all cores
/// when `work` (an estimate of the scalar operations of the whole pass) is large enough.
func forEachRowChunk(_ rows: Int, work: Int, _ body: (Range<Int>) -> Void) {
  guard work >= parallelWorkThreshold else { return body(0..<rows) }
  // One chunk per thread: each hand-off costs more here than an uneven split.
  parallelFor(rows, rangesPerThread: 1, body)
}
