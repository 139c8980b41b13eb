// Everything that can be wrong with a safetensors file, each with a message
// that says what was found and what was expected. Reading never traps on a
// malformed file: every check below runs before a byte of tensor data is used.

/// Why a safetensors file could not be read or written.
public enum SafeTensorsError: Error, Equatable, CustomStringConvertible {
  /// Fewer than the 8 bytes of the header length.
  case fileTooShort(byteCount: Int)
  /// The header length field points past the end of the file.
  case headerBeyondFile(headerLength: UInt64, fileSize: Int)
  /// The header is not a JSON object (the reason from the JSON parser).
  case badHeaderJSON(reason: String)
  /// The same tensor name appears twice in the header.
  case duplicateName(String)
  /// `__metadata__` is not an object of string values.
  case invalidMetadata(reason: String)
  /// A tensor's entry is not a JSON object.
  case entryNotObject(tensor: String)
  /// A tensor's entry lacks `dtype`, `shape` or `data_offsets`.
  case missingField(tensor: String, field: String)
  /// A field is present but of the wrong form; `expected` says what it should be.
  case invalidField(tensor: String, field: String, expected: String)
  /// A dtype other than F32.
  case unsupportedDType(tensor: String, dtype: String)
  /// data_offsets reach past the data buffer or run backwards.
  case offsetsOutOfRange(tensor: String, begin: Int, end: Int, bufferSize: Int)
  /// data_offsets span a different number of bytes than shape × 4.
  case sizeMismatch(tensor: String, shape: [Int], expectedBytes: Int, actualBytes: Int)
  /// Two tensors claim some of the same bytes.
  case overlappingOffsets(first: String, second: String)
  /// Bytes of the data buffer that no tensor covers (safetensors tensors tile the buffer).
  case uncoveredBytes(begin: Int, end: Int)
  /// The file could not be opened or read; `reason` reads after the path ("cannot be read (no such file)").
  case unreadable(path: String, reason: String)
  /// The file could not be written or moved into place.
  case unwritable(path: String, reason: String)
  /// A problem found in a named file.
  indirect case inFile(path: String, SafeTensorsError)

  public var description: String {
    switch self {
    case .fileTooShort(let count):
      return "safetensors: file has \(count) bytes, too short for the 8-byte header length; is it a safetensors file?"
    case .headerBeyondFile(let length, let size):
      return "safetensors: header length \(length) reaches past the end of the \(size)-byte file; "
        + "the file is truncated or not safetensors"
    case .badHeaderJSON(let reason):
      return "safetensors: the header is not a JSON object (\(reason))"
    case .duplicateName(let name):
      return "safetensors: tensor \"\(name)\" appears twice in the header; names must be unique"
    case .invalidMetadata(let reason):
      return "safetensors: __metadata__ must be an object of string values (\(reason))"
    case .entryNotObject(let tensor):
      return "safetensors: the entry of tensor \"\(tensor)\" is not an object with dtype, shape and data_offsets"
    case .missingField(let tensor, let field):
      return "safetensors: tensor \"\(tensor)\" has no \"\(field)\" field"
    case .invalidField(let tensor, let field, let expected):
      return "safetensors: tensor \"\(tensor)\" has an invalid \"\(field)\"; expected \(expected)"
    case .unsupportedDType(let tensor, let dtype):
      return "safetensors: tensor \"\(tensor)\" has dtype \(dtype); only F32 is supported (convert the file to float32)"
    case .offsetsOutOfRange(let tensor, let begin, let end, let size):
      return "safetensors: tensor \"\(tensor)\" has data_offsets [\(begin), \(end)] outside the \(size)-byte data buffer"
    case .sizeMismatch(let tensor, let shape, let expected, let actual):
      return "safetensors: tensor \"\(tensor)\" of shape \(shape) needs \(expected) bytes of F32, its data_offsets span \(actual)"
    case .overlappingOffsets(let first, let second):
      return "safetensors: tensors \"\(first)\" and \"\(second)\" overlap in the data buffer"
    case .uncoveredBytes(let begin, let end):
      return "safetensors: bytes \(begin)..<\(end) of the data buffer belong to no tensor; tensors must tile the buffer"
    case .unreadable(let path, let reason):
      return "\(path): \(reason); check the path of the safetensors file"
    case .unwritable(let path, let reason):
      return "safetensors: cannot write \(path): \(reason)"
    case .inFile(let path, let error):
      return "\(path): \(error)"
    }
  }
}
