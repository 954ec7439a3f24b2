"""Recognition through the pose model: synthetic clips rendered as video, then recognised.

    python -m formcheck.recognition.rendered --per-class 2 --seed 1000

The training and held-back clips are drawn poses (formcheck.recognition.synthetic). Here each
movement is drawn the same way, acted by the mannequin (formcheck.mannequin), and the video goes
through the whole pipeline (pose model included) with no exercise named. What the pose model does
to a movement (world landmarks flattened toward the picture, a hip landmark that slides in a deep
bend, feet that swim) reaches the recogniser as it does on real footage, so these clips show how
recognition travels to real clips without touching them. Standing movements are filmed from 20
and 80 degrees (near front, near side), lying ones from 60 and 100, one leg each; the clip's
seed is fixed per movement and view, so a rerun renders the same clips.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console

from formcheck.recognition.movements import MOVEMENTS
from formcheck.recognition.scoring import confusion_lines, score_recognition
from formcheck.report import Report

STANDING_YAWS = (20.0, 80.0)
LYING_YAWS = (60.0, 100.0)
REPS = 3


@dataclass
class RenderedResult:
    """One rendered clip, as the scorer reads it: its label and the report of recognising it."""

    label: dict
    report: Report | None


def run(names: Sequence[str] | None = None, per_class: int = 2, seed: int = 1000,
        folder: Path | None = None) -> list[RenderedResult]:
    """Render per_class clips of every movement (or those named) and recognise each."""
    from formcheck.analysis import analyze_video
    from formcheck.mannequin import render_clip
    from formcheck.recognition.synthetic import clip

    out = []
    movements = sorted(MOVEMENTS) if names is None else list(names)
    with tempfile.TemporaryDirectory() as tmp:
        where = Path(folder or tmp)
        for k, name in enumerate(sorted(MOVEMENTS)):
            if name not in movements:
                continue
            yaws = LYING_YAWS if MOVEMENTS[name].lying else STANDING_YAWS
            for j in range(per_class):
                side = "left" if j % 2 == 0 else "right"
                seq = clip(name, side, REPS, yaws[j % len(yaws)], seed=seed + 10 * k + j,
                           size=(1280, 720))
                path = where / f"{name}_{j}.mp4"
                render_clip(seq, path, preset="veryfast")
                report = analyze_video(path, None).report
                out.append(RenderedResult({"exercise": name, "usable": True}, report))
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("names", nargs="*", help="movements to render (default: all)")
    p.add_argument("--per-class", type=int, default=2)
    p.add_argument("--seed", type=int, default=1000)
    a = p.parse_args(argv)
    results = run(a.names or None, a.per_class, a.seed)
    console = Console()
    s = score_recognition(results)
    for line in confusion_lines(s):
        console.print(line, highlight=False, soft_wrap=True)
    console.print(s.summary().replace("usable clips", "rendered clips"), highlight=False,
                  soft_wrap=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
