"""What the rules measure on a rep, grouped by body region (window: the frames of a rep that
several measures read). Rules name a measure as `measures.<name>`; each measure's uncertainty
is in formcheck.faults, under the same name."""

from formcheck.exercises.measures.feet import (
    free_foot_clearance,
    heel_rise,
    rise_vs_best,
    stance_foot_shift,
    stance_shift_after_bottom,
    trailing_pushoff,
)
from formcheck.exercises.measures.hips import (
    free_leg_line,
    hip_extension_at_top,
    hip_extension_range,
    hip_sag_during_hold,
    knee_drive,
    lockout_after,
    lockout_flexion,
    obliquity_excursion,
    pelvic_drop,
    thigh_angle_at_bottom,
    thigh_elevation,
)
from formcheck.exercises.measures.knees import (
    either_knee_flexion,
    knee_bend_change,
    knee_inside_foot,
    knee_past_toes,
    knee_to_foot_width,
    knee_valgus,
    peak_either_knee_flexion,
    peak_knee_flexion,
    stance_knee_flexion,
    step_up_valgus,
)
from formcheck.exercises.measures.landing import (
    box_contact,
    box_landing_absorption,
    box_landing_toe_first,
    box_landing_valgus,
    initial_contact,
    landing_absorption,
    landing_toe_first,
    landing_valgus,
)
from formcheck.exercises.measures.timing import (
    eccentric_s,
    hold_time,
    rep_duration,
    return_phase_s,
)
from formcheck.exercises.measures.trunk import (
    head_drop,
    hinge_chord_shortening,
    hip_lead_ratio,
    knee_at_deepest_hinge,
    lateral_lean,
    peak_trunk_inclination,
    trunk_ahead_of_shin,
    trunk_at_bottom,
    trunk_chord_shortening,
    trunk_over_pelvis,
)

__all__ = [
    "box_contact", "box_landing_absorption", "box_landing_toe_first", "box_landing_valgus",
    "eccentric_s", "either_knee_flexion", "free_foot_clearance", "free_leg_line", "heel_rise",
    "head_drop", "hinge_chord_shortening", "hip_extension_at_top", "hip_extension_range", "hip_lead_ratio",
    "hip_sag_during_hold", "hold_time", "initial_contact", "knee_at_deepest_hinge",
    "knee_bend_change", "knee_drive", "knee_inside_foot", "knee_past_toes", "knee_to_foot_width",
    "knee_valgus", "landing_absorption", "landing_toe_first", "landing_valgus", "lateral_lean",
    "lockout_after", "lockout_flexion", "obliquity_excursion", "peak_either_knee_flexion",
    "peak_knee_flexion", "peak_trunk_inclination", "pelvic_drop", "rep_duration", "return_phase_s",
    "rise_vs_best", "stance_foot_shift", "stance_knee_flexion", "stance_shift_after_bottom",
    "step_up_valgus", "thigh_angle_at_bottom", "thigh_elevation", "trailing_pushoff",
    "trunk_ahead_of_shin", "trunk_at_bottom", "trunk_chord_shortening", "trunk_over_pelvis",
]
