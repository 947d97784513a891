"""The paper assessment form follows the wizard: its steps, the fields in each step in the
wizard's order, and the wizard's labels (both are built from planner.domain.assessment_wording)."""

from __future__ import annotations

from planner.domain import assessment_wording as wording
from planner.domain.paper_form import form_parts
from planner.services import paper_forms
from planner.ui.wizard.fields import FieldPage


def test_step_titles_are_the_wizards(wizard):
    titles = [wizard.page(page_id).title() for page_id in wizard.pageIds()]
    assert titles == [title for _, title in wording.WIZARD_STEPS]


def test_fields_follow_the_wizards_order_and_labels(wizard):
    pages = [wizard.page(page_id) for page_id in wizard.pageIds()]
    parts = form_parts(paper_forms.lab_lines({}))
    for step in sorted({part.step for part in parts}):
        page = pages[step - 1]
        assert isinstance(page, FieldPage)
        on_screen = list(page.fields)
        step_fields = [f for part in parts if part.step == step for f in part.fields]
        # a list (medicines, allergies, remedies) is a section of the page, its lines added
        # by the nurse; on paper it is lines to write on under the page's column heads
        lists = [f for f in step_fields if f.kind == "list"]
        assert all(f.path in getattr(page, "SECTIONS", ()) for f in lists), step
        on_paper = [f for f in step_fields if f.kind != "list"]
        paths = [f.path for f in on_paper]
        assert all(path in on_screen for path in paths), step
        assert paths == sorted(paths, key=on_screen.index), f"step {step} out of order"
        for field in on_paper:
            shown = page.fields[field.path].widget.accessibleName()
            if field.path.startswith("qol."):
                assert shown.endswith(f"item {field.path.rsplit('.', 1)[1]}")
            else:
                assert shown == field.label, field.path


def test_every_esas_phq9_gad7_and_lab_field_of_the_wizard_is_on_paper(wizard):
    on_paper = {f.path for part in form_parts(paper_forms.lab_lines({})) for f in part.fields}
    for page_id in wizard.pageIds():
        page = wizard.page(page_id)
        if not isinstance(page, FieldPage):
            continue
        for path in page.fields:
            if path.startswith(("symptoms.esas.", "psychosocial.phq9", "psychosocial.gad7")) or (
                path.startswith("labs.") and path.count(".") == 1
            ):
                assert path in on_paper, path
