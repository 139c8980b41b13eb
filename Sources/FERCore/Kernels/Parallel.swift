import Foundation

// Splitting independent work over the cores, for the kernels BLAS does not
// thread itself (the convolution tasks, pooling, per-channel sums).

/// Runs `body` over consecutive sub-ranges covering `0..<count`, in parallel when
/// there is more than one range. Ranges are disjoint, so bodies that write only
/// the items of their own range need no locking.
package func parallelFor(_ count: Int, minimumPerTask: Int = 1, _ body: (Range<Int>) -> Void) {
  guard count > 0 else { return }
  // A few ranges per core so an unlucky slow range does not hold the others up.
  let tasks = min(ProcessInfo.processInfo.activeProcessorCount * 4, count / max(minimumPerTask, 1))
  if tasks <= 1 {
    body(0..<count)
    return
  }
  // concurrentPerform wants a @Sendable closure; the kernels' bodies capture raw
  // pointers, which is safe here because every task touches only its own range
  // and concurrentPerform returns only after all tasks have finished.
  withoutActuallyEscaping(body) { body in
    nonisolated(unsafe) let work = body
    DispatchQueue.concurrentPerform(iterations: tasks) { t in
      work((t * count / tasks)..<((t + 1) * count / tasks))
    }
  }
}
