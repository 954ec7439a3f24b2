"""Jumps: box jump (landing), jump squat and plyometric (jumping) lunge.

Landings are found from the feet: initial contact is the peak of a foot's fall at flight speed
(measures.initial_contact). Judge landings at 60 fps or more (biomechanics.md section 10).
"""

import warnings
from dataclasses import replace

import numpy as np

from formcheck import geometry as g
from formcheck.exercises import measures as ms
from formcheck.exercises.base import (
    FRONTAL,
    HIP_DROP,
    KNEE_BEND_REP_DEG,
    SAGITTAL,
    Driver,
    Exercise,
    Rule,
)
from formcheck.exercises.checks import FRONT_KNEE_VALGUS, LUNGE_SPEC, TRUNK_AHEAD_OF_SHIN
from formcheck.pose.landmarks import joint
from formcheck.pose.sequence import PoseSequence
from formcheck.reps import RepSpec

STIFF_LANDING = Rule(
    code="stiff_landing", cue="Land soft: let the knees bend deeply as you touch down.",
    measure=ms.landing_absorption, limit=45.0, major=30.0, direction="below", unit="deg",
    views=SAGITTAL, landmarks=("hip", "knee", "ankle"),
    why="A stiff landing sends the impact into the knee and hip instead of the muscles.",
    source="LESS: error when knee-flexion displacement after initial contact < 45 deg (Padua "
           "2009; biomechanics.md 6f, H criterion / M for 2D pose).")

LANDING_VALGUS = Rule(
    code="knee_valgus", cue="Land with your knees over your toes, not caving in.",
    measure=ms.landing_valgus, limit=13.0, major=16.0, direction="above", unit="deg",
    views=FRONTAL, landmarks=("hip", "knee", "ankle"),
    why="Knees caving in on landing is the classic ACL-injury pattern.",
    source="Drop-jump FPPA norms F 7-13 deg, M 3-8 deg (Herrington & Munro 2010); upper female "
           "limit at the deepest bend after contact (biomechanics.md 6f, M-H).")

FLAT_FOOTED_LANDING = Rule(
    code="flat_footed_landing", cue="Land on the balls of your feet, then roll to the heels.",
    measure=ms.landing_toe_first, limit=5.0, direction="below", unit="deg",
    views=SAGITTAL, landmarks=("heel", "foot_index", "ankle"),
    why="Landing heel-first or flat-footed skips the calf's share of the shock absorption.",
    source="LESS foot-contact item: error unless toe-to-heel (Padua 2009); foot pitch at initial "
           "contact < 5 deg above standing = heel or flat landing (L: about the pitch noise).")


def feet_rise(seq: PoseSequence, scale: float) -> np.ndarray:
    """Height of the ankles, in leg lengths: grows as the feet go up. Both feet go up together,
    so where one ankle is not seen (the far one, side-on) the other stands for both.

    A box jump's feet go up onto the box and stay there until the step down, whatever the
    landing: the hips, which drop deep into a soft landing (below their standing height on a low
    box), would cut a second rep at every landing (box jumps drawn with 100 deg landings counted
    twice per jump by hip height, once by the feet, over boxes of 0.2-0.6 m and three views).
    """
    y = np.stack([seq.px(joint("ankle", side))[:, 1] for side in ("left", "right")])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # frames with neither ankle: NaN
        return -np.nanmean(y, axis=0) / scale


FEET_RISE = Driver("feet_rise", feet_rise, "feet height (leg lengths)")

BOX_JUMP = Exercise(
    id="box_jump", name="Box jump", driver=FEET_RISE,
    rep_spec=RepSpec(rom_prior=0.4, min_excursion=0.15, min_duration_s=0.6),
    rules=(replace(STIFF_LANDING, measure=ms.box_landing_absorption),
           replace(LANDING_VALGUS, measure=ms.box_landing_valgus),
           replace(FLAT_FOOTED_LANDING, measure=ms.box_landing_toe_first)),
    per_leg=False, working_leg=None, best_views=frozenset({"side", "front"}),
    prescription="3 x 10", rep_range=(10, 10), aliases=("box_jumps",),
    description="Jump onto a box from both feet, land softly with knees over toes, step down.",
    signals=("knee_flexion", "hip_flexion", "trunk_inclination"))


def knee_bend(seq: PoseSequence, scale: float) -> np.ndarray:
    """Mean 3D knee flexion of the two legs (deg, world landmarks, so any view): flight and
    standing keep the legs straight, each squat bends them. Hip height would put the baseline at
    the top of the jump and never see the last squat end."""
    return (g.knee_flexion_3d(seq, "left") + g.knee_flexion_3d(seq, "right")) / 2.0


KNEE_BEND = Driver("knee_bend", knee_bend, "mean knee flexion, 3D (degrees)")

JUMP_DEPTH = Rule(
    code="shallow_depth", cue="Sink to at least a half squat before you jump.",
    measure=ms.thigh_angle_at_bottom, limit=45.0, major=60.0, direction="above", unit="deg",
    views=SAGITTAL, landmarks=("hip", "knee"),
    why="A quarter dip gives the jump no range to develop force through.",
    source="Jump squats are loaded to about a half squat, not to parallel (L): flag a thigh more "
           "than 45 deg above horizontal at the bottom. Side view only: from the labelled "
           "front-oblique clip clean jump squats read 42-53 deg, the thigh foreshortened.")

JUMP_SQUAT = Exercise(
    id="jump_squat", name="Jump squat", driver=KNEE_BEND,
    rep_spec=RepSpec(rom_prior=70.0, min_excursion=30.0, min_duration_s=0.4),
    rules=(JUMP_DEPTH, replace(FRONT_KNEE_VALGUS, cue="Knees out over your toes as you sink."),
           TRUNK_AHEAD_OF_SHIN), per_leg=False, working_leg=None,
    best_views=frozenset({"side", "front"}), prescription="3 x 10", rep_range=(10, 10),
    aliases=("squat_jump",),
    description="Squat to at least half depth and jump; land softly straight into the next "
                "squat.")

LUNGE_LANDING = replace(
    STIFF_LANDING, limit=30.0, major=20.0,
    cue="Absorb the landing: sink into the lunge instead of landing stiff.",
    source="LESS knee displacement < 45 deg is for two-footed drop landings (Padua 2009); a split "
           "landing already touches down bent: 30 deg (L).")

PLYOMETRIC_LUNGE = Exercise(
    id="plyometric_lunge", name="Plyometric lunge", driver=HIP_DROP,
    rep_spec=replace(LUNGE_SPEC, min_duration_s=0.4),
    rules=(FRONT_KNEE_VALGUS, LUNGE_LANDING), per_leg=True, working_leg="front",
    best_views=frozenset({"side", "front"}), prescription="3 x 12 per leg", rep_range=(12, 12),
    aliases=("jump_lunge", "jumping_lunge", "split_jump"),
    description="Jump from a lunge, switch legs in the air and land softly in the other lunge.",
    min_knee_bend_deg=KNEE_BEND_REP_DEG)
