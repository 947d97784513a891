"""The local patient record: SQLite through sqlite-utils, named migrations, repositories."""
