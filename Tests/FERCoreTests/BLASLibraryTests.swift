import Foundation
import Testing
@testable import FERCore

// OpenBLAS is loaded with FERLab's kernel family, whatever OPENBLAS_CORETYPE
// this test process was started with (CI starts it under several).
@Suite struct BLASLibraryTests {
  @Test(.enabled(if: ProcessInfo.processInfo.environment["FERLAB_BLAS_KERNELS"] != "auto"))
  func kernelFamilyIsFixed() {
    #expect(BLASLibrary.kernelFamily == BLASLibrary.fixedKernelFamily)
    #expect(BLASLibrary.kernelFamilyIsFixed)
    #expect(BLASLibrary.configuration.hasPrefix("OpenBLAS "))
    #expect(BLASLibrary.version.split(separator: ".").count == 3)
    let environment = NumericEnvironment.current(ferlab: FERLabVersion.current)
    #expect(environment.insidePromise, "\(environment.promiseGap ?? "")")
    #expect(environment.reasonResultsMayDiffer(from: environment) == nil)
  }

  /// Loading OpenBLAS must leave the variables it set for the load as they were,
  /// so children (ffmpeg, the PyTorch peer) see the environment they were given:
  /// as the kernel put it in /proc/self/environ when this process started.
  @Test func loadingLeavesTheEnvironmentAsItWas() throws {
    _ = BLASLibrary.kernelFamily
    let initial = try Data(contentsOf: URL(fileURLWithPath: "/proc/self/environ")).split(separator: 0).map {
      String(decoding: $0, as: UTF8.self)
    }
    for name in ["OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS"] {
      let atStart = initial.first { $0.hasPrefix(name + "=") }.map { String($0.dropFirst(name.count + 1)) }
      #expect(getenv(name).map { String(cString: $0) } == atStart, "\(name)")
    }
  }

  @Test func environmentsOutsideThePromiseSayWhy() {
    var here = NumericEnvironment.current(ferlab: FERLabVersion.current)
    var other = here
    other.ferlab = "0.0.1"
    #expect(here.reasonResultsMayDiffer(from: other)?.contains("0.0.1") == true)
    other = here
    other.blas.kernels = "SkylakeX"
    other.blas.fixed = false
    #expect(here.reasonResultsMayDiffer(from: other)?.contains("SkylakeX") == true)
    #expect(here.differences(from: other).map(\.field) == ["BLAS kernels"])
    other = here
    other.threads = here.threads + 5
    other.cpu.model += 1
    #expect(here.reasonResultsMayDiffer(from: other) == nil, "CPU model and thread count are inside the promise")
    here.instructionSets.removeAll { $0 == "fma" }
    #expect(here.promiseGap?.contains("fma") == true)
  }
}
