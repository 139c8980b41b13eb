#if canImport(Glibc)
  import Glibc
#endif

// glibc returns large freed blocks to the system (mmap / trim) and asks for
// them again on the next allocation. Training allocates arrays of a few
// megabytes every step, so that churn costs page faults on every step (seen:
// group norm at [64, 64, 14, 14] 2.5× slower). Executables call this once at
// start-up so freed tensors stay in the process for reuse.

public enum Allocator {
  /// Keeps freed blocks of any size in the heap instead of unmapping them.
  public static func keepLargeBlocks() {
    #if canImport(Glibc)
      _ = mallopt(M_MMAP_THRESHOLD, 1 << 30)
      _ = mallopt(M_TRIM_THRESHOLD, Int32.max)
    #endif
  }
}
