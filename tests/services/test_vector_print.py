"""Issue 20 item 6: Print sends the saved PDF's vector pages, not page images (a rasterised job
was 24 MB for an old clinic printer). The service hands the PDF's bytes, unchanged, to CUPS `lp`
on standard input; where there is no way to print a PDF as it is, it says so
(PrintUnavailable) so the window can fall back to page images and say that it did."""

from __future__ import annotations

import subprocess

import pytest

from planner.domain.problems import InputInvalid
from planner.services import printing

PDF = b"%PDF-1.4\n% a saved plan\n%%EOF\n"


class FakeLp:
    """Stands for `lp`: records the command and the bytes it was given."""

    def __init__(self, returncode: int = 0, stdout: bytes = b"", stderr: bytes = b"") -> None:
        self.calls: list[tuple[list[str], bytes]] = []
        self.result = (returncode, stdout, stderr)

    def __call__(self, command, *, input, capture_output, timeout):
        assert capture_output
        self.calls.append((command, input))
        code, out, err = self.result
        return subprocess.CompletedProcess(command, code, out, err)


def _which(name: str) -> str | None:
    return "/usr/bin/lp" if name == "lp" else None


def test_the_pdf_bytes_go_to_lp_unchanged():
    lp = FakeLp(stdout=b"request id is Clinic_Laser-42 (1 file(s))\n")
    request = printing.PrintRequest(
        printer="Clinic_Laser", title="KARIMOVA_Dilnoza_plan", copies=2, paper="letter"
    )
    said = printing.send_pdf_to_printer(PDF, request, platform="linux", run=lp, which=_which)
    assert said == "request id is Clinic_Laser-42 (1 file(s))"
    [(command, given)] = lp.calls
    assert given == PDF  # the saved PDF itself: its vector pages
    assert command == [
        "/usr/bin/lp",
        *("-d", "Clinic_Laser", "-n", "2", "-t", "KARIMOVA_Dilnoza_plan"),
        *("-o", "media=Letter", "-o", "sides=one-sided", "--", "-"),
    ]


def test_two_sided_and_the_default_printer():
    command = printing.cups_command(printing.PrintRequest(printer="", title="plan", two_sided=True))
    assert "-d" not in command  # the system's default printer
    assert "sides=two-sided-long-edge" in command
    assert "media=A4" in command


def test_no_lp_means_print_unavailable_not_a_silent_raster():
    with pytest.raises(printing.PrintUnavailable, match="lp"):
        printing.send_pdf_to_printer(
            PDF,
            printing.PrintRequest(printer="x", title="plan"),
            platform="linux",
            run=FakeLp(),
            which=lambda name: None,
        )


def test_a_refused_job_names_the_printer_and_why():
    lp = FakeLp(returncode=1, stderr=b"lp: The printer or class does not exist.\n")
    with pytest.raises(InputInvalid) as refused:
        printing.send_pdf_to_printer(
            PDF,
            printing.PrintRequest(printer="Gone", title="plan"),
            platform="linux",
            run=lp,
            which=_which,
        )
    [problem] = refused.value.problems
    assert problem.path == "printer"
    assert problem.message == "Gone: lp: The printer or class does not exist."


def test_only_a_pdf_is_sent():
    with pytest.raises(ValueError, match="not a PDF"):
        printing.send_pdf_to_printer(
            b"\x89PNG", printing.PrintRequest(printer="x", title="plan"), run=FakeLp()
        )
