"""A brief as Markdown in Portuguese, for the CLI (`copiloto brief`) and the chat UI."""

from __future__ import annotations

from collections.abc import Sequence

from copiloto.suggestions.schemas import BriefResult

_SITUATIONS = {
    "reply": "responder",
    "follow_up": "retomar contato",
    "new_lead": "primeiro contato",
    "reopen": "reabrir negociação",
    "unblock": "destravar negociação",
}


def _cites(ids: Sequence[int]) -> str:
    return (" — fontes: " + ", ".join(f"[m{i}]" for i in ids)) if ids else ""


def brief_to_markdown(brief: BriefResult) -> str:
    """Sections in the order a seller reads them; flagged figures stay marked `⚠️[…]`."""
    lines = [
        f"## {brief.client}",
        "",
        "### Perfil",
        brief.profile.text + _cites(brief.profile.message_ids),
    ]
    lines += ["", "### Última conversa", brief.last_conversation.text]
    lines += ["", "### Pontos de atenção"]
    if brief.attention_points:
        lines += [
            f"- **{point.point}**: {point.reason}{_cites(point.message_ids)}"
            for point in brief.attention_points
        ]
    else:
        lines.append("- Nenhum ponto de atenção encontrado.")
    lines += [
        "",
        "### Próximo contato",
        f"**Quando:** {brief.follow_up.when}",
        f"**Por quê:** {brief.follow_up.why}",
    ]
    if brief.replies:
        situation = _SITUATIONS.get(brief.replies[0].situation, brief.replies[0].situation)
        lines += ["", f"### Sugestões de mensagem ({situation})"]
        for reply in brief.replies:
            lines.append(f"- _{reply.tone}_: {reply.text}{_cites(reply.message_ids)}")
    if brief.flags:
        lines += [
            "",
            f"> ⚠️ {len(brief.flags)} número(s) ou data(s) não encontrados no histórico foram "
            "marcados: confira antes de enviar.",
        ]
    return "\n".join(lines)
