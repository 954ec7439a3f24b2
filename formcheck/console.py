"""Terminal output of a Report: reps per leg, faults with their cues, what was not assessed."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from formcheck.report import Report


def print_report(report: Report, console: Console) -> None:
    name = report.exercise_name or report.exercise
    console.print(f"[bold]{name}[/bold]  view: {report.view}  "
                  f"duration: {report.video.get('duration_s', 0):.1f} s")
    if report.reps_by_side is not None:
        by = report.reps_by_side
        console.print(f"Reps: {report.rep_count}  (left {by['left']}, right {by['right']})")
    else:
        console.print(f"Reps: {report.rep_count}")
    if report.reps:
        table = Table(show_header=True, header_style="bold")
        for col in ("rep", "leg", "start", "bottom", "end", "faults"):
            table.add_column(col)
        for rep in report.reps:
            faults = "; ".join(f"{f.code} ({f.value:g} {f.unit}, limit {f.limit:g})"
                               for f in rep.faults) or "-"
            table.add_row(str(rep.index), rep.side or "-", f"{rep.start_s:.1f}s",
                          f"{rep.bottom_s:.1f}s", f"{rep.end_s:.1f}s", faults)
        console.print(table)
    cues: dict[str, tuple[str, list[str]]] = {}
    for f in report.faults:
        cues.setdefault(f.code, (f.cue, []))[1].append(str(f.rep))
    for code, (cue, reps) in cues.items():
        console.print(f"[yellow]{code}[/yellow] in rep {', '.join(reps)}: {cue}")
    if not cues and report.reps:
        console.print("[green]No faults found in what could be assessed.[/green]")
    for item in report.not_assessed:
        console.print(f"[dim]Not assessed: {item.code} ({item.reason}); to check it, "
                      f"{item.how_to_film}.[/dim]")
    if report.asymmetry.get("verdict"):
        console.print(f"Left vs right: {report.asymmetry['verdict']}")
    if report.prescription.get("status"):
        console.print(f"Prescription {report.prescription['text']}: {report.prescription['status']}")
    for w in report.warnings:
        console.print(f"[red]Warning:[/red] {w}")
