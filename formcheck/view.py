"""Camera view (front / back / side / front45 / back45), facing direction and body orientation.

The body's heading comes from the hip line in MediaPipe's world landmarks: the vector from the
right hip to the left hip, seen from above, is (1, 0) for a person facing the camera and turns with
the body. Its angle atan2(z, x) is the heading used here, in degrees: 0 facing the camera, +90
side-on facing image right, -90 side-on facing image left, +-180 back to the camera. The world x
of that vector is where the model put the two hips in the image, its z is the model's depth guess;
together they already separate front from back on real footage (a person seen from behind gets the
left hip on the image left). The hips are used rather than the shoulders because a barbell on the
back, the arms and weight plates drag the shoulder points around, while the pelvis stays put.

The clip's heading is the median over frames of |heading|, so a few frames with the legs' labels
swapped, a turn in the middle of a set or a short stretch on another person do not decide it; the
view is the nominal view (0, 45, 90, 135, 180 degrees) nearest to it. One image cue corrects the
model's most common slip: standing side-on with a barbell or with the arms held behind the trunk,
the model turns the body toward the camera (about 45 degrees). There the trunk hides the far arm, so
one elbow is seen and the other is not, which does not happen in a genuine front oblique view.

Facing is a vote of three cues that do not depend on the left/right labels agreeing: the heading's
sign, the toes' direction from the heels in the image, and the nose's from the ears.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from formcheck import geometry as g
from formcheck.pose.landmarks import Landmark
from formcheck.pose.sequence import PoseSequence

log = logging.getLogger(__name__)

# |heading| boundaries, degrees: halfway between the nominal views front 0, front45 45, side 90,
# back45 135 and back 180. Checked against the labelled clips (footage.md): moving any of them by
# 5 degrees either way gains no clip.
FRONT_MAX = 22.5
SIDE_MIN = 67.5
SIDE_MAX = 112.5
BACK_MIN = 157.5

# Far arm hidden behind the trunk: one elbow at least ELBOW_SEEN visible and the other below
# ELBOW_HIDDEN (MediaPipe visibility, 0..1) in at least FAR_ARM_HIDDEN_FRACTION of the frames
# turns a front-oblique heading of at least OCCLUSION_MIN_TURN degrees into a side view. Tuned on
# the labelled clips: front-oblique clips show this in at most 27% of frames, side clips that the
# model turned to 45-65 degrees in 53-92%.
ELBOW_SEEN = 0.5
ELBOW_HIDDEN = 0.3
FAR_ARM_HIDDEN_FRACTION = 0.4
OCCLUSION_MIN_TURN = 30.0

# Lying (bridges, hip thrusts): the trunk is more than LYING_TRUNK_DEG from vertical and the
# shoulders are less than LYING_SHOULDER_HEIGHT leg lengths above the ankles (on the floor or a
# bench), medians over the clip. A standing hinge (deadlifts) has the trunk as flat but the
# shoulders a leg length or more up. Tuned on the labelled clips (hip thrusts 0.5-0.8, hinges 1.0+).
LYING_TRUNK_DEG = 55.0
LYING_SHOULDER_HEIGHT = 0.9

# Fewer frames with a person than this give "unknown".
MIN_FRAMES = 5


@dataclass(frozen=True)
class ViewEstimate:
    view: str  # "front" | "back" | "side" | "front45" | "back45" | "unknown"
    facing: int  # +1 faces image right, -1 faces image left, 0 square to the camera
    yaw_deg: float  # body turned from the image plane: 0 square to the camera, 90 side-on
    lying: bool

    def to_dict(self) -> dict[str, object]:
        return {"view": self.view, "facing": self.facing, "yaw_deg": round(self.yaw_deg, 1),
                "lying": self.lying}


def _median(values: np.ndarray) -> float:
    """Median of the finite values, NaN (without a warning) when there is none."""
    finite = values[np.isfinite(values)]
    return float(np.median(finite)) if finite.size else float("nan")


def heading(seq: PoseSequence) -> np.ndarray:
    """(T,) body heading per frame in degrees, -180..180: 0 faces the camera, +90 image right.

    From the right-hip -> left-hip vector in world coordinates seen from above (x right, z away
    from the camera). NaN where nobody was found.
    """
    d = seq.world_xyz[:, Landmark.LEFT_HIP] - seq.world_xyz[:, Landmark.RIGHT_HIP]
    return np.degrees(np.arctan2(d[:, 2], d[:, 0]))


def _far_arm_hidden(seq: PoseSequence) -> bool:
    """One elbow seen and the other hidden in enough frames: the trunk is between them."""
    seen = seq.detected()
    if not seen.any():
        return False
    left = seq.visibility[seen, Landmark.LEFT_ELBOW]
    right = seq.visibility[seen, Landmark.RIGHT_ELBOW]
    one_sided = (np.maximum(left, right) >= ELBOW_SEEN) & (np.minimum(left, right) < ELBOW_HIDDEN)
    return bool(one_sided.mean() >= FAR_ARM_HIDDEN_FRACTION)


def classify(turn: float, far_arm_hidden: bool = False) -> str:
    """View name for a clip heading |heading| in degrees (0..180)."""
    if turn < FRONT_MAX:
        return "front"
    if turn < SIDE_MIN:
        return "side" if far_arm_hidden and turn >= OCCLUSION_MIN_TURN else "front45"
    if turn <= SIDE_MAX:
        return "side"
    return "back45" if turn < BACK_MIN else "back"


def _sign_of_median(values: np.ndarray) -> int:
    m = _median(values)
    return int(np.sign(m)) if np.isfinite(m) else 0


def _facing(seq: PoseSequence, head: np.ndarray) -> int:
    """+1 if the person faces image right, -1 image left: majority of three cues."""
    x = {lm: seq.px(lm)[:, 0] for lm in (Landmark.NOSE, Landmark.LEFT_EAR, Landmark.RIGHT_EAR,
                                          Landmark.LEFT_HEEL, Landmark.RIGHT_HEEL,
                                          Landmark.LEFT_FOOT_INDEX, Landmark.RIGHT_FOOT_INDEX)}
    toes = (x[Landmark.LEFT_FOOT_INDEX] - x[Landmark.LEFT_HEEL]
            + x[Landmark.RIGHT_FOOT_INDEX] - x[Landmark.RIGHT_HEEL])
    nose = x[Landmark.NOSE] - (x[Landmark.LEFT_EAR] + x[Landmark.RIGHT_EAR]) / 2
    world = _sign_of_median(np.sin(np.radians(head)))
    total = world + _sign_of_median(toes) + _sign_of_median(nose)
    if total != 0:
        return 1 if total > 0 else -1
    return world if world != 0 else 1


def _is_lying(seq: PoseSequence) -> bool:
    """Trunk near horizontal with the shoulders down at the feet's level (not a standing hinge)."""
    if _median(g.trunk_inclination(seq)) <= LYING_TRUNK_DEG:
        return False
    legs = g.body_scale(seq)
    if not np.isfinite(legs) or legs <= 0:
        return True  # no legs to compare with: the trunk decides
    # Image y points down. Feet never seen (NaN) also leaves the trunk to decide.
    height = _median((g.mid(seq, "ankle")[:, 1] - g.mid(seq, "shoulder")[:, 1]) / legs)
    return not height >= LYING_SHOULDER_HEIGHT


def estimate_view(seq: PoseSequence) -> ViewEstimate:
    """Camera view of a (smoothed) PoseSequence. 'unknown' when nobody is seen long enough."""
    if seq.detected().sum() < MIN_FRAMES:
        return ViewEstimate("unknown", 0, float("nan"), False)
    head = heading(seq)
    turn = _median(np.abs(head))
    if not np.isfinite(turn):
        return ViewEstimate("unknown", 0, float("nan"), False)
    view = classify(turn, _far_arm_hidden(seq))
    # Side-on by the hidden arm: the model's turn toward the camera was the mistake, not the view.
    yaw = 90.0 if view == "side" and turn < SIDE_MIN else 90.0 - abs(90.0 - turn)
    facing = 0 if view in ("front", "back") else _facing(seq, head)
    log.debug("view %s: heading %.0f deg, facing %+d", view, turn, facing)
    return ViewEstimate(view, facing, yaw, _is_lying(seq))
