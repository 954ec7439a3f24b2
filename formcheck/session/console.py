"""Terminal output of a session: one line per set and rest, the plan check, left versus right."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from formcheck.session import SessionReport


def _clock(t: float) -> str:
    return f"{int(t // 60)}:{t % 60:04.1f}"


def print_session(session: SessionReport, console: Console) -> None:
    data = session.to_dict()
    table = Table(show_header=True, header_style="bold")
    for col in ("set", "exercise", "leg", "from", "to", "reps", "faults", "recognised"):
        table.add_column(col)
    for s in session.sets:
        rec = s.recognition or {}
        sure = "" if not rec else f"{rec['confidence']:.0%}" + ("" if rec.get("sure") else " (unsure)")
        by = s.report.reps_by_side
        reps = f"{s.rep_count}" + (f" (L{by['left']} R{by['right']})" if by else "")
        table.add_row(str(s.index), s.exercise, s.side or "-", _clock(s.start_s), _clock(s.end_s), reps,
                      str(len(s.report.faults)), sure)
    console.print(table)
    for rest in data["rests"]:
        console.print(f"Rest after set {rest['after_set']}: {rest['duration_s']:.0f} s", highlight=False)
    plan = data["plan"]
    if plan:
        console.print(f"[bold]Plan {plan['name']}[/bold]")
        for item in plan["items"]:
            console.print(f"  {item['exercise']} ({item['prescription']}): {item['status']}", highlight=False)
        if plan["extra"]:
            console.print(f"  not in the plan: {', '.join(plan['extra'])}", highlight=False)
    console.print(f"Left vs right: {data['summary']['left_vs_right']['verdict']}", highlight=False)
    for w in data["warnings"]:
        console.print(f"[red]Warning:[/red] {w}")
