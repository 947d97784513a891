"""`planner search`: patients matching a name or MRN, from the search index alone.

Its own module so that a search imports only the index and the summary type: beside the record's
administration (which imports case files, and so the engine) it took 2.7 × a bare
`planner --help` on 100,000 patients, against the 1.3 × of issue 20.
"""

from __future__ import annotations

from pathlib import Path

from planner.domain.stored import PatientSummary
from planner.storage import search


def search_patients(path: Path, text: str, limit: int = 20) -> list[PatientSummary]:
    """Patients matching a name or MRN, best first, without opening the whole record
    machinery: `planner search` stays about as quick as starting the program."""
    try:
        conn = search.connect(path)
    except search.SearchUnavailable:
        # rare (no record, or an older schema to migrate): only then the whole record machinery
        from planner.services.patient_record import PatientRecord, RecordUnavailable

        if not Path(path).is_file():
            raise RecordUnavailable(
                path, "no record here (create one with `planner db init`)"
            ) from None
        record = PatientRecord(path)  # an older schema: open properly (backup, migrate)
        try:
            return record.search(text, limit)
        finally:
            record.close()
    try:
        return [PatientSummary(**row) for row in search.search(conn, text, limit)]
    finally:
        conn.close()
