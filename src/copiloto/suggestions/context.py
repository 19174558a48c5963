"""The context block a prompt receives: facts computed by code, then messages, within a token budget.

Facts always go in whole (they are short and they are the only source of numbers); messages fill
what is left of the window, the recent conversation first, and a message too long for the space
left is cut rather than dropped. Token counts use `tiktoken` (cl100k) as an estimate of the
model's tokenizer, with a safety margin, because the local model's tokenizer is not at hand
without loading the model.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from copiloto.domain.formatting import brl
from copiloto.suggestions.citations import format_marker
from copiloto.suggestions.schemas import ClientFacts, EvidenceLike

log = logging.getLogger(__name__)

STAGE_LABELS = {
    "new": "novo contato",
    "negotiating": "em negociação",
    "proposal_sent": "proposta enviada",
    "won": "cliente (venda fechada)",
    "lost": "negociação perdida",
    "dormant": "inativo",
}
TOKEN_SAFETY = 1.2  # cl100k counts Portuguese a little lower than Qwen's tokenizer does
_MIN_PIECE_TOKENS = 40
_HISTORY_HEADER = "## CONVERSA COM O CLIENTE"
_SIMILAR_HEADER = "## TRECHOS RELACIONADOS (outras conversas e documentos)"


@cache
def _encoding() -> Any:
    """cl100k from LlamaIndex's bundled cache: tiktoken would otherwise download it."""
    if "TIKTOKEN_CACHE_DIR" not in os.environ:
        import llama_index.core

        cache_dir = Path(llama_index.core.__file__).parent / "_static" / "tiktoken_cache"
        os.environ["TIKTOKEN_CACHE_DIR"] = str(cache_dir)
    import tiktoken

    return tiktoken.get_encoding("cl100k_base")


def count_tokens(text: str) -> int:
    """Estimated tokens of the model's tokenizer (cl100k count times a safety margin)."""
    return int(len(_encoding().encode(text)) * TOKEN_SAFETY) + 1


def truncate_to_tokens(text: str, tokens: int) -> str:
    encoding = _encoding()
    ids = encoding.encode(text)
    keep = int(tokens / TOKEN_SAFETY)
    if len(ids) <= keep:
        return text
    return encoding.decode(ids[: max(keep - 1, 0)]).rstrip() + "…"


def _when(moment: datetime | date, tz: ZoneInfo | None) -> str:
    if isinstance(moment, datetime):
        if tz is not None and moment.tzinfo is not None:
            moment = moment.astimezone(tz)
        return moment.strftime("%d/%m/%Y %H:%M")
    return moment.strftime("%d/%m/%Y")


def render_facts(facts: ClientFacts, *, tz: ZoneInfo | None = None) -> str:
    lines = [f"- Nome: {facts.name}"]
    if facts.phone:
        lines.append(f"- Telefone: {facts.phone}")
    if facts.seller:
        lines.append(f"- Vendedor responsável: {facts.seller}")
    if facts.stage:
        lines.append(f"- Etapa do funil: {STAGE_LABELS.get(facts.stage, facts.stage)}")
    if facts.last_contact:
        contact = f"- Último contato: {_when(facts.last_contact, tz)}"
        if facts.days_since_last_contact is not None:
            days = facts.days_since_last_contact
            contact += " (hoje)" if days == 0 else f" (há {days} dia{'s' if days != 1 else ''})"
        if facts.last_message_from:
            who = "do cliente" if facts.last_message_from == "client" else "do vendedor"
            contact += f", última mensagem {who}"
        lines.append(contact)
    if facts.purchases:
        lines.append("- Compras:")
        for purchase in facts.purchases:
            parts = [f"{purchase.product} (quantidade {purchase.quantity})"]
            if purchase.value is not None:
                parts.append(brl(purchase.value))
            if purchase.purchased_on:
                parts.append(f"em {purchase.purchased_on.strftime('%d/%m/%Y')}")
            lines.append("  - " + ", ".join(parts))
    else:
        lines.append("- Compras: nenhuma registrada")
    total = facts.purchases_total
    if total is not None:
        lines.append(f"- Total comprado: {brl(total)}")
    if facts.open_proposals:
        values = "; ".join(brl(value) for value in facts.open_proposals)
        lines.append(f"- Propostas em aberto: {values}")
    for label, value in (
        ("Estilo de comunicação", facts.style),
        ("Tom", facts.tone),
        ("Horários em que costuma responder", facts.contact_hours),
        ("Melhor momento para contato", facts.best_moment),
        ("Sentimento recente", facts.sentiment),
    ):
        if value:
            lines.append(f"- {label}: {value}")
    if facts.topics:
        lines.append(f"- Assuntos: {', '.join(facts.topics)}")
    if facts.products_of_interest:
        lines.append(f"- Produtos de interesse: {', '.join(facts.products_of_interest)}")
    lines.extend(f"- Negociação travada: {reason}" for reason in facts.stuck)
    lines.extend(f"- {note}" for note in facts.notes)
    return "\n".join(lines)


def render_evidence(
    piece: EvidenceLike, *, tz: ZoneInfo | None = None, text: str | None = None
) -> str:
    header = format_marker(piece.message_ids) if piece.message_ids else f"[{piece.node_id}]"
    origin = _when(piece.time, tz)
    filename = getattr(piece, "filename", None)
    if filename:
        page = getattr(piece, "page", None)
        origin += f" — documento {filename}" + (f", p. {page}" if page else "")
    elif piece.author:
        origin += f" — {piece.author}"
    body = (
        " ".join((text if text is not None else piece.text).split())
        if piece.kind != "document"
        else (text or piece.text).strip()
    )
    return f"{header} {origin}: {body}"


@dataclass
class BuiltContext:
    """The context text given to the model, and what it contains (for citations and grounding)."""

    text: str
    facts_text: str
    evidence: list[EvidenceLike] = field(default_factory=list)
    truncated: int = 0
    dropped: int = 0
    history_lines: list[str] = field(default_factory=list)  # as rendered, oldest first

    @property
    def message_ids(self) -> set[int]:
        return {message_id for piece in self.evidence for message_id in piece.message_ids}

    @property
    def tokens(self) -> int:
        return count_tokens(self.text)


def _fit(
    pieces: Sequence[EvidenceLike], budget: int, tz: ZoneInfo | None
) -> tuple[list[tuple[EvidenceLike, str]], int, int, int]:
    """Take pieces in the given priority order until the budget is spent; cut the one that overflows."""
    chosen: list[tuple[EvidenceLike, str]] = []
    used = truncated = dropped = 0
    for piece in pieces:
        line = render_evidence(piece, tz=tz)
        cost = count_tokens(line) + 1
        if used + cost <= budget:
            chosen.append((piece, line))
            used += cost
            continue
        room = budget - used - count_tokens(render_evidence(piece, tz=tz, text="")) - 2
        if room >= _MIN_PIECE_TOKENS:
            line = render_evidence(piece, tz=tz, text=truncate_to_tokens(piece.text, room))
            chosen.append((piece, line))
            used += count_tokens(line) + 1
            truncated += 1
        else:
            dropped += 1
    return chosen, used, truncated, dropped


def build_context(
    *,
    facts: ClientFacts | None,
    history: Sequence[EvidenceLike] = (),
    similar: Sequence[EvidenceLike] = (),
    budget_tokens: int,
    tz: ZoneInfo | None = None,
    history_share: float = 0.7,
) -> BuiltContext:
    """Facts whole; then the newest history and the best similar pieces within `budget_tokens`.

    History is given oldest first (as a conversation reads) and kept newest first when space runs
    out; `similar` is in relevance order. Unused share of one part flows to the other.
    """
    facts_text = render_facts(facts, tz=tz) if facts else "(nenhum cliente selecionado)"
    facts_block = f"## FATOS (calculados pelo sistema; corretos)\n{facts_text}"
    headers = count_tokens(_HISTORY_HEADER) + count_tokens(_SIMILAR_HEADER) + 4
    remaining = max(budget_tokens - count_tokens(facts_block) - headers, 0)
    history_budget = int(remaining * (history_share if similar else 1.0))
    newest_first = sorted(history, key=lambda piece: piece.time, reverse=True)
    history_fit, used, truncated, dropped = _fit(newest_first, history_budget, tz)
    similar_fit, _, truncated2, dropped2 = _fit(similar, remaining - used, tz)
    history_fit.sort(key=lambda item: item[0].time)
    blocks = [facts_block]
    if history_fit:
        blocks.append(_HISTORY_HEADER + "\n" + "\n".join(line for _, line in history_fit))
    else:
        blocks.append(_HISTORY_HEADER + "\n(nenhuma mensagem disponível)")
    if similar_fit:
        blocks.append(_SIMILAR_HEADER + "\n" + "\n".join(line for _, line in similar_fit))
    if truncated + truncated2 + dropped + dropped2:
        log.info(
            "context budget %d tokens: %d piece(s) cut, %d left out",
            budget_tokens,
            truncated + truncated2,
            dropped + dropped2,
        )
    return BuiltContext(
        text="\n\n".join(blocks),
        facts_text=facts_text,
        evidence=[piece for piece, _ in history_fit + similar_fit],
        truncated=truncated + truncated2,
        dropped=dropped + dropped2,
        history_lines=[line for _, line in history_fit],
    )
