"""Hip thrusts and single-leg bridges: hips driven up to the shoulder-hip-knee line.

Single-leg hip thrust (routine 1), single-leg bridge (the same on the floor) and the two-legged
hip thrust (shoulders on a bench). Reps are cut on hip height; the working leg is the planted one,
its knee bent while the lifted leg is held straight.
"""

from dataclasses import replace

from formcheck.exercises.base import HIP_RISE, Exercise
from formcheck.exercises.checks import BRIDGE_ARCH, BRIDGE_LOCKOUT, BRIDGE_PELVIC_DROP, THRUST_DEPTH
from formcheck.reps import RepSpec

PLANTED_PELVIC_DROP = replace(
    BRIDGE_PELVIC_DROP, cue="Keep your hips level: don't let the lifted-leg side dip.")

SINGLE_LEG_HIP_THRUST = Exercise(
    posture="lying",
    id="single_leg_hip_thrust", name="Single-leg hip thrust", driver=HIP_RISE,
    rep_spec=RepSpec(rom_prior=0.25, min_excursion=0.07, min_duration_s=0.6),
    rules=(BRIDGE_LOCKOUT, PLANTED_PELVIC_DROP, BRIDGE_ARCH, THRUST_DEPTH),
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
