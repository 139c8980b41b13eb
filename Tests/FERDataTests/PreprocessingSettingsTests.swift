import FERVideo
import Foundation
import Testing

@testable import FERData

@Suite("Pre-processing settings")
struct PreprocessingSettingsTests {
  @Test func standardIsTheSeedsPreprocessing() throws {
    let standard = PreprocessingSettings.standard
    #expect(standard.frameCount == 16 && standard.cropSize == 48)
    #expect(try standard.flow.parameters() == .standard)
    #expect(standard.cascadePath.hasSuffix("haarcascade_frontalface_default.xml"))
    #expect(try PreprocessingSettings() == standard)
  }

  @Test func badValuesFailWhenMade() {
    #expect(throws: PreprocessingSettingsError.self) { try PreprocessingSettings(frameCount: 1) }
    #expect(throws: PreprocessingSettingsError.self) { try PreprocessingSettings(cropSize: 8) }
    #expect(throws: PreprocessingSettingsError.self) { try PreprocessingSettings(cascadePath: "") }
    var flow = FlowSettings(parameters: .standard)
    flow.windowSize = 14
    #expect(throws: PreprocessingSettingsError.flow(.windowSize(14))) { try PreprocessingSettings(flow: flow) }
    do {
      _ = try PreprocessingSettings(frameCount: 1)
      Issue.record("frameCount 1 was accepted")
    } catch {
      #expect(error.description.contains("frameCount = 1"))
    }
  }

  @Test func jsonRoundTripsAndIsChecked() throws {
    var flow = FlowSettings(parameters: .standard)
    flow.gaussianWindow = true
    let settings = try PreprocessingSettings(frameCount: 8, cropSize: 64, flow: flow, cascadePath: "/tmp/c.xml")
    let decoded = try JSONDecoder().decode(PreprocessingSettings.self, from: Data(settings.canonicalJSON.utf8))
    #expect(decoded == settings)
    #expect(settings.canonicalJSON.contains("\"cascadePath\":\"/tmp/c.xml\""))
    let partial = try JSONDecoder().decode(PreprocessingSettings.self, from: Data(#"{"frameCount": 10}"#.utf8))
    #expect(partial.frameCount == 10 && partial.cropSize == 48)
    #expect(throws: PreprocessingSettingsError.self) {
      try JSONDecoder().decode(PreprocessingSettings.self, from: Data(#"{"cropSize": 4}"#.utf8))
    }
  }

  @Test func cacheFolderFollowsTheEnvironment() {
    #expect(PreparedClipCache.defaultFolder(environment: ["FERLAB_CACHE": "/x/y"]).path == "/x/y")
    #expect(PreparedClipCache.defaultFolder(environment: ["XDG_CACHE_HOME": "/c"]).path == "/c/ferlab")
    #expect(PreparedClipCache.defaultFolder(environment: [:]).path.hasSuffix("/.cache/ferlab"))
  }

  @Test func missingCascadeFailsAtConstruction() throws {
    let settings = try PreprocessingSettings(cascadePath: "/nonexistent/cascade.xml")
    #expect(throws: PreprocessingSetupError.self) { try ClipPreprocessor(settings: settings) }
    #expect(throws: PreprocessingSetupError.workers(0)) {
      try VideoDatasetPreparer(settings: .standard, cache: nil, workers: 0)
    }
  }
}
