"""The on-treatment dose and hard-limit tables (the first plan's, less the rows the cycle tables
own) are made once per loaded pair of tables, not per plan (issue 19's engine budget), and are
what filtering the tables afresh gives."""

from __future__ import annotations

import dataclasses

from planner.domain.givable import (
    CYCLE_OWNED_DOSE_MEASURES,
    CYCLE_OWNED_MEASURES,
    on_treatment_tables,
)


def test_made_once_per_table_pair_and_equal_to_a_fresh_filtering(rules):
    doses, limits = on_treatment_tables(rules.doses, rules.hard_limits)
    again = on_treatment_tables(rules.doses, rules.hard_limits)
    assert again[0] is doses
    assert again[1] is limits
    # another (equal) table object is another key: filtered afresh, to the same rows
    copied = dataclasses.replace(rules.doses)
    fresh, fresh_limits = on_treatment_tables(copied, rules.hard_limits)
    assert fresh is not doses
    assert fresh == doses
    assert fresh_limits == limits
    assert not any(x.measure in CYCLE_OWNED_MEASURES for x in limits.limits)
    assert limits.equivalents == {}
    for table in doses.drugs.values():
        for band in table.bands:
            # rx22 F1: a row's "no dose" applies on treatment; only a row worded for the start
            # alone is left to the drug's cycle rows
            assert not band.baseline_only
            assert not any(c.measure in CYCLE_OWNED_DOSE_MEASURES for c in band.when)
    assert "eribulin.child_pugh_c" in {b.id for b in doses.drugs["eribulin"].bands}
    # the first plan's tables are untouched
    assert any(x.measure in CYCLE_OWNED_MEASURES for x in rules.hard_limits.limits)
