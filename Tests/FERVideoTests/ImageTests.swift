import Foundation
import FERCore
import Testing
@testable import FERVideo

@Suite("GrayImage: conversion, resizing, Gaussian blur")
struct ImageTests {
  @Test func rgbToGrayMatchesOpenCV() {
    // cv2.cvtColor(pixels, COLOR_RGB2GRAY) on these RGB triples gives the expected bytes; the last
    // three are cases where plain rounding of 0.299 R + 0.587 G + 0.114 B or 14-bit weights differ.
    let pixels: [[UInt8]] = [
      [255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 255], [17, 200, 93], [1, 2, 3],
      [138, 167, 72], [48, 17, 212], [230, 156, 247],
    ]
    let expected: [Float] = [76, 150, 29, 255, 133, 2, 148, 48, 188]
    let image = GrayImage(width: 3, height: 3, rgb: pixels.flatMap { $0 })
    #expect(image.pixels == expected)
  }

  @Test func bytesAndSubscript() {
    var image = GrayImage(width: 3, height: 2, bytes: [0, 1, 2, 3, 4, 255])
    #expect(image[2, 1] == 255)
    #expect(image[0, 1] == 3)
    image[1, 0] = 7
    #expect(image.pixels == [0, 7, 2, 3, 4, 255])
  }

  @Test func bilinearEnlargeUsesPixelCentresAndReplicatesEdges() {
    // Centres of 4 outputs over 2 inputs sit at −0.25, 0.25, 0.75, 1.25 source pixels.
    let row = GrayImage(width: 2, height: 1, pixels: [0, 10]).resized(width: 4, height: 1)
    #expect(row.pixels == [0, 2.5, 7.5, 10])
  }

  @Test func bilinearHalvingAveragesBlocks() {
    var rng = SeededRNG(seed: 5)
    let image = GrayImage(width: 6, height: 4, pixels: (0..<24).map { _ in Float(rng.nextInt(below: 256)) })
    let half = image.resized(width: 3, height: 2)
    for y in 0..<2 {
      for x in 0..<3 {
        let block = image[2 * x, 2 * y] + image[2 * x + 1, 2 * y] + image[2 * x, 2 * y + 1] + image[2 * x + 1, 2 * y + 1]
        #expect(abs(half[x, y] - block / 4) < 1e-4)
      }
    }
  }

  @Test func areaShrinkWeighsCoveredFractions() {
    // Output pixel 0 covers source [0, 5/3): pixel 0 whole, 2/3 of pixel 1 → weights 0.6, 0.4.
    let row = GrayImage(width: 5, height: 1, pixels: [0, 10, 20, 30, 40]).resized(width: 3, height: 1, method: .area)
    for (value, expected) in zip(row.pixels, [4, 20, 36] as [Float]) { #expect(abs(value - expected) < 1e-4) }
    let flat = GrayImage(width: 7, height: 5, value: 42).resized(width: 3, height: 2, method: .area)
    #expect(flat.pixels.allSatisfy { abs($0 - 42) < 1e-4 })
  }

  @Test func sameSizeIsIdentity() {
    let image = GrayImage(width: 3, height: 2, pixels: [1, 2, 3, 4, 5, 6])
    #expect(image.resized(width: 3, height: 2) == image)
    #expect(image.resized(width: 3, height: 2, method: .area) == image)
  }

  @Test func gaussianKernels() {
    #expect(gaussianKernel(size: 3, sigma: 0) == [0.25, 0.5, 0.25])
    #expect(gaussianKernel(size: 5, sigma: 0) == [0.0625, 0.25, 0.375, 0.25, 0.0625])
    let kernel = gaussianKernel(size: 9, sigma: 1.5)
    #expect(abs(kernel.reduce(0, +) - 1) < 1e-6)
    for i in 0..<9 {
      #expect(kernel[i] == kernel[8 - i])
      // Ratio to the centre tap is exp(−x²/(2σ²)).
      let x = Double(i - 4)
      #expect(abs(Double(kernel[i] / kernel[4]) - exp(-x * x / 4.5)) < 1e-6)
    }
    // Without sigma, sizes above 7 derive it: 0.3·((9 − 1)/2 − 1) + 0.8 = 1.7.
    let derived = gaussianKernel(size: 9, sigma: 0)
    #expect(abs(Double(derived[3] / derived[4]) - exp(-1 / (2 * 1.7 * 1.7))) < 1e-6)
  }

  @Test func reflect101MirrorsWithoutRepeatingTheEdge() {
    #expect((-3...7).map { reflect101($0, count: 5) } == [3, 2, 1, 0, 1, 2, 3, 4, 3, 2, 1])
    #expect(reflect101(-4, count: 1) == 0)
  }

  @Test func blurOfCornerImpulseReflects() {
    // [0.25, 0.5, 0.25] with the mirror at pixel 0: the impulse feeds itself twice (0.5) and its
    // neighbour once (0.25) per axis; cv2.GaussianBlur(…, (3, 3), 0) gives the same.
    var image = GrayImage(width: 5, height: 5)
    image[0, 0] = 1
    let blurred = image.gaussianBlurred(kernelSize: 3, sigma: 0)
    #expect(blurred[0, 0] == 0.25)
    #expect(blurred[1, 0] == 0.125)
    #expect(blurred[0, 1] == 0.125)
    #expect(blurred[1, 1] == 0.0625)
    #expect(blurred.pixels.reduce(0, +) == 0.5625)
  }

  @Test func blurKeepsConstantsAndSpreadsImpulsesByTheKernel() {
    let flat = GrayImage(width: 9, height: 6, value: 100).gaussianBlurred(kernelSize: 7, sigma: 1.3)
    #expect(flat.pixels.allSatisfy { abs($0 - 100) < 1e-3 })
    var impulse = GrayImage(width: 11, height: 11)
    impulse[5, 5] = 1
    let kernel = gaussianKernel(size: 5, sigma: 0.9)
    let blurred = impulse.gaussianBlurred(kernelSize: 5, sigma: 0.9)
    for y in 0..<5 {
      for x in 0..<5 { #expect(abs(blurred[3 + x, 3 + y] - kernel[x] * kernel[y]) < 1e-7) }
    }
  }
}
