// The forms sbatch accepts for the grid's --time, --mem and --partition. They are
// checked where they enter, because each becomes an `#SBATCH` line of the job
// scripts: a malformed value would otherwise surface only as Slurm's refusal at
// submission, and one holding a line break would add lines to the script.

enum SlurmResourceValues {
  /// sbatch --time: M, M:S, H:M:S, D-H, D-H:M or D-H:M:S in whole numbers, or UNLIMITED / INFINITE.
  static func isTime(_ value: String) -> Bool {
    if ["unlimited", "infinite"].contains(value.lowercased()) { return true }
    let dayAndClock = value.split(separator: "-", omittingEmptySubsequences: false)
    guard dayAndClock.count <= 2, let clock = dayAndClock.last?.split(separator: ":", omittingEmptySubsequences: false),
      clock.count <= 3
    else { return false }
    return (dayAndClock.dropLast() + clock).allSatisfy(isWholeNumber)
  }

  /// sbatch --mem: a whole number of megabytes, or with a unit K, M, G or T, which may end in B.
  static func isMemory(_ value: String) -> Bool {
    var number = Substring(value)
    if number.last == "B" || number.last == "b", let unit = number.dropLast().last, "KMGTkmgt".contains(unit) {
      number = number.dropLast(2)
    } else if let unit = number.last, "KMGTkmgt".contains(unit) {
      number = number.dropLast()
    }
    return isWholeNumber(number)
  }

  /// sbatch --partition: one name or several separated by commas (letters, digits, - _ .).
  static func isPartition(_ value: String) -> Bool {
    value.split(separator: ",", omittingEmptySubsequences: false).allSatisfy { name in
      !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
    }
  }

  private static func isWholeNumber(_ text: Substring) -> Bool {
    !text.isEmpty && text.allSatisfy { $0.isASCII && $0.isNumber }
  }
}
