import FERCore

// The face's state at one instant, as a few muscle-like controls (all zero at
// rest, roughly in [-1, 1]), and the apex pose of each class.
//
// Two pairs of classes deliberately share one apex pose — anger/disgust and
// surprise/fear — and differ only in how the pose unfolds over time (see
// ExpressionDynamics.swift), so a model that looks at single frames cannot
// tell the members of a pair apart.

/// Facial controls at one frame. Zero is the neutral face.
struct ExpressionPose: Sendable, Equatable {
  // Brow group
  var browRaise: Float = 0  // + lifts both brows, − lowers them
  var browInner: Float = 0  // + lifts the inner ends (sad/fearful), − pulls them down and together (anger)
  var browFurrow: Float = 0  // vertical lines between the brows, 0…1
  var foreheadLines: Float = 0  // horizontal forehead wrinkles, 0…1
  // Eye group
  var eyeOpen: Float = 0  // + widens, − narrows the eyes
  // Mouth group
  var mouthOpen: Float = 0  // jaw drop, 0…1
  var mouthSmile: Float = 0  // + lifts the mouth corners, − pulls them down
  var mouthWidth: Float = 0  // + stretches the mouth, − presses it narrow
  var lipRaise: Float = 0  // upper lip raised, 0…1
  var noseWrinkle: Float = 0  // lines across the nose bridge, 0…1
  var nasolabial: Float = 0  // nose-to-mouth folds, 0…1

  /// The pose whose brow, eye and mouth controls are this pose's scaled by the three weights.
  func weighted(brows: Float, eyes: Float, mouth: Float) -> ExpressionPose {
    ExpressionPose(
      browRaise: browRaise * brows, browInner: browInner * brows, browFurrow: browFurrow * brows,
      foreheadLines: foreheadLines * brows, eyeOpen: eyeOpen * eyes, mouthOpen: mouthOpen * mouth,
      mouthSmile: mouthSmile * mouth, mouthWidth: mouthWidth * mouth, lipRaise: lipRaise * mouth,
      noseWrinkle: noseWrinkle * mouth, nasolabial: nasolabial * mouth)
  }

  /// Every control multiplied by its own factor drawn around 1 (clip-to-clip variation of the apex).
  func jittered(spread: Float, rng: inout SeededRNG) -> ExpressionPose {
    func vary(_ x: Float) -> Float { x * (1 + spread * rng.nextNormal()) }
    return ExpressionPose(
      browRaise: vary(browRaise), browInner: vary(browInner), browFurrow: vary(browFurrow),
      foreheadLines: vary(foreheadLines), eyeOpen: vary(eyeOpen), mouthOpen: vary(mouthOpen),
      mouthSmile: vary(mouthSmile), mouthWidth: vary(mouthWidth), lipRaise: vary(lipRaise),
      noseWrinkle: vary(noseWrinkle), nasolabial: vary(nasolabial))
  }

  /// The apex of each class. Anger and disgust share one (lowered, knitted
  /// brows, narrowed eyes, pressed mouth with raised upper lip, nose wrinkles);
  /// surprise and fear share one (raised brows, wide eyes, dropped jaw,
  /// forehead lines).
  static func apex(_ emotion: Emotion) -> ExpressionPose {
    switch emotion {
    case .anger, .disgust:
      ExpressionPose(
        browRaise: -0.7, browInner: -0.9, browFurrow: 1, eyeOpen: -0.45, mouthSmile: -0.3, mouthWidth: -0.35,
        lipRaise: 0.6, noseWrinkle: 1, nasolabial: 0.5)
    case .surprise, .fear:
      ExpressionPose(browRaise: 1, browInner: 0.25, foreheadLines: 1, eyeOpen: 0.8, mouthOpen: 0.85, mouthWidth: -0.1)
    case .happiness:
      ExpressionPose(
        browRaise: 0.1, eyeOpen: -0.35, mouthOpen: 0.3, mouthSmile: 1, mouthWidth: 0.55, nasolabial: 1)
    case .sadness:
      ExpressionPose(browRaise: -0.15, browInner: 1, eyeOpen: -0.4, mouthSmile: -0.9, mouthWidth: -0.1)
    }
  }
}
