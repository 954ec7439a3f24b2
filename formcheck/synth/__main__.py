"""`python -m formcheck.synth render-fixtures [folder]`: render the fixture clips.
`python -m formcheck.synth limits [name ...] [--write formcheck/fault_evidence.json]`: rendered fault
ladders through the whole pipeline."""

from __future__ import annotations

import argparse
import logging
import sys

from formcheck.synth.clips import FIXTURES_DIR, render_fixtures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m formcheck.synth")
    sub = parser.add_subparsers(dest="command", required=True)
    cmd = sub.add_parser("render-fixtures", help="render the fixture clips and expected answers")
    cmd.add_argument("folder", nargs="?", default=str(FIXTURES_DIR))
    lim = sub.add_parser("limits", help="render each fault ladder and print drawn / measured / flagged")
    lim.add_argument("names", nargs="*", help="ladders to run (default: all)")
    lim.add_argument("--write", metavar="JSON", help="keep the ladders' summaries in this fault "
                     "evidence file (formcheck/fault_evidence.json feeds `formcheck faults`)")
    args = parser.parse_args(argv)
    if args.command == "limits":
        from formcheck.cli import quiet_native_stderr
        from formcheck.synth.limits import main as limits

        quiet_native_stderr()
        return limits(args.names, args.write)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    render_fixtures(args.folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
