import FERCore

// The ResNet of the dynamic-image streams. Dynamic images are small (the face
// crop's side, 48 by default), so the stem is a single 3×3 convolution at
// stride 1 without max-pool (the CIFAR-style stem), followed by four stages of
// BasicBlocks at widths w, 2w, 4w, 8w (stride 2 from the second stage on),
// global average pooling and tanh (the seed's figure 2).
//
// Names: stem.conv, stem.bn, layer1…layer4.<block>.<BasicBlock names>.

/// ResNet-10 or ResNet-18 over one image [N, C, S, S] → feature [N, 8w] in (−1, 1).
public final class ResNet: Module {
  let stemConv: Conv2d, stemNorm: BatchNorm2d
  let stages: [[BasicBlock]]
  public let featureSize: Int

  public init(inputChannels: Int, spec: ResNetSpec, rng: inout SeededRNG) {
    let blocksPerStage = spec.depth == 10 ? 1 : 2
    let w = spec.width
    stemConv = Conv2d(inputChannels, w, kernel: 3, padding: .explicit(1), bias: false, rng: &rng)
    stemNorm = BatchNorm2d(w)
    var stages: [[BasicBlock]] = []
    var channels = w
    for (s, width) in [w, 2 * w, 4 * w, 8 * w].enumerated() {
      var blocks: [BasicBlock] = []
      for b in 0..<blocksPerStage {
        blocks.append(BasicBlock(channels, width, stride: s > 0 && b == 0 ? 2 : 1, rng: &rng))
        channels = width
      }
      stages.append(blocks)
    }
    self.stages = stages
    featureSize = channels
  }

  public func callAsFunction(_ x: Tensor, _ context: ForwardContext) -> Tensor {
    var y = stemNorm(stemConv(x), context).relu()
    for block in stages.joined() { y = block(y, context) }
    return y.globalAvgPool().tanh()
  }

  public var namedParameters: [(String, Tensor)] {
    var items = scoped("stem.conv", stemConv.namedParameters) + scoped("stem.bn", stemNorm.namedParameters)
    for (s, blocks) in stages.enumerated() {
      for (b, block) in blocks.enumerated() { items += scoped("layer\(s + 1).\(b)", block.namedParameters) }
    }
    return items
  }

  public var namedBuffers: [(String, Buffer)] {
    var items = scoped("stem.bn", stemNorm.namedBuffers)
    for (s, blocks) in stages.enumerated() {
      for (b, block) in blocks.enumerated() { items += scoped("layer\(s + 1).\(b)", block.namedBuffers) }
    }
    return items
  }
}
