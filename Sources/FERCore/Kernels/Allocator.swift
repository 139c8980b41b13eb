// glibc returns large freed blocks to the system (mmap / trim) and asks for
// them again on the next allocation. Training allocates arrays of a few
// megabytes every step, so that churn costs page faults on every step (seen:
// group norm at [64, 64, 14, 14] 2.5× slower). Executables call this once at
// start-up so freed tensors stay in the process for reuse.

#if os(Linux)
  // glibc's mallopt(3) lives in <malloc.h>, which the Glibc module does not export.
  @_silgen_name("mallopt")
  private func mallopt(_ parameter: Int32, _ value: Int32) -> Int32
  private let mallocTrimThreshold: Int32 = -1  // M_TRIM_THRESHOLD
  private let mallocMmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD
#endif

public enum Allocator {
  /// Keeps freed blocks of any size in the heap instead of unmapping them.
  public static func keepLargeBlocks() {
    #if os(Linux)
      _ = mallopt(mallocMmapThreshold, 1 << 30)
      _ = mallopt(mallocTrimThreshold, Int32.max)
    #endif
  }
}
