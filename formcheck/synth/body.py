"""The synthetic figure's body: segment lengths (Body) and joint-angle curves over time (Motion).

Body frame, metres, points as (..., 3) arrays in (lat, up, fwd) order: lat + toward the person's
left, up + away from the floor (floor at 0), fwd + the way a standing person faces (a person lying
on the back has the head toward - fwd and the feet toward + fwd).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

Curve = float | np.ndarray  # a constant or a (T,) array over Motion.t


@dataclass(frozen=True)
class Body:
    """Segment lengths, metres landmark to landmark: an adult about 1.72 m tall, in the proportions
    BlazePose reports for real people (world hip spacing about 0.23, shoulders 0.33, trunk 0.47).
    """

    thigh: float = 0.42
    shank: float = 0.40
    trunk: float = 0.50  # mid-hip to mid-shoulder
    neck: float = 0.20  # mid-shoulder to head centre
    head_r: float = 0.11
    hip_w: float = 0.22
    shoulder_w: float = 0.34
    upper_arm: float = 0.29
    forearm: float = 0.26
    ankle_h: float = 0.08
    sole_h: float = 0.025  # heel and toe landmarks above the floor with the foot flat
    heel_back: float = 0.05  # heel behind the ankle
    toe_fwd: float = 0.16  # toe ahead of the ankle
    lying_shoulder_h: float = 0.12


BODY = Body()


@dataclass(frozen=True)
class Motion:
    """Joint-angle curves of one figure (degrees; lengths in metres). Curves: constant or (T,).

    `chain` is the leg built up from its planted foot: the stance, front or box leg (for
    two-legged work the left leg). The other leg is "planted" (its foot fixed on the floor and
    its knee solved to reach the hip) or "free" (placed by other_thigh / other_knee_flex).
    Standing figures stand on the chain foot; lying figures (bridges) lie on the back with the
    shoulders on the floor and the chain foot flat, and are driven by `hip_ext`.
    """

    t: np.ndarray
    chain: str = "left"
    other: str = "planted"
    lying: bool = False
    knee_flex: Curve = 0.0  # chain knee flexion (standing), 0 = straight
    shank_tilt: Curve = 0.0  # chain shank from vertical, + knee ahead of the ankle
    hip_ext: Curve = 150.0  # lying: chain shoulder-hip-knee angle, 180 = straight, > 180 above
    heel_lift: Curve = 0.0  # chain foot pitch (heel above toe), pivoting on the toe
    fppa: Curve = 0.0  # chain knee frontal plane projection angle, + valgus
    other_knee_flex: Curve = 0.0  # free leg knee flexion
    other_thigh: Curve = 0.0  # free thigh: standing from vertical-down (+ forward);
    #                           lying: from the chain thigh's line (+ toward the ceiling)
    other_abduct: Curve = 0.0  # free leg turned out sideways (front view), degrees
    other_heel_lift: Curve = 0.0
    other_fppa: Curve = 0.0  # planted other leg only
    pelvic_drop: Curve = 0.0  # pelvic obliquity, + other side lower
    trunk: Curve = 0.0  # standing: sagittal trunk inclination, + forward
    lean: Curve = 0.0  # frontal trunk lean toward the chain side
    chord_loss: Curve = 0.0  # fraction by which the hip-shoulder chord shortens (rounding proxy)
    neck_flex: Curve = 0.0  # head bent forward of the trunk line: ear-shoulder-hip = 180 - this
    arm: Curve = 5.0  # arms from vertical-down, + forward
    arm_abduct: Curve = 12.0
    elbow: Curve = 10.0
    stance_width: float = 0.26  # lateral distance between the ankles
    other_foot: float = 0.0  # planted other foot ahead (+) or behind (-) the chain foot
    box: float = 0.0  # height of the platform under the chain foot
    foot_reach: float = 0.95  # lying: shoulders to ankles along the floor
    toe_out: float = 8.0
    # Lateral lunge: both feet planted stance_width apart, the other leg kept straight; the pelvis
    # moves sideways over the chain foot as the chain knee bends (knee_flex), and at the top both
    # straight legs slant out to the wide feet. shank_tilt and fppa are not used.
    lateral: bool = False

    def __post_init__(self) -> None:
        if self.chain not in ("left", "right") or self.other not in ("planted", "free"):
            raise ValueError(f"Motion: chain must be left/right and other planted/free, got "
                             f"{self.chain!r}, {self.other!r}")
        n = len(self.t)
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, np.ndarray) and f.name != "t" and value.shape != (n,):
                raise ValueError(f"Motion.{f.name}: expected shape {(n,)}, got {value.shape}")

    def c(self, name: str) -> np.ndarray:
        """Curve `name` as a (T,) float array."""
        return np.broadcast_to(np.asarray(getattr(self, name), dtype=float), (len(self.t),))

    @property
    def sign(self) -> float:
        """+1 when the chain leg is the left one (lat grows toward the person's left)."""
        return 1.0 if self.chain == "left" else -1.0
