"""Left-versus-right comparison, prescription check and the assembled Report.

Counts, times and heights are compared with a limb symmetry index (LSI = weaker / stronger x 100);
angles are compared as differences in degrees against the measurement's noise floor, never as
percentages (biomechanics.md section 7).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from formcheck.catalogue import VIEW_NAMES, fmt, measure_of, rule_for, unit
from formcheck.exercises.base import SAGITTAL_WIDE, Exercise
from formcheck.faults import FAULTS
from formcheck.pose.landmarks import other_side
from formcheck.pose.sequence import PoseSequence
from formcheck.report import NotAssessed, Rep, Report
from formcheck.view import ViewEstimate

# LSI below this is worth a finding (biomechanics.md section 7: 10% amber, 15% red).
LSI_AMBER = 90.0


def lsi(a: float, b: float) -> float | None:
    """Limb symmetry index, weaker over stronger x 100 (None when both are zero)."""
    hi = max(a, b)
    return None if hi <= 0 else round(100.0 * min(a, b) / hi, 1)


def _by_side(reps: Sequence[Rep]) -> dict[str, list[Rep]]:
    return {s: [r for r in reps if r.side == s] for s in ("left", "right")}


def _metric_means(reps: Sequence[Rep], side: str, sided_only: bool = False) -> dict[str, float]:
    """Mean of each rule's value over the reps, read on `side` (and unsided values unless
    sided_only)."""
    values: dict[str, list[float]] = {}
    for rep in reps:
        for key, v in rep.metrics.items():
            code, _, metric_side = key.partition(".")
            if metric_side == side or (metric_side == "" and not sided_only):
                values.setdefault(code, []).append(v)
    return {k: round(float(np.mean(v)), 2) for k, v in values.items()}


def _comparison(code: str, left: float, right: float, ex: Exercise | None) -> dict[str, Any]:
    """One measurement, left against right, in plain words and units against its noise floor."""
    rule = rule_for(ex, code) if ex is not None else None
    unit_code = rule.unit if rule is not None else "deg"
    diff = abs(left - right)
    # The fault catalogue's noise floor for this measure, in its own unit (biomechanics.md section 7).
    noise: float | None = FAULTS[code].asym_noise if code in FAULTS else None
    beyond = noise is not None and diff > noise
    # The side further toward the fault: larger values for "above" rules, smaller for "below".
    larger = "left" if left > right else "right"
    worse = larger if rule is None or rule.direction == "above" else other_side(larger)
    out: dict[str, Any] = {
        "code": code, "left": left, "right": right, "difference": round(diff, 2),
        "unit": unit_code, "noise": noise, "beyond_noise": beyond,
        "worse": worse if diff > 0 else None,
    }
    if rule is None:
        out["measure"] = code.replace("_", " ")
        out["text"] = (f"{code.replace('_', ' ')}: left {left:g}, right {right:g} "
                       f"(difference {diff:.1f})")
        return out
    m = measure_of(rule)
    out["measure"] = m.label
    d = fmt(diff, unit_code)
    if round(diff, unit(unit_code).digits) == 0:
        text = f"Both legs read the same for {m.label}"
    else:
        text = f"{worse.capitalize()} {m.worse.format(d=d, other=other_side(worse))}"
    if noise is not None:
        text += f"; the measurement's noise here is about {fmt(noise, unit_code)}"
    out["text"] = text
    return out


def _two_legged(reps: Sequence[Rep], view: str, ex: Exercise | None) -> dict[str, Any]:
    """Both legs of two-legged work, where the camera sees both (front or back views)."""
    means = {s: _metric_means([r for r in reps], s, sided_only=True) for s in ("left", "right")}
    codes = sorted(set(means["left"]) & set(means["right"]))
    comparisons = [_comparison(c, means["left"][c], means["right"][c], ex) for c in codes]
    out: dict[str, Any] = {"per_leg": False, "metrics": means, "comparisons": comparisons}
    if not reps:
        out["verdict"] = "No reps to compare."
    elif not comparisons:
        if view in SAGITTAL_WIDE:
            out["verdict"] = (f"Both legs work in every rep. Seen from the "
                              f"{VIEW_NAMES.get(view, view)}, the near leg hides the far one, so "
                              "the legs are not compared: film from the front to compare them.")
        else:
            out["verdict"] = ("Both legs work in every rep. None of this exercise's checks from "
                              "this view is read leg by leg, so the legs are not compared.")
    else:
        found = [c["text"] for c in comparisons if c["beyond_noise"]]
        out["verdict"] = ("Both legs work in every rep; compared where the camera sees both. "
                          + (". ".join(found) + "." if found
                             else "No left-right difference beyond measurement noise."))
    return out


def asymmetry(reps: Sequence[Rep], per_leg: bool, ex: Exercise | None = None,
              view: str = "") -> dict[str, Any]:
    """Left vs right on reps, tempo, faults and each measured angle, with a plain verdict.

    Per-leg work compares the reps of each leg; two-legged work compares the two legs within the
    same reps, where the view shows both.
    """
    if not per_leg:
        return _two_legged(reps, view, ex)
    sides = _by_side(reps)
    n = {s: len(sides[s]) for s in sides}
    out: dict[str, Any] = {"per_leg": True, "reps": n, "findings": [], "comparisons": []}
    if min(n.values()) == 0:
        done = [s for s in n if n[s]]
        out["verdict"] = (f"Only the {done[0]} leg was filmed: film the other leg too to compare."
                          if done else "No reps to compare.")
        return out
    out["reps_lsi"] = lsi(n["left"], n["right"])
    tempo = {s: round(float(np.mean([r.duration_s for r in sides[s]])), 2) for s in sides}
    faults = {s: sum(len(r.faults) for r in sides[s]) for s in sides}
    out.update(tempo_s=tempo, faults=faults, tempo_lsi=lsi(tempo["left"], tempo["right"]))
    findings = out["findings"]
    if out["reps_lsi"] is not None and out["reps_lsi"] < LSI_AMBER:
        weak = min(n, key=lambda s: n[s])
        findings.append(f"{weak.capitalize()} leg did fewer reps ({n[weak]} against "
                        f"{max(n.values())})")
    means = {s: _metric_means(sides[s], s) for s in sides}
    out["metrics"] = means
    for code in sorted(set(means["left"]) & set(means["right"])):
        c = _comparison(code, means["left"][code], means["right"][code], ex)
        out["comparisons"].append(c)
        if c["beyond_noise"]:
            findings.append(c["text"])
    if faults["left"] != faults["right"]:
        worse = max(faults, key=lambda s: faults[s])
        findings.append(f"{worse.capitalize()} leg had more faults ({faults[worse]} against "
                        f"{min(faults.values())})")
    out["verdict"] = (". ".join(findings) + "." if findings
                      else "No left-right difference beyond measurement noise.")
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
                 seq: PoseSequence, mismatch: str | None = None) -> Report:
    warnings = ([mismatch[:1].upper() + mismatch[1:] + "."] if mismatch else []) + list(seq.notes)
    seen = seq.detected()
    if len(seq) and seen.mean() < 0.8:
        warnings.append(f"the person was out of frame or hidden in {100 * (1 - seen.mean()):.0f}% "
                        "of the video; reps there could not be counted")
    if not reps and not mismatch:
        warnings.append("no complete rep was found: check the exercise chosen and that the whole "
                        "body stays in frame")
    return Report(
        exercise=ex.id, view=view.view, reps=tuple(reps), not_assessed=tuple(not_assessed),
        video=video, per_leg=ex.per_leg, exercise_name=ex.name,
        facing={1: "right", -1: "left"}.get(view.facing),
        asymmetry=asymmetry(reps, ex.per_leg, ex, view.view),
        prescription=prescription(ex, reps), warnings=tuple(warnings), mismatch=mismatch)
