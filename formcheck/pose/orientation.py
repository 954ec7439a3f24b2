"""A clip filmed with the phone on its side: find which way is up, and turn the poses upright.

Phones record their orientation in the file's metadata, which the decoder applies; a clip that lost
it (re-encoded, screen-recorded, sent through a messenger) shows a standing person lying across the
frame. The pose model still finds them, but every rule reads image y as down. For a standing
exercise the body's own up (ankles to shoulders, median over the clip) says how the frame is turned.
"""

from __future__ import annotations

import numpy as np

from formcheck.pose.landmarks import Landmark
from formcheck.pose.sequence import PoseSequence

# The body's up must be at least this far from the image's up (degrees) before the frame is taken
# as turned: a tilted camera or a deep hinge leans the body, a phone on its side turns it 90.
TURNED_MIN_DEG = 60.0


def body_up_deg(seq: PoseSequence) -> float:
    """Direction of the body's up in the image (degrees, clockwise from the image's up; NaN when
    nobody is seen): the median ankles-to-shoulders vector in pixels."""
    px = seq.image_xy * np.array([seq.width, seq.height], dtype=np.float64)
    shoulders = (px[:, Landmark.LEFT_SHOULDER] + px[:, Landmark.RIGHT_SHOULDER]) / 2
    ankles = (px[:, Landmark.LEFT_ANKLE] + px[:, Landmark.RIGHT_ANKLE]) / 2
    up = shoulders - ankles
    ok = np.isfinite(up).all(axis=1)
    if not ok.any():
        return float("nan")
    dx, dy = np.median(up[ok], axis=0)
    return float(np.degrees(np.arctan2(dx, -dy)))


def upright_turns(seq: PoseSequence) -> int:
    """Clockwise quarter turns (0-3) that stand a standing body upright in the frame."""
    up = body_up_deg(seq)
    if not np.isfinite(up) or abs(up) < TURNED_MIN_DEG:
        return 0
    # Up pointing left (-90) takes one clockwise turn; pointing down (180) two; right (90) three.
    return int(round(-up / 90.0)) % 4


def turned(seq: PoseSequence, turns: int) -> PoseSequence:
    """The poses as seen in the frame turned clockwise by `turns` quarter turns (np.rot90 with
    k=-turns): image and world axes turn together, width and height swap on odd turns."""
    turns %= 4
    if turns == 0:
        return seq
    xy, world = seq.image_xy, seq.world_xyz
    w, h = seq.width, seq.height
    for _ in range(turns):
        xy = np.stack([1.0 - xy[..., 1], xy[..., 0]], axis=-1)
        world = np.stack([-world[..., 1], world[..., 0], world[..., 2]], axis=-1)
        w, h = h, w
    return PoseSequence(xy, world, seq.visibility, seq.t, w, h, seq.fps, seq.notes,
                        seq.image_contrast)


def turn_image(image: np.ndarray, turns: int) -> np.ndarray:
    """A frame turned clockwise by `turns` quarter turns, to match `turned` poses."""
    return np.ascontiguousarray(np.rot90(image, k=-(turns % 4)))
