import FERCore

// How an expression unfolds over a clip: onset → apex → offset, per feature
// group (brows, eyes, mouth), with per-clip random timing.
//
// Temporal order carries class information. Two pairs of classes share their
// apex pose (ExpressionPose.apex) and differ only in dynamics:
//
//   surprise  — a burst: the brows, then the eyes, then the mouth snap to the
//               apex within a frame or two, hold, then relax slowly.
//   fear      — surprise played backwards: the mouth, then the eyes, then the
//               brows creep up slowly, hold, then drop back in a frame or two.
//   anger     — a burst (brows, then mouth, then eyes), slow release.
//   disgust   — anger played backwards.
//
// Each reversed class draws its timing exactly as its partner does and then
// reverses the track (pose at frame t = partner's pose at frame T−1−t). Head
// motion, light drift, blinks and noise are drawn the same way for every class
// and are time-reversible in distribution (Nuisance.swift), so a fear clip is
// distributed exactly as a surprise clip played backwards. A model that sees
// frames one at a time, or pools them without order, is at chance within each
// pair and tops out at 4/6 of the clips; a model of the sequence can tell
// them apart.
//
// Happiness and sadness have distinct apexes and a gentle, roughly symmetric
// rise and fall with small random lags between the groups.
//
// Timing is drawn in units of the clip length (u = t / (T−1) ∈ [0, 1]) so the
// same spec of dynamics works at T = 8 and T = 16; every expression starts
// after the first frame and ends by the last, so clips begin and end neutral.

/// One expression, pose by pose: T poses for a clip of T frames.
struct ExpressionTrack: Sendable, Equatable {
  var poses: [ExpressionPose]

  /// The same track backwards in time.
  func reversed() -> ExpressionTrack { ExpressionTrack(poses: poses.reversed()) }

  /// This track followed by the neutral face up to `frames` poses (the stretch after an expression span below 1).
  func padded(to frames: Int) -> ExpressionTrack {
    ExpressionTrack(poses: poses + Array(repeating: ExpressionPose(), count: max(0, frames - poses.count)))
  }

  /// Draws a track for a class: apex pose with per-clip variation, intensity and timing.
  static func draw(_ emotion: Emotion, frames: Int, rng: inout SeededRNG) -> ExpressionTrack {
    let apex = ExpressionPose.apex(emotion).jittered(spread: 0.12, rng: &rng)
    let intensity = rng.nextUniform(0.75, 1.1)
    let timing = GroupTiming.draw(ExpressionDynamics.profile(emotion), rng: &rng)
    var poses: [ExpressionPose] = []
    for t in 0..<frames {
      let u = Float(t) / Float(frames - 1)
      let w = timing.weights(at: u)
      poses.append(apex.weighted(brows: w.brows * intensity, eyes: w.eyes * intensity, mouth: w.mouth * intensity))
    }
    let track = ExpressionTrack(poses: poses)
    return ExpressionDynamics.isReversed(emotion) ? track.reversed() : track
  }
}

/// The dynamics of each class.
enum ExpressionDynamics {
  enum Profile: Equatable {
    /// Fast attack, hold, slow release; the groups move in the given order.
    case burst(order: [FeatureGroup])
    /// Moderate, comparable attack and release; random group order.
    case gentle
  }

  enum FeatureGroup: CaseIterable { case brows, eyes, mouth }

  /// The classes drawn as their partner's time reversal, and the partner they reverse.
  static let reversalPartner: [Emotion: Emotion] = [.fear: .surprise, .disgust: .anger]

  static func isReversed(_ emotion: Emotion) -> Bool { reversalPartner[emotion] != nil }

  /// The forward profile a class draws its timing from (a reversed class uses its partner's).
  static func profile(_ emotion: Emotion) -> Profile {
    switch reversalPartner[emotion] ?? emotion {
    case .surprise: .burst(order: [.brows, .eyes, .mouth])
    case .anger: .burst(order: [.brows, .mouth, .eyes])
    default: .gentle
    }
  }
}

/// Onset start, attack, hold and release of each feature group, in clip-length units.
struct GroupTiming: Equatable {
  var start: [Float]  // per group (brows, eyes, mouth)
  var attack: Float
  var hold: Float
  var release: Float

  static func draw(_ profile: ExpressionDynamics.Profile, rng: inout SeededRNG) -> GroupTiming {
    let attack: Float
    let hold: Float
    let release: Float
    let lag: Float
    let order: [ExpressionDynamics.FeatureGroup]
    switch profile {
    case .burst(let groups):
      attack = rng.nextUniform(0.06, 0.12)
      hold = rng.nextUniform(0.08, 0.2)
      release = rng.nextUniform(0.25, 0.4)
      lag = rng.nextUniform(0.03, 0.07)
      order = groups
    case .gentle:
      attack = rng.nextUniform(0.15, 0.28)
      hold = rng.nextUniform(0.1, 0.25)
      release = rng.nextUniform(0.15, 0.28)
      lag = rng.nextUniform(0, 0.04)
      var groups = ExpressionDynamics.FeatureGroup.allCases
      for i in stride(from: groups.count - 1, to: 0, by: -1) { groups.swapAt(i, rng.nextInt(below: i + 1)) }
      order = groups
    }
    // The whole expression (last group's start + attack + hold + release) fits in [0.03, 0.99].
    let span = 2 * lag + attack + hold + release
    let first = rng.nextUniform(0.03, max(0.03, 0.99 - span) + 1e-6)
    var start = [Float](repeating: 0, count: 3)
    for (rank, group) in order.enumerated() {
      start[ExpressionDynamics.FeatureGroup.allCases.firstIndex(of: group) ?? 0] = first + Float(rank) * lag
    }
    return GroupTiming(start: start, attack: attack, hold: hold, release: release)
  }

  /// Weights in [0, 1] of the brow, eye and mouth groups at time u.
  func weights(at u: Float) -> (brows: Float, eyes: Float, mouth: Float) {
    (envelope(u - start[0]), envelope(u - start[1]), envelope(u - start[2]))
  }

  /// 0 before onset, smooth rise over `attack`, 1 over `hold`, smooth fall over `release`.
  private func envelope(_ v: Float) -> Float {
    if v <= 0 { return 0 }
    if v < attack { return smoothstep(v / attack) }
    if v < attack + hold { return 1 }
    let fall = (v - attack - hold) / release
    return fall < 1 ? 1 - smoothstep(fall) : 0
  }

  private func smoothstep(_ x: Float) -> Float { x * x * (3 - 2 * x) }
}
