"""`planner course ...`: a patient's treatment courses read from the record (contract §5;
docs/contract.md): list them, show one, print the cycle sheet of a signed review.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from planner.cli.arguments import DB_HELP, EXIT_OK, debug_option, open_record, record_options_after
from planner.domain.problems import InputInvalid, Problem


def _cmd_course_list(args: argparse.Namespace) -> int:
    from planner.services import course_views

    with open_record(args, must_exist=True) as record:
        found = course_views.patient_courses(record, args.mrn)
    for course in found:
        sys.stdout.write(json.dumps(course, ensure_ascii=False) + "\n")
    return EXIT_OK


def _cmd_course_show(args: argparse.Namespace) -> int:
    from planner.services import course_views

    with open_record(args, must_exist=True) as record:
        document = course_views.course_document(record, args.course_id)
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    return EXIT_OK


def _cmd_course_sheet(args: argparse.Namespace) -> int:
    from planner.services import course_views, cycle_sheets

    with open_record(args, must_exist=True) as record:
        review = course_views.sheet_review(record, args.course_id, args.review)
        source = cycle_sheets.cycle_sheet_source(record, args.course_id, review)
    pdf = cycle_sheets.print_cycle_sheet(source, audience=args.audience)
    out = Path(args.pdf)
    try:
        out.write_bytes(pdf)
    except OSError as exc:
        raise InputInvalid((Problem("--pdf", f"{out}: {exc.strerror or exc}"),)) from None
    print(f"cycle sheet of course {args.course_id}, review {review}: {out}")
    return EXIT_OK


def add_course_commands(commands: argparse._SubParsersAction) -> None:
    """`planner course ...`: a patient's treatment courses read from the record (contract §5;
    docs/contract.md). --db may come before or after the subcommand."""
    db_after = record_options_after()
    course = commands.add_parser(
        "course",
        parents=[debug_option()],
        help="a patient's treatment courses: list, show one, print its cycle sheet",
        description="Read treatment courses from the record: the patient's courses (one JSON "
        "object per line), one course with its cycles, toxicities and decisions (JSON), or "
        "the cycle sheet of a signed review (PDF). Exit 0 ok, 2 bad input.",
    )
    course.add_argument("--db", metavar="PATH", default=None, help=DB_HELP)
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
