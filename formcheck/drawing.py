"""Drawing primitives for overlays: outlined text, darkened panels, word wrap.

Text is drawn through a cache of pre-rendered sprites: anti-aliased `cv2.putText` costs about
0.1 ms a call and the same labels recur frame after frame, while pasting a cached sprite through
its mask costs about 10 us.
"""

from __future__ import annotations

from functools import lru_cache

import cv2
import numpy as np

FONT = cv2.FONT_HERSHEY_SIMPLEX
TEXT_COLOUR = (255, 255, 255)
SHADOW = (0, 0, 0)


def draw_text(image: np.ndarray, label: str, org: tuple[int, int], font: float,
              colour: tuple[int, int, int], thick: int) -> None:
    """Black-outlined text with its baseline starting at org (pixels), clipped to the image."""
    sprite, mask, (ox, oy) = _text_sprite(label, font, colour, thick)
    h, w = image.shape[:2]
    x0, y0 = org[0] - ox, org[1] - oy
    sx0, sy0 = max(0, -x0), max(0, -y0)
    sx1, sy1 = min(sprite.shape[1], w - x0), min(sprite.shape[0], h - y0)
    if sx1 <= sx0 or sy1 <= sy0:
        return
    cv2.copyTo(sprite[sy0:sy1, sx0:sx1], mask[sy0:sy1, sx0:sx1],
               image[y0 + sy0:y0 + sy1, x0 + sx0:x0 + sx1])


@lru_cache(maxsize=512)
def _text_sprite(label: str, font: float, colour: tuple[int, int, int],
                 thick: int) -> tuple[np.ndarray, np.ndarray, tuple[int, int]]:
    """Text rendered once: (BGR image, uint8 mask, baseline origin inside the image).

    The anti-aliased letters sit on their black outline, so pasting the block through its mask
    gives the same pixels as drawing both on the frame.
    """
    outline = thick + 2
    (tw, th), base = cv2.getTextSize(label, FONT, font, outline)
    org = (outline, outline + th)
    size = (th + base + 2 * outline, tw + 2 * outline)
    sprite = np.zeros((*size, 3), dtype=np.uint8)
    mask = np.zeros(size, dtype=np.uint8)
    cv2.putText(mask, label, org, FONT, font, (255,), outline, cv2.LINE_8)
    cv2.putText(sprite, label, org, FONT, font, colour, thick, cv2.LINE_AA)
    mask |= sprite.max(axis=2)  # AA fringes reaching past the outline
    return sprite, mask, org


def shade(image: np.ndarray, x0: int, y0: int, x1: int, y1: int,
          colour: tuple[int, int, int] | None = None) -> None:
    """Darken (or tint) a rectangle so text on it stays readable on any background."""
    h, w = image.shape[:2]
    x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1, w), min(y1, h)
    if x1 <= x0 or y1 <= y0:
        return
    roi = image[y0:y1, x0:x1]
    if colour is None:
        np.right_shift(roi, 1, out=roi)
    else:
        cv2.addWeighted(roi, 0.3, np.full_like(roi, colour), 0.7, 0.0, dst=roi)


@lru_cache(maxsize=256)
def wrap(label: str, font: float, thick: int, max_width: int) -> tuple[tuple[str, ...], int]:
    """Greedy word wrap to max_width pixels: (lines, line height in pixels)."""
    words = label.split()
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if current and cv2.getTextSize(candidate, FONT, font, thick)[0][0] > max_width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    (_, th), base = cv2.getTextSize("Ag", FONT, font, thick)
    return tuple(lines), int((th + base) * 1.4)
