"""What an allergy written in free text names: the catalogue drugs, classes and excipients in it.

Allergies are written as people write them: "docetaxel (Taxotere)", "Taxol®", "Paclitaxel.",
"paclitaxel injection 175 mg/m2", "polysorbate 80", "paclitaxel, carboplatin", "Phesgo",
"паклитаксел". An exact lookup turned every one of these into free text that was checked against
nothing, and the drug was offered at a standard dose (rx21 F1, recheck21 N1b). Here the text and
every catalogue name are read the same way (letter case, accents, ®/™, brackets and punctuation
set aside) and the catalogue's names are found inside the text as whole words: "paclitaxel" is
found in "paclitaxel (Taxol)" but not in "nab-paclitaxel", where the longer name wins, nor in a
longer word ("paclitaxelin" is not paclitaxel). Other spellings (brands, the INN as the clinics'
languages write it) are data: drug_names.toml, joined into the same names.

Every substance a line names counts, as if each had a line of its own with the same reaction and
severity (recheck21 N1b: "paclitaxel, carboplatin" gave both at standard doses). A combination
product ("Phesgo") names each of its drugs. A drug named with one of its own excipients
("paclitaxel (Cremophor EL)") is the drug; a class named with drugs of it ("penicillins
(amoxicillin)") is the class. Nothing is guessed (rule 2):
- a part of the line, between commas, "and", "+" …, that names nothing the program knows is kept
  as not read, and the plan says it was not checked ("paclitaxel and something else");
- a word that may say she is NOT allergic ("no allergy to paclitaxel", "NKDA") is kept: the plan
  asks the clinician to check the line (what it names is still applied: an allergy applied in
  error costs an option, one dropped in error may cost her life).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

from planner.domain.frozen_value import frozen_value

# What an allergy's substance was recognised as (planner.domain.case.ALLERGY_KINDS); COMBINATION
# is a product of several catalogue drugs, read as each of them.
DRUG, CLASS, EXCIPIENT, OTHER = "drug", "class", "excipient", "other"
SEVERAL = "several"  # a line that names more than one substance
COMBINATION = "combination"
_MARKS = str.maketrans(dict.fromkeys("®™©℠", " "))

# Where one substance of a line ends and the next begins: these marks outside brackets, and the
# joining words below. "/" joins two names ("paclitaxel/carboplatin") but not a unit ("mg/m2",
# "cdk4/6"): it splits only between two letters, and not before a unit.
_SPLIT_MARKS = ",;+&|\n"
_UNITS_AFTER_SLASH = frozenset({"m2", "m²", "kg", "day", "d", "h", "hr", "ml", "l", "dl", "min"})
_JOINING_WORDS = frozenset(
    {"and", "or", "with", "plus", "also", "then", "и", "или", "также", "а", "та", "aur", "और"}
)
# Words a part may hold besides a name without naming anything else: doses, units, forms, years,
# the reaction and its words. A part of nothing but these is not "not read".
_ALLOWED_WORDS = frozenset(
    {
        "mg", "g", "mcg", "ml", "m2", "m²", "kg", "iv", "sc", "po", "im", "oral", "injection",
        "infusion", "tablet", "tablets", "capsule", "capsules", "dose", "doses", "cycle", "cycles",
        "allergy", "allergic", "allergies", "reaction", "reactions", "hypersensitivity",
        "anaphylaxis", "anaphylactic", "rash", "hives", "urticaria", "itch", "itching", "swelling",
        "angioedema", "shock", "severe", "mild", "moderate", "to", "of", "the", "a", "in", "on",
        "at", "after", "during", "since", "year", "years", "ago", "both", "all", "each",
        "drug", "drugs", "brand", "biosimilar", "generic",
    }
)  # fmt: skip
# Words that may say she is not allergic: the line is then checked by the clinician.
NEGATION_WORDS = frozenset(
    {
        "no", "not", "nil", "none", "never", "denies", "denied", "negative", "without",
        "nkda", "nka", "nkfa", "nkma", "нет", "не", "отрицает", "без", "nahi", "नहीं",
        "yo'q", "yoʻq", "yoq", "йўқ", "йук", "emas",
    }
)  # fmt: skip
# Uzbek writes "yo'q" (no) with an apostrophe, which would cut it into "yo" and "q": a word of
# negation is looked for with the apostrophes set aside (misc23)
_APOSTROPHES = str.maketrans(dict.fromkeys("'’ʻʼ`", ""))
_NUMBER = re.compile(r"^\d+[a-z]{0,3}\d?$")  # "2019", "175", "75mg", "5ml"


def _folded(words: Iterable[str]) -> frozenset[str]:
    return frozenset(w for word in words for w in words_of(word))


def words_of(text: str) -> tuple[str, ...]:
    """`text` as lower-case words: accents, ®/™ and every mark that is not a letter or a digit
    set aside ("Taxol®" -> ("taxol",); "nab-paclitaxel" -> ("nab", "paclitaxel"))."""
    # the marks first: NFKD would spell "™" as "TM" and glue it to the name ("taxoltm")
    marked = text.translate(_MARKS)
    folded = unicodedata.normalize("NFKD", marked.casefold())
    kept = "".join(ch if ch.isalnum() else " " for ch in folded if not unicodedata.combining(ch))
    return tuple(kept.split())


# the word lists as `words_of` spells what was written ("नहीं" loses its nasal mark, "m²" is "m2")
_NEGATION = _folded(w.translate(_APOSTROPHES) for w in NEGATION_WORDS)
_ALLOWED = _folded(_ALLOWED_WORDS)


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
    combinations: Mapping[str, str] | None = None,
) -> dict[str, tuple[str, str]]:
    """Every spelling an allergy may name -> (kind, substance): drug names and synonyms (INN),
    class words (class id), excipient words (excipient id), combination products (product id)."""
    out: dict[str, tuple[str, str]] = {}
    tables = ((DRUG, medicines), (CLASS, classes), (EXCIPIENT, excipients))
    for kind, table in (*tables, (COMBINATION, combinations or {})):
        for spelling, substance in table.items():
            out.setdefault(spelling, (kind, substance))
    return out


@frozen_value
class AllergyReading:
    """What one allergy line was read as: every substance it names, in the order written, the
    parts that name nothing known, and a word that may say she is not allergic."""

    named: tuple[tuple[str, str], ...]  # (kind, substance): drug, class or excipient
    not_read: tuple[str, ...] = ()  # parts of the line as written, not checked against anything
    negation: str | None = None  # the word, as written in lower case ("no", "nkda")

    @property
    def kind(self) -> str:
        """DRUG, CLASS or EXCIPIENT for one substance, SEVERAL for more, OTHER for none."""
        if not self.named:
            return OTHER
        return self.named[0][0] if len(self.named) == 1 else SEVERAL


def read_allergy(
    written: str,
    names: Mapping[str, tuple[str, str]],
    excipients_of: Mapping[str, Iterable[str]],
    classes_of: Mapping[str, Iterable[str]],
    combinations_of: Mapping[str, Iterable[str]] | None = None,
) -> AllergyReading:
    """Every substance `written` names (a combination product as each of its drugs), the parts
    that name none, and a word of negation, if any."""
    combinations_of = combinations_of or {}
    found: list[tuple[str, str]] = []
    not_read: list[str] = []
    for part in _parts(written):
        hits = names_in(part, names)
        if hits:
            found.extend(hits)
        elif not all(w in _ALLOWED or _NUMBER.match(w) for w in words_of(part)):
            not_read.append(part)
    expanded: list[tuple[str, str]] = []
    for kind, substance in found:
        if kind == COMBINATION:
            expanded.extend((DRUG, d) for d in combinations_of.get(substance, ()))
        else:
            expanded.append((kind, substance))
    named = tuple(dict.fromkeys(_collapsed(expanded, excipients_of, classes_of)))
    negation = next((w for w in words_of(written.translate(_APOSTROPHES)) if w in _NEGATION), None)
    return AllergyReading(named, tuple(not_read), negation)


def _collapsed(
    found: list[tuple[str, str]],
    excipients_of: Mapping[str, Iterable[str]],
    classes_of: Mapping[str, Iterable[str]],
) -> list[tuple[str, str]]:
    """A drug's own excipient goes into the drug ("paclitaxel (Cremophor EL)"), a drug of a
    class named beside it into the class ("penicillins (amoxicillin)")."""
    drugs = [s for k, s in found if k == DRUG]
    classes = {s for k, s in found if k == CLASS}
    own = {e for d in drugs for e in excipients_of.get(d, ())}
    return [
        (k, s)
        for k, s in found
        if not (k == EXCIPIENT and s in own)
        and not (k == DRUG and classes & set(classes_of.get(s, ())))
    ]


_TOKENS = re.compile(r"[()\[\]{}]|[,;+&|\n/]|[^\s()\[\]{},;+&|/]+|\s+")


def _parts(written: str) -> list[str]:
    """`written` cut where one substance ends and the next begins, outside brackets: at
    `_SPLIT_MARKS`, at a "/" between two names, and at a joining word."""
    out: list[str] = []
    current: list[str] = []
    depth = 0
    for match in _TOKENS.finditer(written):
        token, at = match.group(), match.start()
        if token in "([{":
            depth += 1
        elif token in ")]}":
            depth = max(0, depth - 1)
        elif depth == 0 and (
            (len(token) == 1 and token in _SPLIT_MARKS)
            or (token == "/" and _slash_joins(written, at))
            or token.casefold() in _JOINING_WORDS
        ):
            out.append("".join(current))
            current = []
            continue
        current.append(token)
    out.append("".join(current))
    return [p.strip() for p in out if words_of(p)]


def _slash_joins(written: str, i: int) -> bool:
    """Whether the "/" at `i` joins two names: a letter on each side, and no unit after it."""
    before, after = written[:i].rstrip(), written[i + 1 :].lstrip()
    if not before or not after or not before[-1].isalpha() or not after[0].isalpha():
        return False
    following = words_of(after)
    return not following or following[0] not in _UNITS_AFTER_SLASH
