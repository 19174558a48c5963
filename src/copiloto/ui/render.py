"""Markdown for the seller, in pt-BR: the client card, highlights and briefs.

Pure functions (no ChainLit), so what the seller reads is tested without a browser.
"""

import re
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from copiloto.domain.formatting import WEEKDAYS_PT, brl, duration_pt
from copiloto.suggestions.schemas import BriefResult
from copiloto.workspace.clients import ClientRow
from copiloto.workspace.service import ClientCard, Highlight

STAGES = {
    "new": "novo",
    "negotiating": "em negociação",
    "proposal_sent": "proposta enviada",
    "won": "fechado",
    "lost": "perdido",
    "dormant": "parado",
}
# What models write: `[m12]`, `[m12, m13]`, `[m12 m13]`, `[m12,13]`.
_MARKER = re.compile(r"\[\s*m\d+(?:\s*[, ]\s*m?\d+)*\s*\]", re.IGNORECASE)
_NUMBER = re.compile(r"\d+")


def when(moment: datetime | None, tz: ZoneInfo) -> str:
    if moment is None:
        return "—"
    return moment.astimezone(tz).strftime("%d/%m/%Y %H:%M")


def source_name(message_id: int) -> str:
    """The element name a citation links to: `[m123]` in text becomes a clickable source."""
    return f"m{message_id}"


def client_line(row: ClientRow, tz: ZoneInfo) -> str:
    stage = STAGES.get(row.stage, row.stage)
    attention = f" — ⚠️ {row.attention[0]}" if row.attention else ""
    return f"**{row.name}** ({stage}, último contato {when(row.last_message_at, tz)}){attention}"


def card_markdown(card: ClientCard, tz: ZoneInfo) -> str:
    profile, client, facts = card.profile, card.client, card.facts
    lines = [f"## {client.name}"]
    sub = [
        client.phone or "sem telefone",
        f"etapa: **{STAGES.get(profile.stage.value, profile.stage.value)}**",
    ]
    if profile.days_since_last_contact is not None:
        sub.append(f"último contato há {profile.days_since_last_contact} dias")
    lines.append(" · ".join(sub))
    lines.append("")
    lines.append("### Perfil")
    if profile.style is not None:
        lines.append(f"- **Estilo:** {facts.style}")
    lines.append(f"- **Tom recomendado:** {profile.tone.text}{_cite(profile.tone.message_ids)}")
    lines.append(f"- **Horários:** {profile.usual_hours}")
    if profile.client_median_response_s is not None:
        lines.append(
            f"- **Costuma responder em:** {duration_pt(profile.client_median_response_s)} (mediana)"
        )
    if profile.products:
        products = ", ".join(f.text + _cite(f.message_ids) for f in profile.products)
        lines.append(f"- **Produtos e interesses:** {products}")
    if profile.purchases:
        bought = "; ".join(
            f"{p.quantity}× {p.product} ({brl(p.value)}, {p.purchased_at.astimezone(tz):%d/%m/%Y})"
            for p in profile.purchases
        )
        lines.append(f"- **Compras:** {bought} — **total {brl(profile.purchases_total)}**")
    else:
        lines.append("- **Compras:** nenhuma registrada")
    lines.append(f"- **Sentimento:** {profile.sentiment_trend.text}")
    moment = profile.best_moment
    slot = moment.next_slot.astimezone(tz)
    lines.append("")
    lines.append(
        f"### Melhor momento para retomar\n**{WEEKDAYS_PT[slot.weekday()]}, {slot:%d/%m} às {slot:%H}h** — {moment.reason}"
    )
    if profile.needs_attention:
        lines.append("")
        lines.append("### Pontos de atenção")
        for finding in profile.needs_attention:
            lines.append(f"- ⚠️ {finding.text}{_cite(finding.message_ids)}")
    return "\n".join(lines)


def highlights_markdown(highlights: Sequence[Highlight], tz: ZoneInfo) -> str:
    if not highlights:
        return ""
    lines = ["### Destaques do histórico"]
    for item in highlights:
        who = f"{item.author}, " if item.author else ""
        cite = f" {source_name(item.message_id)}" if item.message_id else ""
        lines.append(
            f"- **{item.label}** ({who}{when(item.sent_at, tz)}): {_quote(item.text)}{cite}"
        )
    return "\n".join(lines)


def brief_markdown(brief: BriefResult, *, stale: bool) -> str:
    lines = []
    if stale:
        lines.append("_Resumo de antes das últimas mensagens — atualizando…_\n")
    if brief.profile.text.strip():
        lines.append("### Quem é")
        lines.append(with_sources(brief.profile.text))
        lines.append("")
    lines.append("### Resumo da última conversa")
    lines.append(with_sources(brief.last_conversation.text))
    if brief.attention_points:
        lines.append("\n### O que observar")
        for point in brief.attention_points:
            said = f"{point.point} {point.reason}"
            lines.append(
                f"- **{with_sources(point.point)}** — {with_sources(point.reason)}"
                f"{_cite(point.message_ids, already=said)}"
            )
    lines.append("\n### Próximo passo")
    lines.append(f"**{brief.follow_up.when}** — {with_sources(brief.follow_up.why)}")
    if brief.flags:
        lines.append(
            "\n_⚠️ Trechos marcados trazem números ou datas que não estão no histórico: confira antes de usar._"
        )
    return "\n".join(lines)


def source_markdown(author: str | None, sent_at: datetime | None, text: str, tz: ZoneInfo) -> str:
    return f"**{author or 'sistema'}** — {when(sent_at, tz)}\n\n{text or '(sem texto)'}"


def _cite(ids: Sequence[int], *, already: str = "") -> str:
    """Source names for `ids` (at most three), leaving out those the text already cites."""
    cited = cited_ids(already)
    return "".join(f" {source_name(i)}" for i in [i for i in ids if i not in cited][:3])


def cited_ids(text: str) -> list[int]:
    """Message ids cited in `text`, in order, without repeats."""
    found: list[int] = []
    for marker in _MARKER.findall(text):
        found += [int(n) for n in _NUMBER.findall(marker)]
    return list(dict.fromkeys(found))


def with_sources(text: str) -> str:
    """`[m12, m13]` → `m12 m13`: ChainLit turns every element name found in a message into a link
    to that element, so each id becomes a clickable source; the brackets would only add noise."""
    return _MARKER.sub(
        lambda match: " ".join(source_name(int(n)) for n in _NUMBER.findall(match.group(0))),
        text,
    )


def _quote(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return f"“{flat if len(flat) <= limit else flat[: limit - 1] + '…'}”"
