import Foundation
import Testing
@testable import FERCore

@Suite("activations, reductions, shape ops, matmul")
struct ElementwiseTests {
  static let shapes: [[Int]] = [[5], [3, 7], [2, 3, 5, 5]]

  @Test(arguments: shapes)
  func activations(shape: [Int]) {
    let x = parameter(shape, seed: 11, low: -3, high: 3)
    checkGradients([x]) { $0[0].sigmoid() }
    checkGradients([x]) { $0[0].tanh() }
    // Keep relu's inputs away from the kink at 0, where the derivative jumps.
    for i in 0..<x.count where abs(x.data[i]) < 0.05 { x.data[i] = 0.5 }
    checkGradients([x]) { $0[0].relu() }
  }

  @Test func sigmoidIsStableAtExtremes() {
    let y = Tensor(shape: [3], data: [-200, 0, 200]).sigmoid()
    #expect(y.data[0] >= 0 && y.data[0] < 1e-30 && y.data[1] == 0.5 && y.data[2] == 1)
  }

  @Test(arguments: shapes)
  func reductions(shape: [Int]) {
    let x = parameter(shape, seed: 12)
    checkGradients([x]) { $0[0].sum() }
    checkGradients([x]) { $0[0].mean() }
    checkGradients([x]) { $0[0].sum(axes: [0]) }
    checkGradients([x]) { $0[0].mean(axes: [-1], keepingDims: true) }
  }

  @Test func sumOverAxesValues() {
    let x = Tensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6])
    #expect(x.sum(axes: [0]).data == [5, 7, 9])
    #expect(x.sum(axes: [1], keepingDims: true).shape == [2, 1])
    #expect(x.sum(axes: [1]).data == [6, 15])
    #expect(x.mean().scalar == 3.5)
  }

  @Test func shapeOps() {
    let x = parameter([2, 5, 3, 4, 3], seed: 13)  // [N, T, C, H, W], odd sizes
    checkGradients([x]) { $0[0].reshaped([10, -1]) }
    checkGradients([x]) { $0[0].flattened() }
    checkGradients([x]) { $0[0].slice(axis: 1, 1..<4) }  // time
    checkGradients([x]) { $0[0].slice(axis: 2, 0..<2) }  // channel
    checkGradients([x]) { $0[0].select(axis: 1, 4) }
    let y = parameter([2, 2, 3, 4, 3], seed: 14)
    checkGradients([x, y]) { Tensor.concat([$0[0], $0[1]], axis: 1) }
    let z = parameter([2, 5, 1, 4, 3], seed: 15)
    checkGradients([x, z]) { Tensor.concat([$0[1], $0[0], $0[1]], axis: 2) }
    let frames = (0..<3).map { parameter([2, 3, 4], seed: 20 + UInt64($0)) }
    checkGradients(frames) { Tensor.stack($0, axis: 1) }
  }

  @Test func concatAndSliceValues() {
    let a = Tensor(shape: [2, 2], data: [1, 2, 3, 4])
    let b = Tensor(shape: [2, 1], data: [9, 8])
    let c = Tensor.concat([a, b], axis: 1)
    #expect(c.data == [1, 2, 9, 3, 4, 8])
    #expect(c.slice(axis: 1, 1..<3).data == [2, 9, 4, 8])
    #expect(Tensor.stack([a, a], axis: 0).shape == [2, 2, 2])
  }

  @Test(arguments: [(1, 1, 1), (3, 4, 5), (7, 2, 9)])
  func matmulAndLinear(m: Int, k: Int, n: Int) {
    let a = parameter([m, k], seed: 30)
    let b = parameter([k, n], seed: 31)
    checkGradients([a, b]) { Tensor.matmul($0[0], $0[1]) }
    let w = parameter([n, k], seed: 32)
    let bias = parameter([n], seed: 33)
    checkGradients([a, w, bias]) { Tensor.linear($0[0], weight: $0[1], bias: $0[2]) }
    checkGradients([a, w]) { Tensor.linear($0[0], weight: $0[1], bias: nil) }
  }

  @Test func matmulValues() {
    let a = Tensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6])
    let b = Tensor(shape: [3, 2], data: [7, 8, 9, 10, 11, 12])
    #expect(Tensor.matmul(a, b).data == [58, 64, 139, 154])
  }
}
