import Foundation
import Synchronization

// Splitting independent work over the cores, the one way FERLab does it: the
// convolution tasks, pooling, per-channel sums, flow rows, face-detector scales,
// synthetic clips, digests (BLAS itself runs on the calling thread, see
// FERCore's BLAS.swift). Everything honours `ComputeThreads`.

/// How many threads the kernels split their work over (default: the active cores).
/// Results never depend on it: every split is into disjoint outputs or into a
/// fixed number of partial sums added in a fixed order.
public enum ComputeThreads {
  private static let stored = Atomic<Int>(ProcessInfo.processInfo.activeProcessorCount)

  public static var count: Int { stored.load(ordering: .relaxed) }

  /// Sets the thread count (at least 1); safe while other threads compute.
  public static func set(_ n: Int) { stored.store(max(1, n), ordering: .relaxed) }
}

/// Runs `body` over consecutive sub-ranges covering `0..<count`, in parallel when
/// there is more than one range. Ranges are disjoint, so bodies that write only
/// the items of their own range need no locking. By default a few ranges per
/// thread, so an unlucky slow range does not hold the others up; one per thread
/// where each hand-off is costly or the split should mirror a threaded library's.
package func parallelFor(
  _ count: Int, minimumPerTask: Int = 1, rangesPerThread: Int = 4, _ body: (Range<Int>) -> Void
) {
  guard count > 0 else { return }
  let threads = ComputeThreads.count
  let tasks = threads <= 1 ? 1 : min(threads * max(rangesPerThread, 1), count / max(minimumPerTask, 1))
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

/// `(0..<count).map(transform)`, the items computed in parallel over `ComputeThreads`
/// (each into its own slot, so the result does not depend on the thread count).
package func parallelMap<T>(_ count: Int, _ transform: (Int) -> T) -> [T] {
  guard count > 1, ComputeThreads.count > 1 else { return (0..<count).map(transform) }
  return withoutActuallyEscaping(transform) { transform in
    // Each task initialises only its own slots of the result.
    nonisolated(unsafe) let transform = transform
    return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
      nonisolated(unsafe) let slots = buffer.baseAddress!
      parallelFor(count) { range in
        for i in range { (slots + i).initialize(to: transform(i)) }
      }
      initialized = count
    }
  }
}
