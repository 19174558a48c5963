"""Turn a conversation into the pieces the vector index holds (pure domain code, no I/O).

Single WhatsApp messages are often too short to carry meaning ("pode ser", "quanto?"), so besides
the messages themselves the index holds *windows*: runs of consecutive turns of one conversation,
split where the chat went quiet for a long time and capped in size so a few of them fit in a
prompt. Audio transcripts and document chunks become their own pieces and point back to the
message that carried them. Every piece has a deterministic id and a fingerprint of everything that
goes into the index, so re-indexing can skip what did not change and overwrite what did.
"""

import hashlib
import json
import re
import uuid
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from copiloto.analysis.signals import fold, mentioned_products

NODE_NAMESPACE = uuid.UUID("6f3a1f5e-2b1c-4d59-9a64-2f2a8f0c7e11")

#: Kinds that carry no searchable words of their own.
_SKIPPED_KINDS = frozenset({"system", "deleted", "sticker"})


@dataclass(frozen=True, kw_only=True)
class ChatLine:
    """One stored message as chunking needs it (built by the indexer from the store)."""

    message_id: int
    conversation_id: int
    client_id: int
    seller_id: int
    sent_at: datetime
    direction: str
    author: str | None
    kind: str
    text: str
    sentiment: str | None = None
    intent: str | None = None
    transcript: str | None = None  # extracted text of an audio/video attachment


@dataclass(frozen=True, kw_only=True)
class DocumentPiece:
    """A chunk of text extracted from a document or image sent in a message."""

    key: str  # stable source key, e.g. "7" for DocumentChunk 7 or "asset12" for a whole OCR text
    message_id: int
    page: int | None
    title: str | None
    text: str
    filename: str | None


@dataclass(frozen=True, kw_only=True)
class ConversationInfo:
    conversation_id: int
    client_id: int
    seller_id: int
    outcome: str | None = None
    catalogue: tuple[str, ...] = ()  # the seller's products: each piece lists those it mentions


@dataclass(frozen=True, kw_only=True)
class ChunkingOptions:
    """Sizes chosen so that 3–5 windows fit the ~1,500-character context budget of an answer."""

    silence: timedelta = timedelta(hours=48)  # WhatsApp answers often come the next morning
    window_max_chars: int = 480
    window_min_chars: int = 60  # a shorter tail is merged into the window before it (measured:
    # 120 made windows of up to 1.4 × 480 characters, and three of them filled the budget)
    overlap: bool = True  # a window starts with the previous one's last line (question → answer)
    message_nodes: bool = False  # measured: single messages crowd out windows (RESULTS.md)
    message_min_chars: int = 20  # shorter messages ("ok", "blz") only live inside windows
    piece_max_chars: int = 600  # transcripts and documents are split at this size
    line_max_chars: int = 400  # one very long message is cut inside a window
    # a message whose words (names and numbers aside) at least this many conversations hold is
    # canned (a quick reply, a follow-up template, the stock answer to one); see `canned_key`
    canned_min_conversations: int = 3


@dataclass(frozen=True, kw_only=True)
class Chunk:
    """A piece of text for the index, with the payload stored next to its vector."""

    key: str
    text: str
    metadata: dict[str, Any]
    fingerprint: str = field(default="")

    @property
    def node_id(self) -> str:
        return node_id_for(self.key)


def node_id_for(key: str) -> str:
    """Qdrant wants UUIDs (or integers) as point ids; derive them from a readable key."""
    return str(uuid.uuid5(NODE_NAMESPACE, key))


def fingerprint(text: str, metadata: dict[str, Any]) -> str:
    payload = json.dumps({"t": text, "m": metadata}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


def _finish(
    key: str, text: str, metadata: dict[str, Any], *, catalogue: Sequence[str] = ()
) -> Chunk:
    if catalogue:
        metadata = {**metadata, "products": mentioned_products(text, catalogue)}
    return Chunk(key=key, text=text, metadata=metadata, fingerprint=fingerprint(text, metadata))


_KEY_WORD = re.compile(r"\w+", re.UNICODE)
_CANNED_MIN_KEY = 10  # shorter keys ("ok", "obg") are everywhere and say nothing either way


def canned_key(text: str) -> str | None:
    """What a message says once names and numbers are removed, to spot canned messages.

    Sellers send the same follow-ups to every client ("Tem alguém da família que precisa de
    orçamento?"), and clients answer them the same way. Windows made of such lines match almost
    any question a little, in both BM25 and dense search, and crowd out the negotiation itself;
    the retrievers weigh them down by the `canned` share in their payload. Capitalised words
    (names, and sentence starts alike) and words with digits are dropped so "Carla, tudo bem?"
    and "Marcos, tudo bem?" share a key. None for texts too short to tell.
    """
    words = [
        word
        for word in _KEY_WORD.findall(text)
        if not word[:1].isupper() and not any(ch.isdigit() for ch in word)
    ]
    key = fold(" ".join(words))
    return key if len(key) >= _CANNED_MIN_KEY else None


def _canned_share(lines: Sequence[ChatLine], canned: Collection[str], max_chars: int) -> float:
    """Share of a window's characters in canned messages (0.0 when `canned` is empty)."""
    if not canned:
        return 0.0
    sizes = [len(_render(line, max_chars=max_chars)) for line in lines]
    hit = sum(
        size
        for line, size in zip(lines, sizes, strict=True)
        if (key := canned_key(line.text or "")) is not None and key in canned
    )
    return round(hit / max(1, sum(sizes)), 2)


def _line_body(line: ChatLine) -> str:
    """The words of a message; an audio contributes its transcript."""
    text = (line.text or "").strip()
    if line.transcript and line.transcript.strip():
        spoken = " ".join(line.transcript.split())
        return f"(áudio) {spoken}" if not text else f"{text} (áudio) {spoken}"
    return text


_TITLES = frozenset(
    {"sr", "sra", "srta", "dr", "dra", "dona", "seu", "arq", "prof", "profa", "eng"}
)


def short_author(author: str | None) -> str:
    """The first name an export shows ("Sr. Paulo Andrade" → "Paulo"): prompt budgets are counted
    in characters, and the full name is in the payload for citations."""
    if not author:
        return "?"
    if sum(ch.isdigit() for ch in author) >= 8:  # an unsaved number stays whole
        return author.strip()
    words = author.replace("|", " ").split()
    for word in words:
        if word.rstrip(".").casefold() not in _TITLES:
            return word
    return author.strip()


def _render(line: ChatLine, *, max_chars: int) -> str:
    body = " ".join(_line_body(line).split())
    if len(body) > max_chars:
        body = body[: max_chars - 1].rstrip() + "…"
    return f"{short_author(line.author)}: {body}"


def _base_metadata(info: ConversationInfo) -> dict[str, Any]:
    return {
        "client_id": info.client_id,
        "seller_id": info.seller_id,
        "conversation_id": info.conversation_id,
        "outcome": info.outcome,
        "products": [],
    }


def _client_value(lines: Sequence[ChatLine], attribute: str) -> str | None:
    """The window's sentiment/intent: the last one the client expressed in it."""
    for line in reversed(lines):
        value = getattr(line, attribute)
        if line.direction == "in" and value:
            return str(value)
    return None


def _sessions(lines: Sequence[ChatLine], silence: timedelta) -> list[list[ChatLine]]:
    sessions: list[list[ChatLine]] = []
    for line in lines:
        if sessions and line.sent_at - sessions[-1][-1].sent_at <= silence:
            sessions[-1].append(line)
        else:
            sessions.append([line])
    return sessions


def _pack(session: list[ChatLine], options: ChunkingOptions) -> list[list[ChatLine]]:
    """Greedy packing from the start of a session: appending messages only changes the tail.

    With `overlap`, each window after the first starts with the last line of the one before, so a
    question and its answer always share at least one window.
    """

    def size_of(lines: list[ChatLine]) -> int:
        return sum(len(_render(x, max_chars=options.line_max_chars)) + 1 for x in lines)

    windows: list[list[ChatLine]] = []
    current: list[ChatLine] = []
    size = 0
    for line in session:
        length = len(_render(line, max_chars=options.line_max_chars)) + 1
        if current and size + length > options.window_max_chars:
            windows.append(current)
            carry = current[-1:] if options.overlap and len(current) > 1 else []
            if carry and size_of(carry) + length > options.window_max_chars:
                carry = []
            current, size = list(carry), size_of(carry)
        current.append(line)
        size += length
    if current:
        windows.append(current)
    if len(windows) > 1:
        tail, head = windows[-1], windows[-2]
        fresh = [x for x in tail if x not in head]
        if (
            size_of(fresh) < options.window_min_chars
            and size_of(head) + size_of(fresh) <= options.window_max_chars * 1.4
        ):
            windows.pop()
            head.extend(fresh)
    return windows


def _split_text(text: str, max_chars: int) -> list[str]:
    """Split long extracted text at sentence or word boundaries."""
    words = text.split()
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    for word in words:
        if current and size + len(word) + 1 > max_chars:
            pieces.append(" ".join(current))
            current, size = [], 0
        current.append(word)
        size += len(word) + 1
    if current:
        pieces.append(" ".join(current))
    return pieces


def chunk_conversation(
    info: ConversationInfo,
    lines: Iterable[ChatLine],
    documents: Iterable[DocumentPiece] = (),
    *,
    options: ChunkingOptions | None = None,
    canned: Collection[str] = frozenset(),
) -> list[Chunk]:
    """All index pieces of one conversation: windows, messages, transcripts and documents.

    `canned` holds the `canned_key`s of canned messages (the indexer counts them over all
    conversations); each window's payload gets the share of its text they make up as `canned`.
    """
    options = options or ChunkingOptions()
    all_lines = list(lines)
    usable = sorted(
        (
            line
            for line in all_lines
            if line.kind not in _SKIPPED_KINDS and line.direction != "none" and _line_body(line)
        ),
        key=lambda line: (line.sent_at, line.message_id),
    )
    base = _base_metadata(info)
    chunks: list[Chunk] = []

    for session in _sessions(usable, options.silence):
        for window in _pack(session, options):
            text = "\n".join(_render(line, max_chars=options.line_max_chars) for line in window)
            directions = {line.direction for line in window}
            client_authors = [line.author for line in window if line.direction == "in"]
            metadata = {
                **base,
                "kind": "window",
                "message_ids": [line.message_id for line in window],
                "time": window[0].sent_at.timestamp(),
                "end_time": window[-1].sent_at.timestamp(),
                "direction": directions.pop() if len(directions) == 1 else "mixed",
                "author": client_authors[0] if client_authors else window[0].author,
                "sentiment": _client_value(window, "sentiment"),
                "intent": _client_value(window, "intent"),
                "canned": _canned_share(window, canned, options.line_max_chars),
            }
            key = f"win:{info.conversation_id}:{window[0].message_id}"
            chunks.append(_finish(key, text, metadata, catalogue=info.catalogue))

    by_id = {line.message_id: line for line in all_lines}
    for line in usable:
        line_meta = {
            **base,
            "message_ids": [line.message_id],
            "time": line.sent_at.timestamp(),
            "direction": line.direction,
            "author": line.author,
            "sentiment": line.sentiment,
            "intent": line.intent,
        }
        text = (line.text or "").strip()
        if options.message_nodes and len(text) >= options.message_min_chars:
            rendered = f"{short_author(line.author)}: {' '.join(text.split())}"
            chunks.append(
                _finish(
                    f"msg:{line.message_id}",
                    rendered,
                    {
                        **line_meta,
                        "kind": "message",
                        "canned": _canned_share([line], canned, options.line_max_chars),
                    },
                    catalogue=info.catalogue,
                )
            )
        if line.transcript and line.transcript.strip():
            for position, piece in enumerate(_split_text(line.transcript, options.piece_max_chars)):
                rendered = f"{short_author(line.author)} (áudio): {piece}"
                chunks.append(
                    _finish(
                        f"tr:{line.message_id}:{position}",
                        rendered,
                        {**line_meta, "kind": "transcript"},
                        catalogue=info.catalogue,
                    )
                )

    for doc in documents:
        source = by_id.get(doc.message_id)
        if source is None or not doc.text.strip():
            continue
        header = " · ".join(part for part in (doc.filename, doc.title) if part)
        for position, piece in enumerate(_split_text(doc.text, options.piece_max_chars)):
            text = f"[{header}] {piece}" if header else piece
            metadata = {
                **base,
                "kind": "document",
                "message_ids": [doc.message_id],
                "time": source.sent_at.timestamp(),
                "direction": source.direction,
                "author": source.author,
                "sentiment": None,
                "intent": None,
                "filename": doc.filename,
                "page": doc.page,
            }
            chunks.append(
                _finish(f"doc:{doc.key}:{position}", text, metadata, catalogue=info.catalogue)
            )
    return chunks
