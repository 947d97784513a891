"""Performance status: ECOG (0–5), Karnofsky and AKPS (0–100 by 10s), PPSv2 (0–100 % by 10s).

Each scale is recorded natively. There is no official ECOG <-> KPS mapping: a conversion, when
shown, is labelled approximate and names the pairing used; a converted value is never fed into
PPI (needs PPS) or PaP (needs KPS). PPS is read by best fit, never by adding or averaging columns.
"""

from __future__ import annotations

from typing import Any

from planner.domain.instruments.instrument_settings import InstrumentSettings
from planner.domain.instruments.result import InstrumentResult, start
from planner.domain.instruments.tables import InstrumentRules, PointTable, need

KPS_LEVELS = tuple(str(k) for k in range(0, 101, 10))
NEEDS = (
    need("instr.performance.kps_to_ecog.conventional", "points", *KPS_LEVELS),
    need("instr.performance.kps_to_ecog.empirical", "points", *KPS_LEVELS[1:]),
    need("instr.setting.kps_ecog_mapping", "setting", "conventional", "empirical"),
)


def score_performance(
    ecog: int | None,
    kps: int | None,
    pps_percent: int | None,
    akps: int | None,
    rules: InstrumentRules,
    settings: InstrumentSettings | None = None,
) -> InstrumentResult:
    trail = start(rules, settings)
    option, rule_id = trail.setting("kps_ecog_mapping")
    table = rules.get(rule_id, PointTable)
    values: dict[str, Any] = {"ecog": ecog, "kps": kps, "pps_percent": pps_percent, "akps": akps}
    if kps is not None:
        values["ecog_from_kps_approximate"] = (
            trail.points(rule_id, str(kps), "KPS") if str(kps) in table.points else None
        )
    if ecog is not None:
        matching = [int(k) for k, e in table.points.items() if e == ecog]
        if matching:
            trail.cite(rule_id, f"ECOG {ecog} pairs with KPS {min(matching)}–{max(matching)}")
        values["kps_from_ecog_approximate"] = (
            {"low": min(matching), "high": max(matching)} if matching else None
        )
    if {"ecog_from_kps_approximate", "kps_from_ecog_approximate"} & set(values):
        trail.warn(
            f"conversions are approximate ({option} pairing; no official mapping exists); "
            "never use a converted value for PPI or PaP"
        )
    return trail.finish(
        "performance",
        "ECOG (Oken 1982); Karnofsky; PPSv2 (Victoria Hospice); AKPS (Abernethy 2005)",
        "each scale stands alone; nothing is imputed",
        values,
    )
