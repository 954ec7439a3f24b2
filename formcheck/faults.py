"""The fault catalogue: one entry per fault code, one uncertainty per measure.

Every place that names a fault for people (reports, the terminal, the annotated video, the web
pages, `formcheck faults`, docs/faults.md), marks it on the body (the overlay) or compares it
between legs (summary.py) reads it from here. Its synthetic examples are here too: one clean set per
exercise (CLEAN_SETS, the good example of every fault the exercise checks) and, per fault, the knobs
that draw it into each exercise's set (FaultInfo.bad); tests/test_exercises.py runs them all.

Uncertainty: how far a measurement may sit from the truth, in the measure's own unit, for the
camera view it is read from, before the landmarks' visibility, the frame rate and the spread of the
measure over the clip's reps are added (formcheck.rules). A fault is `clear` when the value is beyond
its limit by more than this, `possible` when it is beyond the limit by less.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from formcheck.pose.sequence import PoseSequence

FRONTAL_VIEWS = ("front", "back")
OBLIQUE_VIEWS = ("front45", "back45")


@dataclass(frozen=True)
class FaultInfo:
    """What a fault code means to people and where the overlay marks it.

    title: a few words for a person ("Knee caving in"); meaning: what a coach would say;
    joint: the landmark name the overlay rings (None: nothing to point at); asym_noise: left-right
    differences of this fault's measure smaller than this are within noise (its unit, see
    biomechanics.md section 7: at least the measure's smallest detectable difference).
    bad: its bad synthetic examples, per exercise id the knobs that draw this fault into that
    exercise's clean set (CLEAN_SETS, the good example); the tests run both.
    """

    code: str
    title: str
    meaning: str
    joint: str | None
    asym_noise: float = 8.0
    bad: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


def _f(code: str, title: str, meaning: str, joint: str | None, asym_noise: float = 8.0) -> FaultInfo:
    return FaultInfo(code, title, meaning, joint, asym_noise)


@dataclass(frozen=True)
class SyntheticSet:
    """A clean synthetic set of one exercise: the good example of every fault the exercise checks.

    builder: a builder of formcheck.synth ("squat") or of one of its modules ("sets.step_up");
    reps and sides: what the set must count; good: the knobs that draw it clean.
    """

    builder: str
    reps: int
    good: Mapping[str, Any] = field(default_factory=dict)
    sides: Mapping[str, int] | None = None

    def draw(self, view: str, **knobs: Any) -> PoseSequence:
        """The set filmed from `view`, with `knobs` (a fault's) over the clean ones."""
        module, _, name = self.builder.rpartition(".")
        found = importlib.import_module(f"formcheck.synth.{module}" if module else "formcheck.synth")
        seq: PoseSequence = getattr(found, name)(view=view, **{**self.good, **knobs})
        return seq


def _set(builder: str, reps: int, good: Mapping[str, Any] | None = None,
         sides: Mapping[str, int] | None = None) -> SyntheticSet:
    return SyntheticSet(builder, reps, dict(good or {}), sides)


L4 = {"left": 4, "right": 0}
ALT4 = {"left": 2, "right": 2}

# One clean set per exercise. A clean deep squat pushes the knees out over the toes (FPPA -20 as
# drawn from the front).
CLEAN_SETS: dict[str, SyntheticSet] = {
    "squat": _set("squat", 4, {"depth_deg": 125.0, "valgus_deg": -20.0}),
    "pistol_squat": _set("pistol", 3, {"rep_s": 3.0, "depth_deg": 130.0}, {"left": 3, "right": 0}),
    "single_leg_deadlift": _set("sets.single_leg_deadlift", 3, sides={"left": 3, "right": 0}),
    "glute_bridge": _set("bridge", 4),
    "walking_bridge": _set("sets.walking_bridge", 4, sides=ALT4),
    "single_leg_hip_thrust": _set("bridge", 4, {"side": "left"}, L4),
    "single_leg_bridge": _set("bridge", 4, {"side": "left"}, L4),
    "hip_thrust": _set("bridge", 4),
    "hip_hike": _set("sets.hip_hike", 4, sides=L4),
    "front_step_up": _set("sets.step_up", 4, sides=L4),
    "side_step_up": _set("sets.step_up", 4, sides=L4),
    "step_up": _set("sets.step_up", 4, sides=L4),
    "hot_salsa": _set("sets_dynamic.hot_salsa", 4, sides=ALT4),
    "lunge": _set("sets.reverse_lunge", 4, sides=ALT4),
    "walking_lunge": _set("sets.reverse_lunge", 4, sides=ALT4),
    "bulgarian_split_squat": _set("sets.split_squat", 4, sides=L4),
    "lateral_lunge": _set("sets.lateral_lunge", 4, sides=L4),
    "deadlift": _set("sets.deadlift", 3),
    "romanian_deadlift": _set("sets.romanian_deadlift", 3),
    "calf_raise": _set("calf_raise", 4),
    "hamstring_curl": _set("sets.hamstring_curl", 4),
    "box_jump": _set("sets_dynamic.box_jump", 3),
    "jump_squat": _set("sets_dynamic.jump_squat", 4),
    "plyometric_lunge": _set("sets_dynamic.plyometric_lunge", 4, sides=ALT4),
}

# A knee drifting inside the foot shows best at moderate depth (the thigh pointing at the camera
# at parallel hides it): the lunges' valgus examples sink to 60 deg.
_VALGUS_LUNGE = {"depth": 60.0, "valgus": 40.0}
_STEP_UPS = ("front_step_up", "side_step_up", "step_up")
_THRUSTS = ("single_leg_hip_thrust", "single_leg_bridge", "hip_thrust")
_LUNGES = ("lunge", "walking_lunge")


def _each(ids: tuple[str, ...], knobs: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    return dict.fromkeys(ids, knobs)


# Each fault's bad examples: per exercise, the knobs that draw it into that exercise's clean set.
_BAD: dict[str, dict[str, Mapping[str, Any]]] = {
    "knee_valgus": {"squat": {"valgus_deg": 25.0}, "pistol_squat": {"valgus_deg": 25.0},
                    **_each(_STEP_UPS, {"valgus": 22.0}), "hot_salsa": {"valgus": 22.0},
                    **_each(_LUNGES + ("bulgarian_split_squat", "plyometric_lunge"),
                            _VALGUS_LUNGE),
                    "lateral_lunge": {"knee_in": True}, "box_jump": {"valgus": 22.0},
                    "jump_squat": {"depth": 90.0, "valgus": 40.0}},
    "pelvic_drop": {"pistol_squat": {"pelvic_drop_deg": 10.0},
                    **_each(("glute_bridge", "single_leg_hip_thrust", "single_leg_bridge"),
                            {"pelvic_drop_deg": 12.0}),
                    "walking_bridge": {"drop": 12.0},
                    **_each(("front_step_up", "side_step_up"), {"drop": 10.0})},
    "hip_sag": {"walking_bridge": {"sag": 20.0}},
    "incomplete_lockout": {**_each(("glute_bridge",) + _THRUSTS, {"top_deg": 152.0}),
                           **_each(_STEP_UPS, {"lockout_knee": 35.0}),
                           **_each(("deadlift", "romanian_deadlift"), {"lockout": 35.0})},
    "lumbar_hyperextension": _each(("glute_bridge",) + _THRUSTS, {"top_deg": 210.0}),
    "spine_flexion": {"single_leg_deadlift": {"chord": 0.15}, "squat": {"neck_flex_deg": 75.0},
                      **_each(("hot_salsa", "deadlift", "romanian_deadlift"), {"chord": 0.2})},
    "forward_lean": {"squat": {"trunk_deg": 80.0}, "pistol_squat": {"trunk_deg": 90.0},
                     **_each(_STEP_UPS, {"trunk": 55.0}),
                     **_each(_LUNGES + ("bulgarian_split_squat",), {"trunk": 60.0}),
                     "jump_squat": {"trunk": 0.75}},
    "lateral_trunk_lean": {"pistol_squat": {"lean_deg": 15.0},
                           "hip_hike": {"drop": 12.0, "lean": 28.0},
                           **_each(_LUNGES, {"lean": 18.0})},
    "shallow_depth": {"squat": {"depth_deg": 80.0}, "pistol_squat": {"depth_deg": 70.0},
                      **_each(_THRUSTS, {"bottom_deg": 158.0}), **_each(_LUNGES, {"depth": 55.0}),
                      "bulgarian_split_squat": {"depth": 60.0}, "lateral_lunge": {"bend": 40.0},
                      "jump_squat": {"depth": 50.0}},
    "shallow_hinge": _each(("single_leg_deadlift", "romanian_deadlift"), {"hinge": 35.0}),
    # Knees ahead of the toes is only reported together with a heel lift.
    "knee_past_toes": {"squat": {"heel_lift_deg": 25.0},
                       "bulgarian_split_squat": {"shank": 40.0, "heel": 25.0}},
    "heel_lift": {"squat": {"heel_lift_deg": 25.0}, "pistol_squat": {"heel_lift_deg": 25.0},
                  "bulgarian_split_squat": {"heel": 25.0}},
    "stance_knee_bend": {"single_leg_deadlift": {"knee": 60.0}, "hip_hike": {"knee": 25.0},
                         "calf_raise": {"knee_deg": 25.0}},
    "free_leg_misaligned": {"single_leg_deadlift": {"gap": 45.0}},
    "low_knee_drive": {**_each(("front_step_up", "side_step_up"), {"drive": 45.0}),
                       "hot_salsa": {"drive": 40.0}},
    "trailing_leg_pushoff": _each(_STEP_UPS, {"pushoff": 35.0}),
    "insufficient_range": {"hip_hike": {"drop": 5.0},
                           "calf_raise": {"rise_deg": [30.0, 30.0, 12.0, 30.0]},
                           "hamstring_curl": {"curl": 65.0}},
    "too_fast": {"pistol_squat": {"rep_s": 1.0}, "calf_raise": {"rep_s": 0.9},
                 "hamstring_curl": {"rep_s": 1.4, "curl_share": 0.75}},
    "short_hold": {"walking_bridge": {"hold_s": 0.5}},
    "loss_of_balance": {"pistol_squat": {"free_leg_deg": 5.0}, "single_leg_deadlift": {"hop": 0.3},
                        "hot_salsa": {"slide": 0.15}},
    "hips_rise_first": {"deadlift": {"hips_first": True}},
    "stiff_landing": {"box_jump": {"absorb": 40.0}, "plyometric_lunge": {"depth": 30.0}},
    "knee_dominant": {"deadlift": {"knee": 135.0, "trunk": 20.0},
                      "romanian_deadlift": {"knee": 60.0}},
    "flat_footed_landing": {"box_jump": {"toes": 0.0}},
}


# The vocabulary of biomechanics.md. Codes are never renamed or reused: a changed meaning gets a new
# code and the old one stays. Asymmetry noise: FPPA SDD 7.5-8.9 deg (Munro 2012), bridge pelvic
# MDC95 6.6 deg; sagittal joint angles 5-7 deg (section 9), so 8 where no better figure exists.
FAULTS: dict[str, FaultInfo] = {f.code: replace(f, bad=_BAD.get(f.code, {})) for f in (
    _f("knee_valgus", "Knee caving in", "knee caves inward", "knee", 8.0),
    _f("pelvic_drop", "Hip dropping", "hip on the free or unsupported side drops", "hip", 7.0),
    _f("hip_sag", "Hips sagging", "hips sag below the shoulder-hip-knee line", "hip"),
    _f("incomplete_lockout", "Not reaching the top", "top position not reached", "hip"),
    _f("lumbar_hyperextension", "Low back arching",
       "low back arches past the straight line at the top", "hip"),
    _f("spine_flexion", "Back rounding", "back rounds instead of hinging at the hips", "shoulder",
       0.04),
    _f("forward_lean", "Leaning too far forward", "trunk pitched too far forward", "shoulder"),
    _f("lateral_trunk_lean", "Trunk leaning sideways", "trunk leans sideways over the stance leg",
       "shoulder"),
    _f("shallow_depth", "Not deep enough", "not deep enough", "hip"),
    _f("shallow_hinge", "Hinge too shallow", "trunk barely tilts forward in a hinge", "shoulder"),
    _f("knee_past_toes", "Knee far past the toes",
       "knee travels well past the toes (a low-severity cue)", "knee", 0.15),
    _f("heel_lift", "Heel lifting", "heel leaves the ground when it should stay down", "heel", 0.03),
    _f("stance_knee_bend", "Standing knee bending",
       "stance knee bends when it should stay nearly straight", "knee"),
    _f("hip_rotation", "Pelvis opening", "pelvis opens or rotates", "hip"),
    _f("free_leg_misaligned", "Back leg out of line",
       "single-leg deadlift: back leg not in line with the trunk", "ankle"),
    _f("low_knee_drive", "Knee drive too low", "drive thigh stays below horizontal", "knee"),
    _f("trailing_leg_pushoff", "Pushing off the back leg",
       "the trailing leg launches the body instead of the stance leg", "ankle"),
    _f("insufficient_range", "Range too small", "movement too small", "hip"),
    _f("too_fast", "Too fast", "rep faster than slow and controlled", None, 0.3),
    _f("short_hold", "Hold too short", "a hold ended before its target time", "hip", 0.5),
    _f("loss_of_balance", "Losing balance", "free foot touches down or stance foot shifts or hops",
       "ankle", 0.04),
    _f("hip_shift", "Weight shifting to one side", "weight shifted to one side in a two-legged lift",
       "hip"),
    _f("hips_rise_first", "Hips rising first", "deadlift: hips rise before the shoulders", "hip", 0.5),
    _f("stiff_landing", "Stiff landing", "jump landing with too little knee bend", "knee"),
    # Added for the deadlift (exercises.md: "knee dominant, squatting the lift").
    _f("knee_dominant", "Squatting the lift",
       "hinge turned into a squat: the knees bend far more than a hinge needs", "knee"),
    # Added for box-jump landings (exercises.md: "heel-first or flat-footed landing"; LESS item).
    _f("flat_footed_landing", "Landing flat-footed",
       "landing heel-first or flat-footed instead of toes first", "heel"),
)}


def title(code: str) -> str:
    """A fault's name for people; an unknown code reads as itself with spaces."""
    info = FAULTS.get(code)
    return info.title if info else code.replace("_", " ")


@dataclass(frozen=True)
class Uncertainty:
    """A measure's uncertainty by camera view, in its unit (None: not read from that view).

    frontal: front or back; side: side-on; oblique: turned about 45 deg. timing: a duration,
    whose uncertainty also grows by the frame period at each end.
    """

    frontal: float | None
    side: float | None
    oblique: float | None
    source: str
    timing: bool = False
    # Read from the front or back while the body is turned `yaw` from square, a sagittal movement
    # of this size (the measure's unit) leaks in, times sin(yaw): a knee travelling forward in a
    # lunge turned 20 deg moves sideways in the picture.
    turn_leak: float = 0.0
    # Read obliquely, a camera looking down on the body (a phone held at chest or head height 2-3 m
    # away looks 20-30 deg down at the hips) tilts a horizontal segment that points partly toward
    # it: by atan(sin(pitch) x cos(yaw)) deg for this pitch (deg; 0: the measure is no angle of a
    # segment against the horizontal). Side-on (yaw 90) the tilt vanishes.
    camera_pitch: float = 0.0
    # What the pose model cannot tell with this measure, said in the report's not-assessed list
    # whenever a rule reads it (with how to film so that a person can judge it instead).
    caveat: str = ""

    def for_view(self, view: str) -> float:
        if view in FRONTAL_VIEWS:
            value = self.frontal
        elif view in OBLIQUE_VIEWS:
            value = self.oblique
        else:
            value = self.side
        if value is None:
            # Read from a view it is not meant for (never by the rules, which gate on views):
            # the largest stated figure.
            return max(v for v in (self.frontal, self.side, self.oblique) if v is not None)
        return value


def _u(frontal: float | None, side: float | None, oblique: float | None, source: str,
       timing: bool = False, turn_leak: float = 0.0, caveat: str = "",
       camera_pitch: float = 0.0) -> Uncertainty:
    return Uncertainty(frontal, side, oblique, source, timing, turn_leak, camera_pitch, caveat)


# Sources (biomechanics.md section 9 unless said): sagittal joint angles from a true side view
# +/-5-7 deg (MediaPipe -2.3 +/- 6.4 deg at 90 deg, Cosoli; OpenPose MAE 4-6 deg, Stenum 2021);
# off-axis views -13.9 +/- 15.1 deg (Cosoli); 2D FPPA SEM 2.7-3.0 deg, SDD 7.5-8.9 deg (Munro 2012);
# pelvic obliquity noise floor 1 cm over an 18 cm pelvis, about 3 deg (section 1). Where the
# rendered fault ladders (`python -m formcheck.synth limits`) measured a larger error on a view,
# the figure is raised to it and says so.
_SAGITTAL_ANGLE = _u(10.0, 6.0, 12.0, "sagittal joint angle: +/-6 deg side-on (Cosoli; Stenum "
                     "2021), 12 deg off-axis (Cosoli: -13.9 +/- 15.1 overall)")
_ANGLE_CHANGE = _u(8.0, 4.0, 8.0, "change of one joint angle within a rep: the pose bias cancels, "
                   "landmark jitter (about 4 deg side-on) stays")
_TRUNK = _u(8.0, 5.0, 8.0, "trunk inclination: 2D trunk angle 1.7 deg from 3D (Schurr 2017), "
            "pose model about 5 deg side-on")
_TIME = _u(0.15, 0.15, 0.15, "rep phase timing: events located to about 0.15 s on smoothed "
           "signals, plus one frame at each end", timing=True)

MEASURE_UNCERTAINTY: dict[str, Uncertainty] = {
    # ---- knees seen from the front ----
    "knee_valgus": _u(11.5, None, None, "depth-corrected FPPA: 2D FPPA SDD 7.5-8.9 deg "
                      "(Munro 2012), raised to the largest error on the rendered ladders: lunges "
                      "drawn straight read up to 11.2 deg of valgus, pistols drawn at 24-30 deg "
                      "read 7-9 deg low; a body turned from square leaks the knee's forward "
                      "travel in (50 deg x sin(yaw))", turn_leak=50.0),
    "step_up_valgus": _u(46.0, None, None, "depth-corrected FPPA of the stance knee on the way up; "
                         "on rendered step-ups from the front the driving knee passes in front of it "
                         "and the pose model loses it (36 deg drawn read -9 from a 90 deg start, an "
                         "error of 45 deg): never clear",
                         turn_leak=50.0,
                         caveat="from the front the driving knee hides the stance knee on the way "
                                "up, so a caving knee is missed or shown as worth a look at most"),
    "landing_valgus": _u(8.0, None, None, "2D FPPA SDD 7.5-8.9 deg (Munro 2012); turned from "
                         "square, the knee's forward travel leaks in", turn_leak=50.0),
    "knee_to_foot_width": _u(0.1, None, None, "correct front-view squats' knee/feet width spreads "
                             "0.7-0.94 between the 5th and 95th percentiles (labelled landmark set); "
                             "turned from square, the knees' forward travel narrows or widens it",
                             turn_leak=0.3,
                             caveat="knees that cave in at the bottom may still be placed over the "
                                    "feet by the pose model (a labelled squat with the knees well "
                                    "inside the feet read 1.11 knee/feet width, as wide as clean "
                                    "squats), so a caving knee may be missed"),
    # ---- pelvis and trunk seen from the front ----
    "pelvic_drop": _u(15.0, None, None, "hip-line angle: noise floor about 3 deg (1 cm over an 18 cm "
                      "pelvis), but the pose model keeps the hip landmarks nearly level: rendered "
                      "pistols and step-ups with 15 deg of drop read 0-4 deg (a step-up's read 0.1 "
                      "from the front), so the figure is the ladders' largest error and a drop is "
                      "at most worth a look",
                      caveat="the pose model keeps the hip landmarks nearly level, so a dropping "
                             "pelvis is missed or shown as worth a look at most"),
    "obliquity_excursion": _u(3.0, None, None, "pelvic obliquity from the hanging free leg: noise "
                              "floor about 3 deg (1 cm over an 18 cm pelvis); rendered hip hikes "
                              "read the feet within 1-2 cm of the drawn drop"),
    "lateral_lean": _u(6.0, None, None, "2D lateral trunk motion ICC 0.98-1.00 (Dingenen 2014); "
                       "shoulder and hip landmark jitter about 4 deg, raised to the rendered "
                       "ladders: lunges from the front read a sideways lean of 13-20 deg "
                       "5-6 deg low, pistols within 2.2 deg"),
    "trunk_over_pelvis": _u(5.0, None, None, "difference of two frontal angles' changes: trunk "
                            "lean (about 4 deg) and the hanging leg's obliquity (about 3 deg)"),
    # ---- sagittal angles ----
    "thigh_angle_at_bottom": _u(None, 6.0, 9.0, "thigh-to-horizontal: +/-6 deg side-on; obliques "
                                "corrected for yaw (squat depth ladder reads 3-6 deg under); read "
                                "obliquely, a camera 30 deg above the hips makes a level thigh "
                                "pointing toward it look raised by atan(sin 30 x cos yaw), 20 deg at "
                                "yaw 45 (deep squats filmed obliquely from above hip height read "
                                "25-47 deg above horizontal on the labelled clips)",
                                camera_pitch=30.0),
    "trunk_ahead_of_shin": _u(None, 9.0, 12.0, "difference of two segment angles, each about 5 "
                              "deg; raised to the rendered squat ladder, which reads the trunk "
                              "ahead of the shins 5-9 deg high from the side"),
    "trunk_at_bottom": _TRUNK,
    "peak_trunk_inclination": _TRUNK,
    "peak_knee_flexion": _SAGITTAL_ANGLE,
    "peak_either_knee_flexion": _SAGITTAL_ANGLE,
    "stance_knee_flexion": _u(None, 15.0, 18.0, "stance knee flexion at the bottom of a hinge: "
                              "as the hip flexes toward 90 deg the pose model's hip landmark drifts "
                              "back toward the buttock and the thigh reads steeper (MediaPipe hip "
                              "angle bias -17.5 deg, LoA +/-34, in a pixel-based squat pipeline; "
                              "section 9); on the labelled single-leg deadlifts the 2D knee reads "
                              "13-18 deg more bent than the world landmarks' 3D angle at the "
                              "deepest hinge"),
    "knee_at_deepest_hinge": _u(10.0, 8.0, 12.0, "sagittal joint angle (+/-6 deg side-on, "
                                "Cosoli), raised to the rendered deadlift ladder: a knee drawn "
                                "bent 95-145 deg at the deepest hinge read up to 7.7 deg off"),
    "lockout_flexion": _SAGITTAL_ANGLE,
    "lockout_after": _SAGITTAL_ANGLE,
    "knee_drive": _u(10.0, 7.0, 12.0, "sagittal joint angle (+/-6 deg side-on, Cosoli); the "
                     "rendered step-up ladder reads the drive thigh up to 6.3 deg high"),
    "free_leg_line": _SAGITTAL_ANGLE,
    "landing_absorption": _SAGITTAL_ANGLE,
    "hip_extension_at_top": _u(None, 6.0, 12.0, "shoulder-hip-knee angle: the bridge hip-sag ladder "
                               "reads within 1.5 deg side-on; 6 deg for real bodies (Cosoli)"),
    "hip_extension_range": _u(None, 6.0, 12.0, "range of the shoulder-hip-knee angle"),
    "hip_sag_during_hold": _ANGLE_CHANGE,
    "knee_bend_change": _ANGLE_CHANGE,
    # ---- feet ----
    "heel_rise": _u(None, 0.035, 0.045, "heel and toe landmarks: on rendered squats a heel drawn "
                    "0.03 leg lengths up reads 0.061 (heel-lift ladder)"),
    "knee_past_toes": _u(None, 0.35, 0.4, "knee and toe landmarks over a foot length; turned "
                         "obliquely both shorten alike, the landmarks' error does not; raised to "
                         "the rendered squat ladder, where a lifted heel's toe landmark slides "
                         "back and the knees read 0.15-0.3 foot lengths further past the toes (up to 0.301)"),
    "knee_inside_foot": _u(0.04, None, None, "knee and toe landmarks about 2% of leg length each; "
                           "turned from square, the knee's forward travel (about 0.2 leg lengths) "
                           "leaks in", turn_leak=0.2),
    "landing_toe_first": _u(None, 8.0, 10.0, "foot pitch from two foot landmarks"),
    "trailing_pushoff": _u(None, 13.0, 15.0, "foot pitch from two foot landmarks, raised to the "
                           "rendered step-up ladder: a trailing heel drawn lifting 10 deg read 22.7 "
                           "as the toe landmark slides while the foot leaves the floor"),
    "free_foot_clearance": _u(None, 0.05, None, "ankle against heel height of different feet, the "
                              "far one often hidden: 2-3% of leg length each; not read obliquely, "
                              "where a free leg held forward projects low"),
    "stance_foot_shift": _u(0.04, 0.09, 0.04, "toe landmark drift over a rep, 5-frame median; "
                            "side-on raised to the rendered single-leg deadlift ladder, where the "
                            "toe landmark drifts 0.05-0.08 leg lengths forward as the body tips"),
    "stance_shift_after_bottom": _u(0.04, 0.04, 0.04, "toe landmark drift over a rep"),
    # ---- back shape ----
    "trunk_chord_shortening": _u(None, 0.04, None, "shoulder-hip chord: changes under 4% are "
                                 "landmark noise (section 2); not read obliquely, where a hinge "
                                 "toward the camera shortens the chord as rounding does"),
    "hinge_chord_shortening": _u(None, 0.04, None, "as trunk_chord_shortening"),
    "head_drop": _u(None, 11.0, 20.0, "ear-shoulder-hip angle: clean real squats read 5-30 deg "
                    "of drop side-on (median 15: eyes on the floor ahead); side-on the rendered "
                    "squat ladder reads it up to 10 deg low. Turned 45 deg the projection bends "
                    "it (synthetic poses: a head in line reads 20, 20 deg of drop 5, 60 deg 73) "
                    "and the rendered ladder adds up to 5: rounding seen obliquely is worth a "
                    "look until it is large"),
    "hip_lead_ratio": _u(None, 1.1, 1.3, "ratio of two small rises early in the lift; raised to "
                         "the rendered deadlift ladder, which reads it 0.2-1.0 high (30-40% of "
                         "ratios of 1.9-2.5): hips rising first is clear only when they clearly lead"),
    # ---- ranges and timing ----
    "rise_vs_best": _u(0.1, 0.1, 0.1, "heel height relative to the set's best rep"),
    "eccentric_s": _u(0.25, 0.25, 0.25, "lowering time from the middle 10-90% of the hips' drop "
                      "(formcheck.exercises.measures.timing): synthetic poses read within 0.02 s "
                      "of the drawn descent; through the pose model the pistol tempo ladder reads "
                      "within 0.11 s from 0.4 to 0.9 s and 0.22 s short at 1.8 s", timing=True),
    "rep_duration": _TIME,
    "return_phase_s": _TIME,
    "hold_time": _TIME,
}


# A box jump's landing is read as any landing once its contact is found (measures.box_contact),
# but the contact on the box is harder to place: on the rendered box-jump ladder the knee bend
# after it reads 6-19 deg short, and heels drawn 25 deg up at touchdown (19-20 on the synthetic
# poses) read -6 to 15.
MEASURE_UNCERTAINTY["box_landing_absorption"] = _u(
    None, 19.0, 21.0, "knee flexion after touching down on the box: the rendered box-jump ladder "
    "reads it 6-19 deg short (contact placed late on the mannequin), so a stiff landing is worth "
    "a look until it is clearly stiff")
MEASURE_UNCERTAINTY["box_landing_toe_first"] = _u(
    None, 26.0, 28.0, "foot pitch on touching down on the box: on the rendered box jumps, heels "
    "19-20 deg up read -6 to 15 (the foot landmarks blur as they meet the box), so a flat landing "
    "is at most worth a look")
MEASURE_UNCERTAINTY["box_landing_valgus"] = MEASURE_UNCERTAINTY["landing_valgus"]


def measure_uncertainty(measure_name: str) -> Uncertainty:
    """The uncertainty entry of a measure function (KeyError names the missing measure)."""
    try:
        return MEASURE_UNCERTAINTY[measure_name]
    except KeyError:
        raise KeyError(f"measure {measure_name!r} has no uncertainty in formcheck.faults") from None


def amount(value: float, unit: str) -> str:
    """A measured amount in words a runner reads: '14 deg', '8% of leg length', '0.6 s'."""
    if unit == "deg":
        return f"{value:.0f} deg"
    if unit == "leg":
        return f"{100 * value:.0f}% of leg length"
    if unit == "foot":
        return f"{value:.1f} foot lengths"
    if unit == "s":
        return f"{value:.1f} s"
    return f"{value:.2f}"


def describe(code: str, side: str | None, value: float, limit: float, unit: str, margin: float,
             uncertainty: float, clear: bool) -> str:
    """One fault in plain words: what, how much, how far past the limit, and how sure.

    "Left knee caving in: 14 deg, 2 deg past the 12 deg limit; this view measures it to about
    4 deg, so it is worth a look rather than certain."
    """
    who = f"{side.capitalize()} " if side else ""
    what = title(code)
    head = f"{who}{what[0].lower() + what[1:] if who else what}"
    text = (f"{head}: {amount(value, unit)}, {amount(abs(margin), unit)} past the "
            f"{amount(limit, unit)} limit; measured to about {amount(uncertainty, unit)}")
    return text + (", clearly past it." if clear else
                   ", so it is worth a look rather than certain.")
