"""The printed plan: time to write the PDF for the sample case, against a bare reportlab document.

Both are whole processes (interpreter start, imports, work, exit), timed the same way:
- planner: `python -m planner plan tests/data/cases/example.json --pdf OUT --audience both`
  (validate, build the plan, print its JSON, render clinician section + booklet + slips);
- bare: a reportlab document of the same number of pages as the planner's PDF (BaseDocTemplate,
  one embedded TTF — DejaVu Sans as distributed —, a few paragraphs and a table per page), the
  least a printed plan of that length could cost.
Target (issue 8, restated by issue 18): the planner is at most 2 × the bare document of the same
number of pages. (Until 2026-12-07 the bare document had three pages whatever the plan's length:
a stricter yardstick than the issue's, which made every page added for the reader count against
the target.) Also printed, for scale: the same
command without --pdf, so the PDF's own share is visible, and where the time goes inside one
planner process (median of a few fresh processes; the machine may be shared, so the in-process
phases are the steadier numbers). Run: `python benchmarks/bench_pdf.py`.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "tests" / "data" / "cases" / "example.json"
# the face as distributed (DejaVu Sans 2.37, ~6,000 glyphs), as a program that embeds a TTF would
# ship it; the planner ships it cut down to what a plan can show (tools/subset_fonts.py)
FONT = ROOT / "tools" / "fonts" / "DejaVuSans.ttf"
RUNS = 7
TARGET = 2.0

BARE = """
import sys
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (BaseDocTemplate, Frame, PageBreak, PageTemplate, Paragraph,
                                Table)
pdfmetrics.registerFont(TTFont("DejaVuSans", sys.argv[2]))
style = ParagraphStyle("body", fontName="DejaVuSans", fontSize=10, leading=13)
doc = BaseDocTemplate(sys.argv[1], pagesize=A4)
doc.addPageTemplates([PageTemplate("p", [Frame(50, 50, A4[0] - 100, A4[1] - 100)])])
story = []
for page in range(int(sys.argv[3])):
    story += [Paragraph(f"Page {page + 1}: Каримова · 1.67 × ULN ≥ 1.5", style) for _ in range(20)]
    story.append(Table([[Paragraph(f"r{r}c{c}", style) for c in range(4)] for r in range(8)]))
    story.append(PageBreak())
doc.build(story[:-1])
"""


# One fresh process, timed phase by phase (each phase includes the imports it triggers).
PHASES = """
import json, sys, time
clock = time.perf_counter
marks = [("start", clock())]
from pathlib import Path
from planner.services import case_commands, printing, rule_tables
marks.append(("imports: cli, services", clock()))
raw = case_commands.read_case_file(Path(sys.argv[1]))
marks.append(("read + validation import", clock()))
rule_tables.rules()
marks.append(("rules (built-rules cache)", clock()))
plan = case_commands.make_plan(raw)
marks.append(("engine (validate, build plan)", clock()))
import planner.reports.render
marks.append(("import reportlab + reports", clock()))
from planner.reports import styles
styles.register_fonts()
marks.append(("fonts (2 TTF)", clock()))
printing.export_plan_pdf(raw, plan)
marks.append(("render 3 parts", clock()))
json.dumps(plan, ensure_ascii=False, indent=2)
marks.append(("plan JSON", clock()))
print(json.dumps([(b[0], (b[1] - a[1]) * 1000) for a, b in zip(marks, marks[1:])]))
"""


# The planner's built-rules cache (planner.cache) in a folder of this run's own, filled by the
# warm-up run: one file per user is shared by every checkout on the machine, and another
# checkout's planner (other rule tables or domain code) replaces it; a process that then finds
# the other key rebuilds the rules (~0.45 s). An installed program finds its own cache.
ENV = dict(os.environ)


def _phases(runs: int = 5) -> list[tuple[str, float]]:
    samples = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", PHASES, str(CASE)],
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=ENV,
        ).stdout
        samples.append(json.loads(out))
    return [(name, min(s[i][1] for s in samples)) for i, (name, _) in enumerate(samples[0])]


def _time(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True, cwd=ROOT, env=ENV)
    return time.perf_counter() - start


def _byte_compile() -> int:
    """Compile the planner's modules to bytecode first, as an installed app has them.

    reportlab (the bare document's only import) comes with its bytecode from pip; the planner is
    an editable checkout. Where PYTHONDONTWRITEBYTECODE is set (as in some shells and CI images)
    nothing is ever cached, and every run would compile ~110 modules from source: a cost of the
    environment, not of the program, and one the bare document never pays. Stale bytecode is
    harmless: Python checks each file's source and recompiles in memory if it changed.
    """
    import compileall

    compileall.compile_dir(str(ROOT / "planner"), quiet=1)
    return len(list((ROOT / "planner").rglob("*.pyc")))


def main() -> int:
    print(f"planner byte-compiled first ({_byte_compile()} modules), as installed")
    with tempfile.TemporaryDirectory() as cache:
        ENV["PLANNER_CACHE_DIR"] = cache
        return _compare()


def _compare() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        planner_pdf, bare_pdf = Path(tmp) / "plan.pdf", Path(tmp) / "bare.pdf"
        planner_cmd = [
            sys.executable,
            "-m",
            "planner",
            "plan",
            str(CASE),
            "--pdf",
            str(planner_pdf),
            "--audience",
            "both",
        ]
        json_only_cmd = planner_cmd[:5]
        _time(planner_cmd)  # warm the file cache, and learn the plan's length
        pages = len(PdfReader(planner_pdf).pages)
        bare_cmd = [sys.executable, "-c", BARE, str(bare_pdf), str(FONT), str(pages)]
        _time(bare_cmd)
        planner, bare, json_only = [], [], []
        for _ in range(RUNS):  # interleaved: a shared machine's changing load hits all three alike
            planner.append(_time(planner_cmd))
            bare.append(_time(bare_cmd))
            json_only.append(_time(json_only_cmd))
        size, bare_size = planner_pdf.stat().st_size, bare_pdf.stat().st_size
    p, b = statistics.median(planner), statistics.median(bare)
    print(
        f"planner plan --pdf (both audiences): median {p * 1000:.0f} ms over {RUNS} runs"
        f" ({pages} pages, {size // 1024} KiB)"
    )
    print(
        f"bare reportlab document, {pages} pages: median {b * 1000:.0f} ms over {RUNS} runs"
        f" ({bare_size // 1024} KiB)"
    )
    j = statistics.median(json_only)
    print(
        f"ratio: {p / b:.2f} × (target ≤ {TARGET:g} ×: {'met' if p / b <= TARGET else 'NOT met'}); of the fastest runs: {min(planner) / min(bare):.2f} ×"
    )
    print(
        f"for scale: `planner plan` without --pdf (start-up, rules, engine, JSON): {j * 1000:.0f} ms;"
    )
    print(f"the PDF itself adds {(p - j) * 1000:.0f} ms = {(p - j) / b:.2f} × the bare document")
    print(
        "inside one planner process (least of 5 fresh processes, ms: the least disturbed by other load):"
    )
    phases = _phases()
    for name, ms in phases:
        print(f"  {name:32s} {ms:6.0f}")
    print(f"  {'total (after interpreter start)':32s} {sum(ms for _, ms in phases):6.0f}")
    return 0 if p / b <= TARGET else 1  # `make bench` fails while the target is missed


if __name__ == "__main__":
    raise SystemExit(main())
