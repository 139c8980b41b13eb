import FERExperiments

// An event in JSON is its payload's fields plus `"type"`, the case's name:
// {"type":"epoch","run":1,"record":{…}}.

extension WorkspaceEvent: Codable {
  private enum TypeKey: String, CodingKey { case type }

  /// The case's name, the value of `"type"`.
  public var type: String {
    switch self {
    case .videosFound: "videosFound"
    case .videosPrepared: "videosPrepared"
    case .datasetLoaded: "datasetLoaded"
    case .motionStarted: "motionStarted"
    case .motionComputed: "motionComputed"
    case .foldsDealt: "foldsDealt"
    case .settingsChanged: "settingsChanged"
    case .runStarted: "runStarted"
    case .runOpened: "runOpened"
    case .epoch: "epoch"
    case .paused: "paused"
    case .resumed: "resumed"
    case .stopped: "stopped"
    case .evaluated: "evaluated"
    case .runFinished: "runFinished"
    case .saved: "saved"
    case .predicted: "predicted"
    case .clipShown: "clipShown"
    case .gridStarted: "gridStarted"
    case .cellStarted: "cellStarted"
    case .cellFinished: "cellFinished"
    case .gridFinished: "gridFinished"
    case .gridWatched: "gridWatched"
    case .flowMeasured: "flowMeasured"
    case .compared: "compared"
    case .exported: "exported"
    case .scriptQueued: "scriptQueued"
    case .helpShown: "helpShown"
    case .noted: "noted"
    case .controlled: "controlled"
    }
  }

  public init(from decoder: any Decoder) throws {
    let type = try decoder.container(keyedBy: TypeKey.self).decode(String.self, forKey: .type)
    switch type {
    case "videosFound": self = .videosFound(try VideosFound(from: decoder))
    case "videosPrepared": self = .videosPrepared(try VideosPrepared(from: decoder))
    case "datasetLoaded": self = .datasetLoaded(try DatasetEvent(from: decoder))
    case "motionStarted": self = .motionStarted(try MotionStarted(from: decoder))
    case "motionComputed": self = .motionComputed(try DatasetEvent(from: decoder))
    case "foldsDealt": self = .foldsDealt(try DatasetEvent(from: decoder))
    case "settingsChanged": self = .settingsChanged(try SettingsChanged(from: decoder))
    case "runStarted": self = .runStarted(try RunStarted(from: decoder))
    case "runOpened": self = .runOpened(try RunOpened(from: decoder))
    case "epoch": self = .epoch(try EpochEvent(from: decoder))
    case "paused": self = .paused(try Interruption(from: decoder))
    case "resumed": self = .resumed(try Interruption(from: decoder))
    case "stopped": self = .stopped(try Interruption(from: decoder))
    case "evaluated": self = .evaluated(try Evaluated(from: decoder))
    case "runFinished": self = .runFinished(try RunFinished(from: decoder))
    case "saved": self = .saved(try Saved(from: decoder))
    case "predicted": self = .predicted(try Predicted(from: decoder))
    case "clipShown": self = .clipShown(try ClipPicture(from: decoder))
    case "gridStarted": self = .gridStarted(try GridStarted(from: decoder))
    case "cellStarted": self = .cellStarted(try CellStarted(from: decoder))
    case "cellFinished": self = .cellFinished(try CellFinished(from: decoder))
    case "gridFinished": self = .gridFinished(try GridFinished(from: decoder))
    case "gridWatched": self = .gridWatched(try GridWatched(from: decoder))
    case "flowMeasured": self = .flowMeasured(try FlowMeasured(from: decoder))
    case "compared": self = .compared(try Compared(from: decoder))
    case "exported": self = .exported(try Exported(from: decoder))
    case "scriptQueued": self = .scriptQueued(try ScriptQueued(from: decoder))
    case "helpShown": self = .helpShown(try HelpShown(from: decoder))
    case "noted": self = .noted(try Noted(from: decoder))
    case "controlled": self = .controlled(try Controlled(from: decoder))
    default:
      throw DecodingError.dataCorruptedError(
        forKey: TypeKey.type, in: try decoder.container(keyedBy: TypeKey.self),
        debugDescription: "unknown event type \"\(type)\"")
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: TypeKey.self)
    try container.encode(type, forKey: .type)
    switch self {
    case .videosFound(let p): try p.encode(to: encoder)
    case .videosPrepared(let p): try p.encode(to: encoder)
    case .datasetLoaded(let p), .motionComputed(let p), .foldsDealt(let p): try p.encode(to: encoder)
    case .motionStarted(let p): try p.encode(to: encoder)
    case .settingsChanged(let p): try p.encode(to: encoder)
    case .runStarted(let p): try p.encode(to: encoder)
    case .runOpened(let p): try p.encode(to: encoder)
    case .epoch(let p): try p.encode(to: encoder)
    case .paused(let p), .resumed(let p), .stopped(let p): try p.encode(to: encoder)
    case .evaluated(let p): try p.encode(to: encoder)
    case .runFinished(let p): try p.encode(to: encoder)
    case .saved(let p): try p.encode(to: encoder)
    case .predicted(let p): try p.encode(to: encoder)
    case .clipShown(let p): try p.encode(to: encoder)
    case .gridStarted(let p): try p.encode(to: encoder)
    case .cellStarted(let p): try p.encode(to: encoder)
    case .cellFinished(let p): try p.encode(to: encoder)
    case .gridFinished(let p): try p.encode(to: encoder)
    case .gridWatched(let p): try p.encode(to: encoder)
    case .flowMeasured(let p): try p.encode(to: encoder)
    case .compared(let p): try p.encode(to: encoder)
    case .exported(let p): try p.encode(to: encoder)
    case .scriptQueued(let p): try p.encode(to: encoder)
    case .helpShown(let p): try p.encode(to: encoder)
    case .noted(let p): try p.encode(to: encoder)
    case .controlled(let p): try p.encode(to: encoder)
    }
  }
}
