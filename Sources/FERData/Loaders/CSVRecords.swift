// A small RFC 4180 reader for manifests: comma-separated fields, fields in
// double quotes may hold commas, line breaks and doubled quotes (""), records
// end at LF, CRLF or CR. Unquoted fields are trimmed of spaces and tabs.
// Each record remembers the line it starts on, for error messages.

/// One CSV record: its fields and the 1-based line it starts on.
struct CSVRecord: Equatable {
  var line: Int
  var fields: [String]
  /// The record ended inside an unclosed quoted field.
  var unterminated = false
}

/// Splits CSV text into records; blank lines are dropped.
func csvRecords(_ text: String) -> [CSVRecord] {
  var records: [CSVRecord] = []
  var fields: [String] = []
  var field = ""
  var quoted = false  // inside a quoted field
  var fieldWasQuoted = false
  var recordHasQuotes = false
  var line = 1
  var recordLine = 1
  var scalars = text.unicodeScalars.makeIterator()
  var pending: Unicode.Scalar? = nil  // one scalar of look-ahead, pushed back

  func endField() {
    fields.append(fieldWasQuoted ? field : field.trimmingSpaces())
    field = ""
    fieldWasQuoted = false
  }
  func endRecord() {
    endField()
    let blank = fields.count == 1 && fields[0].isEmpty && !recordHasQuotes
    if !blank { records.append(CSVRecord(line: recordLine, fields: fields)) }
    fields = []
    recordHasQuotes = false
  }

  while let c = pending ?? scalars.next() {
    pending = nil
    if quoted {
      switch c {
      case "\"":
        let next = scalars.next()
        if next == "\"" {
          field.unicodeScalars.append(c)
        } else {
          quoted = false
          pending = next
        }
      case "\r":
        field.unicodeScalars.append(c)
        line += 1
        let next = scalars.next()
        if next == "\n" { field.unicodeScalars.append("\n") } else { pending = next }
      case "\n":
        field.unicodeScalars.append(c)
        line += 1
      default:
        field.unicodeScalars.append(c)
      }
      continue
    }
    switch c {
    case "\"" where field.trimmingSpaces().isEmpty:
      field = ""
      quoted = true
      fieldWasQuoted = true
      recordHasQuotes = true
    case ",":
      endField()
    case "\r", "\n":
      if c == "\r" {
        let next = scalars.next()
        if next != "\n" { pending = next }
      }
      endRecord()
      line += 1
      recordLine = line
    default:
      // Spaces between a closing quote and the comma are dropped.
      if fieldWasQuoted && (c == " " || c == "\t") { continue }
      field.unicodeScalars.append(c)
    }
  }
  if quoted {
    fields.append(field)
    records.append(CSVRecord(line: recordLine, fields: fields, unterminated: true))
  } else if !field.isEmpty || !fields.isEmpty || recordHasQuotes {
    endRecord()
  }
  return records
}

extension String {
  fileprivate func trimmingSpaces() -> String {
    let scalars = unicodeScalars
    guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }),
      let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" })
    else { return "" }
    return String(scalars[first...last])
  }
}
