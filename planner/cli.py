"""`python -m planner ...` / `planner ...`: the headless commands of the contract (§1).

Input problems exit 2 with one line per problem on stderr, each naming its field. Anything else
that goes wrong exits 1 with a one-line message; a traceback is never shown for bad input.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from planner import __version__, services
from planner.domain.problems import InputInvalid

EXIT_OK, EXIT_INTERNAL, EXIT_INVALID = 0, 1, 2


def _cmd_validate(args: argparse.Namespace) -> int:
    checked = services.check_case(services.read_case_file(Path(args.case)))
    for doubt in checked.doubts:
        print(str(doubt), file=sys.stderr)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="planner",
        description=(
            "Supportive-care planner for metastatic breast cancer with liver metastases. "
            "It suggests; the clinician decides."
        ),
    )
    parser.add_argument("--version", action="version", version=f"planner {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    validate = commands.add_parser(
        "validate",
        help="check a case file; prints nothing when it is valid (exit 0), one line per problem (exit 2)",
        description="Check a case document (planner.case/1). Doubts (likely unit mix-ups) are "
        "printed but do not fail the check.",
    )
    validate.add_argument("case", metavar="CASE.json")
    validate.set_defaults(run=_cmd_validate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help exits 0, usage errors exit 2
        return int(exc.code or 0)
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except InputInvalid as exc:
        for problem in exc.problems:
            print(str(problem), file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # an internal error: one line, never a traceback, exit 1
        print(f"internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_INTERNAL
