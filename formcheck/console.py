"""Terminal output of a Report: reps per leg, faults with their cues, what was not assessed."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from formcheck.faults import title
from formcheck.report import Fault, Report


def print_report(report: Report, console: Console) -> None:
    name = report.exercise_name or report.exercise
    console.print(f"[bold]{name}[/bold]  view: {report.view}  "
                  f"duration: {report.video.get('duration_s', 0):.1f} s")
    rec = report.recognition
    if rec is not None:
        alts = ", ".join(f"{a['exercise']} {a['confidence']:.0%}" for a in rec["alternatives"])
        how = "Recognised" if rec["sure"] else "[yellow]Not sure[/yellow]: best guess"
        console.print(f"{how} {rec['exercise']} ({rec['confidence']:.0%}); alternatives: {alts}"
                      + ("" if rec["sure"] else "; name it with --exercise"), highlight=False)
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
            faults = "; ".join(f"{title(f.code)}{'' if f.clear else ' (worth a look)'}"
                               for f in rep.faults) or "-"
            table.add_row(str(rep.index), rep.side or "-", f"{rep.start_s:.1f}s",
                          f"{rep.bottom_s:.1f}s", f"{rep.end_s:.1f}s", faults)
        console.print(table)
    _print_faults(report, console)
    for item in report.not_assessed:
        console.print(f"[dim]Not assessed: {title(item.code).lower()} ({item.reason}); to check it, "
                      f"{item.how_to_film}.[/dim]")
    if report.asymmetry.get("verdict"):
        console.print(f"Left vs right: {report.asymmetry['verdict']}")
    if report.prescription.get("status"):
        console.print(f"Prescription {report.prescription['text']}: {report.prescription['status']}")
    for w in report.warnings:
        console.print(f"[red]Warning:[/red] {w}")


def _print_faults(report: Report, console: Console) -> None:
    """Clear faults with their cue and reps; possible ones apart, as worth a look; each with the
    worst rep's numbers in words."""
    clear = [f for f in report.faults if f.clear]
    possible = [f for f in report.faults if not f.clear]
    for group, style, head in ((clear, "yellow", "Fault"), (possible, "cyan", "Worth a look")):
        by_code: dict[str, list[Fault]] = {}
        for f in group:
            by_code.setdefault(f.code, []).append(f)
        for code, faults in by_code.items():
            worst = max(faults, key=lambda f: f.margin)
            reps = ", ".join(str(f.rep) for f in faults)
            cue = f": {worst.cue}" if worst.clear else ""
            console.print(f"[{style}]{head}: {title(code)}[/{style}] in rep {reps}{cue}",
                          highlight=False)
            console.print(f"  [dim]{worst.message}[/dim]", highlight=False)
    if not report.faults and report.reps:
        console.print("[green]No faults found in what could be assessed.[/green]")
