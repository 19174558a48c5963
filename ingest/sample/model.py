"""Plain data types shared by the sample-data generator's story files and its renderer.

The stories are written in a tiny line-based script (see ``render.py``) so that a conversation of
forty messages reads like a chat log in the source, which is what a reviewer needs to check that
the questions in evals/retrieval are answered by the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Seller:
    name: str
    login: str
    phone: str
    aliases: tuple[str, ...]
    segment: str
    company: str


@dataclass(frozen=True)
class Client:
    """One client's chat. ``name`` is exactly how the seller saved the contact (the export author)."""

    name: str
    phone: str
    platform: str  # "android" | "ios"
    style: str  # "formal" | "informal" | "short"
    pattern: str  # key of render.PATTERNS: when this client answers
    call: str  # how the seller addresses the client in filler messages ("Sr. Paulo", "Carla")
    outcome: str  # "won" | "lost" | "open" | "stale" (proposal never answered)
    trend: str  # "stable" | "positive" | "negative"
    script: str
    female: bool = False
    alias: int = 0  # which of the seller's aliases this export shows
    notes: str = ""


@dataclass(frozen=True)
class Media:
    """A file the generator makes and a chat references by key."""

    kind: str  # "audio" | "pdf" | "scan_pdf" | "photo" | "png" | "xlsx" | "docx"
    text: str  # the spoken text (audio) or the document's text, page breaks as "\f"
    filename: str = ""  # documents keep their name; audio and photos get WhatsApp's names
    pages: tuple[str, ...] = field(default_factory=tuple)
