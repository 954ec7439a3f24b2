"""Draw a PoseSequence as a flat-colour mannequin and write it as a browser-playable H.264 mp4.

The mannequin (round head with eyes and mouth, ellipse torso, tapered limbs coloured differently
left and right, skin-coloured knees, feet) is drawn from image_xy, with world_xyz giving the
drawing order (far segments first) and the metres-to-pixels scale. Frames where nobody is present
(NaN) show the empty background, so the same call renders a "nobody in frame" clip.

Calibration: BlazePose (mediapipe 0.10.21, model_complexity=1) on clips of formcheck.synth
builders rendered at 1280x720, 30 fps; median of 5 frames at each of 2 rep bottoms, frontal angles
baseline-corrected against the standing frames; drawn -> measured, degrees.

- Detection: every frame of every clip (tracking mode); single-image detection on every 5th frame
  of front, back, side (both facings), bridge, single-leg deadlift and pistol clips: all frames.
  Visibility of hips, knees and ankles 0.9-1.0 from the front; from the side 0.7-0.9 for the near
  leg and 0.15-0.35 for the far one, hidden behind it as in real side-view footage.
- FPPA, pistol squat from the front at 60 deg of knee flexion, drawn 0/5/10/15/20/25/30/35:
  left stance leg -7.2/-3.4/-0.2/3.7/8.9/14.8/21.5/29.9, right -7.3/-2.6/0.8/3.5/7.6/14.7/24.4/32.0.
  About 7 deg of varus bias at small angles, 5-10 deg low at 20-35: inject valgus well past the
  rule's limit (the fixture draws 35 and reads 27-28).
- FPPA, two-legged squat from the front at 90 deg, drawn 0/5/10/15/20/25: left -4.3/-2.0/3.5/12.1/
  18.3/27.5, right -4.6/-2.6/5.3/10.4/16.5/24.1. Knees drawn 10 deg out (the squat builder's
  default) read 17-33 deg out.
- Side view, near leg: knee flexion 60/90/120/145 -> 64.4/96.6/116.5/144.3; thigh-to-horizontal
  51.1/31.7/12.2/-4.0 -> 44.7/25.5/8.7/-6.1; bridge shoulder-hip-knee 150/165/180 ->
  152.2/163.5/178.8; single-leg deadlift trunk inclination 45/80 -> 45.2/82.5.

Shape choices that matter to the detector, each measured: hair on the crown (without it the
detector missed side-view figures in up to 40% of frames), limbs that taper toward knee and ankle
and meet without round caps, a skin-coloured knee patch centred on the joint, shorts running
0.2 m down the thighs (with round caps and short shorts BlazePose put hips and knees 15-20 px too
high), and shoes with a heel and a toe end (fewer swaps of overlapping feet seen from the side).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from formcheck.encoder import VideoWriter
from formcheck.pose.landmarks import Landmark as L
from formcheck.pose.sequence import PoseSequence

log = logging.getLogger(__name__)

Colour = tuple[int, int, int]  # BGR
BACKGROUND: Colour = (226, 230, 232)
FLOOR: Colour = (196, 203, 207)
SKIN: Colour = (120, 165, 215)
SHIRT: Colour = (70, 135, 60)
SHORTS: Colour = (60, 60, 70)
SIDE_COLOURS: dict[str, Colour] = {"left": (190, 105, 35), "right": (40, 110, 215)}
SHOE: Colour = (45, 45, 45)
EYE_WHITE: Colour = (250, 250, 250)
DARK: Colour = (30, 30, 30)
MOUTH: Colour = (60, 60, 160)
HAIR: Colour = (35, 45, 60)


@dataclass(frozen=True)
class Build:
    """Widths and offsets of the drawn body, metres."""

    head_r: float = 0.115
    neck: float = 0.11
    upper_arm: float = 0.10
    forearm: float = 0.085
    hand_r: float = 0.05
    thigh: float = 0.16  # at the hip
    knee: float = 0.10
    calf: float = 0.11
    ankle: float = 0.065
    foot: float = 0.085
    shorts_leg: float = 0.20  # the shorts cover this much of each thigh
    shoulder_pad: float = 0.06  # the torso reaches this far beyond the shoulder points
    torso_depth: float = 0.13  # half thickness of the torso seen from the side
    shirt_bottom: float = -0.06  # the shirt ends this far above the hip line (negative: below)
    pelvis_up: float = -0.04  # centre of the shorts above the hip line
    pelvis_h: float = 0.11  # half height of the shorts
    hair_shift: float = 0.015  # the face sits this much below the hair line
    face_shift: float = 0.15  # ... and this share of the way toward the nose
    face_r: float = 0.92  # face radius as a share of the head's


BUILD = Build()
# Hip line at least this long in the image (metres at the figure's scale; hip width is about 0.18)
# orients the shorts square to it.
PELVIS_LINE_SEEN = 0.09


def _scale(seq: PoseSequence, i: int) -> float:
    """Pixels per metre in frame i, from the image against the world spread of the landmarks."""
    px = seq.image_xy[i] * np.array([seq.width, seq.height])
    w = seq.world_xyz[i, :, :2]
    ok = np.isfinite(px).all(1) & np.isfinite(w).all(1)
    if ok.sum() < 4:
        return float("nan")
    spread_px = np.sqrt(((px[ok] - px[ok].mean(0)) ** 2).sum())
    spread_w = np.sqrt(((w[ok] - w[ok].mean(0)) ** 2).sum())
    return float(spread_px / spread_w) if spread_w > 0 else float("nan")


class _Canvas:
    """One frame being drawn: landmark pixels (33, 2), depth (33,) metres and the scale (px/m)."""

    def __init__(self, image: np.ndarray, px: np.ndarray, depth: np.ndarray, scale: float):
        self.image, self.px, self.depth, self.s = image, px, depth, scale

    def at(self, p: L | np.ndarray) -> np.ndarray:
        return self.px[p] if isinstance(p, L) else p

    def mid(self, a: L, b: L) -> np.ndarray:
        return (self.px[a] + self.px[b]) / 2

    def taper(self, a: L | np.ndarray, b: L | np.ndarray, wa_m: float, wb_m: float,
              colour: Colour, round_ends: bool = False) -> None:
        """A limb narrowing from width wa_m at a to wb_m at b (metres)."""
        pa, pb = self.at(a), self.at(b)
        d = pb - pa
        n = np.array([-d[1], d[0]]) / max(float(np.linalg.norm(d)), 1e-6)
        ra, rb = wa_m * self.s / 2, wb_m * self.s / 2
        poly = np.array([pa + n * ra, pb + n * rb, pb - n * rb, pa - n * ra])
        cv2.fillConvexPoly(self.image, np.round(poly).astype(np.int32), colour, cv2.LINE_AA)
        if round_ends:
            self.disc(pa, wa_m / 2, colour)
            self.disc(pb, wb_m / 2, colour)

    def disc(self, centre: np.ndarray, r_m: float, colour: Colour) -> None:
        c = (int(round(centre[0])), int(round(centre[1])))
        cv2.circle(self.image, c, max(1, int(round(r_m * self.s))), colour, -1, cv2.LINE_AA)

    def ellipse(self, centre: np.ndarray, half_along_m: float, half_across_m: float,
                axis: np.ndarray, colour: Colour) -> None:
        angle = float(np.degrees(np.arctan2(axis[1], axis[0])))
        axes = (max(1, int(round(half_along_m * self.s))),
                max(1, int(round(half_across_m * self.s))))
        c = (int(round(centre[0])), int(round(centre[1])))
        cv2.ellipse(self.image, c, axes, angle, 0, 360, colour, -1, cv2.LINE_AA)


def _j(name: str, side: str) -> L:
    return L[f"{side.upper()}_{name}"]


def _z(c: _Canvas, *lms: L) -> float:
    return float(np.mean([c.depth[lm] for lm in lms]))


def _shade(colour: Colour, factor: float) -> Colour:
    r, g, b = (int(min(255, round(v * factor))) for v in colour)
    return r, g, b


Part = tuple[float, Callable[[], None]]  # (depth, paint)


def _leg(c: _Canvas, side: str) -> list[Part]:
    col = SIDE_COLOURS[side]
    hip, knee, ankle = _j("HIP", side), _j("KNEE", side), _j("ANKLE", side)
    heel, toe = _j("HEEL", side), _j("FOOT_INDEX", side)

    def thigh() -> None:
        c.taper(hip, knee, BUILD.thigh, BUILD.knee, _shade(col, 0.8))
        d = c.px[knee] - c.px[hip]
        frac = min(1.0, BUILD.shorts_leg * c.s / max(float(np.linalg.norm(d)), 1e-6))
        width = BUILD.thigh + (BUILD.knee - BUILD.thigh) * frac
        c.taper(hip, c.px[hip] + d * frac, BUILD.thigh * 1.04, width * 1.04, SHORTS)
        c.disc(c.px[knee], BUILD.knee / 2, SKIN)

    def shank() -> None:
        c.taper(knee, ankle, BUILD.calf, BUILD.ankle, _shade(col, 1.15))
        c.disc(c.px[ankle], BUILD.ankle / 2, _shade(col, 1.15))

    def foot() -> None:
        # A shoe with a heel and a toe end tells the feet apart where they overlap (side view).
        c.taper(heel, toe, BUILD.foot * 1.1, BUILD.foot * 0.7, SHOE, True)
        tri = np.array([c.px[ankle], c.px[heel], c.px[toe]])
        cv2.fillConvexPoly(c.image, np.round(tri).astype(np.int32), SHOE, cv2.LINE_AA)
        c.disc(c.px[ankle], BUILD.ankle / 2, SHOE)

    return [(_z(c, hip, knee), thigh), (_z(c, knee, ankle), shank), (_z(c, heel, toe), foot)]


def _arm(c: _Canvas, side: str) -> list[Part]:
    col = SIDE_COLOURS[side]
    sh, elbow, wrist = _j("SHOULDER", side), _j("ELBOW", side), _j("WRIST", side)
    hand = np.mean([c.px[_j(n, side)] for n in ("WRIST", "INDEX", "PINKY")], axis=0)

    def forearm() -> None:
        c.taper(elbow, wrist, BUILD.forearm, BUILD.forearm, _shade(col, 1.15), True)
        c.disc(hand, BUILD.hand_r, SKIN)

    def upper() -> None:
        c.taper(sh, elbow, BUILD.upper_arm, BUILD.upper_arm, _shade(col, 0.8), True)

    return [(_z(c, sh, elbow), upper), (_z(c, elbow, wrist), forearm)]


def _torso(c: _Canvas) -> None:
    sh, hip = c.mid(L.LEFT_SHOULDER, L.RIGHT_SHOULDER), c.mid(L.LEFT_HIP, L.RIGHT_HIP)
    axis = sh - hip
    unit = axis / max(float(np.linalg.norm(axis)), 1e-6)
    span = float(np.linalg.norm(c.px[L.LEFT_SHOULDER] - c.px[L.RIGHT_SHOULDER])) / c.s
    top = sh + unit * BUILD.shoulder_pad * c.s
    bottom = hip + unit * BUILD.shirt_bottom * c.s
    c.ellipse((top + bottom) / 2, float(np.linalg.norm(top - bottom)) / 2 / c.s,
              max(span / 2 + BUILD.shoulder_pad, BUILD.torso_depth), unit, SHIRT)
    line = c.px[L.LEFT_HIP] - c.px[L.RIGHT_HIP]
    hips = float(np.linalg.norm(line)) / c.s
    hip_half = hips / 2 + BUILD.thigh / 2
    # The shorts follow the pelvis: square to the hip line when it is seen across (a hip that
    # drops tilts them), along the trunk when the hips overlap in a side view.
    pelvis_axis = unit
    if hips >= PELVIS_LINE_SEEN:
        across = np.array([line[1], -line[0]]) / (hips * c.s)
        pelvis_axis = across if float(across @ unit) >= 0 else -across
    c.ellipse(hip + pelvis_axis * BUILD.pelvis_up * c.s, BUILD.pelvis_h,
              max(hip_half, BUILD.torso_depth), pelvis_axis, SHORTS)


def _head(c: _Canvas) -> None:
    centre = c.mid(L.LEFT_EAR, L.RIGHT_EAR)
    neck = c.mid(L.LEFT_SHOULDER, L.RIGHT_SHOULDER)
    c.taper(neck, centre, BUILD.neck, BUILD.neck, SKIN, True)
    ear_z = (c.depth[L.LEFT_EAR] + c.depth[L.RIGHT_EAR]) / 2
    toward = ear_z - c.depth[L.NOSE]  # > 0 when the face turns to the camera
    if toward < -0.04:
        c.disc(centre, BUILD.head_r, HAIR)  # seen from behind
        return
    up = (centre - neck) / max(float(np.linalg.norm(centre - neck)), 1e-6)
    gaze = c.px[L.NOSE] - centre
    # Hair on the crown and the back of the head: without it the detector missed the figure in
    # a third of side-view frames; with it, in none.
    c.disc(centre, BUILD.head_r, HAIR)
    face = centre - up * BUILD.hair_shift * c.s + gaze * BUILD.face_shift
    c.disc(face, BUILD.head_r * BUILD.face_r, SKIN)
    for eye in (L.LEFT_EYE, L.RIGHT_EYE):
        if c.depth[eye] <= ear_z + 0.01:  # the far eye of a profile stays hidden
            c.disc(c.px[eye], 0.022, EYE_WHITE)
            c.disc(c.px[eye], 0.012, DARK)
    if toward < 0.06:  # profile: a nose standing out of the face, an ear on the near side
        c.disc(c.px[L.NOSE], 0.03, SKIN)
        near = L.LEFT_EAR if c.depth[L.LEFT_EAR] < c.depth[L.RIGHT_EAR] else L.RIGHT_EAR
        c.disc(c.px[near] - gaze * 0.1, 0.03, _shade(SKIN, 0.85))
    m0, m1 = c.px[L.MOUTH_LEFT], c.px[L.MOUTH_RIGHT]
    if np.linalg.norm(m0 - m1) < 0.02 * c.s:  # profile: give the mouth some length
        m0, m1 = m0 - 0.3 * gaze, m0 + 0.05 * gaze
    c.taper(m0, m1, 0.014, 0.014, MOUTH, True)


def draw_pose(image: np.ndarray, px: np.ndarray, depth: np.ndarray, scale: float) -> None:
    """Draw one mannequin in place on a BGR image.

    px: (33, 2) landmark pixels; depth: (33,) metres from the camera's side, larger = farther
    (MediaPipe world z); scale: pixels per metre. The head is drawn last so the face stays seen.
    """
    c = _Canvas(image, px, depth, scale)
    # The torso sits a little behind limbs at the same depth: arms hang in front of it.
    parts: list[Part] = [(_z(c, L.LEFT_HIP, L.RIGHT_HIP) + 0.05, lambda: _torso(c))]
    for side in ("left", "right"):
        parts += _leg(c, side) + _arm(c, side)
    for _, paint in sorted(parts, key=lambda part: -part[0]):
        paint()
    _head(c)


def frames(seq: PoseSequence) -> Iterator[np.ndarray]:
    """BGR uint8 frames (H, W, 3) of the mannequin acting out `seq`, one per pose frame."""
    px_all = seq.image_xy * np.array([seq.width, seq.height])
    seen = np.isfinite(px_all).all(axis=(1, 2))
    floor = np.nanmax(px_all[seen][..., 1]) + 6 if seen.any() else 0.8 * seq.height
    background = np.full((seq.height, seq.width, 3), BACKGROUND, np.uint8)
    background[int(min(floor, seq.height - 1)):] = FLOOR
    for i in range(len(seq)):
        image = background.copy()
        scale = _scale(seq, i) if seen[i] else float("nan")
        if np.isfinite(scale):
            draw_pose(image, px_all[i], seq.world_xyz[i, :, 2], scale)
        yield image


def render_clip(seq: PoseSequence, path: str | Path, *, crf: int = 26,
                preset: str = "slow") -> Path:
    """Write `seq` as an H.264 mp4 (yuv420p, +faststart) at seq.fps; returns the file's path.

    Flat colours compress well: an 8 s 1280x720 clip is about 100-200 KB at the default crf.
    """
    writer = VideoWriter(path, seq.width, seq.height, seq.fps, crf=crf, preset=preset,
                         codec="h264")
    with writer:
        for image, t in zip(frames(seq), seq.t, strict=True):
            writer.write(image, float(t))
    log.info("rendered %d frames to %s (%.0f KB)", len(seq), writer.path,
             writer.path.stat().st_size / 1024)
    return writer.path
