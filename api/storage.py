"""Where a clip's files live and how per-frame data is written for the web pages.

Layout: data_dir/clips/<analysis id>/ holds the upload ("source.<ext>"), the annotated video,
report.json, report.csv, frames.json and poses.npz, the pose model's raw landmarks, kept so that
the clip analysed again as another exercise skips the pose pass (a session: the upload, the
annotated video with each set labelled, and session.json). Outputs are written under a temporary
name and renamed, so a job killed half-way never leaves a half-written file that looks finished.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from api.wire import Frames
from formcheck import PoseSequence, skeleton_meta

# Extensions kept on the stored upload (FFmpeg sniffs the content; the name only helps people).
VIDEO_SUFFIXES = {".mp4", ".mov", ".m4v", ".avi", ".webm", ".mkv", ".3gp"}


@dataclass(frozen=True)
class ClipFiles:
    """The paths of one analysis' files."""

    folder: Path

    def source(self) -> Path | None:
        found = sorted(self.folder.glob("source.*"))
        return found[0] if found else None

    @property
    def annotated(self) -> Path:
        return self.folder / "annotated.mp4"

    @property
    def report_json(self) -> Path:
        return self.folder / "report.json"

    @property
    def report_csv(self) -> Path:
        return self.folder / "report.csv"

    @property
    def frames(self) -> Path:
        return self.folder / "frames.json"

    @property
    def poses(self) -> Path:
        return self.folder / "poses.npz"

    @property
    def session_json(self) -> Path:
        return self.folder / "session.json"

    @property
    def pose_log(self) -> Path:
        """A session's raw poses, kept by its first pass (formcheck.session.poselog)."""
        return self.folder / "poses.log"

    @property
    def named_sets(self) -> Path:
        """The exercises the athlete named for a session's sets: [{"t", "exercise"}]."""
        return self.folder / "named.json"

    def named(self) -> list[tuple[float, str]]:
        """(time s, exercise id) of each set the athlete named; none when unreadable."""
        try:
            items = json.loads(self.named_sets.read_text(encoding="utf-8"))
            return [(float(i["t"]), str(i["exercise"])) for i in items]
        except (OSError, ValueError, KeyError, TypeError):
            return []

    def partial(self, path: Path) -> Path:
        return path.with_name(f"{path.stem}.partial{path.suffix}")


def clip_files(data_dir: Path, analysis_id: str) -> ClipFiles:
    return ClipFiles(data_dir / "clips" / analysis_id)


def source_name(original_name: str) -> str:
    suffix = Path(original_name).suffix.lower()
    return "source" + (suffix if suffix in VIDEO_SUFFIXES else ".bin")


def write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def clean_json(value: Any) -> Any:
    """A JSON-safe copy: numpy scalars/arrays to Python, NaN and infinities to None."""
    if isinstance(value, Mapping):
        return {str(k): clean_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_json(v) for v in value]
    if isinstance(value, np.ndarray):
        return clean_json(value.tolist())
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _rounded(a: np.ndarray, digits: int) -> list[Any]:
    """A float array as nested lists rounded to `digits`, NaN as None."""
    out = np.round(a.astype(np.float64), digits).astype(object)
    out[~np.isfinite(a.astype(np.float64))] = None
    return out.tolist()


def frames_payload(poses: PoseSequence, signals: Mapping[str, np.ndarray]) -> dict[str, Any]:
    """Per-frame landmarks and angles for overlays and plots.

    {"t": (T,) s, "width", "height", "fps", "landmarks": (T, 33, 3) [x, y, visibility] with x, y
    normalised 0..1 (null where missing), "signals": {name: (T,) degrees or driver units},
    "connections": skeleton edges as landmark index pairs}
    """
    xyv = np.concatenate([poses.image_xy, poses.visibility[..., None]], axis=2)
    return Frames.model_construct(  # the arrays are large: built as typed, not re-validated
        t=_rounded(poses.t, 3),
        width=poses.width,
        height=poses.height,
        fps=round(float(poses.fps), 3),
        landmarks=_rounded(xyv, 4),
        signals={name: _rounded(np.asarray(v), 2) for name, v in signals.items()},
        connections=skeleton_meta()["connections"],
    ).model_dump(mode="json")


def write_frames(path: Path, poses: PoseSequence, signals: Mapping[str, np.ndarray]) -> None:
    write_atomic(path, json.dumps(frames_payload(poses, signals), separators=(",", ":")))
