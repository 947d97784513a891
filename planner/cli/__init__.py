"""`python -m planner ...` / `planner ...`: the headless commands of the contract (§1).

Input problems exit 2 with one line per problem on stderr, each naming its field. Anything else
that goes wrong exits 1 with a one-line message; `--debug` adds the traceback of such an internal
error (never for bad input, which is the user's to fix, not a fault of the program).

Here: the parser, `main` and the case commands (validate, plan, dose, score), `planner rules`
and `planner form`; the record's commands are `record`, the courses' `course`, and what
they all share `arguments`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from planner import __version__
from planner.cli.arguments import (
    DEBUG_HELP,
    EXIT_INTERNAL,
    EXIT_INVALID,
    EXIT_OK,
    debug_option,
    open_record,
)
from planner.cli.course import add_course_commands
from planner.cli.record import add_record_commands
from planner.domain.problems import InputInvalid, Problem

if TYPE_CHECKING:
    from planner.domain.settings import ClinicSettings

# Each command imports the services it runs, inside its function: `planner plan CASE.json`
# never loads the PDF library, the record's storage or another command's services (start-up is
# most of a command's time). Enforced by ruff's banned-module-level-imports (TID253) on
# planner/cli/ and by tests/cli/test_command_imports.py (docs/decisions.md, "Lazy imports").


def _cmd_validate(args: argparse.Namespace) -> int:
    from planner.services import case_commands

    checked = case_commands.check_case(
        case_commands.read_case_file(Path(args.case)), today=dt.date.today()
    )
    for doubt in checked.doubts:
        print(str(doubt), file=sys.stderr)
    return EXIT_OK


def _clinic_settings(args: argparse.Namespace) -> ClinicSettings | None:
    """The record's clinic settings when --db is given or $PLANNER_DB is set; else None (the
    program's documented defaults). Unlike `planner db`, no fallback to the user data folder:
    a plan made from a file must not change with a record the user did not name."""
    path = args.db or os.environ.get("PLANNER_DB")
    if not path:
        return None
    from planner.services import clinic_settings  # opens the record: its storage

    return clinic_settings.record_settings(Path(path))


def _cmd_plan(args: argparse.Namespace) -> int:
    from planner.services import case_commands

    if args.evidence and args.audience == "patient":
        raise InputInvalid(
            (
                Problem(
                    "--evidence",
                    "the evidence appendix is printed with the clinician's decision: use "
                    "--audience both or clinician",
                ),
            )
        )
    raw = case_commands.read_case_file(Path(args.case))
    settings = _clinic_settings(args)
    plan = case_commands.make_plan(
        raw, labels=args.labels, settings=settings, today=dt.date.today()
    )
    if args.pdf:  # written first: a PDF that cannot be written fails the command before any output
        from planner.services import printing

        printing.export_plan_pdf(
            raw,
            plan,
            Path(args.pdf),
            audience=args.audience,
            paper=args.paper,
            settings=settings,
            evidence=args.evidence,
            slips=args.slips,
        )
    # one write: json.dump with indent streams through the pure-Python encoder in small pieces
    sys.stdout.write(json.dumps(plan, ensure_ascii=False, indent=2) + "\n")
    return EXIT_OK


def _cmd_dose(args: argparse.Namespace) -> int:
    from planner.services import case_commands

    dose = case_commands.dose_drug(
        case_commands.read_case_file(Path(args.case)),
        args.drug,
        labels=args.labels,
        settings=_clinic_settings(args),
    )
    json.dump(dose, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return EXIT_OK


def _cmd_score(args: argparse.Namespace) -> int:
    from planner.services import case_commands

    result = case_commands.score_instrument(
        args.instrument, case_commands.read_case_file(Path(args.file))
    )
    for doubt in result.get("doubts", []):
        print(doubt, file=sys.stderr)
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return EXIT_OK


def _cmd_form(args: argparse.Namespace) -> int:
    """`planner form`: the paper assessment form, blank or pre-filled from the record."""
    from planner.domain.settings import ClinicSettings
    from planner.services import clinic_settings, paper_forms

    if args.mrn is not None and not args.mrn.strip():
        raise InputInvalid((Problem("--mrn", "is blank: give the patient's MRN"),))
    if args.mrn is not None or args.db or os.environ.get("PLANNER_DB"):
        with open_record(args, must_exist=True) as record:
            settings = clinic_settings.of_record(record)
            form = (
                paper_forms.patient_form(record, args.mrn.strip())
                if args.mrn is not None
                else paper_forms.blank_form(settings)
            )
    else:  # no record named: the program's defaults (no clinic name, no clinic ULNs)
        settings = ClinicSettings()
        form = paper_forms.blank_form(settings)
    paper = args.paper or settings.paper
    pdf = paper_forms.form_pdf(form, paper)
    out = Path(args.pdf)
    try:
        out.write_bytes(pdf)
    except OSError as exc:
        raise InputInvalid((Problem("--pdf", f"{out}: {exc.strerror or exc}"),)) from None
    kind = f"pre-filled for MRN {form.mrn} (last {form.last_on})" if form.last_on else "blank"
    print(f"assessment form, {kind}, {paper}: {out}")
    return EXIT_OK


def _add_form_command(commands: argparse._SubParsersAction) -> None:
    """`planner form` (docs/contract.md, an addition to the contract's commands)."""
    form = commands.add_parser(
        "form",
        parents=[debug_option()],
        help="print the paper assessment form (blank, or pre-filled with --mrn) to a PDF",
        description="The assessment as a paper form laid out like the wizard: the patient's "
        "questionnaires (ESAS-r, distress thermometer, PHQ-9, GAD-7, QLQ-C30 and FACT-B by "
        "item number) to hand over, then the nurse's pages: birth date, height and weight, the "
        "labs sheet (units to tick, the clinic's ULNs), medicines, allergies and remedies, and "
        "function. With --mrn, each field shows the patient's last value to check. "
        "Exit 0 ok, 2 bad input (an unknown MRN is named).",
    )
    form.add_argument(
        "--db",
        metavar="PATH",
        default=None,
        help="the record (default: $PLANNER_DB; with --mrn, else the user's data folder): "
        "its clinic name, ULNs and paper",
    )
    form.add_argument(
        "--mrn", metavar="MRN", default=None, help="pre-fill from this patient's last assessment"
    )
    form.add_argument("--pdf", metavar="OUT.pdf", required=True, help="where to write the form")
    form.add_argument(
        "--paper",
        choices=("a4", "letter"),
        default=None,
        help="paper size (default: the clinic's with a record, else a4)",
    )
    form.set_defaults(run=_cmd_form)


def _cmd_rules_check(args: argparse.Namespace) -> int:
    from planner.rules import RulesError  # only this command builds the tables: lazily
    from planner.rules.loader import check_rules

    try:
        ruleset = check_rules(Path(args.dir) if args.dir else None)
    except RulesError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_INVALID
    print(f"{ruleset.version}: every table read and cross-checked")
    return EXIT_OK


def _cmd_rules_schema(args: argparse.Namespace) -> int:
    from planner.rules.reference import reference

    text = reference()
    if args.write:
        Path(args.write).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _add_rules_commands(commands: argparse._SubParsersAction) -> None:
    rules = commands.add_parser(
        "rules",
        help="check the rule tables, or print the reference of every table's keys",
        description="For the pharmacist editing resources/rules: check every table (the first "
        "problem names the file, the row and the key; exit 2), or print the reference of "
        "every table's keys (docs/rules-schema.md).",
    )
    actions = rules.add_subparsers(dest="action", metavar="ACTION", required=True)
    check = actions.add_parser(
        "check",
        help="read and cross-check every table (exit 2 naming the first problem)",
        description="Read every table of DIR (default: the program's own, or $PLANNER_RULES_DIR) "
        "strictly, never from the cache.",
    )
    check.add_argument("dir", metavar="DIR", nargs="?", default=None)
    check.set_defaults(run=_cmd_rules_check)
    schema = actions.add_parser(
        "schema",
        help="print every table's keys, types and allowed values (Markdown)",
        description="The reference of the rule tables, generated from the row types.",
    )
    schema.add_argument("--write", metavar="PATH", default=None, help="write it to PATH")
    schema.set_defaults(run=_cmd_rules_schema)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="planner",
        description=(
            "Supportive-care planner for metastatic breast cancer with liver metastases. "
            "It suggests; the clinician decides."
        ),
    )
    parser.add_argument("--version", action="version", version=f"planner {__version__}")
    parser.add_argument("--debug", action="store_true", help=DEBUG_HELP)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    validate = commands.add_parser(
        "validate",
        parents=[debug_option()],
        help="check a case file; prints nothing when it is valid (exit 0), one line per problem (exit 2)",
        description="Check a case document (planner.case/1). Doubts (likely unit mix-ups) are "
        "printed but do not fail the check.",
    )
    validate.add_argument("case", metavar="CASE.json")
    validate.set_defaults(run=_cmd_validate)

    settings_help = (
        "use the clinic settings kept in this record (label set, formulary, default ULNs, "
        "distress-thermometer cut-off, Child–Pugh albumin variant, supportive cut-offs, clinic "
        "name, phones, paper); default: $PLANNER_DB if set. Without --db (and no $PLANNER_DB) "
        "the program's documented defaults are used"
    )
    plan = commands.add_parser(
        "plan",
        parents=[debug_option()],
        help="validate a case and print its plan document (JSON); exit 2 on invalid input",
        description="Build the plan (planner.plan/1) for a case document and print it as JSON. "
        "Without --db the program's documented defaults are used (no clinic name or phones, "
        "NCCN distress cut-off >= 4, Pugh 1973 albumin bands); the plan's `settings` names "
        "the settings it was made with.",
    )
    plan.add_argument("case", metavar="CASE.json")
    plan.add_argument("--db", metavar="PATH", default=None, help=settings_help)
    plan.add_argument(
        "--labels",
        choices=("us", "eu"),
        default=None,
        help="label set for doses (default: the clinic's with --db, else us)",
    )
    plan.add_argument("--pdf", metavar="OUT.pdf", default=None, help="also write the printed plan")
    plan.add_argument(
        "--paper",
        choices=("a4", "letter"),
        default=None,
        help="paper size (default: the clinic's with --db, else a4)",
    )
    plan.add_argument(
        "--audience",
        choices=("both", "clinician", "patient"),
        default="both",
        help="the clinician's decision, the patient booklet (with its referral slips), or both "
        "(default: the decision and the booklet)",
    )
    plan.add_argument(
        "--evidence",
        action="store_true",
        help="add the evidence appendix after the clinician's decision (why each suggestion, "
        "the other options, symptom care in full, references); with --audience both or clinician",
    )
    plan.add_argument("--slips", action="store_true", help="add a referral slip per referral")
    plan.set_defaults(run=_cmd_plan)

    dose = commands.add_parser(
        "dose",
        parents=[debug_option()],
        help="the adapted starting dose of one drug for this patient, as one drugs[] object",
        description="Print the starting dose of one drug (lower-case INN) for the case, adapted "
        "to liver, kidney, genotype and heart, whether or not the drug is among the plan's options.",
    )
    dose.add_argument("case", metavar="CASE.json")
    dose.add_argument("--db", metavar="PATH", default=None, help=settings_help)
    dose.add_argument(
        "--drug", metavar="NAME", required=True, help="lower-case INN, e.g. paclitaxel"
    )
    dose.add_argument(
        "--labels",
        choices=("us", "eu"),
        default=None,
        help="label set (default: the clinic's with --db, else us)",
    )
    dose.set_defaults(run=_cmd_dose)

    score = commands.add_parser(
        "score",
        parents=[debug_option()],
        help="score one instrument or calculator from a JSON file; prints the result (JSON)",
        description="Score one instrument (qlq_c30, fact_b, esas_r, phq9, must, child_pugh, "
        "meld, bsa, ppi, pap, ...). Bad input exits 2 with one line per problem.",
    )
    score.add_argument("instrument", metavar="INSTRUMENT")
    score.add_argument("file", metavar="FILE.json")
    score.set_defaults(run=_cmd_score)
    add_record_commands(commands)
    _add_rules_commands(commands)
    add_course_commands(commands)
    _add_form_command(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help exits 0, usage errors exit 2
        return int(exc.code or 0)
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        code = run(args)
        sys.stdout.flush()  # a closed pipe shows here, not in an unraisable error at exit
        return code
    except BrokenPipeError:  # `planner plan x.json | head`: the reader left; stop quietly
        _silence_stdout()
        return EXIT_OK
    except InputInvalid as exc:
        for problem in exc.problems:
            print(str(problem), file=sys.stderr)
        return EXIT_INVALID
    except MemoryError:
        print("the input is too large to process: split it into smaller files", file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # an internal error: one line (the traceback with --debug), exit 1
        if _record_unavailable(exc):  # an environment fault: the file and what to do
            print(str(exc), file=sys.stderr)
            return EXIT_INVALID
        if getattr(args, "debug", False):
            traceback.print_exc()
        else:
            print(
                f"internal error: {type(exc).__name__}: {exc} (--debug shows where)",
                file=sys.stderr,
            )
        return EXIT_INTERNAL


def _record_unavailable(exc: Exception) -> bool:
    """Whether `exc` says the record file cannot be used. Its class is imported here, on the
    error path, so that a command that opens no record never loads the storage modules."""
    from planner.services.patient_record import RecordUnavailable

    return isinstance(exc, RecordUnavailable)


#: the cycle collector's first threshold in a `planner` process (CPython's default is 700)
COLLECT_AFTER = 50_000


def run() -> NoReturn:
    """The `planner` program (console script and `python -m planner`)."""
    # A command is one short process that allocates hundreds of thousands of objects which live
    # to its end (modules, classes, the rule tables, the plan, the PDF's flowables). At
    # CPython's default a young collection runs every 700 net allocations, and each tenth sends
    # the survivors on to an older generation that is walked again: ~120 collections per `plan
    # --pdf`, every object they visit alive. Collecting after 50,000 keeps cycles collected (a
    # command's memory stays bounded) at a handful of collections (docs/decisions.md, "Speed
    # targets"). The desktop program collects from its GUI thread instead (ui/gui_thread_gc.py).
    gc.set_threshold(COLLECT_AFTER, *gc.get_threshold()[1:])
    code = main()
    # The command is done: its output flushed, its files and record closed (each in a `with`).
    # What is still alive (modules, classes, the rule tables, the plan) is about to go with the
    # process, and the interpreter's last collection at exit would walk and free it object by
    # object: ~70 ms of a `plan --pdf`. Frozen, the collector leaves it to the operating system.
    # The exit itself is the ordinary one: exit handlers, the wait for threads, stdout's last
    # flush and the exit code are unchanged (docs/decisions.md, "Speed targets").
    gc.freeze()
    raise SystemExit(code)


def _silence_stdout() -> None:
    """Point stdout at the null device, so the interpreter's last flush finds no closed pipe
    (the recipe of the Python documentation, "Note on SIGPIPE")."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):  # stdout replaced (tests) or already closed
        pass
