import Foundation

// The three ways a dataset of videos can be laid out on disk, by name, so the
// command line and the workspace can say `--layout enterface` and reach the
// right loader. Loaders only find and label files; `VideoDatasetPreparer`
// turns what they find into a dataset.

/// A loader, by the name the command line uses.
public enum DatasetLayout: String, CaseIterable, Codable, Sendable {
  /// `subject N/<emotion>/…/clip.avi` (EnterfaceLoader).
  case enterface
  /// `<label>/<subject>__<clip>.<ext>` (FolderLoader).
  case folder
  /// A CSV of `path,label,subject` rows; the root is the manifest file (ManifestLoader).
  case manifest

  /// Finds and labels the clips under `root` (the manifest file for `.manifest`).
  public func discover(_ root: URL) throws(LoaderError) -> Discovery {
    switch self {
    case .enterface: try EnterfaceLoader.discover(root: root)
    case .folder: try FolderLoader.discover(root: root)
    case .manifest: try ManifestLoader.discover(manifest: root)
    }
  }

  /// The dataset's display name: "eNTERFACE'05" for that layout, else the folder or manifest name.
  public func datasetName(root: URL) -> String {
    self == .enterface ? "eNTERFACE'05" : root.deletingPathExtension().lastPathComponent
  }
}
