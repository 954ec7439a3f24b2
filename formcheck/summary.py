"""Left-versus-right comparison, prescription check and the assembled Report.

Counts, times and heights are compared with a limb symmetry index (LSI = weaker / stronger x 100);
angles are compared as differences in degrees against the measurement's noise floor, never as
percentages (biomechanics.md section 7).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from formcheck.exercises.base import Exercise
from formcheck.pose.sequence import PoseSequence
from formcheck.report import NotAssessed, Rep, Report
from formcheck.view import ViewEstimate

# LSI below this is worth a finding (biomechanics.md section 7: 10% amber, 15% red).
LSI_AMBER = 90.0
# Angle differences smaller than these are within measurement noise (degrees).
ANGLE_NOISE_DEG = {"knee_valgus": 8.0, "pelvic_drop": 7.0, "default": 8.0}


def lsi(a: float, b: float) -> float | None:
    """Limb symmetry index, weaker over stronger x 100 (None when both are zero)."""
    hi = max(a, b)
    return None if hi <= 0 else round(100.0 * min(a, b) / hi, 1)


def _by_side(reps: Sequence[Rep]) -> dict[str, list[Rep]]:
    return {s: [r for r in reps if r.side == s] for s in ("left", "right")}


def _metric_means(reps: Sequence[Rep], side: str) -> dict[str, float]:
    values: dict[str, list[float]] = {}
    for rep in reps:
        for key, v in rep.metrics.items():
            code, _, metric_side = key.partition(".")
            if metric_side in ("", side):
                values.setdefault(code, []).append(v)
    return {k: round(float(np.mean(v)), 2) for k, v in values.items()}


def asymmetry(reps: Sequence[Rep], per_leg: bool) -> dict[str, Any]:
    """Left vs right on reps, tempo, faults and each measured angle, with a plain verdict."""
    if not per_leg:
        return {}
    sides = _by_side(reps)
    n = {s: len(sides[s]) for s in sides}
    out: dict[str, Any] = {"reps": n, "findings": []}
    if min(n.values()) == 0:
        done = [s for s in n if n[s]]
        out["verdict"] = (f"only the {done[0]} leg was filmed: film the other leg too to compare"
                          if done else "no reps to compare")
        return out
    out["reps_lsi"] = lsi(n["left"], n["right"])
    tempo = {s: round(float(np.mean([r.duration_s for r in sides[s]])), 2) for s in sides}
    faults = {s: sum(len(r.faults) for r in sides[s]) for s in sides}
    out.update(tempo_s=tempo, faults=faults, tempo_lsi=lsi(tempo["left"], tempo["right"]))
    findings = out["findings"]
    if out["reps_lsi"] is not None and out["reps_lsi"] < LSI_AMBER:
        weak = min(n, key=lambda s: n[s])
        findings.append(f"{weak} leg did fewer reps ({n[weak]} vs {max(n.values())})")
    means = {s: _metric_means(sides[s], s) for s in sides}
    out["metrics"] = means
    for code in sorted(set(means["left"]) & set(means["right"])):
        diff = means["left"][code] - means["right"][code]
        noise = ANGLE_NOISE_DEG.get(code, ANGLE_NOISE_DEG["default"])
        if abs(diff) > noise:
            findings.append(f"{code.replace('_', ' ')}: left {means['left'][code]} vs right "
                            f"{means['right'][code]} (difference {abs(diff):.1f}, noise {noise:g})")
    if faults["left"] != faults["right"]:
        worse = max(faults, key=lambda s: faults[s])
        findings.append(f"{worse} leg had more faults ({faults[worse]} vs {min(faults.values())})")
    out["verdict"] = "; ".join(findings) if findings else "no left-right difference beyond noise"
    return out


def prescription(ex: Exercise, reps: Sequence[Rep]) -> dict[str, Any]:
    """Reps done against the routine's prescription (per leg where the exercise is per leg)."""
    lo, hi = ex.rep_range
    out: dict[str, Any] = {"text": ex.prescription, "min": lo, "max": hi, "per_leg": ex.per_leg}
    if ex.per_leg:
        counts = {s: len(v) for s, v in _by_side(reps).items()}
        short = [s for s, c in counts.items() if 0 < c < lo]
        notes = [f"{s} leg short ({counts[s]} of {lo})" for s in short]
    else:
        notes = [f"short of the prescription ({len(reps)} of {lo})"] if 0 < len(reps) < lo else []
    out["status"] = "; ".join(notes) if notes else ("within prescription" if reps else "no reps")
    return out


def build_report(ex: Exercise, view: ViewEstimate, reps: Sequence[Rep],
                 not_assessed: Sequence[NotAssessed], video: dict[str, Any],
                 seq: PoseSequence) -> Report:
    warnings = list(seq.notes)
    seen = seq.detected()
    if len(seq) and seen.mean() < 0.8:
        warnings.append(f"the person was out of frame or hidden in {100 * (1 - seen.mean()):.0f}% "
                        "of the video; reps there could not be counted")
    if not reps:
        warnings.append("no complete rep was found: check the exercise chosen and that the whole "
                        "body stays in frame")
    return Report(
        exercise=ex.id, view=view.view, reps=tuple(reps), not_assessed=tuple(not_assessed),
        video=video, per_leg=ex.per_leg, exercise_name=ex.name,
        facing={1: "right", -1: "left"}.get(view.facing), asymmetry=asymmetry(reps, ex.per_leg),
        prescription=prescription(ex, reps), warnings=tuple(warnings))
