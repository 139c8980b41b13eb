import Foundation
import Testing
@testable import FERVideo

@Suite("Farnebäck optical flow")
struct FarnebackTests {
  /// Each committed pair against the flow cv2.calcOpticalFlowFarneback computed on the same frames.
  @Test(arguments: FlowFixture.all)
  func matchesOpenCV(fixture: FlowFixture) throws {
    let (first, second) = try fixture.frames()
    let reference = try fixture.referenceFlow()
    let flow = farnebackFlow(from: first, to: second, parameters: try fixture.parameters)
    let error = flow.meanEndpointError(to: reference)
    #expect(error <= 0.05, "\(fixture.name): mean endpoint error \(error) px vs OpenCV")
    // Also pixel by pixel: a wrong border or edge rule shows here before it moves the mean.
    var worst: Float = 0
    for i in 0..<flow.dx.count {
      worst = max(worst, hypot(flow.dx[i] - reference.dx[i], flow.dy[i] - reference.dy[i]))
    }
    #expect(worst <= 0.05, "\(fixture.name): largest endpoint error \(worst) px vs OpenCV")
  }

  /// Identical frames give no motion, up to small vectors that the last row and column (no
  /// bilinear neighbours) seed and the coarse levels spread; OpenCV gives at most 0.019 px here.
  @Test func identicalFramesHaveNoMotion() throws {
    let (frame, _) = try FlowFixture.named("face128").frames()
    let flow = farnebackFlow(from: frame, to: frame)
    let largest = zip(flow.dx, flow.dy).map { hypot($0, $1) }.max() ?? 0
    #expect(largest < 0.025, "largest vector \(largest) px")
  }

  /// Content moved right by 2 and up by 1 pixel reads as dx = 2, dy = −1 away from the borders
  /// (the median: the mean is pulled a little towards 0 by flat regions, in OpenCV too).
  @Test func recoversATranslation() throws {
    let (frame, _) = try FlowFixture.named("face128").frames()
    var moved = frame
    for y in 0..<frame.height {
      for x in 0..<frame.width {
        moved[x, y] = frame[max(x - 2, 0), min(y + 1, frame.height - 1)]
      }
    }
    let flow = farnebackFlow(from: frame, to: moved)
    let margin = 16
    var interiorX: [Float] = [], interiorY: [Float] = []
    for y in margin..<(frame.height - margin) {
      for x in margin..<(frame.width - margin) {
        interiorX.append(flow.dx[y * frame.width + x])
        interiorY.append(flow.dy[y * frame.width + x])
      }
    }
    let medianX = interiorX.sorted()[interiorX.count / 2], medianY = interiorY.sorted()[interiorY.count / 2]
    #expect(abs(medianX - 2) < 0.02, "median dx \(medianX)")
    #expect(abs(medianY + 1) < 0.02, "median dy \(medianY)")
  }

  /// A clip expands each frame once and runs pairs concurrently; the flows are those of the pairs.
  @Test func clipFlowsEqualPairFlows() throws {
    let frames = try FlowFixture.all.filter { $0.width == 64 || $0.name == "face128" }.flatMap { fixture in
      let (a, b) = try fixture.frames()
      return [a, b].map { $0.resized(width: 64, height: 64, method: .area) }
    }
    let clip = farnebackFlows(frames)
    #expect(clip.count == frames.count - 1)
    for t in 0..<clip.count { #expect(clip[t] == farnebackFlow(from: frames[t], to: frames[t + 1])) }
    #expect(farnebackFlows([]).isEmpty)
    #expect(farnebackFlows([frames[0]]).isEmpty)
  }

  @Test func parametersDefaultToOpenCVsCommonCall() throws {
    let p = FarnebackParameters.standard
    #expect((p.pyrScale, p.levels, p.windowSize, p.iterations, p.polyN, p.polySigma) == (0.5, 3, 15, 3, 5, 1.2))
    #expect(p.window == .box)
    #expect(try FarnebackParameters() == p)
  }

  @Test func badParametersFailWithTheirValue() {
    #expect(throws: FarnebackParameterError.pyrScale(1)) { try FarnebackParameters(pyrScale: 1) }
    #expect(throws: FarnebackParameterError.pyrScale(0)) { try FarnebackParameters(pyrScale: 0) }
    #expect(throws: FarnebackParameterError.levels(-1)) { try FarnebackParameters(levels: -1) }
    #expect(throws: FarnebackParameterError.windowSize(14)) { try FarnebackParameters(windowSize: 14) }
    #expect(throws: FarnebackParameterError.windowSize(-1)) { try FarnebackParameters(windowSize: -1) }
    #expect(throws: FarnebackParameterError.iterations(0)) { try FarnebackParameters(iterations: 0) }
    #expect(throws: FarnebackParameterError.polyN(6)) { try FarnebackParameters(polyN: 6) }
    #expect(throws: FarnebackParameterError.polySigma(0)) { try FarnebackParameters(polySigma: 0) }
    #expect(FarnebackParameterError.windowSize(14).description.contains("14"))
    #expect(FarnebackParameterError.polyN(6).description.contains("5 or 7"))
  }
}

@Suite("FlowField")
struct FlowFieldTests {
  @Test func networkInputClipsAndScales() {
    let flow = FlowField(width: 2, height: 2, dx: [-20, -5, 0, 3], dy: [12, 0.5, -10, 10])
    let input = flow.networkInput()
    #expect(input.shape == [2, 2, 2])
    let expected: [Float] = [-1, -0.5, 0, 0.3, 1, 0.05, -1, 1]
    for (value, want) in zip(input.data, expected) { #expect(abs(value - want) < 1e-6) }
    #expect(flow.networkInput(range: 20).data[0] == -1)
  }

  @Test func meanEndpointError() {
    let a = FlowField(width: 2, height: 1, dx: [0, 1], dy: [0, 1])
    let b = FlowField(width: 2, height: 1, dx: [3, 1], dy: [4, 1])
    #expect(a.meanEndpointError(to: b) == 2.5)
    #expect(a.meanEndpointError(to: a) == 0)
  }
}
