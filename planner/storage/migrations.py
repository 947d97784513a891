"""Named schema migrations, applied in registration order (sqlite-utils Migrations).

Never edit a migration that has shipped: add a new one.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

MIGRATIONS = Migrations("planner")


@MIGRATIONS(name="0001_patients")
def _patients(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE patients (
            id INTEGER PRIMARY KEY,
            mrn TEXT NOT NULL UNIQUE,
            family_name TEXT NOT NULL,
            given_name TEXT,
            birth_date TEXT,
            sex TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX patients_family_name ON patients(family_name COLLATE NOCASE)")
