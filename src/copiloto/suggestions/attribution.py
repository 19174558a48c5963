"""Find by code the messages an answer rests on, when the model wrote no citation markers.

The packaged 1.5B model answers well but rarely copies the `[m123]` codes (measured: 0 citations
in 20 answers of `copiloto eval answers`), and a seller must be able to check where a price or a
date came from. A retrieved piece supports an answer when it holds one of the answer's figures
(prices, numbers, dates, times: read by the grounding check's parser) or, for an answer without
figures, when it shares several content words with it. Inside a conversation window the
supporting lines are found one by one, so the citation points at the message, not the window.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from copiloto.analysis.signals import fold
from copiloto.suggestions.grounding import Claim, GroundingContext, extract_claims
from copiloto.suggestions.schemas import EvidenceLike

_WORD = re.compile(r"\w{4,}", re.UNICODE)
_MIN_SHARED_WORDS = 3
# frequent in answers and chats alike, so they say nothing about where a fact came from
_COMMON = frozenset(
    fold(word)
    for word in [
        "cliente",
        "vendedor",
        "mensagem",
        "conversa",
        "sobre",
        "para",
        "pela",
        "pelo",
        "como",
        "mais",
        "muito",
        "quando",
        "então",
        "porque",
        "essa",
        "esse",
        "esta",
        "este",
        "isso",
        "está",
        "foram",
        "tinha",
        "teve",
        "fica",
        "ficou",
        "valor",
    ]
)


def _words(text: str) -> set[str]:
    return {word for word in _WORD.findall(fold(text)) if word not in _COMMON}


def _figures_supported(claims: Sequence[Claim], text: str) -> int:
    if not claims:
        return 0
    context = GroundingContext.from_texts(text)
    return sum(1 for claim in claims if context.supports(claim))


def _units(piece: EvidenceLike) -> list[tuple[str, list[int]]]:
    """(text, message ids) to score: a window's lines one by one when they map to its messages."""
    lines = piece.text.split("\n")
    ids = list(piece.message_ids)
    if piece.kind == "window" and len(lines) == len(ids) > 1:
        return [(line, [message_id]) for line, message_id in zip(lines, ids, strict=True)]
    return [(piece.text, ids)]


def attribute(answer: str, evidence: Sequence[EvidenceLike], *, limit: int = 3) -> list[int]:
    """Ids of the messages (at most `limit` units) that hold the answer's figures or words."""
    answer_words = _words(answer)
    claims = extract_claims(answer)
    scored: list[tuple[int, int, int, list[int]]] = []
    for rank, piece in enumerate(evidence):
        for text, ids in _units(piece):
            figures = _figures_supported(claims, text)
            shared = len(answer_words & _words(text))
            if figures or shared >= _MIN_SHARED_WORDS:
                scored.append((figures, shared, -rank, ids))
    scored.sort(key=lambda item: item[:3], reverse=True)
    chosen: dict[int, None] = {}
    for *_, ids in scored[:limit]:
        chosen.update(dict.fromkeys(ids))
    return list(chosen)
