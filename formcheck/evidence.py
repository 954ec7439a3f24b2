"""The fault evidence table: for every fault code, what it measures, its limits and their sources,
its uncertainty by view, the smallest fault it finds on rendered ladders, and how it fares on the
labelled real clips.

The rules and the catalogue (formcheck.faults) give the first columns; the last two come from
measurements kept in formcheck/fault_evidence.json, written by the commands that make them:

    python -m formcheck.synth limits --write formcheck/fault_evidence.json   # rendered ladders
    formcheck eval FOOTAGE --evidence formcheck/fault_evidence.json          # labelled clips
    formcheck faults --write-docs docs/faults.md                             # this table, as docs

Only counts are kept from the labelled clips, never their poses or frames.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from formcheck.exercises.base import Rule
from formcheck.exercises.registry import list_exercises
from formcheck.faults import FAULTS, MEASURE_UNCERTAINTY, amount, title

EVIDENCE_FILE = Path(__file__).with_name("fault_evidence.json")
VIEW_CLASSES = ("frontal", "side", "oblique")


def load(path: str | Path = EVIDENCE_FILE) -> dict[str, Any]:
    """The kept measurements ({"ladders": [...], "footage": {...}}); empty when none are kept."""
    p = Path(path)
    data = json.loads(p.read_text()) if p.exists() else {}
    return {"ladders": data.get("ladders", []), "footage": data.get("footage", {})}


def _save(data: Mapping[str, Any], path: str | Path) -> None:
    Path(path).write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")


def update_ladders(results: Iterable[Mapping[str, Any]], path: str | Path = EVIDENCE_FILE) -> None:
    """Keep these ladder summaries (formcheck.synth.limits.summary), replacing same-named ones."""
    data = load(path)
    new = {r["ladder"]: dict(r) for r in results}
    kept = [r for r in data["ladders"] if r["ladder"] not in new]
    data["ladders"] = sorted(kept + list(new.values()), key=lambda r: r["ladder"])
    _save(data, path)


def update_footage(present: Mapping[str, Sequence[bool]], absent_clear: Mapping[str, Sequence[bool]],
                   absent_any: Mapping[str, Sequence[bool]], path: str | Path = EVIDENCE_FILE) -> None:
    """Keep per-code counts from the labelled clips (formcheck.evaluation.Scores)."""
    data = load(path)
    codes = set(present) | set(absent_clear)
    data["footage"] = {code: {
        "present": len(present.get(code, [])), "found": sum(present.get(code, [])),
        "absent": len(absent_clear.get(code, [])), "reported_clear": sum(absent_clear.get(code, [])),
        "reported_any": sum(absent_any.get(code, [])),
    } for code in sorted(codes)}
    _save(data, path)


@dataclass
class FaultRow:
    """Everything the evidence table says about one fault code."""

    code: str
    title: str
    measures: dict[str, str] = field(default_factory=dict)  # measure name -> first docstring line
    limits: dict[str, str] = field(default_factory=dict)  # "direction limit unit" -> exercise ids
    sources: list[str] = field(default_factory=list)
    uncertainty: dict[str, dict[str, float | None]] = field(default_factory=dict)  # measure -> view
    ladders: list[dict[str, Any]] = field(default_factory=list)
    footage: dict[str, int] = field(default_factory=dict)


def _doc(rule: Rule) -> str:
    """The measure's first docstring sentence, on one line."""
    text = " ".join((rule.measure.__doc__ or rule.measure.__name__).split("\n\n")[0].split())
    return text.split(". ")[0].rstrip(".")


def rows(evidence: Mapping[str, Any] | None = None) -> list[FaultRow]:
    """One row per fault code some exercise checks, in catalogue order."""
    evidence = load() if evidence is None else evidence
    out: dict[str, FaultRow] = {}
    for ex in list_exercises():
        for rule in ex.rules:
            row = out.setdefault(rule.code, FaultRow(rule.code, title(rule.code)))
            name = rule.measure.__name__
            row.measures.setdefault(name, _doc(rule))
            key = f"{'over' if rule.direction == 'above' else 'under'} {amount(rule.limit, rule.unit)}"
            ids = row.limits.get(key, "")
            row.limits[key] = f"{ids}, {ex.id}" if ids else ex.id
            if rule.source not in row.sources:
                row.sources.append(rule.source)
            u = MEASURE_UNCERTAINTY[name]
            row.uncertainty[name] = {"frontal": u.frontal, "side": u.side, "oblique": u.oblique,
                                     "unit": rule.unit}  # type: ignore[dict-item]
    for ladder in evidence["ladders"]:
        if ladder["code"] in out:
            out[ladder["code"]].ladders.append(ladder)
    for code, counts in evidence["footage"].items():
        if code in out:
            out[code].footage = dict(counts)
    return [out[c] for c in FAULTS if c in out]


def _stated(value: float, unit: str) -> str:
    """A stated uncertainty as written in the catalogue (0.15 s, not rounded to 0.1 s)."""
    if unit == "leg":
        return f"{100 * value:.3g}% of leg length"
    names = {"deg": " deg", "s": " s", "foot": " foot lengths"}
    return f"{value:.3g}{names.get(unit, '')}"


def _u_text(row: FaultRow) -> str:
    parts = []
    for name, by_view in row.uncertainty.items():
        unit = str(by_view["unit"])
        views = ", ".join(f"{v} {_stated(float(x), unit)}" for v in VIEW_CLASSES
                          if (x := by_view[v]) is not None)
        parts.append(f"{name}: {views}")
    return "; ".join(parts)


def _ladder_text(ladder: Mapping[str, Any]) -> str:
    clear, flagged = ladder["smallest_clear"], ladder["smallest_flagged"]
    found = (f"clear from {clear:g}" if clear is not None else "never clear") + (
        f", flagged from {flagged:g}" if flagged is not None else ", never flagged")
    inside = f"; {ladder['inside_flagged']} inside the limit flagged" if ladder["inside_flagged"] else ""
    counted = "" if ladder["counted"] == ladder["reps"] else (
        f"; {ladder['counted']} of {ladder['reps']} reps counted")
    if ladder["counted"] > ladder["reps"]:
        return (f"{ladder['ladder']} ({ladder['view']}, limit {ladder['limit']:g}): "
                f"{ladder['counted']} reps counted of {ladder['reps']} drawn, so not compared")
    other = ladder.get("other_leg") or 0
    mixed = f"; {other} read on the other leg" if other else ""
    return (f"{ladder['ladder']} ({ladder['view']}, limit {ladder['limit']:g}): "
            f"{found}{inside}{counted}{mixed}")


def _footage_text(counts: Mapping[str, int]) -> str:
    if not counts:
        return "no labelled clip judges it"
    recall = (f"found {counts['found']} of {counts['present']} listed present"
              if counts["present"] else "none listed present")
    false = (f"reported clear on {counts['reported_clear']} of {counts['absent']} listed absent "
             f"(clear or possible {counts['reported_any']})" if counts["absent"] else
             "none listed absent")
    return f"{recall}; {false}"


def print_table(console: Any, evidence: Mapping[str, Any] | None = None) -> None:
    """The evidence table on a terminal (rich Console)."""
    for row in rows(evidence):
        console.print(f"[bold]{row.code}[/bold] - {row.title}", highlight=False)
        for name, doc in row.measures.items():
            console.print(f"  measure {name}: {doc}", highlight=False)
        for limit, ids in row.limits.items():
            console.print(f"  limit {limit}: {ids}", highlight=False)
        console.print(f"  uncertainty {_u_text(row)}", highlight=False)
        for ladder in row.ladders:
            console.print(f"  rendered {_ladder_text(ladder)}", highlight=False)
        if not row.ladders:
            console.print("  rendered: no ladder (proven on synthetic poses only)", highlight=False)
        console.print(f"  real clips: {_footage_text(row.footage)}", highlight=False)


def markdown(evidence: Mapping[str, Any] | None = None) -> str:
    """The evidence table as a Markdown page (docs/faults.md)."""
    lines = [
        "# Fault evidence",
        "",
        "Generated by `formcheck faults --write-docs docs/faults.md` from the rules, the fault",
        "catalogue (formcheck/faults.py) and the measurements kept in formcheck/fault_evidence.json",
        "(`python -m formcheck.synth limits --write ...` for the rendered ladders, `formcheck eval",
        "FOOTAGE --evidence ...` for the labelled clips). Do not edit by hand.",
        "",
        "A fault is reported **clear** when its value is beyond the limit by more than the",
        "measurement's uncertainty (the figure below for the view, grown for poorly seen landmarks",
        "and frame rates under 30 fps, and combined with the spread of the same measure over the",
        "clip's reps), and **possible** (\"worth a look\") when it is beyond the limit by less.",
        "Rendered ladders: a mannequin acts the fault at growing sizes, the clip goes through the",
        "pose model and every rule; \"clear from X\" is the smallest drawn size reported clear.",
        "",
        "| code | fault | limit (exercises) | uncertainty by view | smallest found on rendered "
        "clips | labelled real clips |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows(evidence):
        limits = "<br>".join(f"{k} ({v})" for k, v in row.limits.items())
        ladders = "<br>".join(_ladder_text(x) for x in row.ladders) or "none: synthetic poses only"
        lines.append(f"| `{row.code}` | {row.title} | {limits} | {_u_text(row)} | {ladders} | "
                     f"{_footage_text(row.footage)} |")
    lines += ["", "## Measures and sources", ""]
    for row in rows(evidence):
        lines.append(f"### {row.title} (`{row.code}`)")
        lines.append("")
        for name, doc in row.measures.items():
            lines.append(f"- Measure `{name}`: {doc}.")
            lines.append(f"  Uncertainty: {MEASURE_UNCERTAINTY[name].source}.")
        for src in row.sources:
            lines.append(f"- Limit: {src}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
