"""Run an exercise's rules over its reps: view gating, visibility gating, faults and not-assessed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from formcheck.exercises.base import SAGITTAL_WIDE, Exercise, RepContext, Rule, how_to_film
from formcheck.report import Fault, NotAssessed


@dataclass
class RuleOutcome:
    faults: list[Fault]
    not_assessed: list[NotAssessed]
    metrics: dict[str, float]


def _views_text(views: frozenset[str]) -> str:
    names = {"front": "front", "back": "back", "side": "side", "front45": "front-oblique",
             "back45": "back-oblique"}
    return " or ".join(names[v] for v in sorted(views))


def measure(rule: Rule, ctx: RepContext) -> tuple[float, float]:
    """(value, time_s) of one rule on one rep; value NaN when it cannot be measured."""
    out = rule.measure(ctx)
    if isinstance(out, tuple):
        return float(out[0]), float(out[1])
    return float(out), ctx.t(ctx.bottom)


def judged_sides(rule: Rule, ex: Exercise, ctx: RepContext) -> list[str]:
    """Which legs a sided rule is read on: the working leg, or both legs in two-legged work."""
    if ex.per_leg or not rule.sided:
        return [ctx.side]
    if ctx.view in SAGITTAL_WIDE:
        return [ctx.side]  # side-on, the far leg is hidden behind the near one
    return ["left", "right"]


def check_rep(ex: Exercise, ctx: RepContext, rep_index: int) -> RuleOutcome:
    """Evaluate every rule that the view allows on one rep."""
    faults: list[Fault] = []
    skipped: list[NotAssessed] = []
    metrics: dict[str, float] = {}
    for rule in ex.rules:
        if ctx.view not in rule.views:
            skipped.append(NotAssessed(rule.code, f"needs a {_views_text(rule.views)} view",
                                       how_to_film(rule.views)))
            continue
        for side in judged_sides(rule, ex, ctx):
            sided_ctx = _with_side(ctx, side)
            if not sided_ctx.visible(rule.landmarks, side if rule.sided else None,
                                     rule.min_visibility):
                skipped.append(NotAssessed(rule.code, f"{side} leg not visible enough",
                                           how_to_film(rule.views)))
                continue
            value, time_s = measure(rule, sided_ctx)
            if not np.isfinite(value):
                continue
            key = f"{rule.code}.{side}" if rule.sided else rule.code
            metrics[key] = _rounded(value)
            if rule.is_fault(value):
                faults.append(Fault(rule.code, rule.severity(value), round(time_s, 3),
                                    _rounded(value), rule.limit, rule.unit, rule.cue,
                                    side if rule.sided else None, rep_index))
    return RuleOutcome(_with_required(ex, faults), skipped, metrics)


def _with_required(ex: Exercise, faults: list[Fault]) -> list[Fault]:
    """Drop faults whose rule is only meaningful together with another fault in the same rep."""
    needs = {r.code: r.requires for r in ex.rules if r.requires}
    found = {f.code for f in faults}
    return [f for f in faults if needs.get(f.code) is None or needs[f.code] in found]


def _rounded(value: float) -> float:
    """Four significant figures: enough that a value beyond its limit never prints as the limit."""
    return float(f"{value:.4g}")


def _with_side(ctx: RepContext, side: str) -> RepContext:
    return ctx if side == ctx.side else replace(ctx, side=side)


def merge_not_assessed(per_rep: Sequence[list[NotAssessed]], n_reps: int,
                       assessed_codes: set[str]) -> list[NotAssessed]:
    """A code is reported not assessed when it was skipped in most reps and never measured."""
    counts: dict[str, tuple[int, NotAssessed]] = {}
    for items in per_rep:
        seen: set[str] = set()
        for item in items:
            if item.code in seen:
                continue
            seen.add(item.code)
            n, _ = counts.get(item.code, (0, item))
            counts[item.code] = (n + 1, item)
    return [item for code, (n, item) in counts.items()
            if code not in assessed_codes and n * 2 >= max(n_reps, 1)]
