"""`formcheck` subcommands: thin shells over the library, no logic inside."""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import sys
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from formcheck.errors import FormcheckError

log = logging.getLogger("formcheck")


def _cmd_analyze(args: argparse.Namespace, out: Console, err: Console) -> int:
    from formcheck import (
        PoseSequence,
        analyze_video,
        available_cores,
        get_exercise,
        part,
        write_annotated_video,
    )
    from formcheck.console import print_report

    exercise = get_exercise(args.exercise) if args.exercise else None  # an unknown id fails here
    with Progress(TextColumn("{task.description}"), BarColumn(), TimeRemainingColumn(),
                  console=err, transient=True, disable=args.quiet) as bar:
        task = bar.add_task("analysing", total=1.0)

        def progress(fraction: float, stage: str) -> None:
            bar.update(task, completed=fraction, description=stage)

        workers = args.workers or available_cores()
        pose_share = 0.8 if args.video_out else 1.0
        if args.poses and Path(args.poses).exists():  # not a pose file: an error, never overwritten
            PoseSequence.load(args.poses)
        analysis = analyze_video(args.video, exercise, progress=part(progress, 0.0, pose_share),
                                 workers=workers, kept=args.poses)
        if args.video_out:
            write_annotated_video(args.video, analysis, args.video_out,
                                  part(progress, pose_share, 1.0), workers=workers)
    report = analysis.report
    if args.json == "-":
        sys.stdout.write(report.to_json() + "\n")
    elif args.json:
        Path(args.json).write_text(report.to_json() + "\n")
    if args.csv:
        Path(args.csv).write_text(report.to_csv())
    if args.json != "-":
        print_report(report, out)
        if args.video_out:
            out.print(f"Annotated video: {args.video_out}")
    return 0


def _cmd_exercises(args: argparse.Namespace, out: Console, err: Console) -> int:
    from formcheck.exercises.listing import exercise_dict
    from formcheck.exercises.registry import list_exercises

    if args.json:
        sys.stdout.write(json.dumps([exercise_dict(ex) for ex in list_exercises()], indent=2) + "\n")
        return 0
    for ex in list_exercises():
        views = ", ".join(sorted(ex.best_views))
        codes = ", ".join(dict.fromkeys(r.code for r in ex.rules))
        legs = "per leg" if ex.per_leg else "both legs"
        out.print(f"[bold]{ex.id}[/bold]  {ex.name} ({legs}; {ex.prescription}); best views: "
                  f"{views}\n    checks: {codes}")
    return 0


def _named_set(text: str) -> tuple[float, str]:
    """"95=lunge" or "1:35=lunge": a time inside the set (seconds, or minutes:seconds) and the
    exercise it was."""
    when, sep, exercise = text.partition("=")
    try:
        minutes, _, seconds = when.strip().rpartition(":")
        t = float(seconds) + 60 * float(minutes or 0)
    except ValueError:
        t = float("nan")
    if not sep or not exercise.strip() or not math.isfinite(t) or t < 0:
        raise argparse.ArgumentTypeError(
            f"{text!r}: give a time inside the set and its exercise, as 95=lunge or 1:35=lunge")
    return t, exercise.strip()


def _cmd_session(args: argparse.Namespace, out: Console, err: Console) -> int:
    from formcheck.exercises.registry import get_exercise
    from formcheck.plans import get_plan
    from formcheck.session import analyze_session_video, read_pose_log
    from formcheck.session.console import print_session

    plan = get_plan(args.plan) if args.plan else None
    named = [(t, get_exercise(e).id) for t, e in args.name]  # an unknown exercise fails here
    if args.poses and Path(args.poses).exists() and read_pose_log(args.poses) is None:
        # Not a pose log: an error, never overwritten.
        raise FormcheckError(f"{args.poses}: not a session's pose log (written by "
                             "`formcheck session --poses`)")
    with Progress(TextColumn("{task.description}"), BarColumn(), TimeRemainingColumn(),
                  console=err, transient=True, disable=args.quiet) as bar:
        task = bar.add_task("session", total=1.0)

        def progress(fraction: float, stage: str) -> None:
            bar.update(task, completed=fraction, description=stage)

        session = analyze_session_video(args.video, plan, progress, keep=args.poses, named=named)
        if args.annotated:
            from formcheck.session.video import write_session_video

            written = write_session_video(args.video, session, args.annotated, progress)
            err.print(f"annotated video: {written}", highlight=False)
    if args.json == "-":
        sys.stdout.write(session.to_json() + "\n")
        return 0
    if args.json:
        Path(args.json).write_text(session.to_json() + "\n")
    print_session(session, out)
    return 0


def _cmd_plans(args: argparse.Namespace, out: Console, err: Console) -> int:
    from formcheck.plans import list_plans

    plans = list_plans()
    if args.json:
        sys.stdout.write(json.dumps([p.to_dict() for p in plans], indent=2) + "\n")
        return 0
    for plan in plans:
        aliases = f" (also: {', '.join(plan.aliases)})" if plan.aliases else ""
        out.print(f"[bold]{plan.id}[/bold]{aliases}  {plan.name}", highlight=False)
        for item in plan.items:
            out.print(f"    {item.exercise}: {item.prescription}", highlight=False)
    return 0


def _cmd_extract(args: argparse.Namespace, out: Console, err: Console) -> int:
    from formcheck import extract_poses

    seq, _ = extract_poses(args.video)
    seq.save(args.output)
    out.print(f"{len(seq)} frames, person seen in {int(seq.detected().sum())}: {args.output}")
    return 0


def _cmd_live(args: argparse.Namespace, out: Console, err: Console) -> int:
    from formcheck.live_runner import run_live

    camera: int | str = int(args.camera) if str(args.camera).isdigit() else args.camera
    return run_live(camera, args.exercise, show=not args.headless, console=out,
                    max_seconds=args.max_seconds)


def _cmd_eval(args: argparse.Namespace, out: Console, err: Console) -> int:
    from formcheck.evaluation import run_eval

    return run_eval(args.footage, out, jobs=args.jobs, cache=args.cache, only=args.only,
                    evidence=args.evidence, auto=args.auto)


def _cmd_faults(args: argparse.Namespace, out: Console, err: Console) -> int:
    from formcheck.evidence import markdown, print_table

    if args.write_docs:
        Path(args.write_docs).write_text(markdown())
        out.print(f"Fault evidence written to {args.write_docs}")
    elif args.markdown:
        sys.stdout.write(markdown())
    else:
        print_table(out)
    return 0


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value}: must be at least 1")
    return value


# Adds more subcommands to the parser (the service adds `serve` and `worker`: api/cli.py).
Extension = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None]


def build_parser(extend: Extension | None = None) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="formcheck", description="Form checking for leg strength work.")
    p.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    sub = p.add_subparsers(dest="command", required=True)

    a = sub.add_parser("analyze", help="analyse a filmed set")
    a.add_argument("video")
    a.add_argument("--exercise", "-e", help="exercise id (see `formcheck exercises`); without it the "
                   "exercise is recognised")
    a.add_argument("--video", dest="video_out", help="write the annotated video (mp4) here")
    a.add_argument("--json", help="write the JSON report here ('-' for stdout)")
    a.add_argument("--csv", help="write a CSV of reps and faults here")
    a.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    a.add_argument("--poses", metavar="FILE.npz",
                   help="keep the clip's landmarks in this file (as `formcheck extract` writes "
                   "them): read from it when it exists, so the clip analysed again as another "
                   "exercise skips the pose model")
    a.add_argument("--workers", "-w", type=_positive_int, default=None, metavar="N",
                   help="processes the clip's frames are split between (default: the cores this "
                   "process may use; 1: one process)")
    a.set_defaults(fn=_cmd_analyze)

    ex = sub.add_parser("exercises", help="list exercises and what each checks")
    ex.add_argument("--json", action="store_true", help="JSON on stdout (ids, names, aliases, "
                    "per_leg, views, faults, prescription)")
    ex.set_defaults(fn=_cmd_exercises)

    se = sub.add_parser("session", help="find, recognise and analyse every set of a long recording")
    se.add_argument("video")
    se.add_argument("--plan", help="plan id or .json file to check the session against (`formcheck plans`)")
    se.add_argument("--json", help="write the session JSON here ('-' for stdout)")
    se.add_argument("--video", dest="annotated", help="write the annotated video here (each set "
                    "labelled with its reps and faults, rests timed)")
    se.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    se.add_argument("--poses", metavar="FILE",
                    help="keep the recording's landmarks in this file (a pose log): read from it "
                    "when it exists, so the session analysed again (a set named) skips the pose model")
    se.add_argument("--name", type=_named_set, action="append", default=[], metavar="TIME=EXERCISE",
                    help="the set whose movement spans TIME (seconds, or m:ss; the 'from'-'to' of the "
                    "table) was EXERCISE, not what was recognised; repeat for several sets")
    se.set_defaults(fn=_cmd_session)

    pl = sub.add_parser("plans", help="list the training plans (routines) FormCheck knows")
    pl.add_argument("--json", action="store_true", help="JSON on stdout")
    pl.set_defaults(fn=_cmd_plans)

    x = sub.add_parser("extract", help="save landmarks of a video to .npz")
    x.add_argument("video")
    x.add_argument("-o", "--output", required=True)
    x.set_defaults(fn=_cmd_extract)

    lv = sub.add_parser("live", help="live feedback from a webcam (or a file used as the camera)")
    lv.add_argument("--exercise", "-e", help="exercise id; without it the exercise is recognised "
                    "within the first two reps")
    lv.add_argument("--camera", default="0", help="webcam index or a video file path")
    lv.add_argument("--headless", action="store_true", help="no window; print events")
    lv.add_argument("--max-seconds", type=float, default=None, help="stop after this long")
    lv.set_defaults(fn=_cmd_live)

    e = sub.add_parser("eval", help="score FormCheck against a labelled footage folder")
    e.add_argument("footage", help="folder with clips/ and labels.jsonl")
    e.add_argument("--jobs", "-j", type=int, default=2)
    e.add_argument("--cache", help="folder to keep extracted poses between runs")
    e.add_argument("--only", help="only clips whose file name contains this")
    e.add_argument("--evidence", metavar="JSON", help="keep the per-fault counts in this fault "
                   "evidence file (formcheck/fault_evidence.json feeds `formcheck faults`)")
    e.add_argument("--auto", action="store_true", help="recognise each clip's exercise instead of "
                   "giving it, and score the recognition (confusion matrix)")
    e.set_defaults(fn=_cmd_eval)

    f = sub.add_parser("faults", help="the fault evidence table: measures, limits, sources, "
                       "uncertainty by view, rendered and real-clip results")
    f.add_argument("--markdown", action="store_true", help="print it as Markdown")
    f.add_argument("--write-docs", metavar="PATH", help="write the Markdown page here")
    f.set_defaults(fn=_cmd_faults)
    if extend is not None:
        extend(sub)
    return p


def quiet_native_stderr() -> None:
    """Send what native libraries write straight to fd 2 (MediaPipe's graph and TensorFlow Lite
    start-up lines) to /dev/null, keeping Python's own stderr on a copy of the terminal."""
    try:
        sys.stderr.flush()
        python_err = os.dup(2)
        null = os.open(os.devnull, os.O_WRONLY)
    except (OSError, ValueError):
        return
    os.dup2(null, 2)
    os.close(null)
    sys.stderr = os.fdopen(python_err, "w", buffering=1)


def main(argv: list[str] | None = None, extend: Extension | None = None) -> int:
    args = build_parser(extend).parse_args(argv)
    if not args.verbose:
        quiet_native_stderr()
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    out, err = Console(), Console(stderr=True)
    try:
        return int(args.fn(args, out, err))
    except FormcheckError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
