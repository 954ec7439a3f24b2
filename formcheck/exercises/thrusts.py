"""Hip thrusts and single-leg bridges: hips driven up to the shoulder-hip-knee line.

Single-leg hip thrust (routine 1), single-leg bridge (the same on the floor) and the two-legged
hip thrust (shoulders on a bench). Reps are cut on hip height; the working leg is the planted one,
its knee bent while the lifted leg is held straight.
"""

from dataclasses import replace

from formcheck.exercises import measures as ms
from formcheck.exercises.base import HIP_RISE, SAGITTAL_WIDE, Exercise, Rule
from formcheck.exercises.bridges import GLUTE_BRIDGE, INCOMPLETE_LOCKOUT, LUMBAR_HYPEREXTENSION
from formcheck.exercises.bridges import PELVIC_DROP as BRIDGE_PELVIC_DROP
from formcheck.reps import RepSpec

SHALLOW_DEPTH = Rule(
    code="shallow_depth", cue="Lower your hips almost to the floor before driving up.",
    measure=ms.hip_extension_range, limit=25.0, major=15.0, direction="below", unit="deg",
    views=SAGITTAL_WIDE, landmarks=("shoulder", "hip", "knee"),
    why="Half reps at the top skip the stretched range where the glutes work hardest.",
    source="Exercise instructions: lower the butt almost to the floor. A floor bridge from hips "
           "down to the straight line spans ~40 deg of shoulder-hip-knee angle; flag < 25 deg (L).")

PLANTED_PELVIC_DROP = replace(
    BRIDGE_PELVIC_DROP, cue="Keep your hips level: don't let the lifted-leg side dip.")

SINGLE_LEG_HIP_THRUST = Exercise(
    posture="lying",
    id="single_leg_hip_thrust", name="Single-leg hip thrust", driver=HIP_RISE,
    rep_spec=RepSpec(rom_prior=0.25, min_excursion=0.07, min_duration_s=0.6),
    rules=(INCOMPLETE_LOCKOUT, PLANTED_PELVIC_DROP, LUMBAR_HYPEREXTENSION, SHALLOW_DEPTH),
    per_leg=True, working_leg="bent_knee", best_views=frozenset({"side"}),
    prescription="20-30 per leg", rep_range=(20, 30), aliases=("sl_hip_thrust",),
    description="On the back, one leg lifted; lower the hips almost to the floor and drive up "
                "through the planted heel to the straight line.",
    signals=("hip_extension", "knee_flexion"))

SINGLE_LEG_BRIDGE = replace(
    SINGLE_LEG_HIP_THRUST, id="single_leg_bridge", name="Single-leg glute bridge",
    aliases=("single_leg_glute_bridge",), prescription="3 x 10-15 per leg", rep_range=(10, 15),
    description="On the back, one foot planted and the other leg extended; lift the hips to the "
                "straight line and lower.")

HIP_THRUST = replace(
    GLUTE_BRIDGE, id="hip_thrust", name="Hip thrust",
    rep_spec=RepSpec(rom_prior=0.3, min_excursion=0.08, min_duration_s=0.6),
    rules=(INCOMPLETE_LOCKOUT, LUMBAR_HYPEREXTENSION, SHALLOW_DEPTH),
    aliases=("barbell_hip_thrust",), prescription="3 x 10-15", rep_range=(10, 15),
    description="Upper back on a bench, feet flat; lower the hips and drive them up until "
                "shoulders, hips and knees line up.")
