"""Citation markers like `[m123]` (or `[m12, m13]`): parsing, and dropping ids the model invented.

The model may only cite messages it was shown; anything else is removed from the text and
reported, because a citation the seller cannot open is worse than none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

# `[m12]`, `[m12, m13]`, `[m12 m13]`, `[m12,13]`; tolerant of what small models write.
MARKER = re.compile(r"\[\s*m(\d+)((?:\s*[,;]?\s*m?\d+)*)\s*\]", re.IGNORECASE)
_ID = re.compile(r"\d+")


def marker_ids(marker: re.Match[str]) -> list[int]:
    return [int(value) for value in _ID.findall(marker.group(0))]


def cited_ids(text: str) -> list[int]:
    """Ids in order of first citation, without repeats."""
    seen: dict[int, None] = {}
    for marker in MARKER.finditer(text):
        for value in marker_ids(marker):
            seen.setdefault(value, None)
    return list(seen)


def format_marker(ids: Iterable[int]) -> str:
    return "[" + ", ".join(f"m{value}" for value in ids) + "]"


@dataclass
class FilteredCitations:
    text: str
    kept: list[int] = field(default_factory=list)
    dropped: list[int] = field(default_factory=list)


def filter_citations(
    text: str, allowed: set[int], *, strip: bool = False, trim: bool = True
) -> FilteredCitations:
    """Keep only markers for `allowed` ids; with `strip`, remove every marker from the text.

    `strip` is for text the seller sends to the client (a reply suggestion), where markers would
    be noise; the ids are kept aside either way. `trim=False` keeps leading and trailing
    whitespace, for pieces of a streamed text.
    """
    kept: dict[int, None] = {}
    dropped: dict[int, None] = {}

    def replace(marker: re.Match[str]) -> str:
        good = []
        for value in marker_ids(marker):
            if value in allowed:
                kept.setdefault(value, None)
                good.append(value)
            else:
                dropped.setdefault(value, None)
        if strip or not good:
            return ""
        return format_marker(dict.fromkeys(good))

    cleaned = MARKER.sub(replace, text)
    # Removing a marker can leave "texto ." or double spaces behind.
    cleaned = re.sub(r"[ \t]+([.,;:!?])", r"\1", cleaned)
    cleaned = re.sub(r"[ \t]{2,}", " ", cleaned)
    if trim:
        cleaned = cleaned.strip()
    return FilteredCitations(text=cleaned, kept=list(kept), dropped=list(dropped))
