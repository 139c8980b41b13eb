import Testing

@testable import FERCore

@Suite("graph footprint")
struct GraphFootprintTests {
  /// Counted by hand: a reshape shares its input's storage; max-pooling keeps an index per output.
  @Test func countsEachStorageOnceAndWhatPullbacksKeep() {
    let x = Tensor(shape: [1, 2, 4, 4], data: (0..<32).map(Float.init))  // input: 32 values
    let w = Tensor(shape: [1, 2, 4, 4], data: [Float](repeating: 0.5, count: 32), requiresGrad: true)  // parameter: 32
    let product = x * w  // 32
    let pooled = product.reshaped([2, 1, 4, 4]).maxPool2d(kernel: 2, stride: 2)  // reshape shares; 8 + 8 indices
    let loss = pooled.sum()  // 1
    let footprint = GraphFootprint(of: loss)
    #expect(footprint.tensors == 6)
    #expect(footprint.tensorBytes == 4 * (32 + 32 + 32 + 8 + 1))
    #expect(footprint.parameterBytes == 4 * 32)
    #expect(footprint.savedBytes == 4 * 8)
    #expect(footprint.activationBytes == 4 * (32 + 32 + 8 + 1 + 8))
  }

  /// The fused gates keep i, f, g and o (four blocks) for their two-block output.
  @Test func gatesKeepTheirActivations() {
    let (n, c, h) = (2, 3, 4)
    let pre = Tensor(shape: [n, 4 * c, h, h], data: [Float](repeating: 0.1, count: n * 4 * c * h * h), requiresGrad: true)
    let cell = Tensor.zeros([n, c, h, h])
    let peephole = Tensor.zeros([c, h, h], requiresGrad: true)
    let out = Tensor.convLSTMGates(preactivations: pre, previousCell: cell, peepholes: (peephole, peephole, peephole))
    #expect(GraphFootprint(of: out).savedBytes == 4 * 4 * n * c * h * h)
  }
}
