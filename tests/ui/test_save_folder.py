"""Save PDF opened in the program's own folder on a PC with no documents folder (issue 16,
independent nurse walk): the first place offered is the documents folder when it exists, else
the home folder — never the working directory."""

from __future__ import annotations

from planner.ui import save_folder


def test_an_existing_documents_folder_is_offered(tmp_path):
    documents = tmp_path / "Documents"
    documents.mkdir()
    assert save_folder.existing_or_home(str(documents), tmp_path / "home") == documents


def test_a_missing_documents_folder_falls_back_to_home(tmp_path):
    home = tmp_path / "home"
    assert save_folder.existing_or_home(str(tmp_path / "Documents"), home) == home
    assert save_folder.existing_or_home("", home) == home


def test_the_offered_folder_exists(qapp):
    assert save_folder.documents_folder().is_dir()
