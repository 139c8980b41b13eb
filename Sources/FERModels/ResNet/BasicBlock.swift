import FERCore

// ResNet's BasicBlock (He et al. 2016): two 3×3 convolutions with batch norm,
// and a 1×1 projection shortcut when the stride or width changes.
// Names follow torchvision: conv1, bn1, conv2, bn2, downsample.0 (conv), downsample.1 (bn).

/// A residual block of two 3×3 convolutions.
public final class BasicBlock: Module {
  let conv1: Conv2d, bn1: BatchNorm2d, conv2: Conv2d, bn2: BatchNorm2d
  let downsample: (Conv2d, BatchNorm2d)?

  public init(_ inputChannels: Int, _ outputChannels: Int, stride: Int, rng: inout SeededRNG) {
    conv1 = Conv2d(inputChannels, outputChannels, kernel: 3, stride: stride, padding: .explicit(1), bias: false, rng: &rng)
    bn1 = BatchNorm2d(outputChannels)
    conv2 = Conv2d(outputChannels, outputChannels, kernel: 3, padding: .explicit(1), bias: false, rng: &rng)
    bn2 = BatchNorm2d(outputChannels)
    if stride != 1 || inputChannels != outputChannels {
      downsample = (
        Conv2d(inputChannels, outputChannels, kernel: 1, stride: stride, padding: .explicit(0), bias: false, rng: &rng),
        BatchNorm2d(outputChannels)
      )
    } else {
      downsample = nil
    }
  }

  public func callAsFunction(_ x: Tensor, _ context: ForwardContext) -> Tensor {
    let y = bn2(conv2(bn1(conv1(x), context).relu()), context)
    let shortcut = downsample.map { $0.1($0.0(x), context) } ?? x
    return (y + shortcut).relu()
  }

  public var namedParameters: [(String, Tensor)] {
    var items = scoped("conv1", conv1.namedParameters) + scoped("bn1", bn1.namedParameters)
    items += scoped("conv2", conv2.namedParameters) + scoped("bn2", bn2.namedParameters)
    if let (conv, bn) = downsample {
      items += scoped("downsample.0", conv.namedParameters) + scoped("downsample.1", bn.namedParameters)
    }
    return items
  }

  public var namedBuffers: [(String, Buffer)] {
    var items = scoped("bn1", bn1.namedBuffers) + scoped("bn2", bn2.namedBuffers)
    if let (_, bn) = downsample { items += scoped("downsample.1", bn.namedBuffers) }
    return items
  }
}
