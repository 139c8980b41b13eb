// Checks a decoded value makes while it is read from a file (a session, a grid
// folder): a field outside what the type can hold fails the decode with a
// sentence naming its limit, so no later arithmetic or indexing meets it.

extension KeyedDecodingContainer {
  /// Throws a data-corrupted error at `key` saying `limit` unless `ok`.
  public func require(_ ok: Bool, _ key: Key, _ limit: @autoclosure () -> String) throws {
    guard !ok else { return }
    throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: limit())
  }
}
