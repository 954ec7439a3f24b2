"""Score FormCheck against a folder of labelled clips (format: footage.md in the shared docs).

Per clip: rep count exact / off by one, reps per side, view, faults present found and faults absent
wrongly reported. Overall: the same as rates, per fault code recall and precision, and the false-fault
rate on clips labelled clean.
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console

from formcheck.analysis import analyze_poses
from formcheck.errors import FormcheckError, UnknownExerciseError
from formcheck.exercises.registry import get_exercise
from formcheck.pose.extract import extract_poses, extract_poses_kept
from formcheck.pose.sequence import PoseSequence
from formcheck.report import Report

log = logging.getLogger(__name__)


@dataclass
class ClipResult:
    label: dict[str, Any]
    report: Report | None = None
    error: str | None = None

    @property
    def file(self) -> str:
        return str(self.label["file"])

    @property
    def got_reps(self) -> int | None:
        return None if self.report is None else self.report.rep_count

    def _fair_counts(self) -> list[int]:
        counts = [self.label.get("reps"), *(self.label.get("reps_alt") or [])]
        return [c for c in counts if c is not None]

    def reps_exact(self) -> bool:
        return self.got_reps in self._fair_counts()

    def reps_off_by_one(self) -> bool:
        ok = self._fair_counts()
        return self.got_reps is not None and bool(ok) and min(abs(self.got_reps - r) for r in ok) <= 1

    def sides_judged(self) -> bool:
        lab = self.label
        return bool(lab.get("reps_by_side")) and lab.get("side_confidence") in ("medium", "high")

    def sides_right(self) -> bool:
        """Per-leg counts match; when the count matched one of the label's other fair counts
        (reps_alt), the per-leg split is unknown, so the legs used must match instead."""
        if self.report is None or self.report.reps_by_side is None:
            return False
        want = {s: self.label["reps_by_side"].get(s) or 0 for s in ("left", "right")}
        got = self.report.reps_by_side
        if self.got_reps != self.label.get("reps") and self.reps_exact():
            return {s for s in want if want[s]} == {s for s in got if got[s]}
        return all(got[s] == want[s] for s in ("left", "right"))

    def reported_codes(self) -> set[str]:
        """Codes reported at all, clear or possible."""
        return set() if self.report is None else {f.code for f in self.report.faults}

    def clear_codes(self) -> set[str]:
        """Codes reported as clear faults in at least one rep."""
        return set() if self.report is None else {f.code for f in self.report.faults if f.clear}


def load_labels(footage: Path) -> list[dict[str, Any]]:
    path = footage / "labels.jsonl"
    if not path.exists():
        raise FormcheckError(f"{path}: no labels file (expected labels.jsonl beside clips/)")
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def supported(label: dict[str, Any]) -> bool:
    try:
        get_exercise(label["exercise"])
    except UnknownExerciseError:
        return False
    return True


def _cached_poses(clip: Path, cache: Path | None) -> PoseSequence:
    """The clip's poses, kept in `cache` under the hash of the clip's content (a copied clip
    keeps its poses); written whole or not at all, so runs side by side can share the folder."""
    if cache is None:
        return extract_poses(clip)[0]
    cache.mkdir(parents=True, exist_ok=True)
    return extract_poses_kept(clip, cached_poses_path(clip, cache))[0]


def cached_poses_path(clip: Path, cache: Path) -> Path:
    """Where `cache` keeps the clip's poses: named by a hash of its content."""
    return cache / f"{clip.name}.{hashlib.sha1(clip.read_bytes()).hexdigest()[:12]}.npz"


def evaluate_clip(footage: Path, label: dict[str, Any], cache: Path | None = None,
                  auto: bool = False) -> ClipResult:
    """Analyse one labelled clip with its labelled exercise, or recognising it when `auto`."""
    try:
        seq = _cached_poses(footage / "clips" / label["file"], cache)
    except FormcheckError as exc:
        return ClipResult(label, error=str(exc))
    return evaluate_poses(label, seq, auto)


def evaluate_poses(label: dict[str, Any], seq: PoseSequence, auto: bool = False) -> ClipResult:
    """Analyse a labelled clip's raw poses (as they are, or thinned or cut by a test)."""
    try:
        return ClipResult(label, analyze_poses(seq, None if auto else get_exercise(label["exercise"])).report)
    except FormcheckError as exc:
        return ClipResult(label, error=str(exc))


def _run(args: tuple[Path, dict[str, Any], Path | None, bool]) -> ClipResult:
    return evaluate_clip(*args)


def evaluate(footage: Path, labels: Iterable[dict[str, Any]], jobs: int = 2,
             cache: Path | None = None, auto: bool = False) -> list[ClipResult]:
    """Analyse every labelled clip (in `jobs` processes, each with its own pose tracker)."""
    work = [(footage, lab, cache, auto) for lab in labels]
    if jobs <= 1:
        return [_run(w) for w in work]
    # Spawned, not forked: a forked child of a process that already ran MediaPipe aborts.
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
        return list(pool.map(_run, work))


@dataclass
class Scores:
    usable: int = 0
    exact: int = 0
    off_by_one: int = 0
    side_clips: int = 0
    sides_right: int = 0
    view_clips: int = 0
    view_right: int = 0
    present: dict[str, list[bool]] = field(default_factory=dict)
    absent: dict[str, list[bool]] = field(default_factory=dict)  # reported as clear
    absent_possible: dict[str, list[bool]] = field(default_factory=dict)  # reported, any confidence
    clean_clips: int = 0
    clean_false: int = 0  # a clear fault on a clip labelled without faults
    clean_false_judged: int = 0  # ... that the label lists as absent (not only unlisted)

    def add(self, r: ClipResult) -> None:
        lab = r.label
        self.view_clips += 1
        self.view_right += r.report is not None and r.report.view == lab["view"]
        if not lab.get("usable"):
            return
        self.usable += 1
        self.exact += r.reps_exact()
        self.off_by_one += r.reps_off_by_one()
        if r.sides_judged():
            self.side_clips += 1
            self.sides_right += r.sides_right()
        codes, clear = r.reported_codes(), r.clear_codes()
        for code in lab.get("faults_present", []):
            self.present.setdefault(code, []).append(code in codes)
        for code in lab.get("faults_absent", []):
            self.absent.setdefault(code, []).append(code in clear)
            self.absent_possible.setdefault(code, []).append(code in codes)
        if not lab.get("faults_present"):
            self.clean_clips += 1
            self.clean_false += bool(clear)
            self.clean_false_judged += bool(clear & set(lab.get("faults_absent", [])))

    @staticmethod
    def pct(a: int, b: int) -> str:
        """"89.8% (79/88)": one decimal, so that a share just under a round target does not read as it."""
        return f"{100 * a / b:.1f}% ({a}/{b})" if b else "n/a"

    def absent_reported(self) -> tuple[int, int]:
        """Faults labelled absent that were reported as clear: (reported, checks)."""
        flat = [v for vs in self.absent.values() for v in vs]
        return sum(flat), len(flat)

    def absent_flagged(self) -> tuple[int, int]:
        """Faults labelled absent that were reported at all, clear or possible."""
        flat = [v for vs in self.absent_possible.values() for v in vs]
        return sum(flat), len(flat)

    def present_found(self) -> tuple[int, int]:
        flat = [v for vs in self.present.values() for v in vs]
        return sum(flat), len(flat)

    def summary(self) -> str:
        fa, fn = self.absent_reported()
        pa, _ = self.absent_flagged()
        pf, pn = self.present_found()
        return (f"reps exact {self.pct(self.exact, self.usable)}, off-by-one "
                f"{self.pct(self.off_by_one, self.usable)}, sides "
                f"{self.pct(self.sides_right, self.side_clips)}"
                f", view {self.pct(self.view_right, self.view_clips)}, faults present found "
                f"{self.pct(pf, pn)}, faults absent reported clear {self.pct(fa, fn)} "
                f"(clear or possible {self.pct(pa, fn)}), clean clips with a clear fault "
                f"{self.pct(self.clean_false, self.clean_clips)} (one the label lists absent "
                f"{self.pct(self.clean_false_judged, self.clean_clips)})")


def score(results: Iterable[ClipResult]) -> Scores:
    s = Scores()
    for r in results:
        s.add(r)
    return s


def _clip_line(r: ClipResult) -> str:
    lab = r.label
    if r.report is None:
        return f"{r.file}: ERROR {r.error}"
    mark = "ok" if r.reps_exact() else ("±1" if r.reps_off_by_one() else "XX")
    sides = ""
    if r.sides_judged():
        sides = f" sides {r.report.reps_by_side} vs {lab['reps_by_side']}" + (
            "" if r.sides_right() else " XX")
    view = r.report.view + ("" if r.report.view == lab["view"] else f" (label {lab['view']}) XX")
    absent = set(lab.get("faults_absent", []))
    wrong = sorted(absent & r.clear_codes())
    maybe = sorted(absent & (r.reported_codes() - r.clear_codes()))
    present = set(lab.get("faults_present", []))
    missed = sorted(present - r.reported_codes())
    unlisted = [] if present else sorted(r.clear_codes() - absent)
    faults = (f" false {wrong}" if wrong else "") + (f" possible {maybe}" if maybe else "") + (
        f" missed {missed}" if missed else "") + (f" clear, unlisted {unlisted}" if unlisted else "")
    usable = "" if lab.get("usable") else " (unusable)"
    rec = r.report.recognition
    if rec is not None:
        verdict = "" if rec["sure"] else " unsure"
        usable += f" recognised {rec['exercise']} {rec['confidence']:.2f}{verdict}"
    return (f"{r.file}{usable}: reps {r.got_reps} vs {lab['reps']} {mark}{sides} view {view}"
            f"{faults}")


def print_scores(results: list[ClipResult], console: Console) -> Scores:
    for r in results:
        console.print(_clip_line(r), highlight=False, soft_wrap=True)
    s = score(results)
    for code in sorted(set(s.present) | set(s.absent)):
        found = s.present.get(code, [])
        false = s.absent.get(code, [])
        maybe = s.absent_possible.get(code, [])
        console.print(f"  {code}: recall {s.pct(sum(found), len(found))}, reported clear where absent "
                      f"{s.pct(sum(false), len(false))}, possible or clear "
                      f"{s.pct(sum(maybe), len(maybe))}", highlight=False)
    console.print(s.summary(), highlight=False, soft_wrap=True)
    return s


def run_eval(footage: str | Path, console: Console, jobs: int = 2, cache: str | None = None,
             only: str | None = None, evidence: str | None = None, auto: bool = False) -> int:
    """Score the labelled clips; with `auto`, the exercise is recognised rather than given and the
    recognition is scored too (confusion matrix). Fault evidence is kept from runs with the
    exercise given only: a misrecognised clip says nothing about a rule."""
    root = Path(footage)
    labels = [lab for lab in load_labels(root) if supported(lab)]
    if only:
        labels = [lab for lab in labels if only in lab["file"]]
    results = evaluate(root, labels, jobs, Path(cache) if cache else None, auto)
    s = print_scores(results, console)
    if evidence and not auto:
        from formcheck.evidence import update_footage

        update_footage(s.present, s.absent, s.absent_possible, evidence)
    if auto:
        from formcheck.recognition.scoring import print_recognition

        print_recognition(results, console)
    return 0
