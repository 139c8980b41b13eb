import FERCore
import Foundation

// The on-disk cache of prepared clips: one safetensors file per clip,
//
//   <folder>/clips/<key: 16 hex digits>.safetensors
//     tensors  frames [T, 3, S, S], flow [T − 1, 2, S, S], rgb_dynamic [3, S, S], flow_dynamic [2, S, S]
//     metadata format, key, source path, settings JSON, fallback_frames, centre_crop,
//              decoded_frames, claimed_frames (the video's frame counts, for the report's warnings),
//              checksum (16 hex digits: FNV-1a 64 of the four tensors' shapes and values and of
//              the face-track and frame-count metadata)
//
// The key is FNV-1a 64 over the key format, the settings' canonical JSON and
// the source file's identity: its absolute path, byte size and modification
// time (nanoseconds). Identity rather than a hash of the content, because
// hashing would read every byte of every video on each load — for eNTERFACE
// (~1,300 clips, ~1 GB) seconds of disk reads before the first cached clip — while a
// re-exported or edited file gets a new size or modification time anyway.
// (A file rewritten with identical size and restored mtime would be missed;
// `ferlab prepare --no-cache` or deleting the folder rebuilds.)
//
// Safety against interrupted writes: `SafeTensorsFile.write` writes a
// temporary ".<name>.<pid>.partial" beside the target and renames it into
// place, so a file under its final name is always complete; leftover partial
// files are never read, and opening the cache deletes those whose writer
// process is gone (a live pid may be another process writing right now). A
// cache file that is truncated, unparsable, from another key or source, or
// with tensors of the wrong shape is rejected on
// read (the clip is prepared again and the file replaced), never trusted. So is
// one whose values changed while its shapes did not (a flipped bit on disk, an
// edit): the checksum of the values read must equal the one written. The check
// is one FNV pass over values already in memory (about 190,000 of them for
// T = 16, S = 48), far less than decoding the clip again.

/// Prepared clips on disk, keyed by source file identity and settings.
public struct PreparedClipCache: Sendable {
  /// The cache's root folder; clip files live in its `clips/` subfolder.
  public let folder: URL
  /// Written into every file; files of another format are rebuilt.
  static let format = "ferlab-prepared-clip/2"
  /// Part of the key. Unchanged since format 1, so a file of format 1 (no checksum) is found
  /// under its key, rejected and replaced in place instead of left behind under an old name.
  static let keyFormat = "ferlab-prepared-clip/1"

  /// A cache in `folder` (created if missing).
  public init(folder: URL) throws(PreprocessingSetupError) {
    self.folder = folder
    do {
      try FileManager.default.createDirectory(at: clipsFolder, withIntermediateDirectories: true)
    } catch {
      throw .cacheFolder(path: folder.path, reason: systemReason(error))
    }
    removeAbandonedPartialFiles()
  }

  /// Deletes ".<name>.<pid>.partial" files in `clips/` whose process no longer runs; returns how many.
  @discardableResult
  func removeAbandonedPartialFiles() -> Int {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: clipsFolder.path)) ?? []
    var removed = 0
    for name in names where name.hasPrefix(".") && name.hasSuffix(".partial") {
      let fields = name.dropLast(".partial".count).split(separator: ".")
      guard let pid = fields.last.flatMap({ Int32($0) }), pid > 0, kill(pid, 0) != 0, errno == ESRCH else { continue }
      if (try? FileManager.default.removeItem(at: clipsFolder.appendingPathComponent(name))) != nil { removed += 1 }
    }
    return removed
  }

  /// `$FERLAB_CACHE` when set, else `$XDG_CACHE_HOME/ferlab`, else `~/.cache/ferlab`.
  public static func defaultFolder(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
    if let explicit = environment["FERLAB_CACHE"], !explicit.isEmpty { return URL(fileURLWithPath: explicit) }
    if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
      return URL(fileURLWithPath: xdg).appendingPathComponent("ferlab")
    }
    return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/ferlab")
  }

  var clipsFolder: URL { folder.appendingPathComponent("clips") }

  /// The cache key of a file under `settings`; nil when the file cannot be stat'ed (it is then never cached).
  static func key(path: String, settings: PreprocessingSettings) -> UInt64? {
    guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
      let size = attributes[.size] as? NSNumber, let modified = attributes[.modificationDate] as? Date
    else { return nil }
    var hash = FNV1a64()
    hash.combine(keyFormat)
    hash.combine(settings.canonicalJSON)
    hash.combine(path)
    hash.combine(size.intValue)
    hash.combine(Int((modified.timeIntervalSince1970 * 1e9).rounded()))
    return hash.value
  }

  /// Where the clip of `key` is stored.
  public func fileURL(key: UInt64) -> URL { clipsFolder.appendingPathComponent(hexDigits(key) + ".safetensors") }

  /// The outcome of looking a clip up.
  enum Lookup {
    case hit(PreprocessedClip)
    case miss
    /// A file was there but failed a check; it names the file and why.
    case rejected(String)
  }

  /// The cached clip of `source` under `key`, checked against the source, the key and the settings' shapes.
  func lookup(_ source: ClipSource, key: UInt64, settings: PreprocessingSettings) -> Lookup {
    let url = fileURL(key: key)
    guard FileManager.default.fileExists(atPath: url.path) else { return .miss }
    let file: SafeTensorsFile
    do { file = try SafeTensorsFile.read(from: url) } catch { return .rejected(error.description) }
    func reject(_ why: String) -> Lookup { .rejected("\(url.path): \(why)") }
    let meta = file.metadata
    guard meta["format"] == Self.format else {
      return reject("written in cache format \(meta["format"] ?? "unknown"), not \(Self.format) (which carries a checksum)")
    }
    guard meta["key"] == hexDigits(key), meta["source"] == source.path, meta["settings"] == settings.canonicalJSON
    else { return reject("written for another source or settings") }
    guard let fallback = meta["fallback_frames"].flatMap(Int.init), fallback >= 0,
      let centre = meta["centre_crop"].flatMap(Bool.init),
      let decodedFrames = meta["decoded_frames"].flatMap(Int.init), decodedFrames >= 0,
      let claimedText = meta["claimed_frames"], claimedText.isEmpty || Int(claimedText) != nil,
      let checksum = meta["checksum"]
    else { return reject("face-track, frame-count or checksum metadata missing") }
    guard let frames = file["frames"], let flow = file["flow"], let rgbDynamic = file["rgb_dynamic"],
      let flowDynamic = file["flow_dynamic"]
    else { return reject("a tensor is missing") }
    let (t, s) = (settings.frameCount, settings.cropSize)
    guard frames.shape == [t, 3, s, s], flow.shape.first == t - 1 else {
      return reject("frames \(frames.shape) / flow \(flow.shape) do not match T = \(t), S = \(s)")
    }
    let clip: PreparedClip
    do {
      clip = try PreparedClip(source: source, frames: TensorValue(frames)).withMotion(
        ClipMotion(
          flow: TensorValue(flow), rgbDynamicImage: TensorValue(rgbDynamic),
          flowDynamicImage: TensorValue(flowDynamic)))
    } catch {
      return reject(error.description)
    }
    let prepared = PreprocessedClip(
      clip: clip, fallbackFrames: fallback, usedCentreCrop: centre,
      frameCounts: SourceFrameCounts(claimed: Int(claimedText), decoded: decodedFrames))
    let computed = Self.checksum(prepared)
    guard computed == checksum else {
      return reject("checksum mismatch (written \(checksum), values read give \(computed)): the values changed on disk")
    }
    return .hit(prepared)
  }

  /// The checksum of a prepared clip's values and of the facts stored beside them.
  static func checksum(_ prepared: PreprocessedClip) -> String {
    var hash = FNV1a64()
    hash.combine(prepared.clip.contentDigest())
    hash.combine(prepared.fallbackFrames)
    hash.combine(prepared.usedCentreCrop ? 1 : 0)
    hash.combine(prepared.frameCounts.decoded)
    hash.combine(prepared.frameCounts.claimed ?? -1)
    return hexDigits(hash.value)
  }

  /// Stores a prepared clip (atomically: temporary file, then rename). Returns why it failed, or nil.
  func store(_ prepared: PreprocessedClip, key: UInt64, settings: PreprocessingSettings) -> String? {
    guard let motion = prepared.clip.motion, let path = prepared.clip.source.path else {
      return "clip \(prepared.clip.source.id) has no motion or no file; not cached"
    }
    var file = SafeTensorsFile(metadata: [
      "format": Self.format, "key": hexDigits(key), "source": path, "settings": settings.canonicalJSON,
      "fallback_frames": String(prepared.fallbackFrames), "centre_crop": String(prepared.usedCentreCrop),
      "decoded_frames": String(prepared.frameCounts.decoded),
      "claimed_frames": prepared.frameCounts.claimed.map(String.init) ?? "",
      "checksum": Self.checksum(prepared),
    ])
    file["frames"] = prepared.clip.frames.tensor
    file["flow"] = motion.flow.tensor
    file["rgb_dynamic"] = motion.rgbDynamicImage.tensor
    file["flow_dynamic"] = motion.flowDynamicImage.tensor
    do {
      try file.write(to: fileURL(key: key))
      return nil
    } catch {
      return error.description
    }
  }
}
