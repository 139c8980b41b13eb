import Foundation
import Testing
@testable import FERCore

@Suite("safetensors reading and writing")
struct SafeTensorsTests {
  // MARK: The reference file from Benchmarks/peers/make_safetensors_fixture.py

  static let referenceURL = fixtureURL("reference.safetensors")
  static let referenceMetadata = ["format": "FERLab fixture \"v1\"\n\tarange-based, café \\ done"]

  /// value(i) = i·scale + offset, in Float as numpy computes it.
  static func arange(_ shape: [Int], _ scale: Float, _ offset: Float) -> Tensor {
    Tensor(shape: shape, data: (0..<elementCount(shape)).map { Float($0) * scale + offset })
  }

  /// The tensors the fixture script writes (its `tensors()`).
  static var referenceTensors: [String: Tensor] {[
    "conv1.weight": arange([4, 3, 3, 3], 0.5, -20),
    "conv1.bias": arange([4], 1, -1.5),
    "odd": arange([5, 1, 7], Float(1.0 / 7.0), 0),
    "scalar": Tensor.scalar(-2.5),
    "empty": Tensor.zeros([2, 0]),
    "Zeta": arange([1], 1, 42),
    "ünicode": arange([2], -3, 0.75),
    "special": Tensor(
      shape: [6], data: [0, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude, -.infinity, .nan]),
  ]}

  @Test func readsTheReferenceFile() throws {
    let file = try SafeTensorsFile.read(from: Self.referenceURL)
    #expect(file.names == ["Zeta", "conv1.bias", "conv1.weight", "empty", "odd", "scalar", "special", "ünicode"])
    #expect(file.metadata == Self.referenceMetadata)
    for (name, expected) in Self.referenceTensors {
      let tensor = try #require(file[name], "\(name) missing")
      #expect(tensor.shape == expected.shape, "\(name)")
      // Bit patterns: covers −0, the subnormal, ±∞ and NaN exactly.
      #expect(tensor.data.map(\.bitPattern) == expected.data.map(\.bitPattern), "\(name)")
    }
  }

  /// A write renames onto its path: only a new path or a regular file may be replaced.
  @Test func writingNeverReplacesADeviceOrAFolder() throws {
    let file = SafeTensorsFile(tensors: ["x": Tensor(shape: [1], data: [1])])
    for path in ["/dev/null", FileManager.default.temporaryDirectory.path] {
      #expect { try file.write(to: URL(fileURLWithPath: path)) } throws: {
        "\($0)".contains("not a regular file")
      }
    }
    #expect(FileManager.default.fileExists(atPath: "/dev/null"))
  }

  /// The partial file of a writer that was killed goes with the next write; a live writer's stays.
  @Test func partialFilesOfDeadWritersAreRemoved() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ferlab-partial-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    // A pid that certainly ended: a child that has been reaped.
    var child: pid_t = 0
    let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/true"), nil]
    defer { free(argv[0]) }
    #expect(posix_spawn(&child, "/bin/true", nil, nil, argv, environ) == 0)
    var status: Int32 = 0
    waitpid(child, &status, 0)
    let dead = folder.appendingPathComponent(".model.safetensors.\(child).partial")
    let live = folder.appendingPathComponent(".model.safetensors.1.partial")  // init never ends
    for url in [dead, live] { FileManager.default.createFile(atPath: url.path, contents: Data([1, 2, 3])) }
    try SafeTensorsFile(tensors: ["x": Tensor(shape: [1], data: [1])]).write(to: folder.appendingPathComponent("model.safetensors"))
    #expect(!FileManager.default.fileExists(atPath: dead.path))
    #expect(FileManager.default.fileExists(atPath: live.path))
    #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("model.safetensors").path))
  }

  @Test func writesTheSameBytesAsThePythonLibrary() throws {
    let reference = try [UInt8](Data(contentsOf: Self.referenceURL))
    let ours = SafeTensorsFile(tensors: Self.referenceTensors, metadata: Self.referenceMetadata).serialized()
    #expect(ours == reference)
  }

  @Test func roundTripsThroughAFile() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ferlab-safetensors-\(getpid())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    var file = SafeTensorsFile(metadata: ["epoch": "3", "spec": "{\"preset\": \"tiny\"}", "": "empty key"])
    file["layer.0.weight"] = parameter([5, 3, 3, 3], seed: 101)
    file["b"] = Tensor.scalar(7)
    file["a"] = parameter([1, 7], seed: 102)
    #expect(file.names == ["layer.0.weight", "b", "a"])
    let url = directory.appendingPathComponent("model.safetensors")
    try file.write(to: url)
    try file.write(to: url)  // overwrites in place through the rename
    let back = try SafeTensorsFile.read(from: url)
    #expect(back.names == ["a", "b", "layer.0.weight"])
    #expect(back.metadata == file.metadata)
    for name in file.names {
      #expect(back[name]?.shape == file[name]?.shape && back[name]?.data == file[name]?.data, "\(name)")
    }
    // Data starts 8-byte aligned; only the target file is left behind.
    let bytes = try [UInt8](Data(contentsOf: url))
    #expect(bytes.prefix(8).reversed().reduce(0) { $0 << 8 | UInt64($1) } % 8 == 0)
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["model.safetensors"])
  }

  @Test func removingATensor() {
    var file = SafeTensorsFile(tensors: ["x": Tensor.scalar(1), "y": Tensor.scalar(2)])
    file["x"] = nil
    #expect(file.names == ["y"] && file.tensors.keys.sorted() == ["y"])
  }

  @Test func fileErrorsNameThePath() {
    let missing = URL(fileURLWithPath: "/nonexistent/ferlab/model.safetensors")
    #expect {
      try SafeTensorsFile.read(from: missing)
    } throws: { error in
      guard case .unreadable(let path, _) = error as? SafeTensorsError else { return false }
      return path == missing.path
    }
    #expect {
      try SafeTensorsFile().write(to: missing)
    } throws: { error in
      guard case .unwritable(let path, _) = error as? SafeTensorsError else { return false }
      return path == missing.path
    }
  }

  // MARK: Malformed files

  /// A file whose header is `json` (length field as given, or the true length) followed by `buffer` bytes.
  static func file(_ json: String, buffer: Int = 0, headerLength: UInt64? = nil) -> [UInt8] {
    var bytes: [UInt8] = []
    withUnsafeBytes(of: (headerLength ?? UInt64(json.utf8.count)).littleEndian) { bytes += $0 }
    return bytes + Array(json.utf8) + [UInt8](repeating: 0, count: buffer)
  }

  /// The header object of the given entries.
  static func object(_ entries: String...) -> String { "{" + entries.joined(separator: ",") + "}" }

  static func entry(_ name: String, dtype: String = "F32", shape: String, offsets: String) -> String {
    "\"\(name)\":{\"dtype\":\"\(dtype)\",\"shape\":\(shape),\"data_offsets\":\(offsets)}"
  }

  static let malformed: [(String, [UInt8], SafeTensorsError)] = [
    ("short file", [1, 2, 3], .fileTooShort(byteCount: 3)),
    ("header beyond file", file("{}", headerLength: 100), .headerBeyondFile(headerLength: 100, fileSize: 10)),
    ("header length near 2⁶⁴", file("{}", headerLength: .max), .headerBeyondFile(headerLength: .max, fileSize: 10)),
    ("duplicate name",
     file(object(entry("w", shape: "[1]", offsets: "[0,4]"), entry("w", shape: "[1]", offsets: "[4,8]")), buffer: 8),
     .duplicateName("w")),
    ("escaped duplicate",
     file(object(entry("ab", shape: "[1]", offsets: "[0,4]"), entry("a\\u0062", shape: "[1]", offsets: "[4,8]")), buffer: 8),
     .duplicateName("ab")),
    ("metadata value", file(#"{"__metadata__":{"epoch":3}}"#), .invalidMetadata(reason: "the value of \"epoch\" is not a string")),
    ("metadata list", file(#"{"__metadata__":["a"]}"#), .invalidMetadata(reason: "it is not an object")),
    ("entry not object", file(#"{"w":[1,2]}"#), .entryNotObject(tensor: "w")),
    ("missing dtype", file(#"{"w":{"shape":[1],"data_offsets":[0,4]}}"#, buffer: 4), .missingField(tensor: "w", field: "dtype")),
    ("missing shape", file(#"{"w":{"dtype":"F32","data_offsets":[0,4]}}"#, buffer: 4), .missingField(tensor: "w", field: "shape")),
    ("missing offsets", file(#"{"w":{"dtype":"F32","shape":[1]}}"#, buffer: 4), .missingField(tensor: "w", field: "data_offsets")),
    ("dtype not a string", file(#"{"w":{"dtype":32,"shape":[1],"data_offsets":[0,4]}}"#, buffer: 4),
     .invalidField(tensor: "w", field: "dtype", expected: "a string such as \"F32\"")),
    ("unsupported dtype", file(object(entry("w", dtype: "F16", shape: "[2]", offsets: "[0,4]")), buffer: 4),
     .unsupportedDType(tensor: "w", dtype: "F16")),
    ("negative dimension", file(object(entry("w", shape: "[-1]", offsets: "[0,4]")), buffer: 4),
     .invalidField(tensor: "w", field: "shape", expected: "a list of non-negative integers")),
    ("fractional dimension", file(object(entry("w", shape: "[1.5]", offsets: "[0,4]")), buffer: 4),
     .invalidField(tensor: "w", field: "shape", expected: "a list of non-negative integers")),
    ("boolean dimension", file(object(entry("w", shape: "[true]", offsets: "[0,4]")), buffer: 4),
     .invalidField(tensor: "w", field: "shape", expected: "a list of non-negative integers")),
    ("shape not a list", file(object(entry("w", shape: "\"2x2\"", offsets: "[0,16]")), buffer: 16),
     .invalidField(tensor: "w", field: "shape", expected: "a list of non-negative integers")),
    ("overflowing shape", file(object(entry("w", shape: "[4611686018427387904,4]", offsets: "[0,4]")), buffer: 4),
     .invalidField(
       tensor: "w", field: "shape", expected: "a shape whose byte size fits in memory, got [4611686018427387904, 4]")),
    ("one offset", file(object(entry("w", shape: "[1]", offsets: "[4]")), buffer: 4),
     .invalidField(tensor: "w", field: "data_offsets", expected: "two non-negative integers [begin, end]")),
    ("offsets past buffer", file(object(entry("w", shape: "[25]", offsets: "[0,100]")), buffer: 8),
     .offsetsOutOfRange(tensor: "w", begin: 0, end: 100, bufferSize: 8)),
    ("offsets backwards", file(object(entry("w", shape: "[1]", offsets: "[8,4]")), buffer: 8),
     .offsetsOutOfRange(tensor: "w", begin: 8, end: 4, bufferSize: 8)),
    ("size mismatch", file(object(entry("w", shape: "[3]", offsets: "[0,8]")), buffer: 8),
     .sizeMismatch(tensor: "w", shape: [3], expectedBytes: 12, actualBytes: 8)),
    ("overlap",
     file(object(entry("a", shape: "[2]", offsets: "[0,8]"), entry("b", shape: "[2]", offsets: "[4,12]")), buffer: 12),
     .overlappingOffsets(first: "a", second: "b")),
    ("gap",
     file(object(entry("a", shape: "[1]", offsets: "[0,4]"), entry("b", shape: "[1]", offsets: "[8,12]")), buffer: 12),
     .uncoveredBytes(begin: 4, end: 8)),
    ("trailing bytes", file(object(entry("a", shape: "[1]", offsets: "[0,4]")), buffer: 12),
     .uncoveredBytes(begin: 4, end: 12)),
  ]

  @Test(arguments: malformed)
  func malformedFileThrows(_ what: String, bytes: [UInt8], expected: SafeTensorsError) {
    #expect(throws: expected, "\(what)") { try SafeTensorsFile(bytes: bytes) }
  }

  @Test(arguments: ["{not json", "[1, 2]", "\"text\"", "{\"a\":1", ""])
  func headerThatIsNotAJSONObject(_ json: String) {
    let error = #expect(throws: SafeTensorsError.self) { try SafeTensorsFile(bytes: Self.file(json)) }
    guard case .badHeaderJSON = error else {
      Issue.record("expected badHeaderJSON for \(json), got \(String(describing: error))")
      return
    }
  }

  @Test func nullMetadataAndPaddedHeaderAreAccepted() throws {
    let header = Self.object(#""__metadata__":null"#, Self.entry("w", shape: "[1]", offsets: "[0,4]")) + "     "
    let file = try SafeTensorsFile(bytes: Self.file(header, buffer: 4))
    #expect(file.metadata.isEmpty && file.names == ["w"] && file["w"]?.data == [0])
  }

  @Test func messagesSayWhatToDo() {
    let dtype = SafeTensorsError.unsupportedDType(tensor: "w", dtype: "BF16")
    #expect(dtype.description.contains("dtype BF16; only F32 is supported"))
    let inFile = SafeTensorsError.inFile(path: "/x/m.safetensors", .duplicateName("w"))
    #expect(
      inFile.description == "/x/m.safetensors: safetensors: tensor \"w\" appears twice in the header; names must be unique")
  }

  @Test func malformedFileOnDiskNamesThePath() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("ferlab-bad-\(getpid()).safetensors")
    try Data([1, 2, 3]).write(to: url)
    defer { try? FileManager.default.removeItem(at: url) }
    #expect(throws: SafeTensorsError.inFile(path: url.path, .fileTooShort(byteCount: 3))) {
      try SafeTensorsFile.read(from: url)
    }
  }

  @Test func damagedCopiesOfTheReferenceNeverCrash() throws {
    let reference = try [UInt8](Data(contentsOf: Self.referenceURL))
    // Every truncation throws (the tensors must tile the whole buffer).
    for length in 0..<reference.count {
      #expect(throws: SafeTensorsError.self) { try SafeTensorsFile(bytes: Array(reference.prefix(length))) }
    }
    // Random byte changes in the length field and header either parse or throw.
    var rng = SeededRNG(seed: 103)
    let headerEnd = 8 + Int(reference[0]) + Int(reference[1]) << 8
    for _ in 0..<400 {
      var damaged = reference
      for _ in 0..<(1 + rng.nextInt(below: 3)) {
        damaged[rng.nextInt(below: headerEnd)] = UInt8(rng.nextInt(below: 256))
      }
      _ = try? SafeTensorsFile(bytes: damaged)
    }
  }
}
