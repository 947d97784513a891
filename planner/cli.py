"""`python -m planner ...` / `planner ...`: the headless commands of the contract (§1).

Input problems exit 2 with one line per problem on stderr, each naming its field. Anything else
that goes wrong exits 1 with a one-line message; `--debug` adds the traceback of such an internal
error (never for bad input, which is the user's to fix, not a fault of the program).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from planner import __version__
from planner.domain.problems import InputInvalid, Problem
from planner.domain.settings import ClinicSettings
from planner.services import (
    case_commands,
    clinic_settings,
    environment,
    patient_record,
    printing,
    record_admin,
)

EXIT_OK, EXIT_INTERNAL, EXIT_INVALID = 0, 1, 2
DEBUG_HELP = "on an internal error (exit 1), print its traceback instead of one line"


def _debug_option() -> argparse.ArgumentParser:
    """--debug after the command too (`planner plan x.json --debug`): a parent for every
    subcommand, unset unless given, so it never overrides --debug given before the command."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=DEBUG_HELP)
    return parent


def _cmd_validate(args: argparse.Namespace) -> int:
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
    return clinic_settings.record_settings(Path(path)) if path else None


def _cmd_plan(args: argparse.Namespace) -> int:
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
    result = case_commands.score_instrument(
        args.instrument, case_commands.read_case_file(Path(args.file))
    )
    for doubt in result.get("doubts", []):
        print(doubt, file=sys.stderr)
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return EXIT_OK


# ---- the local record: `planner db ...` and `planner search` --------------------------------


def _record_path(args: argparse.Namespace) -> Path:
    """--db, else $PLANNER_DB, else the user's data folder."""
    return Path(args.db) if getattr(args, "db", None) else environment.default_db_path()


def _existing_record_path(args: argparse.Namespace) -> Path:
    path = _record_path(args)
    if not path.exists():
        raise InputInvalid(
            (Problem(str(path), "no record here (create one with `planner db init`)"),)
        )
    return path


def _who(args: argparse.Namespace) -> str:
    """Who acts, for the audit log: --user, else $PLANNER_USER, else the login name marked as
    such (environment.current_user). A --user that is blank is refused, never passed over."""
    named = getattr(args, "user", None)
    if named is not None and not named.strip():
        raise InputInvalid((Problem("--user", "is blank: give the name of who is acting"),))
    return environment.current_user(named)


def _open_record(
    args: argparse.Namespace, *, must_exist: bool = False, migrate: bool = True
) -> patient_record.PatientRecord:
    path = _existing_record_path(args) if must_exist else _record_path(args)
    return patient_record.PatientRecord(
        path, who=_who(args), migrate=migrate, create=not must_exist
    )


def _cmd_db_init(args: argparse.Namespace) -> int:
    """Create a record where there is none. An existing file is never re-created: an old
    schema is brought up to date, anything else is refused (exit 2) and left as it is."""
    path = _record_path(args)
    existed = path.exists()
    pending = False
    if existed:
        with patient_record.PatientRecord(path, migrate=False, create=False) as record:
            pending = record.schema_pending()
    with patient_record.PatientRecord(path, who=_who(args)) as record:
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
    found = record_admin.check_record(_existing_record_path(args))
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
    with _open_record(args, must_exist=True, migrate=False) as record:
        print(f"backup written: {record.backup(Path(args.dest))}")
    return EXIT_OK


def _cmd_db_restore(args: argparse.Namespace) -> int:
    path = _record_path(args)
    kept = record_admin.restore_record(path, Path(args.src))
    if kept is not None:
        print(f"the record it replaced was kept as {kept}")
    print(f"restored {args.src} into {path}")
    return EXIT_OK


def _cmd_db_import(args: argparse.Namespace) -> int:
    """One line per file on stdout (ok / refused with its reasons); each problem also on stderr.
    Each file is one transaction: a refused file leaves nothing behind."""
    refused = 0
    with _open_record(args) as record:
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
            print(f"ok {name}: patient {done.mrn} ({done.patient}), {what}", flush=True)
    return EXIT_INVALID if refused else EXIT_OK


def _cmd_db_export(args: argparse.Namespace) -> int:
    with _open_record(args, must_exist=True) as record:
        written = record.export_cases(Path(args.dir))
    print(f"{len(written)} case file(s) written to {args.dir}")
    return EXIT_OK


def _cmd_db_demo(args: argparse.Namespace) -> int:
    import time

    if args.patients < 0:
        raise InputInvalid((Problem("--patients", "must be 0 or more"),))
    started = time.perf_counter()
    with _open_record(args) as record:
        added = record.fill_demo(args.patients, args.seed)
    print(
        f"added {added['patients']} synthetic patients with {added['assessments']} assessments"
        f" ({added['skipped']} already present) in {time.perf_counter() - started:.1f} s"
    )
    return EXIT_OK


# ---- correcting the record: `planner db amend | merge | retire` (issue 20) ----------------------

# The services name what they refuse by their own words; the command names its own arguments.
_CORRECTION_ARGUMENTS = {
    "assessment": "ASSESSMENT",
    "merged": "OTHER_MRN",
    "surviving": "KEEP_MRN",
    "merge": "OTHER_MRN",
    "patient": "MRN",
    "reason": "--reason",
}


def _signed_record(args: argparse.Namespace) -> patient_record.PatientRecord:
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
    path = _existing_record_path(args)
    return patient_record.PatientRecord(path, who=by, create=False)


def _correcting(work: Callable[[], int]) -> int:
    """Run a correction; a refusal names the command's argument, not the service's word."""
    try:
        return work()
    except InputInvalid as exc:
        raise InputInvalid(
            tuple(
                Problem(_CORRECTION_ARGUMENTS.get(p.path, p.path), p.message, p.severity)
                for p in exc.problems
            )
        ) from None


def _cmd_db_amend(args: argparse.Namespace) -> int:
    from planner.services import record_corrections

    raw = case_commands.read_case_file(Path(args.case))
    if not isinstance(raw, dict):
        raise InputInvalid((Problem(args.case, "is not a case document (a JSON object)"),))
    if args.assessment < 1:
        raise InputInvalid((Problem("ASSESSMENT", "must be an assessment number, 1 or more"),))

    def amend() -> int:
        with _signed_record(args) as record:
            new_id = record_corrections.amend_assessment(record, args.assessment, raw, args.reason)
        print(
            f"assessment {args.assessment} amended: the corrected case is kept as assessment "
            f"{new_id} (both kept; its plans say they were superseded), by {args.by.strip()}"
        )
        return EXIT_OK

    return _correcting(amend)


def _cmd_db_merge(args: argparse.Namespace) -> int:
    from planner.services import record_corrections

    if args.keep.strip() == args.other.strip():
        raise InputInvalid((Problem("OTHER_MRN", "is KEEP_MRN itself: name two patients"),))

    def merge() -> int:
        with _signed_record(args) as record:
            merged = record_corrections.merge_patients(record, args.other, args.keep, args.reason)
        print(
            f"merged {merged.merged_mrn} into {merged.surviving_mrn}: "
            f"{len(merged.assessments)} assessment(s) and {len(merged.drafts)} draft(s) moved, "
            f"{len(merged.courses)} treatment course(s) read through the merge; "
            f"{merged.merged_mrn} is kept, hidden from the list, by {args.by.strip()}"
        )
        return EXIT_OK

    return _correcting(merge)


def _cmd_db_retire(args: argparse.Namespace) -> int:
    from planner.services import record_corrections

    def retire() -> int:
        with _signed_record(args) as record:
            record_corrections.retire_patient(record, args.mrn, args.reason)
        print(
            f"retired {args.mrn}: hidden from the list and the search, every row of hers kept, "
            f"by {args.by.strip()}"
        )
        return EXIT_OK

    return _correcting(retire)


def _cmd_search(args: argparse.Namespace) -> int:
    if args.limit < 1:
        raise InputInvalid((Problem("--limit", "must be 1 or more"),))
    path = _existing_record_path(args)
    found = record_admin.search_patients(path, " ".join(args.text), args.limit)
    out = sys.stdout
    for patient in found:
        out.write(json.dumps(dataclasses.asdict(patient), ensure_ascii=False) + "\n")
    return EXIT_OK


def _cmd_course_list(args: argparse.Namespace) -> int:
    from planner.services import treatment_courses

    with _open_record(args, must_exist=True) as record:
        found = treatment_courses.patient_courses(record, args.mrn)
    for course in found:
        sys.stdout.write(json.dumps(course, ensure_ascii=False) + "\n")
    return EXIT_OK


def _cmd_course_show(args: argparse.Namespace) -> int:
    from planner.services import treatment_courses

    with _open_record(args, must_exist=True) as record:
        document = treatment_courses.course_document(record, args.course_id)
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    return EXIT_OK


def _cmd_course_sheet(args: argparse.Namespace) -> int:
    from planner.services import treatment_courses

    with _open_record(args, must_exist=True) as record:
        review = treatment_courses.sheet_review(record, args.course_id, args.review)
        source = treatment_courses.cycle_sheet_source(record, args.course_id, review)
    pdf = treatment_courses.print_cycle_sheet(source, audience=args.audience)
    out = Path(args.pdf)
    try:
        out.write_bytes(pdf)
    except OSError as exc:
        raise InputInvalid((Problem("--pdf", f"{out}: {exc.strerror or exc}"),)) from None
    print(f"cycle sheet of course {args.course_id}, review {review}: {out}")
    return EXIT_OK


def _cmd_form(args: argparse.Namespace) -> int:
    """`planner form`: the paper assessment form, blank or pre-filled from the record."""
    from planner.services import paper_forms

    if args.mrn is not None and not args.mrn.strip():
        raise InputInvalid((Problem("--mrn", "is blank: give the patient's MRN"),))
    if args.mrn is not None or args.db or os.environ.get("PLANNER_DB"):
        with _open_record(args, must_exist=True) as record:
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
        parents=[_debug_option()],
        help="print the paper assessment form (blank, or pre-filled with --mrn) to a PDF",
        description="The assessment as a paper form laid out like the wizard: the patient's "
        "questionnaires (ESAS-r, distress thermometer, PHQ-9, GAD-7, QLQ-C30 and FACT-B by "
        "item number) to hand over, then the nurse's labs sheet (units to tick, the clinic's "
        "ULNs) and function. With --mrn, each field shows the patient's last value to check. "
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


def _add_course_commands(commands: argparse._SubParsersAction) -> None:
    """`planner course ...`: a patient's treatment courses read from the record (contract §5;
    docs/contract.md). --db may come before or after the subcommand."""
    db_help = "the record file (default: $PLANNER_DB, else the user's data folder)"
    db_after = _debug_option()
    db_after.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help=db_help)
    course = commands.add_parser(
        "course",
        parents=[_debug_option()],
        help="a patient's treatment courses: list, show one, print its cycle sheet",
        description="Read treatment courses from the record: the patient's courses (one JSON "
        "object per line), one course with its cycles, toxicities and decisions (JSON), or "
        "the cycle sheet of a signed review (PDF). Exit 0 ok, 2 bad input.",
    )
    course.add_argument("--db", metavar="PATH", default=None, help=db_help)
    actions = course.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser(
        "list",
        parents=[db_after],
        help="the patient's courses, oldest first, one JSON object per line",
        description="The patient's courses, oldest first, one JSON object per line.",
    )
    listing.add_argument("mrn", metavar="MRN")
    listing.set_defaults(run=_cmd_course_list)
    show = actions.add_parser(
        "show",
        parents=[db_after],
        help="one course: cycles given, toxicities, suggestions and decisions (JSON)",
        description="One course: every cycle given, every signed review (toxicities, the "
        "suggested and the decided cycle, who signed and why) and its stop, as JSON.",
    )
    show.add_argument("course_id", metavar="COURSE_ID", type=int)
    show.set_defaults(run=_cmd_course_show)
    sheet = actions.add_parser(
        "sheet",
        parents=[db_after],
        help="print the cycle sheet of a signed review to a PDF",
        description="The cycle sheet of the course's latest signed review (or --review): the "
        "decision and doses with their arithmetic for the doctor and pharmacist, and this "
        "cycle's dates and what to watch for in plain words for the patient.",
    )
    sheet.add_argument("course_id", metavar="COURSE_ID", type=int)
    sheet.add_argument("--pdf", metavar="OUT.pdf", required=True, help="where to write the sheet")
    sheet.add_argument(
        "--audience",
        choices=("clinician", "patient", "both"),
        default="both",
        help="the doctor's and pharmacist's pages, the patient's page, or both (default)",
    )
    sheet.add_argument(
        "--review",
        metavar="REVIEW_ID",
        type=int,
        default=None,
        help="a signed review of the course (default: the latest)",
    )
    sheet.set_defaults(run=_cmd_course_sheet)


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


def _add_record_commands(commands: argparse._SubParsersAction) -> None:
    """`planner db ...` and `planner search` (contract §1). --db may come before or after the
    subcommand."""
    db_help = "the record file (default: $PLANNER_DB, else the user's data folder)"
    user_help = (
        "who is acting, for the audit log (default: $PLANNER_USER, else the login name, "
        "marked as such)"
    )
    db_after = _debug_option()
    db_after.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help=db_help)
    db_after.add_argument("--user", metavar="NAME", default=argparse.SUPPRESS, help=user_help)

    record = commands.add_parser(
        "db",
        parents=[_debug_option()],
        help="the local patient record: init, check, backup, restore, import, export, demo, "
        "amend, merge, retire",
        description="Create, check, back up, restore, import into and export from the local "
        "record. Exit 0 ok, 2 bad input, 1 problems found or internal error.",
    )
    record.add_argument("--db", metavar="PATH", default=None, help=db_help)
    record.add_argument("--user", metavar="NAME", default=None, help=user_help)
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
        parents=[_debug_option()],
        help="find patients by name or MRN; one JSON object per line",
        description="Find patients whose names or MRN match TEXT (prefixes of words, any case, "
        "diacritics ignored; any part of an MRN).",
    )
    search.add_argument("--db", metavar="PATH", default=None, help=db_help)
    search.add_argument("text", metavar="TEXT", nargs="+")
    search.add_argument("--limit", metavar="N", type=int, default=20)
    search.set_defaults(run=_cmd_search)


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
        parents=[_debug_option()],
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
        parents=[_debug_option()],
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
        parents=[_debug_option()],
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
        parents=[_debug_option()],
        help="score one instrument or calculator from a JSON file; prints the result (JSON)",
        description="Score one instrument (qlq_c30, fact_b, esas_r, phq9, must, child_pugh, "
        "meld, bsa, ppi, pap, ...). Bad input exits 2 with one line per problem.",
    )
    score.add_argument("instrument", metavar="INSTRUMENT")
    score.add_argument("file", metavar="FILE.json")
    score.set_defaults(run=_cmd_score)
    _add_record_commands(commands)
    _add_rules_commands(commands)
    _add_course_commands(commands)
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
    except patient_record.RecordUnavailable as exc:  # an environment fault: the file and what to do
        print(str(exc), file=sys.stderr)
        return EXIT_INVALID
    except MemoryError:
        print("the input is too large to process: split it into smaller files", file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # an internal error: one line (the traceback with --debug), exit 1
        if getattr(args, "debug", False):
            traceback.print_exc()
        else:
            print(
                f"internal error: {type(exc).__name__}: {exc} (--debug shows where)",
                file=sys.stderr,
            )
        return EXIT_INTERNAL


def run() -> NoReturn:
    """The `planner` program (console script and `python -m planner`)."""
    raise SystemExit(main())


def _silence_stdout() -> None:
    """Point stdout at the null device, so the interpreter's last flush finds no closed pipe
    (the recipe of the Python documentation, "Note on SIGPIPE")."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):  # stdout replaced (tests) or already closed
        pass
