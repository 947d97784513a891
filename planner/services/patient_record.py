"""The open local record (`PatientRecord`), as the window and the CLI see it, and
`RecordUnavailable`, the one error for a record that cannot be used. On the start-up path: the
window lists patients through it, so this module imports at its top only what listing needs.
The methods that validate, write assessments or read them import what they need in their body:
the one documented lazy import (docs/decisions.md, "Services by use case"; ruff TID253 refuses
those modules at the top of this file).

Why one module: `PatientRecord` is the one facade of the open record for the window and the CLI;
each method is a short use case over the same connection and the same fault translation
(`_record_faults` into `RecordUnavailable`), delegating to the use-case modules of
planner/services. Its length is its breadth, not depth.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from planner.domain.dates import DEFAULT_DATE_FORMAT
from planner.domain.frozen_value import frozen_value
from planner.domain.problems import InputInvalid, Problem
from planner.domain.stored import (
    Draft,
    PatientSummary,
    StoredCourse,
    StoredPlan,
    TrendPoint,
)
from planner.services.environment import current_user
from planner.storage import (
    acknowledgements,
    courses,
    drafts,
    patients,
    plans,
    search,
    stored_settings,
)
from planner.storage import db as storage_db

if TYPE_CHECKING:
    from sqlite_utils import Database

    from planner.domain.case import Case, Patient
    from planner.domain.critical_alerts import OpenAlert
    from planner.domain.lab_deltas import LabJump


class RecordUnavailable(RuntimeError):
    """The record file cannot be opened or used (not a record, damaged, locked, disk full, no
    permission). `path`: the file; `reason`: one sentence saying what is wrong and what to do."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")

    @classmethod
    def from_error(cls, exc: Exception, path: Path) -> RecordUnavailable:

        if isinstance(exc, storage_db.RecordError):
            return cls(exc.path, exc.reason)
        return cls(path, storage_db.explain(exc))


@frozen_value
class ImportOutcome:
    """What importing one case did. `patient`: new, matched (known MRN) or updated (known MRN,
    demographics changed); `already_present`: the identical case was in the record already."""

    mrn: str
    patient: str
    assessment_id: int
    already_present: bool
    doubts: tuple[Problem, ...]
    #: the results beyond their delta-check limit from her previous ones, kept unconfirmed
    #: (also among `doubts`, in words)
    unconfirmed_jumps: int = 0


@frozen_value
class Worklist:
    """Today's work (PatientRecord.worklist)."""

    today: dt.date
    reviews_due: tuple[PatientSummary, ...]
    open_alerts: tuple[PatientSummary, ...]
    drafts: tuple[Draft, ...]


P = ParamSpec("P")
R = TypeVar("R")


def _record_faults(
    method: Callable[Concatenate[PatientRecord, P], R],
) -> Callable[Concatenate[PatientRecord, P], R]:
    """A PatientRecord method whose environment faults (locked, disk full, read-only, damaged)
    end as RecordUnavailable: one sentence naming the record and what to do, never a
    traceback or an "internal error"."""

    @functools.wraps(method)
    def guarded(self: PatientRecord, /, *args: P.args, **kwargs: P.kwargs) -> R:
        if self.closed:
            raise RecordUnavailable(self.path, "is closed (being restored, or the program ends)")
        try:
            return method(self, *args, **kwargs)
        except (sqlite3.IntegrityError, sqlite3.ProgrammingError):
            raise  # the program's own mistake, not the environment's
        except (sqlite3.Error, storage_db.RecordError) as exc:
            raise RecordUnavailable.from_error(exc, self.path) from None

    return guarded


def _near_duplicate_words(mrn: str, near: list[str]) -> str:
    shown = ", ".join(near[:3])
    return (
        f'"{mrn}" is close to {shown} already in the record (the same number typed '
        "differently?): if this is that patient, use that MRN; if not, check both numbers"
    )


class PatientRecord:
    """The open local record, as the UI and CLI see it: domain objects in, domain objects out.

    `migrate=False` opens the record as it is (for `planner db check`); otherwise pending schema
    migrations are applied, after an online backup. `who` is recorded in the audit log.

    Opening is quick (the desktop app's start-up): a plain sqlite3 connection serves the reads
    the main window makes (count, pages of patients, drafts, search); the sqlite-utils Database
    over the same connection is made on first use (writes and the rest). One record object
    belongs to one thread at a time; work on another thread opens its own (see
    `import_case_files`, `backup_record`).
    """

    def __init__(
        self, path: Path, *, who: str | None = None, migrate: bool = True, create: bool = True
    ) -> None:

        self.path = path
        self.who = current_user(who)
        try:
            self._conn = storage_db.open_connection(path, migrate=migrate, create=create)
        except storage_db.RecordError as exc:
            raise RecordUnavailable(exc.path, exc.reason) from None
        self._database: Database | None = None
        self.closed = False

    @property
    def _db(self) -> Database:
        """The sqlite-utils Database over the record's connection, made when first needed."""
        if self._database is None:
            self._database = storage_db.database(self._conn)
        return self._database

    @property
    def database(self) -> Database:
        """The record's sqlite-utils Database, for the other modules of planner.services (which
        reach storage through it; nothing outside the services layer may)."""
        if self.closed:
            raise RecordUnavailable(self.path, "is closed (being restored, or the program ends)")
        return self._db

    def sign_in_as(self, name: str) -> None:
        """The person using the program from now on (the name asked when the app starts): signs
        decisions and the audit log. Never the computer's login name when a name was given."""
        if not name.strip():
            raise InputInvalid((Problem("user", "a name is required"),))
        self.who = " ".join(name.split())

    def close(self) -> None:
        self.closed = True
        self._conn.close()

    def schema_pending(self) -> bool:
        """Whether the record's schema is older than this program's (opened with migrate=False)."""
        return bool(storage_db.pending_migrations(self._conn))

    def __enter__(self) -> PatientRecord:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @_record_faults
    def patient_count(self) -> int:
        return search.count_patients(self._conn)

    @_record_faults
    def patients_page(self, limit: int, offset: int, order: str = "name") -> list[PatientSummary]:
        """Patients one page at a time (the UI fills its table lazily), as search results are,
        ordered by `name`, `last_assessed` (newest first) or `review_due` (earliest first, no
        review date last)."""
        if order not in search.ORDERS:
            raise ValueError(f"unknown order {order!r}")
        rows = search.patients_page(self._conn, limit, offset, order)
        return [PatientSummary(**row) for row in rows]

    @_record_faults
    def worklist(self, today: dt.date | None = None, limit: int = 200) -> Worklist:
        """Today's work: reviews due today or overdue, critical alerts no one has acknowledged,
        unfinished assessments."""
        today = today or dt.date.today()
        due = search.reviews_due(self._conn, today.isoformat(), limit)
        return Worklist(
            today=today,
            reviews_due=tuple(PatientSummary(**row) for row in due),
            open_alerts=tuple(
                PatientSummary(**row) for row in search.with_open_alerts(self._conn, limit)
            ),
            drafts=tuple(self.drafts()),
        )

    @_record_faults
    def set_review_date(self, mrn: str, due_on: Any, reason: str) -> None:
        """Change the patient's next-review date, with the reason (required; audited). It
        stands until a newer plan gives its own date."""
        from planner.domain.case_document import normalise_document
        from planner.domain.dates import parse_date
        from planner.storage import worklist

        problems = []
        found = patients.find_by_mrn(self._db, mrn)
        if found is None:
            problems.append(Problem("patient.mrn", f'"{mrn}" is not in the record'))
        parsed = None if isinstance(due_on, dt.date) else parse_date(str(due_on or ""))
        when = due_on if isinstance(due_on, dt.date) else parsed.date if parsed else None
        if when is None or (parsed is not None and parsed.note):
            problems.append(
                Problem("review_due_on", "a whole date is required (DD/MM/YYYY or YYYY-MM-DD)")
            )
        text = str(normalise_document({"reason": reason})["reason"] or "").strip()
        if not text:
            problems.append(Problem("reason", "say why the review date changes"))
        if problems or found is None or when is None:
            raise InputInvalid(tuple(problems))
        worklist.add_review_change(self._db, int(found["id"]), when, text, self.who)

    @_record_faults
    def review_changes(self, mrn: str) -> list[dict[str, Any]]:
        """The patient's review-date changes, oldest first (who, when, why)."""
        from planner.storage import worklist

        found = patients.find_by_mrn(self._db, mrn)
        return [] if found is None else worklist.review_changes(self._conn, int(found["id"]))

    @_record_faults
    def add_patient(
        self, raw: dict[str, Any], *, near_duplicate_confirmed: bool = False
    ) -> Patient:
        """Validate patient details (same rules as the case document) and add them, the MRN
        written by the clinic's rule. An MRN that differs from a stored one only in case or
        separators (TAS000123 beside TAS-000123) is refused as a near-duplicate (InputInvalid
        on `patient.mrn`, saying which) unless `near_duplicate_confirmed`."""
        from planner.domain.case_document import normalise_document
        from planner.domain.validation import validate_patient
        from planner.services.rule_tables import rules

        raw = self._with_clinic_mrn({"patient": normalise_document(raw, "patient")})["patient"]
        patient, _ = validate_patient(raw, rules().limits)
        near = self.near_duplicates(patient.mrn)
        if near and not near_duplicate_confirmed:
            raise InputInvalid((Problem("patient.mrn", _near_duplicate_words(patient.mrn, near)),))
        try:
            patients.add_patient(self._db, patient, self.who)
        except patients.DuplicateMrn:
            raise InputInvalid(
                (Problem("patient.mrn", f'"{patient.mrn}" is already in the record'),)
            ) from None
        return patient

    @_record_faults
    def near_duplicates(self, mrn: str) -> list[str]:
        """Stored MRNs that differ from `mrn` only in case or separators."""
        from planner.domain.mrn import mrn_key

        return patients.mrns_with_key(self._conn, mrn_key(mrn), exclude=mrn)

    def _with_clinic_mrn(self, raw: Any) -> Any:
        """The document with its patient's MRN written by the clinic's rule (`mrn_rule`)."""
        from planner.domain.mrn import normalise_mrn

        patient = raw.get("patient") if isinstance(raw, dict) else None
        if not isinstance(patient, dict):
            return raw
        mrn = patient.get("mrn")
        if not isinstance(mrn, str):
            return raw
        rule = self.clinic_settings().get("mrn_rule") or {}
        written = normalise_mrn(mrn, rule if isinstance(rule, dict) else {})
        return {**raw, "patient": {**patient, "mrn": written}} if written != mrn else raw

    @_record_faults
    def search(self, text: str, limit: int = 20) -> list[PatientSummary]:
        """Patients matching a name or MRN, best first."""
        return [PatientSummary(**row) for row in search.search(self._conn, text, limit)]

    # ---- assessments ------------------------------------------------------------------------

    @_record_faults
    def import_case(self, raw: Any, today: dt.date | None = None) -> ImportOutcome:
        """Validate a case document (check_case: the one validator) and store it as an
        assessment of the patient with its MRN, in one transaction. Invalid: InputInvalid,
        nothing stored; an assessment or labs dated after `today` (the computer's date unless
        given) are invalid."""
        from planner.domain import lab_deltas
        from planner.domain.case_document import normalise_document
        from planner.services.case_commands import check_case
        from planner.storage import cases

        # What is stored is what was checked: texts in NFC, the MRN by the clinic's rule.
        raw = self._with_clinic_mrn(normalise_document(raw))
        checked = check_case(raw, today=today or dt.date.today())  # never dated ahead
        near = self.near_duplicates(checked.case.patient.mrn)
        # the delta check the window's labs page asks, against her stored results (read before
        # this case is stored) and the file's own previous_labs: a jump is kept and flagged
        jumps = self._unconfirmed_jumps(raw, checked.case)
        done = cases.import_case(self._db, checked.case, raw, self.who)
        notices: tuple[Problem, ...] = (
            (
                Problem(
                    "patient.mrn", _near_duplicate_words(checked.case.patient.mrn, near), "doubt"
                ),
            )
            if near and done.patient == "new"
            else ()
        )
        if done.already_present:
            jumps = ()  # said when it was first imported
        notices += tuple(
            Problem(f"labs.{j.lab}", lab_deltas.import_words(j), "doubt") for j in jumps
        )
        return ImportOutcome(
            checked.case.patient.mrn,
            done.patient,
            done.assessment_id,
            done.already_present,
            checked.doubts + notices,
            len(jumps),
        )

    def _unconfirmed_jumps(self, raw: dict[str, Any], case: Case) -> tuple[LabJump, ...]:
        """The results of an imported case beyond their delta-check limit from her previous
        ones, less those the case's `lab_confirmations` confirm."""
        from planner.domain import lab_deltas
        from planner.services.previews import lab_jumps

        jumps = lab_jumps(raw, self.earlier_lab_panels(case.patient.mrn))
        return lab_deltas.unconfirmed(jumps, case.lab_confirmations or ())

    @_record_faults
    def case(self, assessment_id: int) -> dict[str, Any] | None:
        from planner.storage import assessments

        return assessments.case_of(self._db, assessment_id)

    @_record_faults
    def trend(self, mrn: str) -> list[TrendPoint]:
        """The patient's assessments, oldest first: date, bilirubin and ALP × ULN, ECOG, ESAS
        total, weight, PHQ-9 total, distress thermometer (None where not assessed)."""
        from planner.storage import assessments

        found = patients.find_by_mrn(self._db, mrn)
        if found is None:
            return []
        rows = assessments.trend(self._db, int(found["id"]))
        points = [
            TrendPoint(assessment_id=int(row.pop("id")), **row)
            for row in _with_clinic_uln(self._db, rows)
        ]
        return self._marked_cycle_reviews(int(found["id"]), points)

    def _marked_cycle_reviews(self, patient_id: int, points: list[TrendPoint]) -> list[TrendPoint]:
        """Her signed cycle reviews' assessments said so, with the values they carried from the
        course's assessment (ECOG; the weight unless weighed that day) left blank: a cycle
        review asks neither (walk 23 #9)."""
        import dataclasses

        from planner.domain import treatment_course as tc

        reviews = {
            r.assessment_id: (course, r)
            for course in self.courses_of(patient_id)
            for r in course.reviews
        }
        if not reviews:
            return points
        by_id = {p.assessment_id: p for p in points}
        out = []
        for point in points:
            found = reviews.get(point.assessment_id)
            if found is None:
                out.append(point)
                continue
            course, review = found
            base_row = self._conn.execute(
                "SELECT assessment_id FROM plans WHERE id = ?", [course.plan_id]
            ).fetchone()
            base = None if base_row is None else by_id.get(int(base_row[0]))
            weighed = base is None or point.weight_kg != base.weight_kg
            out.append(
                dataclasses.replace(
                    point,
                    ecog=None,
                    weight_kg=point.weight_kg if weighed else None,
                    cycle_review=(
                        f"cycle {review.cycle}"
                        + (f", day {review.day}" if review.day > 1 else "")
                        + f" review: {review.decided.get('decision')}"
                    ),
                    cycle_decided="; ".join(
                        tc.decided_words(
                            review.decided, tc.doses_for(course, review.cycle, review.day)
                        )
                    ),
                    carried_from=None if base is None else base.assessed_on,
                )
            )
        return out

    @_record_faults
    def earlier_weight(self, mrn: str, before: str) -> tuple[float, str] | None:
        """The patient's last recorded weight before the ISO date `before` and the date of its
        assessment, or None: what a new assessment's weight loss is judged against (the case's
        `body.earlier_weight_kg` and `body.earlier_weight_on`)."""
        for row in reversed(self.trend(mrn)):
            if row.weight_kg is not None and row.assessed_on < before:
                return row.weight_kg, row.assessed_on
        return None

    @_record_faults
    def earlier_lab_panels(self, mrn: str, *, assessments: int = 3) -> list[dict[str, Any]]:
        """The lab panels (`labs` and `previous_labs`) of the patient's latest stored
        assessments, newest first: what a new result is compared with (`lab_jumps`), and where
        the unit used last time for each test is found."""
        panels: list[dict[str, Any]] = []
        for row in reversed(self.trend(mrn)[-assessments:]):
            case = self.case(row.assessment_id) or {}
            for panel in [case.get("labs"), *(case.get("previous_labs") or [])]:
                if isinstance(panel, dict):
                    panels.append(panel)
        return panels

    @_record_faults
    def export_cases(self, directory: Path) -> list[Path]:
        """Write every assessment back as a case file (`<MRN>_<date>_<id>.json`)."""
        from planner.storage import assessments

        written = []
        target = directory
        try:
            directory.mkdir(parents=True, exist_ok=True)
            for assessment_id, mrn, assessed_on, raw in assessments.iter_cases(self._db):
                safe_mrn = re.sub(r"[^A-Za-z0-9._-]", "_", mrn)
                target = directory / f"{safe_mrn}_{assessed_on}_{assessment_id}.json"
                target.write_text(json.dumps(raw, ensure_ascii=False, indent=2) + "\n", "utf-8")
                written.append(target)
        except FileExistsError:
            raise InputInvalid(
                (Problem(str(directory), "is a file, not a folder: choose a folder"),)
            ) from None
        except OSError as exc:
            raise InputInvalid((Problem(str(target), storage_db.explain(exc)),)) from None
        return written

    @_record_faults
    def fill_demo(
        self, count: int, seed: int = 0, progress: Callable[[int], None] | None = None
    ) -> dict[str, int]:
        """Add `count` synthetic patients (several assessments each). A sample of them is run
        through the validator first, so the generator cannot drift from the case contract."""
        from planner.domain.demo_cases import demo_patient
        from planner.services.case_commands import check_case
        from planner.storage import demo

        for index in range(0, count, max(1, count // 20)):
            for raw in demo_patient(seed, index):
                check_case(raw)
        added = demo.fill_demo(self._db, count, seed, self.who, progress=progress)
        return {
            "patients": added.patients,
            "assessments": added.assessments,
            "skipped": added.skipped,
        }

    # ---- drafts, plans, settings ------------------------------------------------------------

    @_record_faults
    def save_draft(
        self,
        content: dict[str, Any],
        wizard_page: str,
        *,
        draft_id: int | None = None,
        mrn: str | None = None,
        unconfirmed: tuple[str, ...] = (),
    ) -> int:
        """Save the wizard's state (call on every edit); returns the draft's id for the next save.
        `mrn` None: the draft is for a patient not yet in the record. `unconfirmed`: what was
        carried from the last assessment and is not confirmed yet (case paths)."""
        # A draft is saved from the window as the nurse types: wait only briefly for a record
        # another program is writing (the window would freeze for BUSY_TIMEOUT_S); the caller
        # says it failed and tries again.
        self._conn.execute(f"PRAGMA busy_timeout = {int(storage_db.DRAFT_BUSY_TIMEOUT_S * 1000)}")
        try:
            patient_id = None
            if mrn is not None:
                found = patients.find_by_mrn(self._db, mrn)
                patient_id = None if found is None else int(found["id"])
            return drafts.save_draft(
                self._db, draft_id, patient_id, wizard_page, content, self.who, unconfirmed
            )
        finally:
            self._conn.execute(f"PRAGMA busy_timeout = {int(storage_db.BUSY_TIMEOUT_S * 1000)}")

    @_record_faults
    def drafts(self) -> list[Draft]:
        """Unfinished assessments, latest change first."""
        return [Draft(**row) for row in drafts.list_drafts(self._conn)]

    @_record_faults
    def review_draft(self, mrn: str) -> Draft | None:
        """Her cycle review being entered (course window), saved and not yet signed."""
        patient_id = self.patient_id(mrn)
        if patient_id is None:
            return None
        row = drafts.review_draft(self._conn, patient_id)
        return None if row is None else Draft(**row)

    def save_review_draft(
        self, mrn: str, content: dict[str, Any], draft_id: int | None = None
    ) -> int | None:
        """Save her cycle review as it is typed (one per patient); the draft's id for the next
        save, or None when she is not in the record."""
        patient_id = self.patient_id(mrn)
        if patient_id is None:
            return None
        if draft_id is None:
            found = drafts.review_draft(self._conn, patient_id)
            draft_id = None if found is None else int(found["id"])
        return self.save_draft(content, drafts.CYCLE_REVIEW, draft_id=draft_id, mrn=mrn)

    @_record_faults
    def discard_review_draft(self, mrn: str) -> None:
        patient_id = self.patient_id(mrn)
        if patient_id is not None:
            drafts.discard_review_draft(self._db, patient_id)

    @_record_faults
    def discard_draft(self, draft_id: int) -> None:
        drafts.discard_draft(self._db, draft_id)

    @_record_faults
    def record_plan(
        self,
        assessment_id: int,
        plan: dict[str, Any],
        *,
        pdf_sha256: str | None,
        rules_version: str,
        settings: dict[str, Any],
    ) -> int:
        """Keep a plan (never changed afterwards) with the settings and rules it was made with."""
        return plans.add_plan(
            self._db,
            assessment_id,
            plan,
            pdf_sha256=pdf_sha256,
            rules_version=rules_version,
            settings=settings,
            who=self.who,
        )

    @_record_faults
    def plans_for(self, assessment_id: int) -> list[StoredPlan]:
        """The assessment's kept plans, oldest first."""
        return [StoredPlan(**row) for row in plans.plans_for_assessment(self._db, assessment_id)]

    @_record_faults
    def plan(self, plan_id: int) -> StoredPlan | None:
        row = plans.get_plan(self._db, plan_id)
        return None if row is None else StoredPlan(**row)

    @_record_faults
    def critical_alerts(self, mrn: str) -> tuple[OpenAlert, ...]:
        """The patient's critical alerts no one has acknowledged yet (domain OpenAlert), newest
        assessment first: shown as a banner on the record and the plan until acknowledged."""
        from planner.domain.critical_alerts import open_critical_alerts

        found = patients.find_by_mrn(self._db, mrn)
        if found is None:
            return ()
        # the plans that stand, as the worklist reads them: an amended assessment's plans until
        # its corrected version has one (storage.plans.plans_for_patient)
        kept = [
            (StoredPlan(**row), on) for row, on in plans.plans_for_patient(self._conn, found["id"])
        ]
        done = acknowledgements.for_patient(self._conn, int(found["id"]))
        return open_critical_alerts(kept, done)

    @_record_faults
    def patients_with_open_alerts(self) -> frozenset[str]:
        """MRNs of the patients with a critical alert no one has acknowledged (the patient
        list's flag), from the worklist's index: each patient's count is computed by the same
        domain judgement as `critical_alerts` (decision applied) whenever a plan or an
        acknowledgement is stored (storage.worklist), so the list and the banner agree."""
        return frozenset(search.open_alert_mrns(self._conn))

    @_record_faults
    def date_format(self) -> str:
        """How the clinic shows dates (the `date_format` setting), read over the plain
        connection: the patient list shows dates at start-up, before sqlite-utils is loaded."""
        return str(
            stored_settings.get_settings(self._conn).get("date_format") or DEFAULT_DATE_FORMAT
        )

    @_record_faults
    def acknowledge_alert(self, plan_id: int, code: str, note: str = "") -> int:
        """Keep that the record's user (the name signed in) has read the critical alert `code` of
        plan `plan_id`, with a note (required for a critical mood alert: NOTE_REQUIRED); audited.
        InputInvalid when the plan has no such critical alert, or the required note is blank."""
        from planner.domain.case_document import normalise_document

        kept = self.plan(plan_id)
        if kept is None:
            raise InputInvalid((Problem("plan", f"{plan_id} is not in the record"),))
        alert = next(
            (
                a
                for a in kept.plan.get("alerts") or ()
                if a.get("level") == "critical" and a.get("code") == code
            ),
            None,
        )
        if alert is None:
            raise InputInvalid(
                (Problem("alert", f"plan {plan_id} has no critical alert {code!r}"),)
            )
        from planner.domain.critical_alerts import NOTE_REQUIRED

        text = str(normalise_document({"note": note})["note"]).strip()
        if code in NOTE_REQUIRED and not text:
            raise InputInvalid(
                (
                    Problem(
                        "note",
                        "a note of what was done is required (who was called, the safety plan)",
                    ),
                )
            )
        return acknowledgements.add_acknowledgement(
            self._db, plan_id, str(code), str(alert.get("message") or ""), text or None, self.who
        )

    # ---- treatment courses (the use cases: services.treatment_courses) --------------------

    @_record_faults
    def patient_id(self, mrn: str) -> int | None:
        found = patients.find_by_mrn(self._db, mrn)
        return None if found is None else int(found["id"])

    @_record_faults
    def courses_of(self, patient_id: int) -> list[StoredCourse]:
        """The patient's treatment courses, oldest first, with reviews, cycles and stop."""
        return courses.courses_for_patient(self._conn, patient_id)

    @_record_faults
    def course(self, course_id: int) -> StoredCourse | None:
        return courses.course(self._conn, course_id)

    @_record_faults
    def keep_course_start(self, /, **values: Any) -> int:
        """storage.courses.start_course, signed by the record's user."""
        return courses.start_course(self._db, **values, who=self.who)

    @_record_faults
    def keep_cycle_review(self, /, *, signed_by: str | None = None, **values: Any) -> int:
        """storage.courses.add_review, signed by `signed_by` (the clinician who decided, named
        in the override), else by the record's user; the audit log names the user who entered
        it as well."""
        return courses.add_review(
            self._db, **values, who=signed_by or self.who, entered_by=self.who
        )

    @_record_faults
    def keep_cycle_given(self, /, **values: Any) -> int:
        return courses.add_cycle(self._db, **values, who=self.who)

    @_record_faults
    def keep_day_given(self, /, **values: Any) -> int:
        return courses.add_day_given(self._db, **values, who=self.who)

    @_record_faults
    def keep_course_stop(self, /, **values: Any) -> int:
        return courses.stop_course(self._db, **values, who=self.who)

    @_record_faults
    def clinic_settings(self) -> dict[str, Any]:
        return stored_settings.get_settings(self._db)

    @_record_faults
    def has_clinic_settings(self) -> bool:
        """False until the first run's settings are saved: the app asks for them once. Here, not
        in services.clinic_settings, because it is asked at every start, before the window
        (that module loads the rule machinery: tests/ui/test_startup.py)."""
        return bool(self.clinic_settings())

    @_record_faults
    def set_clinic_settings(self, values: dict[str, Any]) -> None:
        stored_settings.set_settings(self._db, values, self.who)

    # ---- safety -----------------------------------------------------------------------------

    @_record_faults
    def backup(self, dest: Path) -> Path:
        """Online backup to `dest` (a new file, or a folder to put a dated file in)."""
        if dest.is_dir():
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
            dest = dest / f"{self.path.stem}-{stamp}{self.path.suffix or '.sqlite3'}"
        if dest.exists():
            raise InputInvalid((Problem(str(dest), "already exists (not overwritten)"),))
        try:
            return storage_db.backup_to(self._conn, dest)
        except FileExistsError:
            raise InputInvalid((Problem(str(dest), "already exists (not overwritten)"),)) from None
        except OSError as exc:
            raise InputInvalid((Problem(str(dest), storage_db.explain(exc)),)) from None
        except storage_db.RecordError as exc:  # the copy failed its check: the record's fault
            raise RecordUnavailable(
                self.path,
                f"its backup could not be verified ({exc.reason}); run `planner db check`",
            ) from None

    @_record_faults
    def check(self) -> list[str]:
        """Problems found by SQLite's checks and the record's own invariants (empty: sound)."""
        from planner.services.record_admin import check_record

        return check_record(self.path).problems


_X_ULN = ("bilirubin_x_uln", "alp_x_uln")


def _with_clinic_uln(db: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The trend rows with the × ULN the plan used where the lab report gave no ULN (the stored
    column is computed from the report alone): the same number as the plan, marked as the
    clinic's ULN, never "—" beside a plan that used 1.81 × ULN (review 16c, finding 9)."""
    from planner.storage import plans

    wanted = [int(r["id"]) for r in rows if any(r[k] is None for k in _X_ULN)]
    from_plans = plans.latest_x_uln(db, wanted)
    out = []
    for row in rows:
        planned = from_plans.get(int(row["id"]), {})
        filled = tuple(k for k in _X_ULN if row[k] is None and planned.get(k) is not None)
        out.append({**row, **{k: planned[k] for k in filled}, "clinic_uln": filled})
    return out
