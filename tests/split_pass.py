"""Analyse a clip with its pose pass split between processes and in one pass, in a fresh process.

MediaPipe's native state does not survive fork(), so the split pass runs only in a process that
has not run the pose model yet (formcheck.pose.parallel); the test process has. This runs the
split pass first, then the single pass, and writes both reports, the poses and the spans used:

    python -m tests.split_pass CLIP EXERCISE WORKERS OUT_FOLDER [ONE_POSES]

ONE_POSES: the single pass's poses of the clip made by this code already (a .npz), used instead of
running the single pass again.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    clip, exercise, workers, out = argv[0], argv[1], int(argv[2]), Path(argv[3])
    from formcheck import analyze_poses, extract_poses, get_exercise
    from formcheck.pose.mediapipe_backend import graphs_made
    from formcheck.pose.parallel import split
    from formcheck.pose.sequence import PoseSequence
    from formcheck.video import probe

    info = probe(clip)
    split_raw, _ = extract_poses(clip, workers=workers)
    assert not graphs_made(), "the split pass ran the pose model in the calling process"
    one_raw = PoseSequence.load(argv[4]) if len(argv) > 4 else extract_poses(clip, workers=1)[0]
    out.mkdir(parents=True, exist_ok=True)
    split_raw.save(out / "split.npz")
    one_raw.save(out / "one.npz")
    result = {"spans": [[s.lead, s.start, s.stop] for s in split(info.frames, info.fps, workers)],
              "split": analyze_poses(split_raw, get_exercise(exercise), info).report.to_dict(),
              "one": analyze_poses(one_raw, get_exercise(exercise), info).report.to_dict()}
    (out / "reports.json").write_text(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
