"""What an allergy written in free text names: the catalogue drugs, classes and excipients in it.

Allergies are written as people write them: "docetaxel (Taxotere)", "Taxol®", "Paclitaxel.",
"paclitaxel injection 175 mg/m2", "polysorbate 80". An exact lookup turned every one of these
into free text that was checked against nothing, and the drug was offered at a standard dose
(rx21 F1). Here the text and every catalogue name are read the same way (letter case, accents,
®/™, brackets and punctuation set aside) and the catalogue's names are found inside the text
as whole words: "paclitaxel" is found in "paclitaxel (Taxol)" but not in "nab-paclitaxel",
where the longer name wins, nor in a longer word ("paclitaxelum" is not paclitaxel).

A text that names exactly one catalogue substance (its INN and its brand count as one) is read as
an allergy to it. A text naming none, or several different ones ("carboplatin/paclitaxel"), is
not guessed at: it stays free text, shown with a gap saying it was not checked (safety rule 2).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping

# What an allergy's substance was recognised as (planner.domain.case.ALLERGY_KINDS)
DRUG, CLASS, EXCIPIENT, OTHER = "drug", "class", "excipient", "other"
_MARKS = str.maketrans(dict.fromkeys("®™©℠", " "))


def words_of(text: str) -> tuple[str, ...]:
    """`text` as lower-case words: accents, ®/™ and every mark that is not a letter or a digit
    set aside ("Taxol®" -> ("taxol",); "nab-paclitaxel" -> ("nab", "paclitaxel"))."""
    # the marks first: NFKD would spell "™" as "TM" and glue it to the name ("taxoltm")
    marked = text.translate(_MARKS)
    folded = unicodedata.normalize("NFKD", marked.casefold())
    kept = "".join(ch if ch.isalnum() else " " for ch in folded if not unicodedata.combining(ch))
    return tuple(kept.split())


def names_in(text: str, names: Mapping[str, tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """The (kind, substance) of every catalogue name found in `text` as whole words, longest
    name first where names overlap, each once, in the order written. `names`: each accepted
    spelling (any case or punctuation) -> (kind, substance)."""
    index: dict[tuple[str, ...], tuple[str, str]] = {}
    for spelling, found in names.items():
        key = words_of(spelling)
        if key:
            index.setdefault(key, found)
    longest = max((len(k) for k in index), default=0)
    words = words_of(text)
    out: dict[tuple[str, str], None] = {}
    i = 0
    while i < len(words):
        for n in range(min(longest, len(words) - i), 0, -1):
            hit = index.get(words[i : i + n])
            if hit is not None:
                out[hit] = None
                i += n
                break
        else:
            i += 1
    return tuple(out)


def catalogue_names(
    medicines: Mapping[str, str],
    classes: Mapping[str, str],
    excipients: Mapping[str, str],
) -> dict[str, tuple[str, str]]:
    """Every spelling an allergy may name -> (kind, substance): drug names and synonyms (INN),
    class words (class id), excipient words (excipient id)."""
    out: dict[str, tuple[str, str]] = {}
    for kind, table in ((DRUG, medicines), (CLASS, classes), (EXCIPIENT, excipients)):
        for spelling, substance in table.items():
            out.setdefault(spelling, (kind, substance))
    return out


def read_substance(
    written: str,
    names: Mapping[str, tuple[str, str]],
    excipients_of: Mapping[str, Iterable[str]],
    classes_of: Mapping[str, Iterable[str]],
) -> tuple[str, str]:
    """(kind, substance) of an allergy as written: the one catalogue substance the text names,
    else (OTHER, the text as written). A drug named with one of its own excipients
    ("paclitaxel (Cremophor EL)") is the drug: its excipient relations follow from it. A class
    named with drugs of it ("penicillins (amoxicillin)") is the class, which covers them."""
    found = names_in(written, names)
    drugs = [s for k, s in found if k == DRUG]
    classes = [s for k, s in found if k == CLASS]
    excipients = [s for k, s in found if k == EXCIPIENT]
    if len(drugs) == 1 and not classes and set(excipients) <= set(excipients_of.get(drugs[0], ())):
        return DRUG, drugs[0]
    if (
        len(classes) == 1
        and not excipients
        and all(classes[0] in classes_of.get(d, ()) for d in drugs)
    ):
        return CLASS, classes[0]
    if len(found) == 1:
        return found[0]
    return OTHER, written
