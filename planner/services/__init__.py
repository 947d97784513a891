"""Use cases shared by the CLI and the desktop app, one module per use case (import the module you
need: this package exports nothing, so importing one use case never loads another's libraries).
No Qt here; no SQL outside planner.storage. The map is in docs/architecture.md."""
