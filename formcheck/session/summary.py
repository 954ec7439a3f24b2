"""A session summed up: sets grouped by exercise, the plan check, and left versus right.

Legs are compared per single-leg exercise as in one set's report (formcheck.summary): reps with
the limb symmetry index (weaker / stronger x 100, a finding below 90), then faults.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from formcheck.plans import Plan, PlanItem
from formcheck.session.sets import SessionSet
from formcheck.summary import LSI_AMBER, lsi

SIDES = ("left", "right")


def _reps_on(s: SessionSet, side: str) -> int:
    by = s.report.reps_by_side or {}
    return int(by.get(side, 0))


def _faults_on(s: SessionSet, side: str) -> int:
    return sum(len(r.faults) for r in s.report.reps if r.side == side)


def by_exercise(sets: Sequence[SessionSet]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for s in sets:
        e = out.setdefault(s.exercise, {"sets": 0, "sets_by_side": {"left": 0, "right": 0, "both": 0},
                                        "reps": 0, "reps_by_side": None, "faults": 0,
                                        "per_leg": s.report.per_leg})
        e["sets"] += 1
        e["sets_by_side"][s.side or "both"] += 1
        e["reps"] += s.rep_count
        e["faults"] += len(s.report.faults)
        if s.report.per_leg:
            by = e["reps_by_side"] or {"left": 0, "right": 0}
            e["reps_by_side"] = {side: by[side] + _reps_on(s, side) for side in SIDES}
    return out


def legs(sets: Sequence[SessionSet]) -> dict[str, Any]:
    """Left vs right per single-leg exercise and across the routine."""
    per: dict[str, dict[str, Any]] = {}
    for s in sets:
        if not s.report.per_leg:
            continue
        e = per.setdefault(s.exercise, {"reps": {"left": 0, "right": 0}, "faults": {"left": 0, "right": 0}})
        for side in SIDES:
            e["reps"][side] += _reps_on(s, side)
            e["faults"][side] += _faults_on(s, side)
    weaker: dict[str, int] = {"left": 0, "right": 0}
    compared = 0
    for e in per.values():
        reps, faults = e["reps"], e["faults"]
        e["reps_lsi"] = lsi(reps["left"], reps["right"])
        e["weaker"] = None
        if min(reps.values()) == 0:
            e["note"] = "only one leg filmed"
            continue
        compared += 1
        if e["reps_lsi"] is not None and e["reps_lsi"] < LSI_AMBER:
            e["weaker"] = min(SIDES, key=lambda side: reps[side])
        elif faults["left"] != faults["right"]:
            e["weaker"] = max(SIDES, key=lambda side: faults[side])
        if e["weaker"]:
            weaker[e["weaker"]] += 1
    if compared == 0:
        verdict = "no single-leg exercise done on both legs: nothing to compare"
    elif not any(weaker.values()):
        verdict = f"no left-right difference beyond noise in {compared} single-leg exercises"
    else:
        verdict = "; ".join(f"{side} leg weaker in {n} of {compared} single-leg exercises"
                            for side, n in weaker.items() if n)
    return {"by_exercise": per, "weaker_count": weaker, "compared": compared, "verdict": verdict}


def summarise(sets: Sequence[SessionSet]) -> dict[str, Any]:
    return {"sets": len(sets), "reps": sum(s.rep_count for s in sets), "exercises": by_exercise(sets),
            "left_vs_right": legs(sets)}


def _item_check(item: PlanItem, done: Sequence[SessionSet]) -> dict[str, Any]:
    lo, hi = item.reps
    out: dict[str, Any] = {"exercise": item.exercise, "prescription": item.prescription,
                           "sets_planned": item.sets}
    notes: list[str] = []
    if item.per_leg:
        sides = {side: [s for s in done if s.side in (side, None)] for side in SIDES}
        out["sets_done"] = {side: len(v) for side, v in sides.items()}
        out["reps_per_set"] = {side: [_reps_on(s, side) for s in v] for side, v in sides.items()}
        for side in SIDES:
            if len(sides[side]) < item.sets:
                notes.append(f"{side} leg: {len(sides[side])} of {item.sets} sets")
            short = [n for n in out["reps_per_set"][side] if n < lo]
            if short:
                notes.append(f"{side} leg: {len(short)} set(s) short of {lo} reps")
    else:
        out["sets_done"] = len(done)
        out["reps_per_set"] = [s.rep_count for s in done]
        if len(done) < item.sets:
            notes.append(f"{len(done)} of {item.sets} sets")
        short = [n for n in out["reps_per_set"] if n < lo]
        if short:
            notes.append(f"{len(short)} set(s) short of {lo} reps")
    out["status"] = ("missing" if not done else "; ".join(notes) if notes else "as planned")
    out["reps_range"] = [lo, hi]
    return out


def plan_check(sets: Sequence[SessionSet], plan: Plan) -> dict[str, Any]:
    """Each plan item against the sets done: sets (per leg) and reps per set; missing and extra."""
    items = [_item_check(item, [s for s in sets if s.exercise == item.exercise]) for item in plan.items]
    planned = {i.exercise for i in plan.items}
    done = list(dict.fromkeys(s.exercise for s in sets))
    return {"id": plan.id, "name": plan.name, "items": items,
            "missing": [i.exercise for i in plan.items if not any(s.exercise == i.exercise for s in sets)],
            "extra": [e for e in done if e not in planned],
            "complete": all(it["status"] == "as planned" for it in items)}
