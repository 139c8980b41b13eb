import Foundation

// Finds the clips of an eNTERFACE'05 copy. The published layout is
//
//   root/subject N/<emotion>/sentence K/sN_<code>_K.avi
//
// but real copies are messy: subject 6 has no sentence folders, some subjects
// have an extra folder level, folder names vary in case and spacing, some use
// the two-letter codes (an, di, fe, ha, sa, su), and file names do not always
// agree with their folders. So the subject and class are read from the folder
// names only — never from the file name:
//
// - subject: a folder named "subject N" (also "Subject_N", "subj N", "sub N";
//   any spacing, case, leading zeros); id "N". Folders naming two different
//   subjects on one path: skipped.
// - class: any folder on the path that reads as an emotion (see
//   `Emotion(label:)`); none: skipped as unknown (naming the folder under the
//   subject folder) or as having no emotion folder; two different: skipped.
// - anything that is not a video file: skipped with its extension.
//
// Sentence folders and other levels are allowed but not required. Clip ids are
// the paths relative to the root.

/// Scans an eNTERFACE'05-style folder tree.
public enum EnterfaceLoader {
  public static func discover(root: URL) throws(LoaderError) -> Discovery {
    try discoverFiles(under: root, labelledBy: label)
  }

  /// Subject id and class of a file from its path components relative to the root.
  static func label(_ components: [String]) -> Result<(String, Emotion), SkipReason> {
    guard let file = components.last else { return .failure(.noSubjectFolder) }
    guard isVideo(file) else { return .failure(.notAVideo(fileExtension: fileExtension(file))) }
    let folders = components.dropLast()
    let subjectFolders = folders.indices.filter { subjectNumber(folders[$0]) != nil }
    let numbers = Set(subjectFolders.compactMap { subjectNumber(folders[$0]) }).sorted()
    guard let subject = numbers.first, let lastSubjectFolder = subjectFolders.last else {
      return .failure(.noSubjectFolder)
    }
    guard numbers.count == 1 else { return .failure(.conflictingSubjects(numbers.map(String.init))) }
    let emotions = Set(folders.compactMap { Emotion(label: $0) }).sorted()
    guard let emotion = emotions.first else {
      let underSubject = folders.index(after: lastSubjectFolder)
      return .failure(underSubject < folders.endIndex ? .unknownEmotion(folders[underSubject]) : .noEmotionFolder)
    }
    guard emotions.count == 1 else { return .failure(.conflictingEmotions(emotions)) }
    return .success((String(subject), emotion))
  }

  /// N of a folder named "subject N" in any of the tolerated spellings; nil otherwise.
  static func subjectNumber(_ folder: String) -> Int? {
    var rest = Substring(folder.lowercased().trimmingCharacters(in: .whitespaces))
    guard let prefix = ["subject", "subj", "sub"].first(where: { rest.hasPrefix($0) }) else { return nil }
    rest = rest.dropFirst(prefix.count).drop { " _-.".contains($0) }
    guard !rest.isEmpty, rest.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
    return Int(rest)
  }
}
