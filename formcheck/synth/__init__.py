"""Synthetic PoseSequences with known answers, for rule examples and end-to-end fixtures.

Every builder draws joint-angle curves for one kinematic figure from a rep profile, films it with
an orthographic camera and returns the PoseSequence MediaPipe would give for a perfect detection
(visibility 0.99, world_xyz in metres). Angles measured by formcheck.geometry come back as drawn
in the view they belong to: sagittal ones from "side", frontal ones from "front" / "back".

    seq = synth.squat(view="front", reps=5, depth_deg=100, valgus_deg=15)
    seq = synth.pistol(side="left", view="front", valgus_deg=25, rep_s=3.0, noise_px=1.5)
    seq = synth.bridge(side="right", sag_deg=15)          # single-leg bridge, hips sagging

Builders share three groups of keyword options:
- Tempo: reps timing (rep_s, pause_s, lead_s, tail_s, hold_s, eccentric_frac, shape);
- Shot: filming (facing, fps, size, noise_px, drop_frac, drop_frames, seed);
- Faults: valgus_deg, other_valgus_deg, pelvic_drop_deg, lean_deg, forward_lean_deg,
  heel_lift_deg, chord_loss, neck_flex_deg, sag_deg.
A fault grows with the rep profile and reaches its full value at the bottom of each rep (the top
for step-ups and bridges); any fault, and each builder's depth, may be one number or one per rep.
`synthesize(draw, view, reps, **options)` is the generic engine the builders use: draw(profile)
returns a Motion of joint-angle curves. `python -m formcheck.synth render-fixtures` renders the
project's fixture clips (formcheck.synth.clips) with formcheck.mannequin.

Modules: body (Body, Motion), figure (Motion -> 33 landmarks in 3D), engine (timing, camera,
faults, noise), exercises (the builders), clips (fixture clips and their expected answers).
"""

from formcheck.synth.body import BODY, Body, Motion
from formcheck.synth.engine import (
    Faults,
    Profile,
    Shot,
    Tempo,
    project,
    rep_curve,
    synthesize,
)
from formcheck.synth.exercises import (
    BUILDERS,
    bridge,
    calf_raise,
    hip_hike,
    lunge,
    pistol,
    single_leg_deadlift,
    squat,
    step_up,
)

__all__ = [
    "BODY", "BUILDERS", "Body", "Faults", "Motion", "Profile", "Shot", "Tempo", "bridge",
    "calf_raise", "hip_hike", "lunge", "pistol", "project", "rep_curve", "single_leg_deadlift",
    "squat", "step_up", "synthesize",
]
