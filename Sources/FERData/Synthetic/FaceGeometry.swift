// Where each facial feature sits in one frame: the identity's rest layout
// moved by the frame's expression pose and blink. Computed once per frame so
// the per-pixel code only measures distances. All values are in face
// coordinates (see FaceIdentity.swift).

/// The shapes of one frame's face, ready to rasterise.
struct FaceGeometry {
  struct Eye {
    var center: SIMD2<Float>
    var halfWidth: Float
    var halfHeight: Float  // after expression and blink; small but positive when shut
    var irisRadius: Float
  }

  struct Brow {
    var inner, middle, outer: SIMD2<Float>
    var thickness: Float
  }

  struct Mouth {
    var centerY: Float
    var halfWidth: Float
    var cornerLift: Float  // corners rise by this much (negative: droop)
    var openHalfHeight: Float  // jaw drop opening below the lip line
    var upperLipLift: Float  // extra opening above the lip line
    var lipThickness: Float
  }

  var faceInverseRadii: SIMD2<Float>  // 1 / half-axes of the face outline
  var hairInverseRadii: SIMD2<Float>  // 1 / half-axes of the hair behind the head
  var leftEye, rightEye: Eye  // on screen
  var leftBrow, rightBrow: Brow
  var mouth: Mouth
  var browLineY: Float  // rest height of the brows, for placing forehead lines and furrows
  var noseTipY: Float
  // Wrinkle strengths, 0…1
  var foreheadLines: Float
  var browFurrow: Float
  var noseWrinkle: Float
  var nasolabial: Float

  init(identity id: FaceIdentity, pose: ExpressionPose, blink: Float) {
    let browLineY = id.eyeY - id.browGap
    let faceRadii = SIMD2(id.faceHalfWidth, id.faceHalfHeight)
    faceInverseRadii = 1 / faceRadii
    hairInverseRadii = 1 / (faceRadii + 0.06)
    let openness = min(max(1 + 0.9 * pose.eyeOpen, 0.12), 1.9) * (1 - blink)
    func eye(_ side: Float) -> Eye {
      Eye(
        center: SIMD2(side * id.eyeSpacing, id.eyeY), halfWidth: id.eyeHalfWidth * (1 + 0.06 * pose.eyeOpen),
        halfHeight: max(id.eyeHalfHeight * openness, 0.006), irisRadius: min(0.042, 0.48 * id.eyeHalfWidth))
    }
    func brow(_ side: Float) -> Brow {
      // Raising lifts the whole brow; the inner control tilts it about its middle
      // (anger: inner ends down and drawn towards the nose).
      let lift = 0.085 * pose.browRaise
      let knit = max(0, -pose.browInner)
      let inner = SIMD2(
        side * (id.eyeSpacing - id.browHalfLength + 0.025 * knit), browLineY - lift - 0.075 * pose.browInner)
      let middle = SIMD2(
        side * (id.eyeSpacing + 0.1 * id.browHalfLength), browLineY - lift - 0.022 - 0.015 * pose.browInner)
      let outer = SIMD2(side * (id.eyeSpacing + id.browHalfLength), browLineY - lift + 0.012 + 0.03 * pose.browInner)
      return Brow(inner: inner, middle: middle, outer: outer, thickness: id.browThickness * 0.5)
    }
    self.leftEye = eye(-1)
    self.rightEye = eye(1)
    self.leftBrow = brow(-1)
    self.rightBrow = brow(1)
    self.mouth = Mouth(
      centerY: id.mouthY + 0.02 * pose.mouthOpen, halfWidth: id.mouthHalfWidth * (1 + 0.28 * pose.mouthWidth),
      cornerLift: 0.07 * pose.mouthSmile, openHalfHeight: 0.13 * max(0, pose.mouthOpen),
      upperLipLift: 0.035 * max(0, pose.lipRaise), lipThickness: id.lipThickness * (1 - 0.35 * max(0, -pose.mouthWidth))
    )
    self.browLineY = browLineY
    self.noseTipY = id.noseTipY - 0.02 * max(0, pose.noseWrinkle)
    self.foreheadLines = min(max(pose.foreheadLines, 0), 1)
    self.browFurrow = min(max(pose.browFurrow, 0), 1)
    self.noseWrinkle = min(max(pose.noseWrinkle, 0), 1)
    self.nasolabial = min(max(pose.nasolabial, 0), 1)
  }
}
