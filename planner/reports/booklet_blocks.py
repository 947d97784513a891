"""The family booklet's content as plain data: a `Section` of `Block`s (paragraphs, bullets, the
call-us box, lines to write on, dose-limit lines), built before it is laid out so tests read
exactly what is printed."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Block:
    kind: str  # "p", "bullets", "call", "lines" (to write notes on), "limits" (dose limits)
    items: list[str] = field(default_factory=list)
    heading: str | None = None


@dataclass
class Section:
    title: str
    blocks: list[Block]
