"""PoseSequence: landmarks over time, the type every later stage reads."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from formcheck.errors import PoseDataError
from formcheck.pose.landmarks import NUM_LANDMARKS, Landmark


def _readonly(a: np.ndarray) -> np.ndarray:
    a = np.array(a, dtype=np.float64, copy=True)
    a.setflags(write=False)
    return a


@dataclass(frozen=True)
class PoseSequence:
    """Landmarks of one person over T frames. Missing values are NaN.

    image_xy:  (T, 33, 2) normalised image coordinates (x right, y down, 0..1).
    world_xyz: (T, 33, 3) metres, origin at the hip midpoint (MediaPipe world landmarks).
    visibility: (T, 33) in 0..1 (0 where the landmark is missing).
    t: (T,) seconds from the start of the video.
    width, height: frame size in pixels (after rotation).
    image_contrast: (T,) spread of the frame's grey levels (see formcheck.pose.scene), NaN if unknown.
    notes: what the pose pass noticed that the report should say (e.g. a second person in frame).
    """

    image_xy: np.ndarray
    world_xyz: np.ndarray
    visibility: np.ndarray
    t: np.ndarray
    width: int
    height: int
    fps: float = field(default=30.0)
    notes: tuple[str, ...] = ()
    image_contrast: np.ndarray = field(default_factory=lambda: np.zeros(0))

    def __post_init__(self) -> None:
        n = len(self.t)
        if len(self.image_contrast) == 0 and n:
            object.__setattr__(self, "image_contrast", np.full(n, np.nan))
        expect = {
            "image_xy": (n, NUM_LANDMARKS, 2),
            "world_xyz": (n, NUM_LANDMARKS, 3),
            "visibility": (n, NUM_LANDMARKS),
            "t": (n,),
            "image_contrast": (n,),
        }
        for name, shape in expect.items():
            actual = np.shape(getattr(self, name))
            if actual != shape:
                raise PoseDataError(f"PoseSequence.{name}: expected shape {shape}, got {actual}")
            object.__setattr__(self, name, _readonly(getattr(self, name)))
        if self.width <= 0 or self.height <= 0:
            raise PoseDataError(f"PoseSequence: frame size must be positive, got {self.width}x{self.height}")

    def __len__(self) -> int:
        return len(self.t)

    @property
    def duration_s(self) -> float:
        return float(self.t[-1] - self.t[0]) if len(self.t) > 1 else 0.0

    def px(self, lm: Landmark) -> np.ndarray:
        """(T, 2) pixel coordinates of one landmark (NaN where missing)."""
        return self.image_xy[:, lm, :] * np.array([self.width, self.height], dtype=np.float64)

    def vis(self, lm: Landmark) -> np.ndarray:
        """(T,) visibility of one landmark."""
        return self.visibility[:, lm]

    def detected(self) -> np.ndarray:
        """(T,) bool: a person was found in the frame."""
        return ~np.isnan(self.image_xy[:, Landmark.LEFT_HIP, 0])

    def slice(self, start: int, stop: int) -> PoseSequence:
        return self.replace_arrays(
            image_xy=self.image_xy[start:stop],
            world_xyz=self.world_xyz[start:stop],
            visibility=self.visibility[start:stop],
            t=self.t[start:stop],
            image_contrast=self.image_contrast[start:stop],
        )

    def replace_arrays(self, **arrays: np.ndarray) -> PoseSequence:
        values = {
            "image_xy": self.image_xy,
            "world_xyz": self.world_xyz,
            "visibility": self.visibility,
            "t": self.t,
            "image_contrast": self.image_contrast,
        }
        values.update(arrays)
        return PoseSequence(width=self.width, height=self.height, fps=self.fps, notes=self.notes, **values)

    def with_notes(self, *notes: str) -> PoseSequence:
        return replace(self, notes=self.notes + tuple(n for n in notes if n not in self.notes))

    def mirrored(self) -> PoseSequence:
        """The same movement seen in a mirror: x flipped and left/right labels swapped."""
        swap = np.arange(NUM_LANDMARKS)
        for lm in Landmark:
            if "LEFT" in lm.name:  # LEFT_KNEE, ..., and MOUTH_LEFT
                other = Landmark[lm.name.replace("LEFT", "RIGHT")]
                swap[lm], swap[other] = other, lm
        xy = self.image_xy[:, swap].copy()
        xy[..., 0] = 1.0 - xy[..., 0]
        world = self.world_xyz[:, swap].copy()
        world[..., 0] = -world[..., 0]
        return self.replace_arrays(image_xy=xy, world_xyz=world, visibility=self.visibility[:, swap])

    def save(self, path: str | Path) -> None:
        np.savez_compressed(
            path,
            image_xy=self.image_xy,
            world_xyz=self.world_xyz,
            visibility=self.visibility,
            t=self.t,
            size=np.array([self.width, self.height]),
            fps=np.array([self.fps]),
            notes=np.array(self.notes, dtype=str),
            image_contrast=self.image_contrast,
        )

    @classmethod
    def load(cls, path: str | Path) -> PoseSequence:
        try:
            with np.load(path) as data:
                return cls(
                    image_xy=data["image_xy"],
                    world_xyz=data["world_xyz"],
                    visibility=data["visibility"],
                    t=data["t"],
                    width=int(data["size"][0]),
                    height=int(data["size"][1]),
                    fps=float(data["fps"][0]) if "fps" in data else 30.0,
                    notes=tuple(str(n) for n in data["notes"]) if "notes" in data else (),
                    image_contrast=data["image_contrast"] if "image_contrast" in data else np.zeros(0),
                )
        except (OSError, KeyError, ValueError, EOFError, zipfile.BadZipFile) as exc:
            raise PoseDataError(f"{path}: not a FormCheck pose file ({exc})") from exc

    @classmethod
    def empty(cls, width: int, height: int, fps: float = 30.0) -> PoseSequence:
        return cls(
            image_xy=np.zeros((0, NUM_LANDMARKS, 2)),
            world_xyz=np.zeros((0, NUM_LANDMARKS, 3)),
            visibility=np.zeros((0, NUM_LANDMARKS)),
            t=np.zeros(0),
            width=width,
            height=height,
            fps=fps,
        )
