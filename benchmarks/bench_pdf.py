"""The printed plan: time to write the PDF for the sample case, against a bare reportlab document.

Both are whole processes (interpreter start, imports, work, exit), timed the same way:
- planner: `python -m planner plan tests/data/cases/example.json --pdf OUT --audience both`
  (validate, build the plan, print its JSON, render clinician section + booklet + slips);
- bare: a three-page reportlab document (BaseDocTemplate, one embedded TTF, a few paragraphs
  and a table per page), the least a printed plan could cost.
Target (issue 8): the planner is at most 2 × the bare document. Also printed, for scale: the same
command without --pdf, so the PDF's own share is visible. Run: `python benchmarks/bench_pdf.py`.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "tests" / "data" / "cases" / "example.json"
FONT = ROOT / "resources" / "fonts" / "DejaVuSans.ttf"
RUNS = 7

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
for page in range(3):
    story += [Paragraph(f"Page {page + 1}: Каримова · 1.67 × ULN ≥ 1.5", style) for _ in range(20)]
    story.append(Table([[Paragraph(f"r{r}c{c}", style) for c in range(4)] for r in range(8)]))
    story.append(PageBreak())
doc.build(story[:-1])
"""


def _time(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - start


def main() -> None:
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
        bare_cmd = [sys.executable, "-c", BARE, str(bare_pdf), str(FONT)]
        json_only_cmd = planner_cmd[:5]
        _time(planner_cmd), _time(bare_cmd)  # warm the file cache
        planner = [_time(planner_cmd) for _ in range(RUNS)]
        bare = [_time(bare_cmd) for _ in range(RUNS)]
        json_only = [_time(json_only_cmd) for _ in range(RUNS)]
        size, bare_size = planner_pdf.stat().st_size, bare_pdf.stat().st_size
    p, b = statistics.median(planner), statistics.median(bare)
    print(
        f"planner plan --pdf (both audiences): median {p * 1000:.0f} ms over {RUNS} runs ({size // 1024} KiB)"
    )
    print(
        f"bare three-page reportlab document:  median {b * 1000:.0f} ms over {RUNS} runs ({bare_size // 1024} KiB)"
    )
    j = statistics.median(json_only)
    print(f"ratio: {p / b:.2f} × (target ≤ 2 ×)")
    print(
        f"for scale: `planner plan` without --pdf (start-up, rules, engine, JSON): {j * 1000:.0f} ms;"
    )
    print(f"the PDF itself adds {(p - j) * 1000:.0f} ms = {(p - j) / b:.2f} × the bare document")


if __name__ == "__main__":
    main()
