"""`planner db ...` and `planner search` (contract §1): create, check, back up, restore, import
into, export from and correct the local record (amend, merge, retire: signed with --by and
--reason), and find patients in it.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from planner.cli.arguments import (
    DB_HELP,
    EXIT_INTERNAL,
    EXIT_INVALID,
    EXIT_OK,
    USER_HELP,
    debug_option,
    existing_record_path,
    open_record,
    record_options_after,
    record_path,
    who,
)
from planner.domain.problems import InputInvalid, Problem

if TYPE_CHECKING:  # each command imports the services it runs (docs/decisions.md, "Lazy imports")
    from planner.services.patient_record import PatientRecord


def _cmd_db_init(args: argparse.Namespace) -> int:
    """Create a record where there is none. An existing file is never re-created: an old
    schema is brought up to date, anything else is refused (exit 2) and left as it is."""
    from planner.services.patient_record import PatientRecord

    path = record_path(args)
    existed = path.exists()
    pending = False
    if existed:
        with PatientRecord(path, migrate=False, create=False) as record:
            pending = record.schema_pending()
    with PatientRecord(path, who=who(args)) as record:
        count = record.patient_count()
    if not existed:
        print(f"record ready: {path} ({count} patients)")
        return EXIT_OK
    if pending:
        print(f"record brought up to date: {path} ({count} patients)")
        return EXIT_OK
    raise InputInvalid(
        (
            Problem(
                str(path),
                f"already holds a record ({count} patient{'' if count == 1 else 's'}); nothing "
                "was changed. Use it as it is, or give another path for a new record",
            ),
        )
    )


def _cmd_db_check(args: argparse.Namespace) -> int:
    from planner.services import record_admin

    found = record_admin.check_record(existing_record_path(args))
    for problem in found.problems:
        print(problem)
    for note in found.notes:
        print(f"note: {note}", file=sys.stderr)
    if found.problems:
        print(f"{len(found.problems)} problem(s) found", file=sys.stderr)
        return EXIT_INTERNAL
    print("ok")
    return EXIT_OK


def _cmd_db_backup(args: argparse.Namespace) -> int:
    with open_record(args, must_exist=True, migrate=False) as record:
        print(f"backup written: {record.backup(Path(args.dest))}")
    return EXIT_OK


def _cmd_db_restore(args: argparse.Namespace) -> int:
    from planner.services import record_admin

    path = record_path(args)
    kept = record_admin.restore_record(path, Path(args.src))
    if kept is not None:
        print(f"the record it replaced was kept as {kept}")
    print(f"restored {args.src} into {path}")
    return EXIT_OK


def _cmd_db_import(args: argparse.Namespace) -> int:
    """One line per file on stdout (ok / refused with its reasons); each problem also on stderr.
    Each file is one transaction: a refused file leaves nothing behind."""
    from planner.services import case_commands

    refused = 0
    with open_record(args) as record:
        for name in args.cases:
            try:
                done = record.import_case(case_commands.read_case_file(Path(name)))
            except InputInvalid as exc:
                refused += 1
                print(f"refused {name}: " + "; ".join(map(str, exc.problems)), flush=True)
                for problem in exc.problems:
                    print(f"{name}: {problem}", file=sys.stderr)
                continue
            for doubt in done.doubts:
                print(f"{name}: {doubt}", file=sys.stderr)
            what = (
                f"already in the record as assessment {done.assessment_id}"
                if done.already_present
                else f"assessment {done.assessment_id}"
            )
            # a result kept with a delta-check jump is said on stdout too: it is not confirmed
            flagged = (
                f"; {done.unconfirmed_jumps} result(s) beyond the delta-check limit, kept NOT "
                "confirmed (stderr)"
                if done.unconfirmed_jumps
                else ""
            )
            print(f"ok {name}: patient {done.mrn} ({done.patient}), {what}{flagged}", flush=True)
    return EXIT_INVALID if refused else EXIT_OK


def _cmd_db_export(args: argparse.Namespace) -> int:
    with open_record(args, must_exist=True) as record:
        written = record.export_cases(Path(args.dir))
    print(f"{len(written)} case file(s) written to {args.dir}")
    return EXIT_OK


def _cmd_db_demo(args: argparse.Namespace) -> int:
    import time

    from planner.services import kept_plans

    if args.patients < 0:
        raise InputInvalid((Problem("--patients", "must be 0 or more"),))
    started = time.perf_counter()
    with open_record(args) as record:
        added = record.fill_demo(args.patients, args.seed)
        planned = kept_plans.plan_latest_demo_assessments(record)
    print(
        f"added {added['patients']} synthetic patients with {added['assessments']} assessments"
        f" ({added['skipped']} already present) and {planned} plans of the most recently "
        f"assessed, in {time.perf_counter() - started:.1f} s"
    )
    return EXIT_OK


# The services name what they refuse by their own words; the command names its own arguments.
_CORRECTION_ARGUMENTS = {
    "assessment": "ASSESSMENT",
    "merged": "OTHER_MRN",
    "surviving": "KEEP_MRN",
    "merge": "OTHER_MRN",
    "patient": "MRN",
    "reason": "--reason",
}


def _signed_record(args: argparse.Namespace) -> PatientRecord:
    """The record opened for a correction signed by --by (required, never blank). --user, the
    other commands' way to name who acts, must agree with it when given."""
    by = " ".join(args.by.split())
    if not by:
        raise InputInvalid((Problem("--by", "is blank: give the name of who decides this"),))
    user = getattr(args, "user", None)
    if user is not None and " ".join(user.split()) != by:
        raise InputInvalid((Problem("--by", f'differs from --user "{user}": give one name'),))
    if not args.reason.strip():
        raise InputInvalid((Problem("--reason", "is blank: say why the record is corrected"),))
    from planner.services.patient_record import PatientRecord

    path = existing_record_path(args)
    return PatientRecord(path, who=by, create=False)


def _correcting(args: argparse.Namespace, work: Callable[[PatientRecord], str]) -> int:
    """Run a correction in the record opened for it (`_signed_record`) and print what it did; a
    refusal names the command's argument, not the service's word."""
    try:
        with _signed_record(args) as record:
            done = work(record)
    except InputInvalid as exc:
        raise InputInvalid(
            tuple(
                Problem(_CORRECTION_ARGUMENTS.get(p.path, p.path), p.message, p.severity)
                for p in exc.problems
            )
        ) from None
    print(done)
    return EXIT_OK


def _cmd_db_amend(args: argparse.Namespace) -> int:
    from planner.services import case_commands, record_corrections

    raw = case_commands.read_case_file(Path(args.case))
    if not isinstance(raw, dict):
        raise InputInvalid((Problem(args.case, "is not a case document (a JSON object)"),))
    if args.assessment < 1:
        raise InputInvalid((Problem("ASSESSMENT", "must be an assessment number, 1 or more"),))

    def amend(record: PatientRecord) -> str:
        new_id = record_corrections.amend_assessment(record, args.assessment, raw, args.reason)
        return (
            f"assessment {args.assessment} amended: the corrected case is kept as assessment "
            f"{new_id} (both kept; its plans say they were superseded), by {args.by.strip()}"
        )

    return _correcting(args, amend)


def _cmd_db_merge(args: argparse.Namespace) -> int:
    from planner.services import record_corrections

    if args.keep.strip() == args.other.strip():
        raise InputInvalid((Problem("OTHER_MRN", "is KEEP_MRN itself: name two patients"),))

    def merge(record: PatientRecord) -> str:
        merged = record_corrections.merge_patients(record, args.other, args.keep, args.reason)
        return (
            f"merged {merged.merged_mrn} into {merged.surviving_mrn}: "
            f"{len(merged.assessments)} assessment(s) and {len(merged.drafts)} draft(s) moved, "
            f"{len(merged.courses)} treatment course(s) read through the merge; "
            f"{merged.merged_mrn} is kept, hidden from the list, by {args.by.strip()}"
        )

    return _correcting(args, merge)


def _cmd_db_retire(args: argparse.Namespace) -> int:
    from planner.services import record_corrections

    def retire(record: PatientRecord) -> str:
        record_corrections.retire_patient(record, args.mrn, args.reason)
        return (
            f"retired {args.mrn}: hidden from the list and the search, every row of hers kept, "
            f"by {args.by.strip()}"
        )

    return _correcting(args, retire)


def _cmd_search(args: argparse.Namespace) -> int:
    from planner.services import patient_search

    if args.limit < 1:
        raise InputInvalid((Problem("--limit", "must be 1 or more"),))
    path = existing_record_path(args)
    found = patient_search.search_patients(path, " ".join(args.text), args.limit)
    out = sys.stdout
    for patient in found:
        out.write(json.dumps(dataclasses.asdict(patient), ensure_ascii=False) + "\n")
    return EXIT_OK


def add_record_commands(commands: argparse._SubParsersAction) -> None:
    """`planner db ...` and `planner search` (contract §1). --db may come before or after the
    subcommand."""
    db_after = record_options_after(user=True)

    record = commands.add_parser(
        "db",
        parents=[debug_option()],
        help="the local patient record: init, check, backup, restore, import, export, demo, "
        "amend, merge, retire",
        description="Create, check, back up, restore, import into and export from the local "
        "record. Exit 0 ok, 2 bad input, 1 problems found or internal error.",
    )
    record.add_argument("--db", metavar="PATH", default=None, help=DB_HELP)
    record.add_argument("--user", metavar="NAME", default=None, help=USER_HELP)
    actions = record.add_subparsers(dest="action", metavar="ACTION", required=True)

    def action(
        name: str, run: Callable[[argparse.Namespace], int], text: str
    ) -> argparse.ArgumentParser:
        sub = actions.add_parser(name, parents=[db_after], help=text, description=text)
        sub.set_defaults(run=run)
        return sub

    action("init", _cmd_db_init, "create the record, or bring its schema up to date")
    action(
        "check",
        _cmd_db_check,
        "integrity and foreign-key checks, audit chain, plans, indexed columns, search index; "
        "exit 1 if anything is wrong",
    )
    action("backup", _cmd_db_backup, "online backup to a new file (or into a folder)").add_argument(
        "dest", metavar="DEST"
    )
    action(
        "restore",
        _cmd_db_restore,
        "replace the record by a backup (the replaced record is kept beside it)",
    ).add_argument("src", metavar="SRC")
    action(
        "import",
        _cmd_db_import,
        "add case files as assessments (patients created or matched by MRN); one line per file",
    ).add_argument("cases", metavar="CASE.json", nargs="+")
    action("export", _cmd_db_export, "write every assessment back as a case file").add_argument(
        "dir", metavar="DIR"
    )
    demo = action("demo", _cmd_db_demo, "add N synthetic patients (several assessments each)")
    demo.add_argument("--patients", metavar="N", type=int, required=True)
    demo.add_argument("--seed", metavar="S", type=int, default=0)

    def signed(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--reason", metavar="TEXT", required=True, help="why (kept, audited)")
        sub.add_argument(
            "--by", metavar="NAME", required=True, help="who decides this (signs it in the audit)"
        )

    amend = action(
        "amend",
        _cmd_db_amend,
        "keep a corrected case file as the new version of an assessment (both kept; plans "
        "made from the old version say they were superseded)",
    )
    amend.add_argument(
        "assessment",
        metavar="ASSESSMENT",
        type=int,
        help="the assessment's number (the last part of its `planner db export` file name)",
    )
    amend.add_argument("case", metavar="CASE.json", help="the corrected case, the same patient")
    signed(amend)
    merge = action(
        "merge",
        _cmd_db_merge,
        "merge two records of one patient: OTHER_MRN's assessments, plans and drafts move to "
        "KEEP_MRN; nothing is deleted",
    )
    merge.add_argument("keep", metavar="KEEP_MRN")
    merge.add_argument("other", metavar="OTHER_MRN")
    signed(merge)
    retire = action(
        "retire",
        _cmd_db_retire,
        "hide a patient entered by mistake from the list and the search (every row kept)",
    )
    retire.add_argument("mrn", metavar="MRN")
    signed(retire)

    search = commands.add_parser(
        "search",
        parents=[debug_option()],
        help="find patients by name or MRN; one JSON object per line",
        description="Find patients whose names or MRN match TEXT (prefixes of words, any case, "
        "diacritics ignored; any part of an MRN).",
    )
    search.add_argument("--db", metavar="PATH", default=None, help=DB_HELP)
    search.add_argument("text", metavar="TEXT", nargs="+")
    search.add_argument("--limit", metavar="N", type=int, default=20)
    search.set_defaults(run=_cmd_search)
