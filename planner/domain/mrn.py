"""MRNs: one patient, however the number is typed. The clinic's rule for writing an MRN
(clinic setting `mrn_rule`), and what two MRNs that may be one patient share.
"""

from __future__ import annotations

from collections.abc import Mapping

#: the clinic's MRN rule (clinic setting `mrn_rule`): `case` "upper" or "as_typed";
#: `separators` "-" (runs of spaces and dashes become one dash),
#: "" (removed) or "as_typed". The default makes TAS-000123, tas-000123 and TAS 000123 one.
DEFAULT_MRN_RULE: dict[str, str] = {"case": "upper", "separators": "-"}


_MRN_SEPARATORS = " -"


def normalise_mrn(mrn: str, rule: Mapping[str, str] | None = None) -> str:
    """The MRN as the clinic's rule writes it (see DEFAULT_MRN_RULE)."""
    import re

    rule = {**DEFAULT_MRN_RULE, **(rule or {})}
    value = " ".join(mrn.split())
    if rule.get("case") == "upper":
        value = value.upper()
    separators = rule.get("separators")
    if separators != "as_typed":
        value = re.sub(f"[{re.escape(_MRN_SEPARATORS)}]+", separators or "", value)
    return value


def mrn_key(mrn: str) -> str:
    """What two MRNs that may be one patient share: their letters and digits, upper case."""
    return "".join(ch for ch in mrn.upper() if ch.isalnum())
