from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FOOTAGE = ROOT.parent / "shared" / "footage"
FIXTURES = ROOT / "fixtures" / "videos"


def footage_labels() -> list[dict]:
    path = FOOTAGE / "labels.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


@pytest.fixture
def footage() -> Path:
    if not (FOOTAGE / "labels.jsonl").exists():
        pytest.skip(f"labelled footage not found at {FOOTAGE}")
    return FOOTAGE


def _needs(items: list[pytest.Item], fixture: str) -> bool:
    return any(fixture in getattr(item, "fixturenames", ()) for item in items)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The tests that read every clip's result run last: the pose model then has the rest of the
    suite's time to get through the clips in the background (tests/footage_run.py)."""
    items.sort(key=lambda item: "footage_results" in getattr(item, "fixturenames", ()))


def pytest_collection_finish(session: pytest.Session) -> None:
    """The pose model starts on every clip as soon as the tests are collected when the tests that
    score them all are to run."""
    if (not session.config.option.collectonly and _needs(session.items, "footage_results")
            and (FOOTAGE / "labels.jsonl").exists()):
        _start_footage_run(session.config, queue_all=True)


_RUN = pytest.StashKey["object"]()


def _start_footage_run(config: pytest.Config, queue_all: bool = False) -> object:
    from tests.footage_run import FootageRun

    if _RUN not in config.stash:
        cache = os.environ.get("FORMCHECK_TEST_POSE_CACHE")
        store = Path(cache) if cache else Path(tempfile.mkdtemp(prefix="formcheck-test-poses-"))
        if not cache:  # cleanups run last first: this after the processes have stopped
            config.add_cleanup(lambda: shutil.rmtree(store, ignore_errors=True))
        config.stash[_RUN] = FootageRun(FOOTAGE, store, fresh=not cache, queue_all=queue_all)
        config.add_cleanup(config.stash[_RUN].close)
    return config.stash[_RUN]


@pytest.fixture(scope="session")
def footage_run(request: pytest.FixtureRequest):
    """The pose model over every supported labelled clip, once per clip (tests/footage_run.py)."""
    if not (FOOTAGE / "labels.jsonl").exists():
        pytest.skip(f"labelled footage not found at {FOOTAGE}")
    return _start_footage_run(request.config)


@pytest.fixture(scope="session")
def footage_results(footage_run) -> list:
    """Every supported clip analysed with its labelled exercise."""
    return footage_run.results()


@pytest.fixture(scope="session")
def fixture_poses():
    """The raw poses of a rendered fixture clip (fixtures/videos/NAME.mp4): the pose model runs
    once per clip per run."""
    from formcheck import extract_poses
    from formcheck.pose.sequence import PoseSequence

    made: dict[str, PoseSequence] = {}

    def poses(name: str) -> PoseSequence:
        if name not in made:
            made[name] = extract_poses(FIXTURES / f"{name}.mp4")[0]
        return made[name]

    return poses


@pytest.fixture(scope="session")
def bystander_poses(tmp_path_factory):
    """The rendered squat beside a figure standing still (tests/edited_clips.py), the athlete on
    the left or the right: (clip, raw poses, video info), each clip written and run through the
    pose pass (one process, as analyze_video) once per run."""
    from formcheck import extract_poses
    from tests.edited_clips import SQUAT, beside_a_bystander

    if not SQUAT.exists():
        pytest.skip(f"rendered fixture {SQUAT} missing")
    folder = tmp_path_factory.mktemp("bystander")
    made: dict[bool, tuple] = {}

    def poses(athlete_on_the_left: bool) -> tuple:
        if athlete_on_the_left not in made:
            side = "left" if athlete_on_the_left else "right"
            clip = beside_a_bystander(folder / f"athlete_{side}.mp4", athlete_on_the_left)
            made[athlete_on_the_left] = (clip, *extract_poses(clip))
        return made[athlete_on_the_left]

    return poses
