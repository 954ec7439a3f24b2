"""Fades and flashes: frames where the picture itself is washing out.

Edited clips fade to an end card or flash white between shots. The pose model keeps drawing a body
through the fade, and a rep "finished" there was never seen. Each frame's contrast (standard
deviation of its grey levels on a small thumbnail) is kept with its pose; a frame whose contrast has
fallen below FADE_CONTRAST of the clip's median is faded, and a rep with a faded frame in it is not
counted.

FADE_CONTRAST = 0.6: measured on the labelled footage, fades to an end card and white flashes reach
0.23-0.5 of the clip's median contrast; normal frames of every clip stay above 0.7 (changes of
light and zooms to close-ups included).
"""

from __future__ import annotations

import cv2
import numpy as np

FADE_CONTRAST = 0.6
THUMBNAIL = (64, 36)


def frame_contrast(image_bgr: np.ndarray) -> float:
    """Standard deviation of the grey levels of a 64x36 thumbnail of the frame (0-127.5).

    The thumbnail averages every 4th pixel of the frame's rows and columns (at most 4x the
    thumbnail's size): averaging every pixel of a 1080p frame took several milliseconds, a good
    part of the pose model's own time, for the same contrast within 3% and the same faded frames
    on the labelled footage.
    """
    step_y = max(1, image_bgr.shape[0] // (4 * THUMBNAIL[1]))
    step_x = max(1, image_bgr.shape[1] // (4 * THUMBNAIL[0]))
    small = cv2.resize(image_bgr[::step_y, ::step_x], THUMBNAIL, interpolation=cv2.INTER_AREA)
    grey = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    return float(grey.std())


def faded(contrast: np.ndarray) -> np.ndarray:
    """(T,) bool: frames whose contrast is below FADE_CONTRAST of the clip's median (False if unknown)."""
    c = np.asarray(contrast, dtype=np.float64)
    known = np.isfinite(c)
    if not known.any():
        return np.zeros(len(c), dtype=bool)
    median = float(np.median(c[known]))
    return known & (c < FADE_CONTRAST * median)
