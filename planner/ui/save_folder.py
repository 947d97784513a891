"""Where a saved PDF goes first: the user's documents folder.

Qt names the documents folder even where it does not exist (a new account, a shared clinic PC
with a bare profile); the save dialog then opened in the program's own folder, where a nurse
would not look for the plan again (issue 16, independent nurse walk). A missing documents
folder falls back to the home folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths


def existing_or_home(folder: str | Path | None, home: Path) -> Path:
    """`folder` when it is an existing directory, else `home`."""
    if folder and Path(folder).is_dir():
        return Path(folder)
    return home


def documents_folder() -> Path:
    located = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return existing_or_home(located, Path.home())
