import FERCore

// A dense displacement field between two frames and its conversion to the
// optical-flow stream's input.
//
// Network input: the flow of a frame pair becomes a [2, H, W] tensor (C = 2:
// dx, then dy), each component clipped to ±`FlowField.networkRange` pixels
// and divided by it, so values lie in [−1, 1] with 0 = no motion. The range
// is 10 px because the flow is computed on face crops of 48–128 px, where the
// motion of an expression between consecutive video frames (25–30 fps) stays
// within a few pixels; clipping at 10 px keeps that motion well resolved and
// cuts off only the rare wild vectors Farnebäck returns in flat regions.

/// Per-pixel displacement from a first frame to a second: the content at (x, y) in the first
/// frame is found near (x + dx, y + dy) in the second. Planes are row-major, `width * height` each.
public struct FlowField: Sendable, Equatable {
  public let width: Int
  public let height: Int
  /// Horizontal displacement in pixels (positive = rightwards).
  public var dx: [Float]
  /// Vertical displacement in pixels (positive = downwards).
  public var dy: [Float]

  /// Clip range, in pixels, of `networkInput()` (see the top of this file).
  public static let networkRange: Float = 10

  public init(width: Int, height: Int, dx: [Float], dy: [Float]) {
    precondition(width > 0 && height > 0, "FlowField: size \(width)×\(height) must be positive in both axes")
    precondition(
      dx.count == width * height && dy.count == width * height,
      "FlowField: \(width)×\(height) needs \(width * height) values per plane, got \(dx.count) and \(dy.count)")
    self.width = width
    self.height = height
    self.dx = dx
    self.dy = dy
  }

  /// No motion anywhere.
  public static func zero(width: Int, height: Int) -> FlowField {
    let plane = [Float](repeating: 0, count: width * height)
    return FlowField(width: width, height: height, dx: plane, dy: plane)
  }

  /// The mean over pixels of ‖self − other‖₂ (the usual accuracy figure of optical flow).
  public func meanEndpointError(to other: FlowField) -> Double {
    precondition(
      width == other.width && height == other.height,
      "meanEndpointError: flows of sizes \(width)×\(height) and \(other.width)×\(other.height) differ")
    var total = 0.0
    for i in 0..<dx.count {
      let ex = Double(dx[i] - other.dx[i]), ey = Double(dy[i] - other.dy[i])
      total += (ex * ex + ey * ey).squareRoot()
    }
    return total / Double(dx.count)
  }

  /// The optical-flow stream's input: [2, H, W] (dx, dy), clipped to ±`range` and divided by it.
  public func networkInput(range: Float = FlowField.networkRange) -> Tensor {
    precondition(range > 0, "networkInput: the clip range \(range) must be positive")
    let scaled = (dx + dy).map { max(-range, min(range, $0)) / range }
    return Tensor(shape: [2, height, width], data: scaled)
  }
}
