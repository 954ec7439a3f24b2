"""The fault codes reports, labels and the API may use (biomechanics.md, fault vocabulary).

Codes are never renamed or reused: a changed meaning gets a new code and the old one stays.
"""

FAULT_CODES: dict[str, str] = {
    "knee_valgus": "knee caves inward",
    "pelvic_drop": "hip on the free or unsupported side drops",
    "hip_sag": "hips sag below the shoulder-hip-knee line",
    "incomplete_lockout": "top position not reached",
    "lumbar_hyperextension": "low back arches past the straight line at the top",
    "spine_flexion": "back rounds instead of hinging at the hips",
    "forward_lean": "trunk pitched too far forward",
    "lateral_trunk_lean": "trunk leans sideways over the stance leg",
    "shallow_depth": "not deep enough",
    "shallow_hinge": "trunk barely tilts forward in a hinge",
    "knee_past_toes": "knee travels well past the toes (a low-severity cue)",
    "heel_lift": "heel leaves the ground when it should stay down",
    "stance_knee_bend": "stance knee bends when it should stay nearly straight",
    "hip_rotation": "pelvis opens or rotates",
    "free_leg_misaligned": "single-leg deadlift: back leg not in line with the trunk",
    "low_knee_drive": "drive thigh stays below horizontal",
    "trailing_leg_pushoff": "the trailing leg launches the body instead of the stance leg",
    "insufficient_range": "movement too small",
    "too_fast": "rep faster than slow and controlled",
    "short_hold": "a hold ended before its target time",
    "loss_of_balance": "free foot touches down or stance foot shifts or hops",
    "hip_shift": "weight shifted to one side in a two-legged lift",
    "hips_rise_first": "deadlift: hips rise before the shoulders",
    "stiff_landing": "jump landing with too little knee bend",
    # Added for the deadlift (exercises.md: "knee dominant, squatting the lift").
    "knee_dominant": "hinge turned into a squat: the knees bend far more than a hinge needs",
    # Added for box-jump landings (exercises.md: "heel-first or flat-footed landing"; LESS item).
    "flat_footed_landing": "landing heel-first or flat-footed instead of toes first",
}
