import FERVideo
import Foundation

// What the per-clip pre-processing of a video does, as one value: how many
// frames to keep (T), the face crop's side (S), the Farnebäck parameters and
// the Haar cascade file. Every value is checked when settings are made or
// decoded, so a bad value fails before the first clip is decoded. The settings
// (as canonical JSON) are part of every cache key: change one, and every clip
// is pre-processed again.

/// How videos become prepared clips.
public struct PreprocessingSettings: Codable, Sendable, Equatable {
  /// Frames kept per clip (T), spread uniformly over the video.
  public let frameCount: Int
  /// Side of the face crop in pixels (S).
  public let cropSize: Int
  /// Farnebäck flow between consecutive crops.
  public let flow: FlowSettings
  /// The OpenCV Haar cascade XML the face tracker detects with.
  public let cascadePath: String

  /// opencv-data's frontal-face cascade on Debian.
  public static let defaultCascadePath = "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml"
  public static let frameCountRange = 2...256
  public static let cropSizeRange = 16...256

  /// T = 16, S = 48, OpenCV's common Farnebäck parameters, the frontal-face cascade.
  public static let standard = PreprocessingSettings(
    unchecked: 16, 48, FlowSettings(parameters: .standard), defaultCascadePath)

  public init(
    frameCount: Int = 16, cropSize: Int = 48, flow: FlowSettings = FlowSettings(parameters: .standard),
    cascadePath: String = PreprocessingSettings.defaultCascadePath
  ) throws(PreprocessingSettingsError) {
    self.init(unchecked: frameCount, cropSize, flow, cascadePath)
    try validate()
  }

  private init(unchecked frameCount: Int, _ cropSize: Int, _ flow: FlowSettings, _ cascadePath: String) {
    self.frameCount = frameCount
    self.cropSize = cropSize
    self.flow = flow
    self.cascadePath = cascadePath
  }

  private func validate() throws(PreprocessingSettingsError) {
    guard Self.frameCountRange.contains(frameCount) else {
      throw .outOfRange(
        field: "frameCount", value: "\(frameCount)", hint: "keep 2 to 256 frames per clip (16 is usual)")
    }
    guard Self.cropSizeRange.contains(cropSize) else {
      throw .outOfRange(field: "cropSize", value: "\(cropSize)", hint: "crop faces to 16 to 256 pixels (48 is usual)")
    }
    guard !cascadePath.isEmpty else {
      throw .outOfRange(field: "cascadePath", value: "\"\"", hint: "name a Haar cascade XML file")
    }
    do { _ = try flow.parameters() } catch { throw .flow(error) }
  }

  private enum CodingKeys: String, CodingKey { case frameCount, cropSize, flow, cascadePath }

  /// Decodes and checks settings; missing fields take the standard values.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let standard = PreprocessingSettings.standard
    try self.init(
      frameCount: c.decodeIfPresent(Int.self, forKey: .frameCount) ?? standard.frameCount,
      cropSize: c.decodeIfPresent(Int.self, forKey: .cropSize) ?? standard.cropSize,
      flow: c.decodeIfPresent(FlowSettings.self, forKey: .flow) ?? standard.flow,
      cascadePath: c.decodeIfPresent(String.self, forKey: .cascadePath) ?? standard.cascadePath)
  }

  /// One line of JSON with sorted keys: the settings' part of cache keys and dataset provenance.
  public var canonicalJSON: String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    // Numbers and strings always encode.
    guard let data = try? encoder.encode(self) else { return "" }
    return String(decoding: data, as: UTF8.self)
  }

  /// The Farnebäck parameters (valid: checked when the settings were made).
  var farnebackParameters: FarnebackParameters { (try? flow.parameters()) ?? .standard }
}

/// `FarnebackParameters` as a Codable value (FERVideo's type stays free of persistence).
public struct FlowSettings: Codable, Sendable, Equatable {
  public var pyrScale: Double
  public var levels: Int
  public var windowSize: Int
  public var iterations: Int
  public var polyN: Int
  public var polySigma: Double
  /// A Gaussian averaging window instead of the box (OpenCV's OPTFLOW_FARNEBACK_GAUSSIAN).
  public var gaussianWindow: Bool

  public init(parameters p: FarnebackParameters) {
    pyrScale = p.pyrScale
    levels = p.levels
    windowSize = p.windowSize
    iterations = p.iterations
    polyN = p.polyN
    polySigma = p.polySigma
    gaussianWindow = p.window == .gaussian
  }

  /// The parameters, checked by FERVideo.
  public func parameters() throws(FarnebackParameterError) -> FarnebackParameters {
    try FarnebackParameters(
      pyrScale: pyrScale, levels: levels, windowSize: windowSize, iterations: iterations, polyN: polyN,
      polySigma: polySigma, window: gaussianWindow ? .gaussian : .box)
  }
}

/// Settings that cannot be used; the message names the field and what to use.
public enum PreprocessingSettingsError: Error, Equatable, CustomStringConvertible {
  case outOfRange(field: String, value: String, hint: String)
  case flow(FarnebackParameterError)

  public var description: String {
    switch self {
    case .outOfRange(let field, let value, let hint): "pre-processing settings: \(field) = \(value) is invalid; \(hint)"
    case .flow(let error): "pre-processing settings: \(error)"
    }
  }
}
