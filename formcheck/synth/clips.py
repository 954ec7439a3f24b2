"""The project's own rendered test clips and the answers a correct analysis gives for each.

A Clip names a builder call (formcheck.synth.exercises) and its expected outcome. render_fixtures
writes <name>.mp4 (formcheck.mannequin) and <name>.expected.json beside it. The JSON follows the
label format of the labelled footage (footage.md: exercise, view, reps, reps_by_side, rep_times,
faults_present, faults_absent, source_kind "rendered") plus `drawn` (the builder call), and
`checks`: angles a pose model must measure on the clip, each as the drawn value, the bias this
mannequin is known to give (calibration in formcheck.mannequin) and a tolerance.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field, fields
from pathlib import Path

import numpy as np

from formcheck.pose.sequence import PoseSequence
from formcheck.synth.engine import Tempo
from formcheck.synth.exercises import BUILDERS

log = logging.getLogger(__name__)

FIXTURES_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "videos"
SQUARE = (720, 720)
WIDE = (1280, 720)
_TEMPO_FIELDS = {f.name for f in fields(Tempo)} - {"reps"}


@dataclass(frozen=True)
class Check:
    """An angle to measure at each rep's bottom (median of 5 frames), on the raw poses.

    signal: a formcheck.geometry function name; side: its side argument (None for whole-body
    signals); drawn: the value drawn at the bottom of each rep (one per rep); bias: what the
    mannequin is known to add (measured - drawn); tolerance: allowed |measured - drawn - bias|;
    baseline: subtract the value at the standing frames first (frontal angles).
    """

    signal: str
    side: str | None
    drawn: tuple[float, ...]
    tolerance: float
    bias: float = 0.0
    baseline: bool = False


@dataclass(frozen=True)
class Clip:
    name: str
    exercise: str
    builder: str
    view: str
    reps: int
    kwargs: dict[str, object]
    size: tuple[int, int]
    checks: tuple[Check, ...] = ()
    reps_by_side: dict[str, int] | None = None
    faults_present: tuple[str, ...] = ()
    faults_absent: tuple[str, ...] = ()
    visible: tuple[str, ...] = ("left", "right")  # sides whose hip/knee/ankle must be detected
    notes: str = ""
    extra: dict[str, object] = field(default_factory=dict)

    def sequence(self) -> PoseSequence:
        return BUILDERS[self.builder](view=self.view, reps=self.reps, size=self.size,
                                      **self.kwargs)

    def tempo(self) -> Tempo:
        return Tempo(reps=self.reps, **{k: v for k, v in self.kwargs.items()
                                        if k in _TEMPO_FIELDS})  # type: ignore[arg-type]


def _tempo(rep_s: float, pause_s: float, *, lead_s: float = 0.6, tail_s: float = 0.4,
           hold_s: float = 0.0, eccentric_frac: float = 0.5) -> dict[str, float]:
    return {"rep_s": rep_s, "pause_s": pause_s, "lead_s": lead_s, "tail_s": tail_s,
            "hold_s": hold_s, "eccentric_frac": eccentric_frac}


# Biases and tolerances come from the calibration in formcheck.mannequin's docstring.
CLIPS: tuple[Clip, ...] = (
    Clip("squat_front_clean", "squat", "squat", "front", 4,
         {"depth_deg": 100.0, **_tempo(1.5, 0.3)}, SQUARE,
         checks=(Check("knee_valgus_angle", "left", (-10.0,) * 4, 6.0, bias=-5.0,
                       baseline=True),
                 Check("knee_valgus_angle", "right", (-10.0,) * 4, 6.0, bias=-11.0,
                       baseline=True)),
         faults_absent=("knee_valgus",),
         notes="Four clean bodyweight squats filmed from the front, knees tracking out over the "
               "toes (depth-corrected FPPA -10 deg at the bottom; the pose model reads -12 to -18 "
               "on the left knee and -20 to -23 on the right)."),
    Clip("squat_side_shallow", "squat", "squat", "side", 4,
         {"depth_deg": (130.0, 130.0, 90.0, 90.0), **_tempo(1.5, 0.3)}, WIDE,
         checks=(Check("knee_flexion", "right", (130.0, 130.0, 90.0, 90.0), 10.0),
                 Check("thigh_to_horizontal", "right", (5.5, 5.5, 31.5, 31.5), 8.0, bias=-4.0),
                 Check("trunk_inclination", None, (52.0, 52.0, 36.0, 36.0), 6.0)),
         faults_present=("shallow_depth",), faults_absent=("heel_lift",), visible=("right",),
         notes="Side view facing right: two squats to parallel, then two shallow ones (reps 3 "
               "and 4, thigh 31.5 deg above horizontal).",
         extra={"faulty_reps": {"shallow_depth": [3, 4]}}),
    Clip("pistol_front_left_valgus", "pistol_squat", "pistol_squat", "front", 3,
         {"side": "left", "depth_deg": 60.0, "valgus_deg": 35.0, "free_leg_deg": 45.0,
          **_tempo(2.4, 0.1, lead_s=0.4, tail_s=0.2, eccentric_frac=0.72)}, SQUARE,
         checks=(Check("knee_valgus_angle", "left", (35.0,) * 3, 6.0, bias=-7.0, baseline=True),),
         reps_by_side={"left": 3}, faults_present=("knee_valgus",),
         faults_absent=("pelvic_drop", "lateral_trunk_lean"),
         notes="Left-leg pistol squats from the front to 60 deg of knee flexion (the single-leg "
               "squat screening depth), the left knee caving in by 35 deg FPPA at each bottom."),
    Clip("glute_bridge_side", "glute_bridge", "glute_bridge", "side", 4,
         {**_tempo(1.6, 0.2, hold_s=0.4)}, WIDE,
         checks=(Check("hip_extension", "right", (180.0,) * 4, 6.0),),
         faults_absent=("hip_sag", "lumbar_hyperextension"), visible=("right",),
         notes="Glute bridges lying on the back, feet to the image right, hips up to the "
               "shoulder-knee line with a 0.4 s hold."),
    Clip("single_leg_deadlift_side_left", "single_leg_deadlift", "single_leg_deadlift", "side", 3,
         {"side": "left", "hinge_deg": 80.0, "knee_deg": 20.0, "facing": "left",
          **_tempo(2.2, 0.2, eccentric_frac=0.55)}, WIDE,
         checks=(Check("trunk_inclination", None, (80.0,) * 3, 6.0),
                 Check("knee_flexion", "left", (20.0,) * 3, 8.0)),
         reps_by_side={"left": 3}, visible=("left",),
         faults_absent=("spine_flexion", "stance_knee_bend", "shallow_hinge", "loss_of_balance"),
         notes="Single-leg Romanian deadlifts on the left leg, facing image left (stance leg "
               "nearest the camera), free leg in line with the trunk."),
)
NOBODY = "nobody"  # 2 s of empty background: no person, no reps


def expected(clip: Clip) -> dict[str, object]:
    """The expected.json content of a clip."""
    seq = clip.sequence()
    return {
        "file": f"{clip.name}.mp4",
        "exercise": clip.exercise,
        "view": clip.view,
        "usable": True,
        "source_kind": "rendered",
        "reps": clip.reps,
        "reps_by_side": clip.reps_by_side,
        "rep_times": [[round(v, 3) for v in w] for w in clip.tempo().windows()],
        "faults_present": list(clip.faults_present),
        "faults_absent": list(clip.faults_absent),
        "visible_sides": list(clip.visible),
        "drawn": {"builder": clip.builder, "view": clip.view, "reps": clip.reps,
                  "size": list(clip.size), "fps": seq.fps,
                  "duration_s": round(seq.duration_s, 3), **_jsonable(clip.kwargs)},
        "checks": [_jsonable(vars(c)) for c in clip.checks],
        "notes": clip.notes,
        **_jsonable(clip.extra),
    }


def _jsonable(d: dict[str, object]) -> dict[str, object]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in d.items()}


def nobody_sequence(seconds: float = 2.0, fps: float = 30.0) -> PoseSequence:
    """A clip with nobody in it: every frame missing."""
    n = int(round(seconds * fps))
    return PoseSequence(np.full((n, 33, 2), np.nan), np.full((n, 33, 3), np.nan),
                        np.zeros((n, 33)), np.arange(n) / fps, *SQUARE, fps)


def render_fixtures(folder: str | Path = FIXTURES_DIR) -> list[Path]:
    """Render every fixture clip with its expected.json into `folder`; returns the mp4 paths."""
    from formcheck.mannequin import render_clip  # drawing and encoding only needed here

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for clip in CLIPS:
        written.append(render_clip(clip.sequence(), out / f"{clip.name}.mp4"))
        _write_json(out / f"{clip.name}.expected.json", expected(clip))
    written.append(render_clip(nobody_sequence(), out / f"{NOBODY}.mp4"))
    _write_json(out / f"{NOBODY}.expected.json", {
        "file": f"{NOBODY}.mp4", "exercise": None, "view": None, "usable": True,
        "source_kind": "rendered", "reps": 0, "reps_by_side": None, "rep_times": [],
        "faults_present": [], "faults_absent": [], "visible_sides": [],
        "drawn": {"size": list(SQUARE), "fps": 30.0, "duration_s": 2.0}, "checks": [],
        "notes": "Two seconds of empty background: analysis must report that nobody was found."})
    return written


def _write_json(path: Path, data: dict[str, object]) -> None:
    path.write_text(json.dumps(data, indent=2) + "\n")
    log.info("wrote %s", path)
