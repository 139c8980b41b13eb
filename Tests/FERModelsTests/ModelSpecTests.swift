import FERCore
import Foundation
import Testing
@testable import FERModels

@Suite("model spec")
struct ModelSpecTests {
  @Test(arguments: ModelSpec.presetNames)
  func presetsAreValid(name: String) throws {
    let spec = try #require(ModelSpec.preset(named: name))
    try spec.validate()
    #expect(spec.name == name)
  }

  @Test func ablationPresetsDifferAsTheSeedsTable() throws {
    let b = try #require(ModelSpec.preset(named: "b")), c = try #require(ModelSpec.preset(named: "c"))
    #expect(b.convLSTM.isConventional && !c.convLSTM.isConventional)
    #expect(b.streams == [.rgb, .flow] && c.streams == [.rgb, .flow])
    #expect(ModelSpec.preset(named: "a")?.streams == [.rgbDynamic, .flowDynamic])
    #expect(ModelSpec.preset(named: "e")?.streams == StreamKind.allCases)
    #expect(ModelSpec.preset(named: "nope") == nil)
  }

  /// Each bad spec fails with a message naming the field to change.
  static var invalid: [(String, (inout ModelSpec) -> Void)] { [
    ("streams is empty", { $0.streams = [] }),
    ("convLSTM.kernels has 3 entries", { $0.convLSTM.kernels = [5, 5, 3] }),
    ("'same' padding needs an odd kernel", { $0.convLSTM.kernels = [5, 4, 3, 3] }),
    ("groups must divide", { $0.convLSTM.groups = 5 }),
    ("too small for 4 ConvLSTM layers", { $0.inputSize = 8 }),
    ("resnet.depth is 34", { $0.resnet.depth = 34 }),
    ("head.hidden", { $0.head.hidden = [64] }),
    ("classes is 1", { $0.classes = 1 }),
    // Past the upper bounds: refused by the sentence, before anything is allocated.
    ("inputSize is 1099511627776: use 8 to 1024", { $0.inputSize = 1 << 40 }),
    ("convLSTM.channels[1] is 1099511627776", { $0.convLSTM.channels = [16, 1 << 40, 48, 64] }),
    ("convLSTM.kernels[0] is -9223372036854775808", { $0.convLSTM.kernels = [Int.min, 5, 3, 3] }),
    ("classes is 1099511627776", { $0.classes = 1 << 40 }),
    ("head.hidden[1] is 9223372036854775807", { $0.head.hidden = [256, Int.max] }),
    ("the spec asks for about", {
      $0.inputSize = 1024
      $0.convLSTM.channels = [1024, 1024, 1024, 1024]
      $0.convLSTM.kernels = [15, 15, 15, 15]
    }),
  ] }

  @Test func invalidSpecsSayWhatToChange() {
    for (message, change) in Self.invalid {
      var spec = ModelSpec()
      change(&spec)
      #expect(throws: ModelSpecError.self) { try FERModel(spec: spec, seed: 1) }
      do {
        try spec.validate()
      } catch {
        #expect("\(error)".contains(message), "\"\(error)\" should mention \"\(message)\"")
      }
    }
  }

  @Test func handWrittenJSONTakesDefaults() throws {
    let spec = try ModelSpec.decode(#"{"streams": ["rgb"], "convLSTM": {"temporalSkip": false}}"#)
    #expect(spec.streams == [.rgb])
    #expect(!spec.convLSTM.temporalSkip && spec.convLSTM.spatialSkip && spec.convLSTM.channels == [16, 32, 48, 64])
    #expect(try ModelSpec.decode(spec.json) == spec)
  }
}
