"""Typed, frozen dose tables: standard schedules and organ-function bands for each drug.

Built by `planner.rules.doses` from `resources/rules/doses/*.toml`; read by `planner.domain.dosing`.

Why one module: a drug's dose table is one row type each (schedule, band, condition, tablet
form) and what a schedule gives as structure (`Given`, its later cycles and the label's count
days); the loader builds them together and dosing reads them together. Each class is short.

A **band** is a conjunction of conditions (`when`) on one or more *measures* and an action. A
drug's rule set is a list of bands; every band whose conditions hold applies, and the most
restrictive applicable band decides (`restrictiveness`). Alternatives from a disagreeing
source are bands with `alternative = True`: they never decide, they are shown beside the
decision (dosing.md §8: surface, never average).

Numeric conditions carry explicit edge semantics: `above` (>) or `from` (≥) for the lower edge,
`below` (<) or `upto` (≤) for the upper edge, so "> 1.5–3 × ULN" is `above 1.5, upto 3`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from functools import cache, cached_property
from typing import Annotated

from planner.domain.evidence import Basis
from planner.domain.frozen_value import frozen_value
from planner.domain.hepatic import CHILD_PUGH_CLASSES, ODWG_CATEGORIES
from planner.domain.table_keys import Key, Sources
from planner.domain.tablets import TabletForm
from planner.domain.vocabulary import DoseStatus, values

LABEL_SETS = ("us", "eu")
DOSE_UNITS = ("mg/m2", "mg/kg", "mg", "AUC")
STATUSES = values(DoseStatus)  # least restrictive first (STATUS_RANK)
# Numeric measures a band can test, with their unit (for messages) and the case fields they need.
NUMERIC_MEASURES: Mapping[str, str] = {
    "bilirubin_x_uln": "× ULN",
    "ast_x_uln": "× ULN",
    "alt_x_uln": "× ULN",
    "alp_x_uln": "× ULN",
    # the higher of AST and ALT ("AST and/or ALT > x", "transaminases < x")
    "transaminases_x_uln": "× ULN",
    "bilirubin_mg_dl": "mg/dL",
    "crcl_ml_min": "mL/min",
    "creatinine_mg_dl": "mg/dL",
    "lvef_percent": "%",
    "cumulative_anthracycline_mg_m2": "mg/m2",
    # the Child–Pugh score: 5 (every item at its best) is no measured impairment, whatever
    # the class letter says (AFINITOR's Child–Pugh A band: independent review rx20, F6)
    "child_pugh_points": "points",
}
CATEGORICAL_MEASURES: Mapping[str, tuple[str, ...]] = {
    "odwg": ODWG_CATEGORIES,
    "child_pugh": CHILD_PUGH_CLASSES,
    "dpyd": ("normal", "intermediate", "poor"),
    "ugt1a1": ("normal", "heterozygous_28", "homozygous_28"),
    "liver_metastases": ("yes", "no"),
}
# The measures of liver and kidney function: a band on one of them is an organ row, whose
# percentage a course's dose may stand at after a review capped it (never DPYD, UGT1A1 or the
# heart: they are not the organ function a cycle review re-reads).
ORGAN_MEASURES = frozenset(
    {
        "bilirubin_x_uln",
        "ast_x_uln",
        "alt_x_uln",
        "alp_x_uln",
        "transaminases_x_uln",
        "bilirubin_mg_dl",
        "crcl_ml_min",
        "creatinine_mg_dl",
        "child_pugh_points",
        "odwg",
        "child_pugh",
    }
)
IF_UNKNOWN = ("block", "warn")
ROUTES = ("IV", "IM", "SC", "orally")

# The `labels` key of a row: the label sets (US, EU) it holds for, at least one.
Labels = Annotated[tuple[str, ...], Key(one_of=LABEL_SETS)]

# A number with a dose unit ("175 mg/m2", "2.5 mg", "AUC 2", "2 g"): what a schedule's timing
# must never contain, because the printed schedule is composed from the row's own dose
# (contract §3a: a schedule names only the dose the row gives).
_DOSE_IN_TEXT = re.compile(
    r"(?<![\w.])(\d+(?:[.,]\d+)?)\s*(mg/m2|mg/m²|mg/kg|mg|mcg|µg|g)(?![\w²])"
    r"|\bAUC\s*(\d+(?:[.,]\d+)?)",
    re.IGNORECASE,
)


def doses_named(text: str | None) -> list[tuple[float, str]]:
    """Every (value, unit) a text names as a dose, e.g. "first cycle 8 mg/kg, then 6 mg/kg"."""
    found: list[tuple[float, str]] = []
    if not text:
        return found
    for match in _DOSE_IN_TEXT.finditer(text):
        if match.group(3) is not None:
            found.append((float(match.group(3).replace(",", ".")), "AUC"))
        else:
            unit = match.group(2).lower().replace("²", "2")
            found.append((float(match.group(1).replace(",", ".")), unit))
    return found


def amount_text(value: float, unit: str) -> str:
    """How a dose is written: "100 mg/m2", "AUC 2"."""
    shown = f"{round(value, 2):g}"
    return f"AUC {shown}" if unit == "AUC" else f"{shown} {unit}"


def regimen_line(rows: Iterable[tuple[str, str | None]]) -> str:
    """The regimen's schedule line, composed from its drug rows (drug, schedule): it names only
    the doses the rows give (contract §3a); a row with no schedule is left out."""
    return "; ".join(f"{drug} {schedule}" for drug, schedule in rows if schedule)


@cache  # a plan prints the same few rows several times (JSON, PDF, screen)
def compose_schedule(how: str, unit: str, dose: float | None, loading: float | None = None) -> str:
    """The printed schedule: the row's own dose (and loading dose) before how and when it is
    given; a row with no dose names none ("IV on days 1 and 8 every 21 days")."""
    if dose is None:
        return how
    given = amount_text(dose, unit)
    if loading is not None:
        return f"first cycle {amount_text(loading, unit)}, then {given} {how}"
    return f"{given} {how}"


@frozen_value
class Condition:
    """One test of a band's `when`: `{measure, above|from, below|upto}` for a numeric measure,
    `{measure, in = [...]}` for a categorical one."""

    measure: Annotated[str, Key(one_of=(*NUMERIC_MEASURES, *CATEGORICAL_MEASURES))]
    low: Annotated[float | None, Key(written_as=("above", "from"), doc="above (>) or from (≥)")] = (
        None
    )
    low_inclusive: Annotated[bool, Key(written_as=("above", "from"))] = False
    high: Annotated[
        float | None, Key(written_as=("below", "upto"), doc="below (<) or upto (≤)")
    ] = None
    high_inclusive: Annotated[bool, Key(written_as=("below", "upto"))] = False
    values: Annotated[
        frozenset[str] | None, Key(written_as=("in",), doc="in = [...]: the categories it matches")
    ] = None

    @property
    def numeric(self) -> bool:
        return self.values is None

    @cached_property
    def always(self) -> bool:
        """Whether it matches every category of its measure: it tests no finding (a band that
        applies under a label set whatever the case shows, as "no US breast indication").
        Worked out once per row (immutable): a plan's stop reasons and dose rows ask ~50 times."""
        return self.values is not None and self.values >= set(CATEGORICAL_MEASURES[self.measure])

    @cached_property
    def edges_words(self) -> str:
        """A numeric condition's edges as a stop reason states them ("≥ 30 and < 50"): the
        condition's own part of "CrCl 40 mL/min ≥ 30 and < 50", made once per row."""
        edges = []
        if self.low is not None:
            edges.append(f"{'≥' if self.low_inclusive else '>'} {round(self.low, 2):g}")
        if self.high is not None:
            edges.append(f"{'≤' if self.high_inclusive else '<'} {round(self.high, 2):g}")
        return " and ".join(edges)

    def lower(self) -> float:
        return -math.inf if self.low is None else self.low

    def upper(self) -> float:
        return math.inf if self.high is None else self.high

    def describe(self) -> str:
        if self.values is not None:
            return f"{self.measure} in {'/'.join(sorted(self.values))}"
        unit = NUMERIC_MEASURES[self.measure]
        parts = []
        if self.low is not None:
            parts.append(f"{'≥' if self.low_inclusive else '>'} {self.low:g}")
        if self.high is not None:
            parts.append(f"{'≤' if self.high_inclusive else '<'} {self.high:g}")
        return f"{self.measure} {' and '.join(parts)} {unit}".strip()


# How a route is said to a patient and family (the booklet: plain words, never a dose).
ROUTE_WORDS: Mapping[str, str] = {
    "IV": "a drip into a vein",
    "IM": "an injection (a shot)",
    "SC": "an injection under the skin",
    "orally": "a tablet you take by mouth",
}


@frozen_value
class Given:
    """How and when a dose is given, as structure (issue 18: the booklet read schedule prose
    with regular expressions, and got "once daily (reduced from twice daily)" as twice a day).

    `route` is one of ROUTES; `days` the days of each cycle it is given (empty: as the words say,
    e.g. every day); `cycle_days` the length of a cycle (None: not given in cycles);
    `patient_words` how often, in the words of the patient's booklet ("on days 1 and 8 of each
    3-week round"), written and reviewed in the dose table, never a dose."""

    route: str
    days: tuple[int, ...]
    cycle_days: int | None
    patient_words: str
    # from the second cycle on, where the first cycle differs (fulvestrant's loading doses on
    # days 1, 15 and 29 are the first month only, then once a month: FASLODEX §2.1): the days
    # and words of every later cycle; None where every cycle is alike
    later: Later | None = None
    # the label's blood counts on set days of the first cycles (IBRANCE §2.2: day 15 of the
    # first 2 cycles; walk 23 HARM 4): None where the label sets no such day
    counts: Counts | None = None

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "route": self.route,
            "days": list(self.days),
            "cycle_days": self.cycle_days,
            "patient_words": self.patient_words,
        }
        if self.later is not None:
            out["later"] = self.later.to_json()
        if self.counts is not None:
            out["counts"] = self.counts.to_json()
        return out


@frozen_value
class Counts:
    """The label's blood tests on set days of each of the first `cycles` cycles (walk 23
    HARM 4): `what` says the test and the label's words, `sources` the rows' sources."""

    days: tuple[int, ...]
    cycles: int
    what: str
    sources: tuple[str, ...]
    verified: bool
    # where the label checks less often after the first cycles (abemaciclib: every 2 weeks for
    # 2 months, then monthly for the next 2): the days of each cycle after `cycles`, up to and
    # including cycle `then_until` (none: nothing after the first cycles)
    then_days: tuple[int, ...] = ()
    then_until: int | None = None

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "days": list(self.days),
            "cycles": self.cycles,
            "what": self.what,
            "sources": list(self.sources),
            "verified": self.verified,
        }
        if self.then_days and self.then_until is not None:
            out["then_days"] = list(self.then_days)
            out["then_until"] = self.then_until
        return out


@frozen_value
class Later:
    """How a drug is given from `from_cycle` on, where the first cycle differs."""

    from_cycle: int
    days: tuple[int, ...]
    patient_words: str

    def to_json(self) -> dict[str, object]:
        return {
            "from_cycle": self.from_cycle,
            "days": list(self.days),
            "patient_words": self.patient_words,
        }


_PATIENT_WORDS = "how often, in the words of the patient's booklet (never a dose)"


@frozen_value
class Schedule:
    """One way of giving a drug: its standard dose, and how and when (no dose in `timing`)."""

    id: str
    value: Annotated[
        float | None, Key(above=0, doc="the standard dose; left out only with no_dose_because")
    ]
    unit: Annotated[str, Key(one_of=DOSE_UNITS)]
    route: Annotated[str, Key(one_of=ROUTES)]
    # "on days 1, 8 and 15 every 28 days": never a dose (the loader checks)
    timing: Annotated[str, Key(doc="how and when, never a dose (the dose comes from value)")]
    patient_words: Annotated[str, Key(doc=_PATIENT_WORDS)]
    labels: Labels
    sources: Sources
    verified: bool
    # first-cycle dose where it differs from the maintenance `value` (same unit), else None
    loading: Annotated[float | None, Key(above=0, doc="first-cycle dose, if not value")] = None
    # why no standard dose can be stated (e.g. none in a primary source for this disease):
    # every row on this schedule is insufficient_data with this reason, never a printed dose
    no_dose_because: Annotated[
        str | None, Key(doc="why no standard dose can be stated (instead of value)")
    ] = None
    days: Annotated[
        tuple[int, ...], Key(minimum=1, doc="the days of each cycle it is given, ascending")
    ] = ()
    cycle_days: Annotated[int | None, Key(minimum=1, doc="the length of a cycle in days")] = None
    # from the second cycle on, where the first cycle differs (loading doses in the first month)
    later_days: Annotated[
        tuple[int, ...] | None,
        Key(minimum=1, doc="the days of each cycle from the second on, where the first differs"),
    ] = None
    later_patient_words: Annotated[
        str | None, Key(doc=_PATIENT_WORDS + " from the second cycle on; with later_days")
    ] = None
    # the label's blood counts on set days of the first cycles (walk 23 HARM 4: nothing brought
    # her back for palbociclib's day-15 count); all four keys together or none
    count_days: Annotated[
        tuple[int, ...] | None,
        Key(minimum=1, doc="the days of a cycle the label checks blood, in the first cycles"),
    ] = None
    count_cycles: Annotated[
        int | None, Key(minimum=1, doc="how many first cycles count_days holds for")
    ] = None
    count_what: Annotated[str | None, Key(doc="the test, and the label's words for when")] = None
    count_sources: Annotated[
        tuple[str, ...] | None, Key(refers_to="source", doc="where the label says so")
    ] = None
    count_verified: Annotated[bool, Key(doc="the count days were read in the label")] = False
    # where the label checks less often after the first cycles (abemaciclib: monthly for the
    # next 2 months): the days of each cycle after count_cycles, up to count_then_until
    count_then_days: Annotated[
        tuple[int, ...] | None,
        Key(minimum=1, doc="the days of each cycle after count_cycles the label checks blood"),
    ] = None
    count_then_until: Annotated[
        int | None, Key(minimum=2, doc="the last cycle count_then_days holds for")
    ] = None

    def how(self, timing: str | None = None) -> str:
        return f"{self.route} {timing or self.timing}".strip()

    def basis(self, drug: str) -> tuple[Basis, ...]:
        """The schedule's citations as `drug:schedule` rows (built once per drug: a schedule is
        immutable, and every plan cites the schedules of ~18 option drugs)."""
        found = self._basis.get(drug)
        if found is None:
            found = self._basis[drug] = tuple(
                Basis(f"{drug}:{self.id}", s, self.verified) for s in self.sources
            ) + tuple(
                Basis(f"{drug}:{self.id}:counts", s, self.count_verified)
                for s in self.count_sources or ()
            )
        return found

    @cached_property
    def _basis(self) -> dict[str, tuple[Basis, ...]]:
        return {}

    def given(self, band: DoseBand | None = None) -> Given:
        """The schedule as structure; a deciding band that changes the timing changes the words
        (its days and cycle are the schedule's: no band changes those)."""
        return self._standard_given if band is None else self._given(band)

    @cached_property
    def _standard_given(self) -> Given:
        # every dose on this schedule without a band's own timing: made once (immutable)
        return self._given(None)

    def _given(self, band: DoseBand | None) -> Given:
        words = band.patient_words if band is not None and band.patient_words else None
        later_words = (
            band.later_patient_words
            if band is not None and band.later_patient_words
            else self.later_patient_words
        )
        later = (
            None
            if self.later_days is None or later_words is None
            else Later(2, self.later_days, later_words)
        )
        return Given(
            self.route, self.days, self.cycle_days, words or self.patient_words, later, self.counts
        )

    @cached_property
    def counts(self) -> Counts | None:
        if not self.count_days or not self.count_cycles or not self.count_what:
            return None
        return Counts(
            self.count_days,
            self.count_cycles,
            self.count_what,
            self.count_sources or (),
            self.count_verified,
            self.count_then_days or (),
            self.count_then_until,
        )

    @cached_property
    def standard_action(self) -> BandAction:
        """The schedule's standard dose as a band's action would give it (what no band
        changes); for a schedule with a standard dose."""
        return band_action("standard", 100.0, self.value)

    @property
    def text(self) -> str:
        """The standard schedule as printed (standard dose and loading dose)."""
        return compose_schedule(self.how(), self.unit, self.value, self.loading)


@frozen_value
class DoseBand:
    id: str
    labels: Labels
    schedules: Annotated[
        tuple[str, ...], Key(default=(), doc="schedule ids of this drug; left out: every one")
    ]
    when: Annotated[tuple[Condition, ...], Key(non_empty=True, doc="every condition holds")]
    status: Annotated[str, Key(one_of=STATUSES)]
    percent: Annotated[float | None, Key(minimum=0, maximum=100, doc="of the standard dose")]
    # adapted dose in the schedule's own unit
    dose: Annotated[float | None, Key(above=0, doc="adapted dose in the schedule's unit")]
    # replaces the schedule's timing when this band decides (no dose in it)
    timing: Annotated[str | None, Key(doc="replaces the schedule's timing (never a dose)")]
    # the booklet's words for that timing: required with `timing`
    patient_words: Annotated[str | None, Key(doc=_PATIENT_WORDS + "; required with timing")]
    # the booklet's words from the second cycle on, where the schedule has later_days
    later_patient_words: Annotated[
        str | None, Key(doc=_PATIENT_WORDS + " from the second cycle on (schedule's later_days)")
    ]
    warning: str | None
    sources: Sources
    verified: bool
    alternative: Annotated[
        bool, Key(default=False, doc="a disagreeing source's band: shown beside, never decides")
    ]
    if_unknown: Annotated[
        str, Key(one_of=IF_UNKNOWN, default="block", doc="a measure not recorded: stop or warn")
    ]
    # a label's words about the start of treatment only ("not studied with baseline bilirubin >
    # 1.5 x ULN"), where the drug's cycle table holds the label's own rows for those results on
    # treatment (KADCYLA): the cycle review leaves it to them. Every other organ row, "no dose"
    # included, applies on treatment as at the start (rx22 F1)
    baseline_only: Annotated[
        bool,
        Key(
            default=False,
            doc="the label's words concern the start of treatment only; on treatment the drug's "
            "cycle table rows for the same results decide",
        ),
    ]

    def applies_to(self, labels: str, schedule: str) -> bool:
        return labels in self.labels and (not self.schedules or schedule in self.schedules)

    def basis(self, drug: str) -> tuple[Basis, ...]:
        """The band's citations, its rule named for `drug` (`drug:band` unless the band's id
        already starts with the drug); built once per drug, as `Schedule.basis`."""
        found = self._basis.get(drug)
        if found is None:
            rule = self.id if self.id.startswith(drug.replace(" ", "_")) else f"{drug}:{self.id}"
            found = self._basis[drug] = tuple(
                Basis(rule, source, self.verified) for source in self.sources
            )
        return found

    @cached_property
    def _basis(self) -> dict[str, tuple[Basis, ...]]:
        return {}

    def describe(self) -> str:
        return " and ".join(c.describe() for c in self.when)

    def action(self, standard: float) -> BandAction:
        """What the band does to a schedule whose standard dose is `standard`: worked out once
        per standard (the band and the schedule are immutable; every dose of every plan asks)."""
        found = self._actions.get(standard)
        if found is None:
            found = self._actions[standard] = _band_action(self, standard)
        return found

    @cached_property
    def _actions(self) -> dict[float, BandAction]:
        return {}

    @cached_property
    def measures(self) -> frozenset[str]:
        """The measures its conditions test."""
        return frozenset(c.measure for c in self.when)

    @property
    def organ_row(self) -> bool:
        """Whether it is a row of the label's liver or kidney dose table (`ORGAN_MEASURES`)."""
        return any(c.measure in ORGAN_MEASURES for c in self.when)

    @property
    def whatever_found(self) -> bool:
        """Whether it applies whatever the case shows (every condition matches every finding)."""
        return all(c.always for c in self.when)


@frozen_value
class DrugDoseTable:
    name: Annotated[str, Key(refers_to="drug")]
    schedules: Annotated[tuple[Schedule, ...], Key(toml="schedule", non_empty=True)]
    bands: Annotated[tuple[DoseBand, ...], Key(toml="band", default=())]
    notes: Annotated[tuple[str, ...], Key(default=())]
    # an oral drug's tablet strengths: its calculated dose is printed as whole tablets
    tablets: Annotated[
        TabletForm | None, Key(doc="an oral drug's tablet strengths and rounding")
    ] = None

    def schedules_for(self, labels: str) -> tuple[Schedule, ...]:
        found = self._schedules_for.get(labels)
        if found is None:  # once per label set: every dose of every plan asks
            found = self._schedules_for[labels] = tuple(
                s for s in self.schedules if labels in s.labels
            )
        return found

    @cached_property
    def _schedules_for(self) -> dict[str, tuple[Schedule, ...]]:
        return {}

    def bands_for(self, labels: str, schedule: str) -> tuple[DoseBand, ...]:
        """The bands that apply to one schedule under one label set, in table order: chosen
        once per pair (the table is immutable; every plan doses ~18 drug schedules)."""
        key = (labels, schedule)
        found = self._bands_for.get(key)
        if found is None:
            found = self._bands_for[key] = tuple(
                b for b in self.bands if b.applies_to(labels, schedule)
            )
        return found

    @cached_property
    def _bands_for(self) -> dict[tuple[str, str], tuple[DoseBand, ...]]:
        return {}


@frozen_value
class DoseTables:
    drugs: Mapping[str, DrugDoseTable]
    # source id -> short citation, for printing beside a basis entry
    citations: Mapping[str, str]


STATUS_RANK = {status: rank for rank, status in enumerate(STATUSES)}


def restrictiveness(status: str, percent: float | None) -> tuple[int, float]:
    """Order actions: a higher tuple is more restrictive (a lower percentage within `reduced`)."""
    return (STATUS_RANK[status], -(100.0 if percent is None else percent))


@frozen_value(hot=True)
class BandAction:
    """A status, the percentage of the standard dose and the dose it gives, and how restrictive
    that is (`rank`, from `restrictiveness`: higher is more restrictive)."""

    status: str
    percent: float | None
    dose: float | None
    rank: tuple[int, float]


def band_action(status: str, percent: float | None, dose: float | None) -> BandAction:
    return BandAction(status, percent, dose, restrictiveness(status, percent))


def _band_action(band: DoseBand, standard: float) -> BandAction:
    """What `band` does to the schedule's standard dose `standard`."""
    if band.status in ("standard", "caution"):
        return band_action(band.status, 100.0, standard)
    if band.status != "reduced":
        return band_action(band.status, None, None)
    if band.dose is not None:
        dose = band.dose
        percent = band.percent if band.percent is not None else dose / standard * 100.0
    else:
        assert band.percent is not None
        percent = band.percent
        dose = standard * percent / 100.0
    if percent >= 100.0 and dose >= standard:
        # a label dose that equals this schedule's standard (e.g. docetaxel 75 mg/m2 at 75)
        return band_action("caution", 100.0, standard)
    return band_action("reduced", round(percent, 2), dose)
