"""The `formcheck` program: the library's commands (formcheck.cli) plus the service's own.

    formcheck serve [--host H] [--port P]    the web service and its pages (embedded worker)
    formcheck worker                         an analysis worker on the Redis queue
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from rich.console import Console

from formcheck.cli import main as library_main


def _cmd_serve(args: argparse.Namespace, out: Console, err: Console) -> int:
    from api.server import serve

    serve(args.host, args.port)
    return 0


def _cmd_worker(args: argparse.Namespace, out: Console, err: Console) -> int:
    from api.worker import run

    run()
    return 0


def add_service_commands(sub: Any) -> None:
    s = sub.add_parser("serve", help="run the web service and its pages")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)
    s.set_defaults(fn=_cmd_serve)
    sub.add_parser("worker", help="run an analysis worker (Redis queue)").set_defaults(
        fn=_cmd_worker)


def main(argv: list[str] | None = None) -> int:
    return library_main(argv, extend=add_service_commands)


if __name__ == "__main__":
    sys.exit(main())
