"""The Markdown view of a brief keeps the markers and lists every section in Portuguese."""

from __future__ import annotations

from copiloto.suggestions.presentation import brief_to_markdown
from copiloto.suggestions.schemas import (
    AttentionPoint,
    BriefResult,
    CitedText,
    FollowUp,
    GroundingFlag,
    ReplySuggestion,
)


def test_brief_markdown_sections_and_flags() -> None:
    brief = BriefResult(
        client="Marina Souza",
        profile=CitedText(text="Cliente direta [m101].", message_ids=[101]),
        last_conversation=CitedText(text="Pediu ⚠️[12]x sem juros [m102].", message_ids=[102]),
        attention_points=[AttentionPoint(point="Preço", reason="Achou caro", message_ids=[102])],
        follow_up=FollowUp(when="fim da tarde", why="Espera retorno", message_ids=[]),
        replies=[
            ReplySuggestion(
                tone="direto", text="Oi Marina!", message_ids=[101], situation="follow_up"
            )
        ],
        flags=[GroundingFlag(text="12", kind="number", field="last_conversation")],
    )
    text = brief_to_markdown(brief)
    for heading in (
        "### Perfil",
        "### Última conversa",
        "### Pontos de atenção",
        "### Próximo contato",
    ):
        assert heading in text
    assert "### Sugestões de mensagem (retomar contato)" in text
    assert "⚠️[12]x" in text
    assert "- **Preço**: Achou caro — fontes: [m102]" in text
    assert "1 número(s) ou data(s) não encontrados" in text
