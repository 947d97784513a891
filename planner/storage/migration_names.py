"""The record's schema version as the names of its migrations, in the order they apply.

Standard library only (nothing at all, in fact): opening a record compares these names with
the ones in sqlite-utils' `_sqlite_migrations` table without importing sqlite-utils, which is
needed only when something is pending. `storage.migrations` registers exactly these names
under `MIGRATION_SET`, in this order; a test checks that the two agree.
"""

MIGRATION_SET = "planner"
MIGRATIONS_TABLE = "_sqlite_migrations"  # sqlite-utils' own table (Migrations.migrations_table)
MIGRATION_NAMES = (
    "0001_record",
    "0002_patient_search",
    "0003_alert_acknowledgements",
    "0004_treatment_courses",
    "0005_name_search_keys",
    "0006_worklist",
    "0007_record_corrections",
    "0008_draft_confirmations",
    "0009_worklist_review_why",
    "0010_worklist_cycle_days",
    "0011_worklist_visits_done",
    "0012_worklist_reasons",
    "0013_course_day_doses",
    "0014_indian_name_keys",
)
