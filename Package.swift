// swift-tools-version:6.0
//
// FERLab: facial-expression recognition from video with Enhanced ConvLSTM.
// Targets follow the layers of DESIGN.md; dependencies point one way, down
// this file: shims → system → core → models / video → datasets → experiments →
// workspace → terminal UI → executable.
import PackageDescription

// Release builds keep their preconditions (-O, not -Ounchecked): a bad argument
// stops with its message. Kernels are compiled for AVX2/FMA (Haswell and later), which
// every machine FERLab targets has.
let release: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"], .when(configuration: .release))]

let package = Package(
  name: "FERLab",
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "ferlab", targets: ["FERLabCLI"]),
    .executable(name: "ferlab-bench", targets: ["FERBench"]),
    .library(name: "FERCore", targets: ["FERCore"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
  ],
  targets: [
    // MARK: C shims (not API: wrappers for what Swift cannot import directly)
    // OpenBLAS is loaded, not linked, so that its kernel family can be fixed first (Sources/CBLAS/README.md).
    .target(name: "CBLAS", path: "Sources/CBLAS", exclude: ["README.md"], linkerSettings: [.linkedLibrary("dl")]),
    .systemLibrary(name: "CNCurses", path: "Sources/CNCurses", providers: [.apt(["libncurses-dev"])]),
    // The vector fused multiply-add the kernels need (Sources/CSIMD/README.md).
    .target(name: "CSIMD", path: "Sources/CSIMD", exclude: ["README.md"]),

    // MARK: System: child processes and the one parallel-for (no numerics, no I/O formats)
    .target(name: "FERSystem", swiftSettings: release),
    .testTarget(name: "FERSystemTests", dependencies: ["FERSystem"]),

    // MARK: Tensor + autodiff core
    .target(name: "FERCore", dependencies: ["CBLAS", "CSIMD", "FERSystem"], swiftSettings: release),
    .testTarget(name: "FERCoreTests", dependencies: ["FERCore"], resources: [.copy("Fixtures")]),

    // MARK: Models
    .target(
      name: "FERModels", dependencies: ["FERCore"], exclude: ["README.md", "Checkpoint/ParameterNames.md"],
      swiftSettings: release),
    .testTarget(name: "FERModelsTests", dependencies: ["FERModels"], resources: [.copy("Fixtures")]),

    // MARK: Video
    .target(name: "FERVideo", dependencies: ["FERCore", "FERSystem"], exclude: ["README.md"], swiftSettings: release),
    .testTarget(name: "FERVideoTests", dependencies: ["FERVideo"], resources: [.copy("Fixtures")]),

    // MARK: Datasets
    .target(
      name: "FERData", dependencies: ["FERCore", "FERSystem", "FERVideo"], exclude: ["README.md"], swiftSettings: release),
    .testTarget(name: "FERDataTests", dependencies: ["FERData"]),

    // MARK: Experiments
    .target(
      name: "FERExperiments", dependencies: ["FERModels", "FERData"], exclude: ["README.md"], swiftSettings: release),
    .testTarget(name: "FERExperimentsTests", dependencies: ["FERExperiments"]),

    // MARK: Workspace
    .target(
      name: "FERWorkspace", dependencies: ["FERSystem", "FERCore", "FERModels", "FERData", "FERExperiments"], exclude: ["README.md", "Session/SESSION_FORMAT.md"],
      swiftSettings: release),
    .testTarget(name: "FERWorkspaceTests", dependencies: ["FERWorkspace"]),

    // MARK: Terminal UI
    .target(
      name: "FERTerminal", dependencies: ["CNCurses", "FERModels", "FERData", "FERExperiments", "FERWorkspace"],
      exclude: ["README.md"], swiftSettings: release),
    .testTarget(
      name: "FERTerminalTests", dependencies: ["FERTerminal", "FERWorkspace", "FERExperiments", "FERModels", "FERSystem"],
      resources: [.copy("Snapshots")]),
    // Runs the built `ferlab` executable (through FERSystem's Subprocess).
    .testTarget(name: "FERLabCLITests", dependencies: ["FERSystem"]),

    // MARK: Executables
    .executableTarget(
      name: "FERLabCLI",
      dependencies: [
        "FERCore", "FERModels", "FERVideo", "FERData", "FERExperiments", "FERWorkspace", "FERTerminal",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: release),
    .executableTarget(
      name: "FERBench", dependencies: ["FERSystem", "FERCore", "FERModels", "FERData", "FERVideo"], path: "Benchmarks/Driver",
      swiftSettings: release),
  ]
)
