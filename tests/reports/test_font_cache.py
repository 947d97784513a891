"""The cache of the parsed fonts: it saves time and never changes a byte of a PDF.

A hit parses nothing and prints the same bytes as a fresh parse (Cyrillic, Uzbek Latin, subset
embedding at save included); a restored font holds what a fresh parse holds; a changed font file,
another reportlab, Python, setting or module source misses; damaged or foreign cache files are
ignored and rewritten; an unwritable folder and `PLANNER_CACHE_DIR=` are silently bypassed.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from weakref import WeakKeyDictionary

import pytest
from reportlab.pdfbase import pdfmetrics, ttfonts

from planner import cache
from planner.reports import styles

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("PLANNER_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The font files reportlab parsed (a cache hit parses none)."""
    seen: list[str] = []
    real = ttfonts.TTFontFile.extractInfo

    def counting(self, *args, **kwargs):
        seen.append(Path(self.filename).name)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(ttfonts.TTFontFile, "extractInfo", counting)
    return seen


@pytest.fixture
def font_copies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of resources/fonts that a test may change, used in its place."""
    folder = tmp_path / "fonts"
    shutil.copytree(styles.fonts_dir(), folder)
    monkeypatch.setattr(styles, "fonts_dir", lambda: folder)
    return folder


@contextmanager
def registered(fonts: list[styles.MeasuredTTFont]) -> Iterator[None]:
    """Render with these very font objects; the session's own fonts are put back afterwards."""
    styles.register_fonts()
    before = [pdfmetrics.getFont(font.fontName) for font in fonts]
    for font in before:
        font.unregister()
    for font in fonts:
        pdfmetrics.registerFont(font)
    try:
        assert all(pdfmetrics.getFont(font.fontName) is font for font in fonts)
        yield
    finally:
        for font in fonts:
            font.unregister()
        for font in before:
            pdfmetrics.registerFont(font)
        # registering a TTF maps its bold and italic to itself: put the family back as it was
        pdfmetrics.registerFontFamily(
            styles.FONT,
            normal=styles.FONT,
            bold=styles.FONT_BOLD,
            italic=styles.FONT,
            boldItalic=styles.FONT_BOLD,
        )


def _fonts_without_cache(monkeypatch: pytest.MonkeyPatch) -> list[styles.MeasuredTTFont]:
    with monkeypatch.context() as patched:
        patched.setenv("PLANNER_CACHE_DIR", "")
        return styles.load_fonts()


def _cache_file(folder: Path) -> Path:
    return folder / styles.FONT_CACHE_FILE


def _hit(parses: list[str]) -> bool:
    """Load the fonts as a new process would; True when nothing was parsed."""
    parses.clear()
    styles.load_fonts()
    hit = parses == []
    parses.clear()
    return hit


# ---- a hit prints the same bytes -------------------------------------------------------------


def test_a_hit_parses_nothing_and_prints_the_same_bytes(
    cache_dir, parses, monkeypatch, render, page_texts, patient
):
    fresh = _fonts_without_cache(monkeypatch)
    assert sorted(parses) == ["DejaVuSans-Bold.ttf", "DejaVuSans.ttf"]
    assert not cache_dir.exists()
    with registered(fresh):
        expected = render()

    styles.load_fonts()  # cold: parsed, and the cache written
    parses.clear()
    restored = styles.load_fonts()
    assert parses == []  # warm: nothing parsed
    assert all(a is not b and a.face is not b.face for a, b in zip(restored, fresh, strict=True))
    with registered(restored):
        printed = render()
        booklet = render(audience="patient")

    assert printed == expected  # every byte, fonts embedded as subsets at save included
    text = " ".join(page_texts(printed))
    assert patient["family_name"] == "Каримова"
    assert "Каримова" in text
    assert "Oʻzbekiston" in text
    assert "Şahin & Müller" in text
    with registered(fresh):
        assert render(audience="patient") == booklet


def test_the_comparison_can_see_a_changed_font(monkeypatch, render):
    """The control for the test above: one glyph's width changed, and the bytes differ."""
    fresh = _fonts_without_cache(monkeypatch)
    with registered(fresh):
        expected = render()
    changed = _fonts_without_cache(monkeypatch)
    changed[0].face.charWidths[ord("a")] += 40
    with registered(changed):
        assert render() != expected


def test_a_restored_font_holds_what_a_fresh_parse_holds(cache_dir, parses, monkeypatch):
    fresh = _fonts_without_cache(monkeypatch)
    styles.load_fonts()
    parses.clear()
    restored = styles.load_fonts()
    assert parses == []
    for new, old in zip(restored, fresh, strict=True):
        assert type(new) is type(old)
        assert type(new.face) is type(old.face)
        assert vars(new).keys() == vars(old).keys()
        assert vars(new.face).keys() == vars(old.face).keys()
        for name, value in vars(old.face).items():
            if name != "_pdfScale":
                assert vars(new.face)[name] == value, name
                assert type(vars(new.face)[name]) is type(value), name
        for x in (0, 1, 1229, -309, 2048, 0.5, 1e-3):
            got, want = new.face._pdfScale(x), old.face._pdfScale(x)
            assert got == want
            assert type(got) is type(want)
        assert new.face._ttf_data == old.face._ttf_data
        assert new.face.filename == old.face.filename
        for name, value in vars(old).items():
            if name not in {"face", "state", "encoding"}:
                assert vars(new)[name] == value, name
        assert vars(new.encoding) == vars(old.encoding)
        assert isinstance(new.state, WeakKeyDictionary)
        assert len(new.state) == 0
        assert new.state is not old.state
        assert new._widths == {}
        assert new._widths is not old._widths
        assert new.stringWidth("Каримова Oʻzbekiston ≥ µ", 12) == old.stringWidth(
            "Каримова Oʻzbekiston ≥ µ", 12
        )


def test_a_new_process_prints_the_same_bytes_with_and_without_the_cache(
    tmp_path, example_plan, patient, clinic, trends
):
    """Whole processes: no cache, a cold cache (parse and write), a warm one (parse nothing)."""
    script = (
        "import json, sys\n"
        "from reportlab.pdfbase import ttfonts\n"
        "parsed = []\n"
        "real = ttfonts.TTFontFile.extractInfo\n"
        "def counting(self, *a, **k):\n"
        "    parsed.append(self.filename)\n"
        "    return real(self, *a, **k)\n"
        "ttfonts.TTFontFile.extractInfo = counting\n"
        "from planner.reports.render import render_plan_pdf\n"
        "plan = json.loads(open(sys.argv[1], encoding='utf-8').read())\n"
        "pdf = render_plan_pdf(plan, invariant=True, **json.loads(sys.argv[2]))\n"
        "sys.stdout.buffer.write(bytes([len(parsed)]) + pdf)\n"
    )
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(example_plan), encoding="utf-8")
    options = json.dumps({"patient": patient, "clinic": clinic, "trends": trends})

    def run(cache_folder: str) -> tuple[int, bytes]:
        env = {"PATH": "/usr/bin:/bin", "PLANNER_CACHE_DIR": cache_folder}
        done = subprocess.run(
            [sys.executable, "-c", script, str(plan), options],
            cwd=ROOT,
            env=env,
            capture_output=True,
            check=True,
        )
        return done.stdout[0], done.stdout[1:]

    folder = str(tmp_path / "cache")
    without, cold, warm = run(""), run(folder), run(folder)
    assert [without[0], cold[0], warm[0]] == [2, 2, 0]
    assert without[1].startswith(b"%PDF-")
    assert without[1] == cold[1] == warm[1]


# ---- what misses ------------------------------------------------------------------------------


def _with_advance_width(data: bytes, glyph: int, width: int) -> bytes:
    """The font file with one glyph's advance width changed in its `hmtx` table (same length)."""
    tables = int.from_bytes(data[4:6], "big")
    for i in range(tables):
        record = data[12 + 16 * i : 28 + 16 * i]
        if record[:4] == b"hmtx":
            at = int.from_bytes(record[8:12], "big") + 4 * glyph
            return data[:at] + width.to_bytes(2, "big") + data[at + 2 :]
    raise AssertionError("no hmtx table")


def test_a_changed_font_file_misses_and_its_new_bytes_are_used(cache_dir, parses, font_copies):
    before = styles.load_fonts()[0]
    assert _hit(parses)
    regular = font_copies / "DejaVuSans.ttf"
    glyph = before.face.charToGlyph[ord("a")]
    advance = before.face.hmetrics[glyph][0]
    regular.write_bytes(_with_advance_width(regular.read_bytes(), glyph, advance + 64))
    after = styles.load_fonts()[0]
    assert sorted(parses) == ["DejaVuSans-Bold.ttf", "DejaVuSans.ttf"]  # same size, new bytes
    assert after.face.charWidths[ord("a")] == before.face.charWidths[ord("a")] + 64 * 1000 / 2048
    assert _hit(parses)  # and the cache now holds the new pair

    regular.write_bytes(regular.read_bytes() + b"\0")  # parses the same, is not the same file
    assert not _hit(parses)

    regular.write_bytes((font_copies / "DejaVuSans-Bold.ttf").read_bytes())
    fonts = styles.load_fonts()
    assert sorted(parses) == ["DejaVuSans-Bold.ttf", "DejaVuSans.ttf"]
    assert fonts[0].face.name == b"DejaVuSans-Bold"  # what the file now holds, not the cache
    assert fonts[0].face._ttf_data == regular.read_bytes()


def test_moved_font_files_still_hit_and_are_named_where_they_are(
    cache_dir, parses, font_copies, monkeypatch
):
    """The key covers the files' bytes, not where they are (the program may be moved)."""
    styles.load_fonts()
    moved = font_copies.parent / "moved"
    font_copies.rename(moved)
    monkeypatch.setattr(styles, "fonts_dir", lambda: moved)
    parses.clear()
    fonts = styles.load_fonts()
    assert parses == []
    assert [font.face.filename for font in fonts] == [
        str(moved / file) for file in styles.FONT_FILES.values()
    ]


@pytest.mark.parametrize(
    "change",
    [
        lambda mp: mp.setattr(sys, "version", sys.version + " (another build)"),
        lambda mp: mp.setattr("reportlab.Version", "0.0.0"),
        lambda mp: mp.setattr("reportlab.rl_config.ttfAsciiReadable", 0),
        lambda mp: mp.setattr("reportlab.rl_config.allowTTFSubsetting", ["x.ttf"]),
    ],
    ids=["python", "reportlab", "ascii-readable", "subsetting"],
)
def test_another_python_reportlab_or_setting_misses(cache_dir, parses, monkeypatch, change):
    styles.load_fonts()
    assert _hit(parses)
    change(monkeypatch)
    assert not _hit(parses)


def _move_module(monkeypatch: pytest.MonkeyPatch, source: Path) -> None:
    """styles.py read from `source` (its fonts still found where they are)."""
    fonts = styles.fonts_dir()
    monkeypatch.setattr(styles, "fonts_dir", lambda: fonts)
    monkeypatch.setattr(styles, "__file__", str(source))


def test_a_change_to_this_module_misses(cache_dir, parses, monkeypatch, tmp_path):
    """What is stored and how a font is put back is decided by styles.py: its source is keyed."""
    styles.load_fonts()
    assert _hit(parses)
    copy = tmp_path / "styles.py"
    copy.write_text(Path(styles.__file__).read_text(encoding="utf-8"), encoding="utf-8")
    _move_module(monkeypatch, copy)
    assert _hit(parses)  # the same source: the same key
    copy.write_text(copy.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert not _hit(parses)


def test_without_its_source_there_is_no_cache(cache_dir, parses, monkeypatch, tmp_path):
    _move_module(monkeypatch, tmp_path / "frozen" / "styles.pyc")
    styles.load_fonts()
    assert not _hit(parses)
    assert not cache_dir.exists()


# ---- damaged, foreign, unwritable, switched off ----------------------------------------------


@pytest.mark.parametrize(
    "damage",
    [
        lambda blob: blob[: len(blob) // 2],  # truncated
        lambda blob: blob[:-1],  # one byte short
        lambda blob: b"",  # empty
        lambda blob: b"\x00\xff garbage",  # not a cache file at all
        lambda blob: blob[:-40] + bytes(40),  # damaged payload: the digest fails
    ],
    ids=["truncated", "one-byte-short", "empty", "garbage", "damaged"],
)
def test_a_damaged_cache_file_is_ignored_and_rewritten(cache_dir, parses, damage):
    styles.load_fonts()
    parses.clear()
    path = _cache_file(cache_dir)
    path.write_bytes(damage(path.read_bytes()))
    fonts = styles.load_fonts()
    assert sorted(parses) == ["DejaVuSans-Bold.ttf", "DejaVuSans.ttf"]  # parsed instead
    assert [font.fontName for font in fonts] == [styles.FONT, styles.FONT_BOLD]
    assert _hit(parses)  # and the file was written whole again


def _replace_payload(path: Path, payload: bytes) -> None:
    """A new payload under the old header, with its digest made to fit."""
    stamp, key, _ = json.loads(path.read_bytes().partition(b"\n")[0])
    digest = hashlib.sha256(payload).hexdigest()
    path.write_bytes(json.dumps([stamp, key, digest]).encode() + b"\n" + payload)


@pytest.mark.parametrize(
    "foreign",
    [
        lambda states: list(reversed(states)),  # the faces swapped
        lambda states: states[:1],  # one face only
        lambda states: [(a, {}) for a, _ in states],  # faces without their tables
        lambda states: [(a, f, "extra") for a, f in states],
        lambda states: {"not": "fonts"},
        lambda states: None,
    ],
    ids=["swapped", "one-face", "empty-faces", "other-shape", "dict", "none"],
)
def test_a_well_formed_file_with_the_wrong_content_is_not_used(cache_dir, parses, foreign):
    styles.load_fonts()
    path = _cache_file(cache_dir)
    states = pickle.loads(path.read_bytes().partition(b"\n")[2])
    _replace_payload(path, pickle.dumps(foreign(states)))
    parses.clear()
    fonts = styles.load_fonts()
    assert sorted(parses) == ["DejaVuSans-Bold.ttf", "DejaVuSans.ttf"]
    assert [font.face.name for font in fonts] == [b"DejaVuSans", b"DejaVuSans-Bold"]
    assert _hit(parses)


def test_an_unwritable_cache_folder_is_silently_bypassed(tmp_path, parses, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setenv("PLANNER_CACHE_DIR", str(blocker / "cache"))
    first = styles.load_fonts()
    assert not _hit(parses)  # parsed again: nothing could be kept
    assert [font.fontName for font in first] == [styles.FONT, styles.FONT_BOLD]
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["not-a-folder"]


def test_planner_cache_dir_set_but_empty_means_no_cache(tmp_path, parses, monkeypatch):
    monkeypatch.setenv("PLANNER_CACHE_DIR", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))  # the user's cache folder, were it used
    styles.load_fonts()
    assert not _hit(parses)
    assert list(tmp_path.iterdir()) == []


def test_one_file_for_both_faces_without_the_font_files_in_it(cache_dir):
    styles.load_fonts()
    assert [p.name for p in cache_dir.iterdir()] == [styles.FONT_CACHE_FILE]
    blob = _cache_file(cache_dir).read_bytes()
    stamp, key, _digest = json.loads(blob.partition(b"\n")[0])
    assert stamp == styles.FONT_CACHE_FORMAT
    assert len(key) == 64
    assert cache.read(_cache_file(cache_dir), stamp, key) is not None
    sizes = []
    for file in styles.FONT_FILES.values():  # the files' bytes are read each time, not stored
        data = (styles.fonts_dir() / file).read_bytes()
        assert data[len(data) // 2 : len(data) // 2 + 256] not in blob
        sizes.append(len(data))
    assert len(blob) < min(sizes)
