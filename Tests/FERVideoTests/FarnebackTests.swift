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
    print("\(fixture.name): mean EPE vs OpenCV \(error) px")
    #expect(error <= 0.05, "\(fixture.name): mean endpoint error \(error) px vs OpenCV")
  }
}
