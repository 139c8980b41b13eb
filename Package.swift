// swift-tools-version:6.0
//
// FERLab: facial-expression recognition from video with Enhanced ConvLSTM.
// Targets follow the layers of DESIGN.md; dependencies point one way, down
// this file: shims → core → models / video → datasets → experiments →
// workspace → terminal UI → executable.
import PackageDescription

let release: [SwiftSetting] = [.unsafeFlags(["-Ounchecked", "-wmo"], .when(configuration: .release))]

let package = Package(
  name: "FERLab",
  platforms: [.macOS(.v14)],
  products: [
    .library(name: "FERCore", targets: ["FERCore"]),
  ],
  targets: [
    // MARK: C shims (not API: wrappers for what Swift cannot import directly)
    .systemLibrary(
      name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
      providers: [.apt(["libopenblas-dev"])]),

    // MARK: Tensor + autodiff core
    .target(name: "FERCore", dependencies: ["CBLAS"], swiftSettings: release),
    .testTarget(name: "FERCoreTests", dependencies: ["FERCore"], resources: [.copy("Fixtures")]),

  ]
)
