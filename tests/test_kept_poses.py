"""extract_poses_kept: the pose pass runs once per video and its poses are kept; a kept file that
cannot be read (empty, cut short, not a pose file, a pickled object) is made again, never trusted."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from formcheck import PoseDataError, PoseSequence, extract_poses_kept, probe, synth
from formcheck.pose import extract
from tests.api.media import write_noise_video


@pytest.fixture
def video(tmp_path: Path) -> Path:
    return write_noise_video(tmp_path / "clip.mp4")


@pytest.fixture
def passes(monkeypatch) -> list[Path]:
    """The pose pass replaced by one that returns a drawn squat; the videos it ran on."""
    calls: list[Path] = []

    def pose_pass(path, progress=None, workers=1):
        calls.append(Path(path))
        return synth.squat(view="front", reps=1, size=(96, 64), fps=10.0), probe(path)

    monkeypatch.setattr(extract, "extract_poses", pose_pass)
    return calls


def same(a: PoseSequence, b: PoseSequence) -> bool:
    return (np.array_equal(a.image_xy, b.image_xy, equal_nan=True)
            and np.array_equal(a.world_xyz, b.world_xyz, equal_nan=True) and a.t.tolist() == b.t.tolist())


def test_the_pose_pass_runs_once_and_its_poses_are_kept(video, passes, tmp_path):
    kept = tmp_path / "poses.npz"
    stages: list[tuple[float, str]] = []
    first, info = extract_poses_kept(video, kept, lambda f, s: stages.append((f, s)))
    assert passes == [video] and kept.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clip.mp4", "poses.npz"]  # no partial left
    again, info_again = extract_poses_kept(video, kept, lambda f, s: stages.append((f, s)))
    assert len(passes) == 1, "the pose pass ran again"
    assert same(again, first) and info_again == info
    assert stages[-1] == (1.0, "pose")  # a progress bar moves past the pose pass


@pytest.mark.parametrize("content", [b"", b"not a pose file", b"PK\x03\x04 cut short"],
                         ids=["empty", "text", "cut-short-zip"])
def test_unreadable_kept_poses_are_made_again(video, passes, tmp_path, content):
    kept = tmp_path / "poses.npz"
    kept.write_bytes(content)
    made, _ = extract_poses_kept(video, kept)
    assert len(passes) == 1
    assert same(PoseSequence.load(kept), made)


def test_kept_poses_are_read_without_unpickling(video, passes, tmp_path):
    kept = tmp_path / "poses.npz"
    np.savez(kept, image_xy=np.array([object()], dtype=object))
    extract_poses_kept(video, kept)
    assert len(passes) == 1


def test_kept_poses_of_a_picture_of_another_size_are_refused_and_kept(video, passes, tmp_path):
    kept = tmp_path / "poses.npz"
    synth.squat(view="front", reps=1, size=(64, 48), fps=10.0).save(kept)  # the video is 96x64
    content = kept.read_bytes()
    with pytest.raises(PoseDataError, match="the poses of another video"):
        extract_poses_kept(video, kept)
    assert kept.read_bytes() == content and passes == []
