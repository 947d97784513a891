"""A drug's dose is cited to that drug's own label (nurse16 walk: exemestane's 25 mg was cited to
the ARIMIDEX (anastrozole) label)."""

from __future__ import annotations

from planner.services.rule_tables import rules


def test_exemestane_dose_is_cited_to_the_aromasin_label():
    tables = rules()
    for schedule in tables.doses.drugs["exemestane"].schedules:
        citations = [tables.doses.citations[source] for source in schedule.sources]
        assert citations
        assert all(c.startswith("AROMASIN (exemestane)") for c in citations), citations
        assert not any("ARIMIDEX" in c for c in citations)
