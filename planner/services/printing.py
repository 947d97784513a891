"""The printed plan (PDF): made one way — a `PlanPrintSource` read once (from a case file and its
plan for `planner plan --pdf`, or from a kept plan in the record), rendered by
`print_plan_document`. Imports reportlab (through planner.reports): never on the start-up path."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.domain.decision import decided_plan, print_refusal
from planner.domain.frozen_value import frozen_value
from planner.domain.problems import InputInvalid, Problem
from planner.domain.settings import ClinicSettings
from planner.domain.units import times_uln
from planner.reports.render import render_plan_pdf
from planner.services import clinic_settings

if TYPE_CHECKING:  # a kept plan's record is the caller's: `planner plan --pdf` opens none
    from planner.services.patient_record import PatientRecord


@frozen_value
class PrintedPlan:
    """One printed document: the kept plan as decided, in the chosen parts and paper. What the
    plan window shows is what it saves and prints (issue 16): the bytes travel with the choice
    they were made for."""

    plan_id: int | None  # None: a plan printed straight from a case file, not kept in a record
    audience: str
    paper: str
    pdf: bytes
    file_name: str
    evidence: bool = False  # with the evidence appendix (planner/reports/story.py)
    slips: bool = False  # with the referral slips


@frozen_value
class PlanPrintSource:
    """Everything a plan's printed document is made from, read once (from the record on the
    record's thread, or from a case file); rendering it (`print_plan_document`) touches no
    record, so it can run on any thread."""

    plan_id: int | None
    plan: dict[str, Any]  # the plan as decided (decided_plan)
    patient: dict[str, Any]
    clinic: dict[str, Any]
    trends: list[dict[str, Any]]
    biology: dict[str, Any] | None
    symptoms: dict[str, Any] | None
    paper: str  # the clinic's paper
    file_name: str
    #: why this plan must not be printed, in words (empty when it may be): a decision kept
    #: before undosed options were refused (planner.domain.decision.print_refusal). Reading the
    #: source never fails for it, so the plan window still opens, says why and offers Decide.
    refused: str = ""
    #: the case's function section: the booklet's advice on moving follows the mobility recorded
    function: dict[str, Any] | None = None


def plan_file_name(patient: dict[str, Any], assessed_on: Any) -> str:
    """`FAMILY_Given_MRN_YYYY-MM-DD_plan.pdf`: letters of any script kept, anything a file
    system could refuse replaced."""

    def part(value: Any) -> str:
        return re.sub(r"[^\w-]+", "-", str(value or "").strip(), flags=re.UNICODE).strip("-_")

    pieces = [
        part(patient.get("family_name")).upper(),
        part(patient.get("given_name")),
        part(patient.get("mrn")),
        part(assessed_on),
    ]
    return "_".join(p for p in pieces if p) + "_plan.pdf"


def case_trends(raw: Any) -> list[dict[str, Any]]:
    """Trend points a single case holds: bilirubin × ULN per lab date (same-unit ULN only)."""
    rows = []
    for labs in [*(raw.get("previous_labs") or []), raw.get("labs") or {}]:
        bilirubin = (labs or {}).get("bilirubin") or {}
        value, uln = bilirubin.get("value"), bilirubin.get("uln")
        if (
            labs.get("drawn_on")
            and isinstance(value, int | float)
            and isinstance(uln, int | float)
            and uln > 0
        ):
            rows.append({"date": labs["drawn_on"], "bilirubin_x_uln": times_uln(value, uln)})
    return rows


def _without_own_bilirubin(row: dict[str, Any], drop: bool) -> dict[str, Any]:
    """This assessment's trend row without its bilirubin when the case charts that result on its
    draw date: the same single result was charted twice (drawn 06 Dec, assessed 07 Dec), as a
    line between two points, while page 1 said there was no earlier result (nurse16 re-walk)."""
    return {**row, "bilirubin_x_uln": None} if drop else row


def _clinic_lines(settings: ClinicSettings, date_format: str = "iso") -> dict[str, Any]:
    """The clinic's name and phones as every printed part shows them, and how it shows dates
    (the window's clinic setting; a case file printed without a record keeps ISO)."""
    return {
        "name": settings.clinic_name,
        "phone": settings.clinic_phone,
        "out_of_hours_phone": settings.out_of_hours_phone,
        "emergency_phone": settings.emergency_phone,
        "family_slips_mood_details": settings.family_slips_mood_details,
        "date_format": date_format,
    }


def _local_day(stamp: Any) -> str | None:
    """The local calendar day of a record stamp (the record keeps UTC; a decision, local time)."""
    try:
        moment = dt.datetime.fromisoformat(str(stamp))
    except ValueError:
        return None
    return (moment.astimezone() if moment.tzinfo else moment).date().isoformat()


def case_print_source(
    raw: Any,
    plan: dict[str, Any],
    *,
    settings: ClinicSettings | None = None,
    trends: list[dict[str, Any]] | None = None,
) -> PlanPrintSource:
    """What the printed plan of a validated case file and its plan is made from. Without
    `trends`, the case's own results are charted (current and previous bilirubin)."""
    settings = settings or ClinicSettings()
    patient = {**(raw.get("patient") or {}), "assessed_on": raw.get("assessed_on")}
    return PlanPrintSource(
        plan_id=None,
        plan=decided_plan(plan),  # the printed document is the plan as decided (or as suggested)
        patient=patient,
        clinic=_clinic_lines(settings),
        trends=case_trends(raw) if trends is None else trends,
        biology=raw.get("biology"),  # biomarkers for the clinician section
        symptoms=raw.get("symptoms"),  # what the nurse recorded "no" is never printed as present
        function=raw.get("function"),
        paper=settings.paper,
        file_name=plan_file_name(patient, raw.get("assessed_on")),
        refused=print_refusal(plan),
    )


def plan_print_source(record: PatientRecord, plan_id: int) -> PlanPrintSource:
    """What the printed document of a kept plan is made from, read from the record once."""
    kept = record.plan(plan_id)
    if kept is None:
        raise InputInvalid((Problem("plan", f"{plan_id} is not in the record"),))
    raw = record.case(kept.assessment_id) or {}
    settings = clinic_settings.of_record(record)
    decision = kept.plan.get("decision") or {}
    patient = {
        **(raw.get("patient") or {}),
        "assessed_on": raw.get("assessed_on"),
        # the day the plan was made (decided): the booklet says it beside the assessment's
        "plan_made_on": _local_day(decision.get("decided_at") or kept.made_at),
    }
    own = case_trends(raw)
    trends = [
        _without_own_bilirubin(
            {**dataclasses.asdict(point), "date": point.assessed_on},
            bool(own) and point.assessment_id == kept.assessment_id,
        )
        for point in record.trend(str(patient.get("mrn", "")))
    ]
    # Bilirubin as the screen charts it: each of this case's results on the day it was drawn
    # (its earlier results too). Two assessments on one day kept only the last one's point, and
    # the earlier result the nurse confirmed against (1.75 × ULN) went missing from the paper.
    trends += own
    return PlanPrintSource(
        plan_id=plan_id,
        plan=decided_plan(kept.plan),
        patient=patient,
        clinic=_clinic_lines(settings, record.date_format()),
        trends=trends,
        biology=raw.get("biology"),  # biomarkers for the clinician section
        symptoms=raw.get("symptoms"),
        function=raw.get("function"),
        paper=settings.paper,
        file_name=plan_file_name(patient, raw.get("assessed_on")),
        refused=print_refusal(kept.plan),
    )


def print_plan_document(
    source: PlanPrintSource,
    *,
    audience: str = "both",
    paper: str | None = None,
    invariant: bool = False,
    evidence: bool = False,
    slips: bool = False,
) -> PrintedPlan:
    """The printed document of a plan as decided, in the chosen parts and paper (`paper`
    overrides the clinic's): by default (`both`) the clinician's decision and the family
    booklet, a first visit's one to six pages; `evidence` adds the evidence appendix, `slips`
    the referral slips. `invariant`: the same bytes for the same input (tests, archives).
    InputInvalid when the plan must not be printed (`source.refused` says why): every path that
    prints (window, CLI, services) comes through here."""
    if source.refused:
        raise InputInvalid((Problem("decision", source.refused),))
    paper = paper or source.paper
    pdf = render_plan_pdf(
        source.plan,
        patient=source.patient,
        clinic=source.clinic,
        audience=audience,
        paper=paper,
        trends=source.trends,
        invariant=invariant,
        biology=source.biology,
        symptoms=source.symptoms,
        function=source.function,
        evidence=evidence,
        slips=slips,
    )
    return PrintedPlan(source.plan_id, audience, paper, pdf, source.file_name, evidence, slips)


def printed_plan(
    record: PatientRecord,
    plan_id: int,
    *,
    audience: str = "both",
    paper: str | None = None,
    evidence: bool = False,
    slips: bool = False,
) -> PrintedPlan:
    """The PDF of a kept plan as decided (the parts asked for), with the file name it is saved
    under by default."""
    return print_plan_document(
        plan_print_source(record, plan_id),
        audience=audience,
        paper=paper,
        evidence=evidence,
        slips=slips,
    )


def export_plan_pdf(
    raw: Any,
    plan: dict[str, Any],
    out: Path | None = None,
    *,
    audience: str = "both",
    paper: str | None = None,
    settings: ClinicSettings | None = None,
    trends: list[dict[str, Any]] | None = None,
    invariant: bool = False,
    evidence: bool = False,
    slips: bool = False,
) -> bytes:
    """The printed plan (PDF bytes) for a validated case and its plan; written to `out` if given
    (whole or not at all). Patient details come from the case, the clinic's name, phones and
    paper from `settings` (`paper` overrides it); a chart with fewer than two points is left out.
    """
    source = case_print_source(raw, plan, settings=settings, trends=trends)
    pdf = print_plan_document(
        source,
        audience=audience,
        paper=paper,
        invariant=invariant,
        evidence=evidence,
        slips=slips,
    ).pdf
    if out is not None:
        partial = out.with_name(out.name + ".partial")
        try:
            partial.write_bytes(pdf)
            partial.replace(out)
        except OSError as exc:
            raise InputInvalid(
                (Problem(str(out), f"cannot be written: {exc.strerror or exc}"),)
            ) from None
    return pdf


# ----------------------------------------------------------------- sending the PDF to a printer


class PrintUnavailable(Exception):
    """This computer offers no way to hand a PDF to the printer as it is (no CUPS `lp`, no
    program registered to print PDFs): the caller may fall back to printing page images."""


@frozen_value
class PrintRequest:
    """Where and how the saved PDF goes: the printer (its system name), copies, paper, both
    sides, and the job's title in the printer queue."""

    printer: str
    title: str
    copies: int = 1
    paper: str = "a4"
    two_sided: bool = False


#: CUPS media names of the program's papers
CUPS_MEDIA = {"a4": "A4", "letter": "Letter"}


def cups_command(request: PrintRequest, lp: str = "lp") -> list[str]:
    """The `lp` command that prints a PDF read from standard input, unscaled, on `request`'s
    printer. CUPS takes PDF natively (its filters send the vector pages to the printer)."""
    command = [lp]
    if request.printer:
        command += ["-d", request.printer]
    command += ["-n", str(max(1, request.copies)), "-t", request.title or "Care plan"]
    command += ["-o", f"media={CUPS_MEDIA.get(request.paper, 'A4')}"]
    command += ["-o", "sides=two-sided-long-edge" if request.two_sided else "sides=one-sided"]
    return [*command, "--", "-"]  # "-": the document is read from standard input


def send_pdf_to_printer(
    pdf: bytes,
    request: PrintRequest,
    *,
    platform: str = sys.platform,
    run: Callable[..., subprocess.CompletedProcess[bytes]] = subprocess.run,
    which: Callable[[str], str | None] = shutil.which,
) -> str:
    """Hand the saved PDF's bytes, unchanged, to the operating system's print queue: the vector
    pages, not page images (issue 20 item 6: a rasterised job was 24 MB for an old clinic
    printer). Returns what was done, in words. PrintUnavailable when this computer has no way
    to print a PDF as it is; InputInvalid when the queue refused the job (its message names
    why). Linux and macOS: CUPS `lp`. Windows: the "printto" verb of the program registered
    for PDF files (docs/decisions.md)."""
    if not pdf.startswith(b"%PDF-"):
        raise ValueError("not a PDF")
    if platform.startswith("win"):
        return _print_on_windows(pdf, request)
    lp = which("lp")
    if lp is None:
        raise PrintUnavailable("the CUPS command lp is not installed")
    try:
        done = run(cups_command(request, lp), input=pdf, capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PrintUnavailable(f"lp could not be run: {exc}") from None
    if done.returncode != 0:
        said = (done.stderr or b"").decode("utf-8", "replace").strip() or f"exit {done.returncode}"
        raise InputInvalid((Problem("printer", f"{request.printer or 'default'}: {said}"),))
    queued = (done.stdout or b"").decode("utf-8", "replace").strip()
    return queued or f"sent to {request.printer or 'the default printer'}"


def _print_on_windows(pdf: bytes, request: PrintRequest) -> str:  # pragma: no cover - Windows
    import os
    import tempfile

    # The file must outlive this call: the registered PDF program opens it after we return.
    # It is written to the user's temporary folder, which Windows empties.
    handle, name = tempfile.mkstemp(prefix="care-plan-", suffix=".pdf")
    with os.fdopen(handle, "wb") as out:
        out.write(pdf)
    try:
        os.startfile(name, "printto", f'"{request.printer}"')  # type: ignore[attr-defined]
    except OSError as exc:
        raise PrintUnavailable(f"no program is registered to print PDF files: {exc}") from None
    return f"sent to {request.printer}"
