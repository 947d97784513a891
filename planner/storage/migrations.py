"""Named schema migrations, applied in registration order (sqlite-utils Migrations).

Why one module: the migrations are an append-only history applied in registration order; one file
keeps that order readable top to bottom. A shipped migration is never edited, so the similar
trigger and table blocks stay as shipped rather than being folded into a helper that later
migrations could change.

Never edit a migration that has shipped: add a new one, and add its name to
`storage.migration_names.MIGRATION_NAMES` (opening a record reads that list to decide, without importing
sqlite-utils, whether anything is pending). Each runs in one transaction together with the
record of it having been applied; `db.open_connection` backs the record up first.
"""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database, Migrations

from planner.storage.migration_names import MIGRATION_SET

MIGRATIONS = Migrations(MIGRATION_SET)


def _script(db: Database, sql: str) -> None:
    """Run DDL statement by statement (db.execute: non-row SQL), inside the migration's
    transaction (`executescript` would commit it)."""
    statement = ""
    for line in sql.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""
    if statement.strip():
        db.execute(statement)


@MIGRATIONS(name="0001_record")
def _record(db: Database) -> None:
    _script(
        db,
        """
        CREATE TABLE patients (
            id INTEGER PRIMARY KEY,
            mrn TEXT NOT NULL UNIQUE,
            family_name TEXT NOT NULL,
            given_name TEXT,
            birth_date TEXT,
            sex TEXT,
            menopausal_status TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX patients_by_name
            ON patients (family_name COLLATE NOCASE, given_name COLLATE NOCASE, mrn);

        -- One validated case document (contract §2) per row, plus columns copied out of it for
        -- trends; `storage.assessments.indexed_columns` is the only code that computes them.
        CREATE TABLE assessments (
            id INTEGER PRIMARY KEY,
            patient_id INTEGER NOT NULL REFERENCES patients (id),
            assessed_on TEXT NOT NULL,
            case_json TEXT NOT NULL,
            case_sha256 TEXT NOT NULL,
            bilirubin_x_uln REAL,
            alp_x_uln REAL,
            ecog INTEGER,
            esas_total INTEGER,
            weight_kg REAL,
            phq9_total INTEGER,
            distress_thermometer INTEGER,
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL,
            UNIQUE (patient_id, case_sha256)
        );
        CREATE INDEX assessments_by_patient_date ON assessments (patient_id, assessed_on);

        -- Wizard state saved as the user types; patient_id NULL: a patient not yet in the record.
        CREATE TABLE drafts (
            id INTEGER PRIMARY KEY,
            patient_id INTEGER REFERENCES patients (id) ON DELETE CASCADE,
            wizard_page TEXT NOT NULL,
            draft_json TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            updated_by TEXT NOT NULL
        );
        CREATE INDEX drafts_by_patient ON drafts (patient_id);

        -- A plan is never changed or deleted: a new plan is a new row.
        CREATE TABLE plans (
            id INTEGER PRIMARY KEY,
            assessment_id INTEGER NOT NULL REFERENCES assessments (id),
            plan_json TEXT NOT NULL,
            pdf_sha256 TEXT CHECK (pdf_sha256 IS NULL OR length(pdf_sha256) = 64),
            rules_version TEXT NOT NULL,
            settings_json TEXT NOT NULL,
            made_by TEXT NOT NULL,
            made_at TEXT NOT NULL
        );
        CREATE INDEX plans_by_assessment ON plans (assessment_id);
        CREATE TRIGGER plans_are_immutable BEFORE UPDATE ON plans
        BEGIN
            SELECT RAISE(ABORT, 'plans are immutable: make a new plan instead');
        END;
        CREATE TRIGGER plans_are_kept BEFORE DELETE ON plans
        BEGIN
            SELECT RAISE(ABORT, 'plans are immutable and cannot be deleted');
        END;

        CREATE TABLE clinic_settings (
            key TEXT PRIMARY KEY,
            value_json TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            updated_by TEXT NOT NULL
        );

        -- Append-only, hash-chained: hash = sha256(prev_hash + canonical content of the row),
        -- see storage.audit.
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            who TEXT NOT NULL,
            table_name TEXT NOT NULL,
            row_key TEXT NOT NULL,
            action TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
            before_json TEXT,
            after_json TEXT,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        );
        CREATE INDEX audit_log_by_row ON audit_log (table_name, row_key);
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN
            SELECT RAISE(ABORT, 'the audit log is append-only');
        END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN
            SELECT RAISE(ABORT, 'the audit log is append-only');
        END
        """,
    )


@MIGRATIONS(name="0002_patient_search")
def _patient_search(db: Database) -> None:
    """Full-text search over names and MRN, kept in step with `patients` by triggers.

    `patients_fts`: words, case- and diacritics-insensitive (unicode61 folds Latin, Cyrillic …),
    with prefix indexes so "kar" finds Karimova at once. `patients_mrn_fts`: trigrams of the MRN
    for substring search ("000123" finds TAS-000123).
    """
    _script(
        db,
        """
        CREATE VIRTUAL TABLE patients_fts USING fts5 (
            family_name, given_name, mrn,
            content = 'patients', content_rowid = 'id',
            tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3'
        );
        CREATE VIRTUAL TABLE patients_mrn_fts USING fts5 (
            mrn, content = 'patients', content_rowid = 'id', tokenize = 'trigram'
        );
        CREATE TRIGGER patients_fts_insert AFTER INSERT ON patients
        BEGIN
            INSERT INTO patients_fts (rowid, family_name, given_name, mrn)
                VALUES (new.id, new.family_name, new.given_name, new.mrn);
            INSERT INTO patients_mrn_fts (rowid, mrn) VALUES (new.id, new.mrn);
        END;
        CREATE TRIGGER patients_fts_delete AFTER DELETE ON patients
        BEGIN
            INSERT INTO patients_fts (patients_fts, rowid, family_name, given_name, mrn)
                VALUES ('delete', old.id, old.family_name, old.given_name, old.mrn);
            INSERT INTO patients_mrn_fts (patients_mrn_fts, rowid, mrn)
                VALUES ('delete', old.id, old.mrn);
        END;
        CREATE TRIGGER patients_fts_update AFTER UPDATE OF family_name, given_name, mrn ON patients
        BEGIN
            INSERT INTO patients_fts (patients_fts, rowid, family_name, given_name, mrn)
                VALUES ('delete', old.id, old.family_name, old.given_name, old.mrn);
            INSERT INTO patients_mrn_fts (patients_mrn_fts, rowid, mrn)
                VALUES ('delete', old.id, old.mrn);
            INSERT INTO patients_fts (rowid, family_name, given_name, mrn)
                VALUES (new.id, new.family_name, new.given_name, new.mrn);
            INSERT INTO patients_mrn_fts (rowid, mrn) VALUES (new.id, new.mrn);
        END;
        INSERT INTO patients_fts (patients_fts) VALUES ('rebuild');
        INSERT INTO patients_mrn_fts (patients_mrn_fts) VALUES ('rebuild')
        """,
    )


@MIGRATIONS(name="0003_alert_acknowledgements")
def _alert_acknowledgements(db: Database) -> None:
    """Who acknowledged which critical alert of which plan, when, with an optional note
    (`storage.acknowledgements`). Kept like plans: never changed, never deleted; a critical
    alert stays on the patient's record until a row here names the person who read it."""
    _script(
        db,
        """
        CREATE TABLE alert_acknowledgements (
            id INTEGER PRIMARY KEY,
            plan_id INTEGER NOT NULL REFERENCES plans (id),
            alert_code TEXT NOT NULL,
            alert_message TEXT NOT NULL,
            note TEXT,
            acknowledged_by TEXT NOT NULL,
            acknowledged_at TEXT NOT NULL
        );
        CREATE INDEX alert_acknowledgements_by_plan ON alert_acknowledgements (plan_id);
        CREATE TRIGGER alert_acknowledgements_are_immutable
        BEFORE UPDATE ON alert_acknowledgements
        BEGIN
            SELECT RAISE(ABORT, 'acknowledgements are immutable: acknowledge again instead');
        END;
        CREATE TRIGGER alert_acknowledgements_are_kept BEFORE DELETE ON alert_acknowledgements
        BEGIN
            SELECT RAISE(ABORT, 'acknowledgements are kept and cannot be deleted');
        END
        """,
    )


@MIGRATIONS(name="0004_treatment_courses")
def _treatment_courses(db: Database) -> None:
    """Treatment courses (contract §5, `storage.courses`): a course started from a decided plan,
    each cycle review (what the program suggested and what the doctor decided, signed), each
    cycle given, and the course's stop. Kept like plans: every row is written once, never
    changed or deleted; a later event is a new row."""
    _script(
        db,
        """
        -- Started from the decided plan `plan_id`: regimen and starting doses copied from it.
        CREATE TABLE treatment_courses (
            id INTEGER PRIMARY KEY,
            patient_id INTEGER NOT NULL REFERENCES patients (id),
            plan_id INTEGER NOT NULL REFERENCES plans (id),
            regimen TEXT NOT NULL,
            drugs_json TEXT NOT NULL,
            cycle_days INTEGER NOT NULL CHECK (cycle_days BETWEEN 1 AND 366),
            started_on TEXT NOT NULL,
            started_by TEXT NOT NULL,
            started_at TEXT NOT NULL
        );
        CREATE INDEX treatment_courses_by_patient ON treatment_courses (patient_id);

        -- One signed review before a cycle: the assessment holding the day's labs and the
        -- treatment section, the plan made from it, the program's next_cycle as suggested, and
        -- the decision as confirmed or overridden (with the reason and the signer).
        CREATE TABLE course_reviews (
            id INTEGER PRIMARY KEY,
            course_id INTEGER NOT NULL REFERENCES treatment_courses (id),
            cycle INTEGER NOT NULL CHECK (cycle >= 1),
            day INTEGER NOT NULL CHECK (day >= 1),
            reviewed_on TEXT NOT NULL,
            assessment_id INTEGER NOT NULL REFERENCES assessments (id),
            plan_id INTEGER NOT NULL REFERENCES plans (id),
            toxicities_json TEXT NOT NULL,
            suggested_json TEXT NOT NULL,
            decided_json TEXT NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('confirmed', 'overridden')),
            reason TEXT,
            signed_by TEXT NOT NULL,
            signed_at TEXT NOT NULL,
            CHECK (outcome = 'confirmed' OR length(trim(coalesce(reason, ''))) > 0)
        );
        CREATE INDEX course_reviews_by_course ON course_reviews (course_id, cycle);

        -- A cycle given; review_id NULL for the first cycle (decided on the plan itself).
        CREATE TABLE course_cycles (
            id INTEGER PRIMARY KEY,
            course_id INTEGER NOT NULL REFERENCES treatment_courses (id),
            review_id INTEGER REFERENCES course_reviews (id),
            cycle INTEGER NOT NULL CHECK (cycle >= 1),
            given_on TEXT NOT NULL,
            drugs_json TEXT NOT NULL,
            recorded_by TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            UNIQUE (course_id, cycle)
        );

        CREATE TABLE course_stops (
            id INTEGER PRIMARY KEY,
            course_id INTEGER NOT NULL UNIQUE REFERENCES treatment_courses (id),
            review_id INTEGER REFERENCES course_reviews (id),
            stopped_on TEXT NOT NULL,
            reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
            stopped_by TEXT NOT NULL,
            stopped_at TEXT NOT NULL
        );

        CREATE TRIGGER treatment_courses_are_immutable BEFORE UPDATE ON treatment_courses
        BEGIN
            SELECT RAISE(ABORT, 'treatment courses are immutable: record a new event instead');
        END;
        CREATE TRIGGER treatment_courses_are_kept BEFORE DELETE ON treatment_courses
        BEGIN
            SELECT RAISE(ABORT, 'treatment courses are kept and cannot be deleted');
        END;
        CREATE TRIGGER course_reviews_are_immutable BEFORE UPDATE ON course_reviews
        BEGIN
            SELECT RAISE(ABORT, 'cycle reviews are immutable: review again instead');
        END;
        CREATE TRIGGER course_reviews_are_kept BEFORE DELETE ON course_reviews
        BEGIN
            SELECT RAISE(ABORT, 'cycle reviews are kept and cannot be deleted');
        END;
        CREATE TRIGGER course_cycles_are_immutable BEFORE UPDATE ON course_cycles
        BEGIN
            SELECT RAISE(ABORT, 'cycles given are immutable');
        END;
        CREATE TRIGGER course_cycles_are_kept BEFORE DELETE ON course_cycles
        BEGIN
            SELECT RAISE(ABORT, 'cycles given are kept and cannot be deleted');
        END;
        CREATE TRIGGER course_stops_are_immutable BEFORE UPDATE ON course_stops
        BEGIN
            SELECT RAISE(ABORT, 'a course stop is immutable');
        END;
        CREATE TRIGGER course_stops_are_kept BEFORE DELETE ON course_stops
        BEGIN
            SELECT RAISE(ABORT, 'a course stop is kept and cannot be deleted');
        END
        """,
    )


@MIGRATIONS(name="0005_name_search_keys")
def _name_search_keys(db: Database) -> None:
    """Search by spelling-independent keys (domain.name_keys: Latin and Cyrillic, Turkish i,
    Uzbek oʻ/gʻ in every apostrophe, -ayeva/-aeva; MRNs without punctuation).

    `patient_keys` holds each patient's keys, written by the storage code that writes
    `patients` (the keys are computed in Python, from resources/search/transliteration.toml);
    the two search indexes now index those keys, kept in step by triggers on `patient_keys`.
    Not audited: derived from audited columns, and `planner db check` recomputes them.
    """
    from planner.storage import patients

    _script(
        db,
        """
        DROP TRIGGER patients_fts_insert;
        DROP TRIGGER patients_fts_delete;
        DROP TRIGGER patients_fts_update;
        DROP TABLE patients_fts;
        DROP TABLE patients_mrn_fts;
        CREATE TABLE patient_keys (
            patient_id INTEGER PRIMARY KEY REFERENCES patients (id) ON DELETE CASCADE,
            name_key TEXT NOT NULL,
            mrn_key TEXT NOT NULL
        );
        CREATE INDEX patient_keys_by_mrn ON patient_keys (mrn_key);
        -- The keys are lower-case ASCII words (other scripts' words kept whole) separated by
        -- spaces: the ascii tokenizer splits at the spaces and nowhere else that matters.
        CREATE VIRTUAL TABLE patients_fts USING fts5 (
            name_key, content = 'patient_keys', content_rowid = 'patient_id',
            tokenize = 'ascii', prefix = '1 2 3'
        );
        CREATE VIRTUAL TABLE patients_mrn_fts USING fts5 (
            mrn_key, content = 'patient_keys', content_rowid = 'patient_id', tokenize = 'trigram'
        );
        CREATE TRIGGER patient_keys_insert AFTER INSERT ON patient_keys
        BEGIN
            INSERT INTO patients_fts (rowid, name_key) VALUES (new.patient_id, new.name_key);
            INSERT INTO patients_mrn_fts (rowid, mrn_key) VALUES (new.patient_id, new.mrn_key);
        END;
        CREATE TRIGGER patient_keys_delete AFTER DELETE ON patient_keys
        BEGIN
            INSERT INTO patients_fts (patients_fts, rowid, name_key)
                VALUES ('delete', old.patient_id, old.name_key);
            INSERT INTO patients_mrn_fts (patients_mrn_fts, rowid, mrn_key)
                VALUES ('delete', old.patient_id, old.mrn_key);
        END;
        CREATE TRIGGER patient_keys_update AFTER UPDATE ON patient_keys
        BEGIN
            INSERT INTO patients_fts (patients_fts, rowid, name_key)
                VALUES ('delete', old.patient_id, old.name_key);
            INSERT INTO patients_mrn_fts (patients_mrn_fts, rowid, mrn_key)
                VALUES ('delete', old.patient_id, old.mrn_key);
            INSERT INTO patients_fts (rowid, name_key) VALUES (new.patient_id, new.name_key);
            INSERT INTO patients_mrn_fts (rowid, mrn_key) VALUES (new.patient_id, new.mrn_key);
        END
        """,
    )
    patients.add_keys(
        db.conn, db.execute("SELECT id, family_name, given_name, mrn FROM patients").fetchall()
    )
    for table in ("patients_fts", "patients_mrn_fts"):  # one piece each (bulk.optimise_search)
        db.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")


@MIGRATIONS(name="0006_worklist")
def _worklist(db: Database) -> None:
    """Today's work, found through indexes (storage.worklist), not by reading every patient.

    `review_changes`: a nurse's change of a patient's next-review date, with the reason; kept like
    plans (never changed, never deleted) and audited. `worklist`: one row per patient, derived:
    when she was last assessed (kept by triggers on assessments), when her review is due and how
    many critical alerts of her plans no one has acknowledged (written by storage.worklist when a
    plan, an acknowledgement or a review change is stored). `planner db check` recomputes it.
    """
    from planner.storage import worklist

    _script(
        db,
        """
        CREATE TABLE review_changes (
            id INTEGER PRIMARY KEY,
            patient_id INTEGER NOT NULL REFERENCES patients (id),
            plan_id INTEGER REFERENCES plans (id),
            due_on TEXT NOT NULL,
            reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
            changed_by TEXT NOT NULL,
            changed_at TEXT NOT NULL
        );
        CREATE INDEX review_changes_by_patient ON review_changes (patient_id);
        CREATE TRIGGER review_changes_are_immutable BEFORE UPDATE ON review_changes
        BEGIN
            SELECT RAISE(ABORT, 'review date changes are kept: change the date again instead');
        END;
        CREATE TRIGGER review_changes_are_kept BEFORE DELETE ON review_changes
        BEGIN
            SELECT RAISE(ABORT, 'review date changes are kept and cannot be deleted');
        END;
        CREATE TABLE worklist (
            patient_id INTEGER PRIMARY KEY REFERENCES patients (id) ON DELETE CASCADE,
            last_assessed_on TEXT,
            review_due_on TEXT,
            review_plan_id INTEGER,
            open_alerts INTEGER NOT NULL DEFAULT 0,
            alert_codes TEXT
        );
        CREATE INDEX worklist_by_last_assessed ON worklist (last_assessed_on);
        -- no review date sorts last (storage.search ORDERS uses the same expression)
        CREATE INDEX worklist_by_review_due ON worklist (coalesce(review_due_on, '9999-12-31'));
        CREATE INDEX worklist_open_alerts ON worklist (open_alerts) WHERE open_alerts > 0;
        CREATE TRIGGER worklist_patient AFTER INSERT ON patients
        BEGIN
            INSERT INTO worklist (patient_id) VALUES (new.id);
        END;
        CREATE TRIGGER worklist_assessed AFTER INSERT ON assessments
        BEGIN
            UPDATE worklist SET last_assessed_on = new.assessed_on
            WHERE patient_id = new.patient_id
                AND (last_assessed_on IS NULL OR last_assessed_on < new.assessed_on);
        END;
        INSERT INTO worklist (patient_id, last_assessed_on)
            SELECT p.id, (SELECT max(a.assessed_on) FROM assessments a WHERE a.patient_id = p.id)
            FROM patients p
        """,
    )
    planned = db.execute(
        "SELECT DISTINCT a.patient_id FROM plans p JOIN assessments a ON a.id = p.assessment_id"
    ).fetchall()
    worklist.refresh(db.conn, [pid for (pid,) in planned])


@MIGRATIONS(name="0007_record_corrections")
def _record_corrections(db: Database) -> None:
    """Correcting the record without losing anything (`storage.corrections`, issue 20 item 3).

    `assessment_amendments`: assessment `amended_id` was corrected; the corrected case is the new
    assessment `amendment_id` (both kept, with the reason). `patient_merges`: patient `merged_id`
    was the same person as `surviving_id`; her assessments (and with them plans and
    acknowledgements) and drafts were moved to the survivor, treatment courses are read through
    this row. `patient_retirements`: a patient entered by mistake hidden from the list
    (`retired` 1) or shown again (0); the latest row is her standing. All kept like plans: written
    once, never changed or deleted, audited.
    """
    _script(
        db,
        """
        CREATE TABLE assessment_amendments (
            id INTEGER PRIMARY KEY,
            amended_id INTEGER NOT NULL UNIQUE REFERENCES assessments (id),
            amendment_id INTEGER NOT NULL UNIQUE REFERENCES assessments (id),
            reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
            amended_by TEXT NOT NULL,
            amended_at TEXT NOT NULL,
            CHECK (amended_id != amendment_id)
        );
        CREATE TABLE patient_merges (
            id INTEGER PRIMARY KEY,
            merged_id INTEGER NOT NULL UNIQUE REFERENCES patients (id),
            surviving_id INTEGER NOT NULL REFERENCES patients (id),
            moved_json TEXT NOT NULL,
            reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
            signed_by TEXT NOT NULL,
            signed_at TEXT NOT NULL,
            CHECK (merged_id != surviving_id)
        );
        CREATE INDEX patient_merges_by_survivor ON patient_merges (surviving_id);
        CREATE TABLE patient_retirements (
            id INTEGER PRIMARY KEY,
            patient_id INTEGER NOT NULL REFERENCES patients (id),
            retired INTEGER NOT NULL CHECK (retired IN (0, 1)),
            reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
            signed_by TEXT NOT NULL,
            signed_at TEXT NOT NULL
        );
        CREATE INDEX patient_retirements_by_patient ON patient_retirements (patient_id, id);
        CREATE TRIGGER assessment_amendments_are_immutable BEFORE UPDATE ON assessment_amendments
        BEGIN
            SELECT RAISE(ABORT, 'amendments are kept: amend again instead');
        END;
        CREATE TRIGGER assessment_amendments_are_kept BEFORE DELETE ON assessment_amendments
        BEGIN
            SELECT RAISE(ABORT, 'amendments are kept and cannot be deleted');
        END;
        CREATE TRIGGER patient_merges_are_immutable BEFORE UPDATE ON patient_merges
        BEGIN
            SELECT RAISE(ABORT, 'merges are kept and cannot be changed');
        END;
        CREATE TRIGGER patient_merges_are_kept BEFORE DELETE ON patient_merges
        BEGIN
            SELECT RAISE(ABORT, 'merges are kept and cannot be deleted');
        END;
        CREATE TRIGGER patient_retirements_are_immutable BEFORE UPDATE ON patient_retirements
        BEGIN
            SELECT RAISE(ABORT, 'retirements are kept: retire or restore again instead');
        END;
        CREATE TRIGGER patient_retirements_are_kept BEFORE DELETE ON patient_retirements
        BEGIN
            SELECT RAISE(ABORT, 'retirements are kept and cannot be deleted');
        END
        """,
    )


@MIGRATIONS(name="0008_draft_confirmations")
def _draft_confirmations(db: Database) -> None:
    """A draft keeps which lines carried from the last assessment are still unconfirmed
    (`unconfirmed_json`: a JSON list of case paths, `medications[1]`, `herbal_or_traditional`),
    so a draft reopened shows what the nurse had confirmed and asks again for the rest."""
    _script(db, "ALTER TABLE drafts ADD COLUMN unconfirmed_json TEXT NOT NULL DEFAULT '[]'")


@MIGRATIONS(name="0009_worklist_review_why")
def _worklist_review_why(db: Database) -> None:
    """Today's work says why she is due (`review_why`), and her review date is the earliest
    follow-up a clinician decided or signed, her courses' included (domain.review_due, walk 23
    HARM 1): every patient with a plan is computed again."""
    from planner.storage import worklist

    _script(db, "ALTER TABLE worklist ADD COLUMN review_why TEXT")
    planned = db.execute(
        "SELECT DISTINCT a.patient_id FROM plans p JOIN assessments a ON a.id = p.assessment_id"
    ).fetchall()
    worklist.refresh(db.conn, [pid for (pid,) in planned])


@MIGRATIONS(name="0010_worklist_cycle_days")
def _worklist_cycle_days(db: Database) -> None:
    """Her review date also books the next day inside the cycle last given (fulvestrant's
    day-15 injection, the label's day-15 blood count: walk 23 HARM 4): every patient with a
    treatment course is computed again. No schema change."""
    from planner.storage import worklist

    coursed = db.execute("SELECT DISTINCT patient_id FROM treatment_courses").fetchall()
    worklist.refresh(db.conn, [pid for (pid,) in coursed])


@MIGRATIONS(name="0011_worklist_visits_done")
def _worklist_visits_done(db: Database) -> None:
    """A day inside a cycle whose review is signed is done and no longer booked (it showed as
    overdue): every patient with a treatment course is computed again. No schema change."""
    from planner.storage import worklist

    coursed = db.execute("SELECT DISTINCT patient_id FROM treatment_courses").fetchall()
    worklist.refresh(db.conn, [pid for (pid,) in coursed])


@MIGRATIONS(name="0012_worklist_reasons")
def _worklist_reasons(db: Database) -> None:
    """Today's work names every reason she is due, not only the earliest (an opioid check and
    a cycle due): the worklist keeps each follow-up booked (`review_reasons`), and every
    patient with a plan is computed again."""
    from planner.storage import worklist

    _script(db, "ALTER TABLE worklist ADD COLUMN review_reasons TEXT")
    planned = db.execute(
        "SELECT DISTINCT a.patient_id FROM plans p JOIN assessments a ON a.id = p.assessment_id"
    ).fetchall()
    worklist.refresh(db.conn, [pid for (pid,) in planned])


@MIGRATIONS(name="0013_course_day_doses")
def _course_day_doses(db: Database) -> None:
    """A dose given on a day inside a cycle (gemcitabine's day 8) is recorded from its own
    signed review of that day (walk 24 HARM 1: it could not be recorded, and its review was
    filed as the next cycle's); a plan's review is done once a signed cycle review saw her on
    or after its date (walk 24 HARM 2): every patient with a course is computed again."""
    from planner.storage import worklist

    _script(
        db,
        """
        CREATE TABLE course_day_doses (
            id INTEGER PRIMARY KEY,
            course_id INTEGER NOT NULL REFERENCES treatment_courses (id),
            review_id INTEGER NOT NULL REFERENCES course_reviews (id),
            cycle INTEGER NOT NULL CHECK (cycle >= 1),
            day INTEGER NOT NULL CHECK (day >= 2),
            given_on TEXT NOT NULL,
            drugs_json TEXT NOT NULL,
            recorded_by TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            UNIQUE (course_id, cycle, day)
        );
        CREATE TRIGGER course_day_doses_are_immutable BEFORE UPDATE ON course_day_doses
        BEGIN
            SELECT RAISE(ABORT, 'doses given are immutable');
        END;
        CREATE TRIGGER course_day_doses_are_kept BEFORE DELETE ON course_day_doses
        BEGIN
            SELECT RAISE(ABORT, 'doses given are kept and cannot be deleted');
        END
        """,
    )
    coursed = db.execute("SELECT DISTINCT patient_id FROM treatment_courses").fetchall()
    worklist.refresh(db.conn, [pid for (pid,) in coursed])


@MIGRATIONS(name="0014_indian_name_keys")
def _indian_name_keys(db: Database) -> None:
    """The name keys fold Indian spellings too (resources/search/transliteration.toml: ee and
    i, ksh and ks, doubled letters: walk24 #4): every patient's name key is computed again (the
    triggers keep the search index in step); `planner db check` compares them."""
    from planner.domain import name_keys

    rows = db.execute("SELECT id, family_name, given_name, mrn FROM patients").fetchall()
    db.conn.executemany(
        "UPDATE patient_keys SET name_key = ? WHERE patient_id = ? AND name_key != ?",
        [(key, pid, key) for pid, key, _ in (name_keys.keys_row(*row) for row in rows)],
    )
