"""Draw what FormCheck sees on one frame: skeleton, joint angles, rep counter, fault banner, view.

One verb, `annotate(image, state)`, used by the annotated video writer and the live window alike.
Sizes scale with the frame so the overlay reads the same at 480p and 1080p. Drawing is plain
OpenCV on the frame itself (about 1 ms at 720p).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import cv2
import numpy as np

from formcheck.catalogue import SIGNALS, VIEW_NAMES
from formcheck.drawing import FONT, SHADOW, TEXT_COLOUR, draw_text, shade, wrap
from formcheck.faults import FAULTS, title
from formcheck.pose.landmarks import CONNECTIONS, Landmark, joint
from formcheck.report import Fault

MIN_VISIBILITY = 0.5
# How long a fault stays on screen after its time (s).
BANNER_S = 1.0

# BGR. Left and right limbs in colours that stay apart for colour-blind viewers (blue / orange).
LEFT_COLOUR = (255, 160, 30)
RIGHT_COLOUR = (20, 140, 255)
MID_COLOUR = (235, 235, 235)
MAJOR_COLOUR = (40, 40, 210)
MINOR_COLOUR = (0, 140, 230)
POSSIBLE_COLOUR = (120, 110, 90)  # BGR slate: a possible fault, worth a look


def _hex(bgr: tuple[int, int, int]) -> str:
    b, g, r = bgr
    return f"#{r:02x}{g:02x}{b:02x}"


# The same colours for the web pages (CSS hex), so page and video agree.
COLOURS: dict[str, str] = {
    "left": _hex(LEFT_COLOUR), "right": _hex(RIGHT_COLOUR), "both": "#7b8aa0",
    "major": _hex(MAJOR_COLOUR), "minor": _hex(MINOR_COLOUR),
}
# Landmarks seen less surely than this are not drawn, on the pages as in the video.
VISIBILITY_THRESHOLD = MIN_VISIBILITY

# Where each signal's value is written: (joint name or "trunk", short label).
SIGNAL_ANCHORS: dict[str, tuple[str, str]] = {
    "knee_flexion": ("knee", "knee"),
    "fppa": ("knee", "FPPA"),
    "hip_flexion": ("hip", "hip"),
    "hip_extension": ("hip", "hip ext"),
    "shank_inclination": ("ankle", "shank"),
    "foot_pitch": ("heel", "foot"),
    "trunk_inclination": ("trunk", "trunk"),
    "pelvic_obliquity": ("trunk", "pelvis"),
}


@dataclass
class OverlayState:
    """What to draw on one frame; every field may be empty.

    image_xy: (33, 2) normalised landmark coordinates (NaN where missing); visibility: (33,) 0..1.
    angles: signal name -> degrees, sided names end in "_left"/"_right" ("knee_flexion_left",
    "trunk_inclination"). reps: {"left": 3, "right": 2} for per-leg work, {"total": 5} otherwise.
    faults: faults on screen now (code, cue, side, severity). view: camera view label.
    """

    image_xy: np.ndarray | None = None
    visibility: np.ndarray | None = None
    angles: Mapping[str, float] = field(default_factory=dict)
    reps: Mapping[str, int] = field(default_factory=dict)
    faults: Sequence[Fault] = ()
    view: str = ""
    title: str = ""


@dataclass(frozen=True)
class _Style:
    """Sizes in pixels for one frame size: 1.0 at 720 px on the short side."""

    scale: float
    line: int
    dot: int
    text: int
    margin: int

    @classmethod
    def for_size(cls, width: int, height: int) -> _Style:
        s = max(min(width, height) / 720.0, 0.4)
        return cls(s, max(2, round(4 * s)), max(2, round(5 * s)), max(1, round(2 * s)),
                   max(4, round(14 * s)))


def annotate(image: np.ndarray, state: OverlayState) -> np.ndarray:
    """Draw `state` onto a BGR uint8 image (H, W, 3) in place and return it."""
    h, w = image.shape[:2]
    style = _Style.for_size(w, h)
    points = _pixels(state, w, h)
    if points is not None:
        _draw_skeleton(image, points, style)
        _draw_fault_joints(image, points, state.faults, style)
        _draw_angles(image, points, state.angles, style)
    top = max(_draw_counter(image, state, style), _draw_view(image, state.view, style))
    # At the top, under the counter: the feet at the bottom are where many faults show.
    _draw_banner(image, state.faults, top, style)
    return image


Point = tuple[int, int] | None


def _pixels(state: OverlayState, w: int, h: int) -> list[Point] | None:
    """33 integer pixel points, None where the landmark is missing or poorly seen."""
    if state.image_xy is None:
        return None
    xy = np.asarray(state.image_xy, dtype=np.float64) * (w, h)
    vis = (np.ones(len(xy)) if state.visibility is None
           else np.nan_to_num(np.asarray(state.visibility, dtype=np.float64)))
    # Far off-frame points (a bad fit) would overflow OpenCV's integer drawing.
    ok = np.isfinite(xy).all(axis=1) & (vis >= MIN_VISIBILITY) & (np.abs(xy) < 4 * (w + h)).all(1)
    if not ok.any():
        return None
    rounded = np.round(np.where(ok[:, None], xy, 0)).astype(np.int32).tolist()
    return [(p[0], p[1]) if good else None for p, good in zip(rounded, ok.tolist(), strict=True)]


def _colour_of(lm: Landmark) -> tuple[int, int, int]:
    if lm.name.startswith("LEFT_"):
        return LEFT_COLOUR
    return RIGHT_COLOUR if lm.name.startswith("RIGHT_") else MID_COLOUR


# Edges within one side take that side's colour; edges across the body are neutral.
_EDGES = [(a, b, _colour_of(a) if _colour_of(a) == _colour_of(b) else MID_COLOUR)
          for a, b in CONNECTIONS]
_JOINTS = [(lm, _colour_of(lm)) for lm in sorted({lm for edge in CONNECTIONS for lm in edge})]


def _draw_skeleton(image: np.ndarray, pts: list[Point], st: _Style) -> None:
    for a, b, colour in _EDGES:
        pa, pb = pts[a], pts[b]
        if pa is not None and pb is not None:
            cv2.line(image, pa, pb, colour, st.line, cv2.LINE_AA)
    inner = max(1, st.dot - st.text)
    for lm, colour in _JOINTS:
        p = pts[lm]
        if p is not None:
            cv2.circle(image, p, st.dot, SHADOW, -1, cv2.LINE_8)
            cv2.circle(image, p, inner, colour, -1, cv2.LINE_AA)


def _anchor(pts: list[Point], name: str, side: str | None) -> Point:
    """Pixel where a signal is written: a joint of one side, or the trunk's middle."""
    if name == "trunk":
        seen = [p for n in ("shoulder", "hip") for s in ("left", "right")
                if (p := pts[joint(n, s)]) is not None]
        if len(seen) < 2:
            return None
        return (sum(p[0] for p in seen) // len(seen), sum(p[1] for p in seen) // len(seen))
    return None if side is None else pts[joint(name, side)]


def split_signal(key: str) -> tuple[str, str | None]:
    """"knee_flexion_left" -> ("knee_flexion", "left"); "trunk_inclination" -> (..., None)."""
    for side in ("left", "right"):
        if key.endswith("_" + side):
            return key[: -len(side) - 1], side
    return key, None


def _draw_angles(image: np.ndarray, pts: list[Point], angles: Mapping[str, float],
                 st: _Style) -> None:
    stacked: dict[tuple[str, str | None], int] = {}
    for key, value in angles.items():
        if value is None or not math.isfinite(value):
            continue
        base, side = split_signal(key)
        name, label = SIGNAL_ANCHORS.get(base, (base, base))
        at = _anchor(pts, name, side)
        if at is None:
            continue
        row = stacked.get((name, side), 0)
        stacked[(name, side)] = row + 1
        shown = value + (SIGNALS[base].shift if base in SIGNALS else 0.0)  # coach's convention
        _angle_label(image, pts, at, name, side, f"{label} {shown:.0f}", row, st)


def _angle_label(image: np.ndarray, pts: list[Point], at: tuple[int, int], name: str,
                 side: str | None, text: str, row: int, st: _Style) -> None:
    """Text beside the joint, on the side away from the other leg's joint so labels don't clash."""
    font = 0.7 * st.scale
    (tw, th), _ = cv2.getTextSize(text, FONT, font, st.text)
    outward = 1
    if side is not None and name != "trunk":
        other = pts[joint(name, "right" if side == "left" else "left")]
        if other is not None and other[0] > at[0]:
            outward = -1
    gap = 3 * st.dot
    x = at[0] + gap if outward > 0 else at[0] - gap - tw - th
    y = at[1] + th // 2 + row * int(th * 1.8)
    colour = {"left": LEFT_COLOUR, "right": RIGHT_COLOUR}.get(side or "", TEXT_COLOUR)
    draw_text(image, text, (x, y), font, colour, st.text)
    # Hershey fonts have no degree sign: draw one.
    cv2.circle(image, (x + tw + th // 4, y - th + th // 5), max(2, th // 5), colour,
               max(1, st.text // 2), cv2.LINE_AA)


def _draw_fault_joints(image: np.ndarray, pts: list[Point], faults: Iterable[Fault],
                       st: _Style) -> None:
    for f in faults:
        name = FAULTS[f.code].joint if f.code in FAULTS else None
        if name is None:
            continue
        for side in [f.side] if f.side in ("left", "right") else ["left", "right"]:
            p = pts[joint(name, str(side))]
            if p is not None:
                cv2.circle(image, p, 4 * st.dot, _severity_colour(f), st.line, cv2.LINE_AA)


def _severity_colour(f: Fault) -> tuple[int, int, int]:
    """Clear faults in their severity's colour; possible ones ("worth a look") in a quieter one."""
    if not f.clear:
        return POSSIBLE_COLOUR
    return MAJOR_COLOUR if f.severity == "major" else MINOR_COLOUR


def _draw_counter(image: np.ndarray, state: OverlayState, st: _Style) -> int:
    """Title and rep counts in the top-left corner; returns the panel's bottom edge (px)."""
    if not state.reps and not state.title:
        return 0
    font, m = 1.1 * st.scale, st.margin
    parts: list[tuple[str, tuple[int, int, int]]] = []
    if "left" in state.reps or "right" in state.reps:
        parts = [(f"L {state.reps.get('left', 0)}", LEFT_COLOUR),
                 (f"R {state.reps.get('right', 0)}", RIGHT_COLOUR)]
    elif state.reps:
        parts = [(f"REPS {state.reps.get('total', sum(state.reps.values()))}", TEXT_COLOUR)]
    sizes = [cv2.getTextSize(text, FONT, font, st.text + 1)[0] for text, _ in parts]
    th = max((s[1] for s in sizes), default=0)
    small = 0.6 * st.scale
    (title_w, title_h), _ = cv2.getTextSize(state.title, FONT, small, st.text)
    gap = th
    width = max(sum(s[0] for s in sizes) + gap * max(len(parts) - 1, 0), title_w)
    top = title_h + m // 2 if state.title else 0
    bottom = top + th + 2 * m
    shade(image, 0, 0, width + 2 * m, bottom)
    if state.title:
        draw_text(image, state.title, (m, m + title_h), small, TEXT_COLOUR, st.text)
    x = m
    for (label, colour), (tw, _) in zip(parts, sizes, strict=True):
        draw_text(image, label, (x, top + m + th), font, colour, st.text + 1)
        x += tw + gap
    return bottom


def _draw_view(image: np.ndarray, view: str, st: _Style) -> int:
    """The camera view in the top-right corner; returns the label's bottom edge (px)."""
    if not view:
        return 0
    text = f"{VIEW_NAMES.get(view, view)} view"
    font = 0.6 * st.scale
    (tw, th), _ = cv2.getTextSize(text, FONT, font, st.text)
    w = image.shape[1]
    m = st.margin
    shade(image, w - tw - 2 * m, 0, w, th + 2 * m)
    draw_text(image, text, (w - tw - m, m + th), font, TEXT_COLOUR, st.text)
    return th + 2 * m


def _draw_banner(image: np.ndarray, faults: Sequence[Fault], y: int, st: _Style) -> None:
    """The latest two faults on screen from y down, newest first, in their severity's colour."""
    w = image.shape[1]
    font, m = 0.7 * st.scale, st.margin
    for f in list(faults)[-2:][::-1]:
        side = f" ({f.side})" if f.side else ""
        name = title(f.code)
        head = (f"{name.upper()}{side}: {f.cue}" if f.clear else
                f"Worth a look: {name.lower()}{side}, near the limit")
        lines, line_h = wrap(head, font, st.text, w - 2 * m)
        box_h = len(lines) * line_h + m
        shade(image, 0, y, w, y + box_h, _severity_colour(f))
        for i, line in enumerate(lines):
            baseline = y + m // 2 + (i + 1) * line_h - line_h // 4
            draw_text(image, line, (m, baseline), font, TEXT_COLOUR, st.text)
        y += box_h
