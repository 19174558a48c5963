"""What the seller reads, as pt-BR Markdown, without a browser."""

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from copiloto.suggestions.schemas import (
    AttentionPoint,
    BriefResult,
    CitedText,
    FollowUp,
    GroundingFlag,
    ReplySuggestion,
)
from copiloto.ui import render
from copiloto.workspace.clients import ClientRow
from copiloto.workspace.service import Highlight

SP = ZoneInfo("America/Sao_Paulo")


def brief(**changes: object) -> BriefResult:
    values: dict[str, object] = {
        "client": "Carla Mendes",
        "profile": CitedText(text="Carla compara preços [m7].", message_ids=[7]),
        "last_conversation": CitedText(text="Pediu desconto no frete [m12].", message_ids=[12]),
        "attention_points": [
            AttentionPoint(point="Frete caro", reason="achou o frete alto [m12]", message_ids=[12])
        ],
        "follow_up": FollowUp(when="sexta às 20h", why="ela responde rápido à noite [m9, m10]"),
        "replies": [ReplySuggestion(tone="formal", text="Olá Carla!")],
    }
    values.update(changes)
    return BriefResult.model_validate(values)


def test_money_and_dates_in_brazilian_format() -> None:
    assert render.brl(Decimal("18990.5")) == "R$ 18.990,50"
    assert render.brl(Decimal("0")) == "R$ 0,00"
    # 23:30 UTC is 20:30 in São Paulo, the seller's clock
    assert render.when(datetime(2026, 3, 1, 23, 30, tzinfo=UTC), SP) == "01/03/2026 20:30"
    assert render.when(None, SP) == "—"


def test_citation_markers_become_clickable_source_names() -> None:
    text = "Ela pediu desconto [m12] e voltou a falar [m9, m10] e [M11 m13]."
    assert render.with_sources(text) == "Ela pediu desconto m12 e voltou a falar m9 m10 e m11 m13."
    assert render.cited_ids(text) == [12, 9, 10, 11, 13]
    assert render.cited_ids("sem citações, só [colchetes] e 2024") == []


def test_brief_has_every_section_and_cites_each_source_once() -> None:
    markdown = render.brief_markdown(brief(), stale=False)
    for heading in ("### Quem é", "### Resumo da última conversa", "### O que observar"):
        assert heading in markdown
    assert "### Próximo passo\n**sexta às 20h** — ela responde rápido à noite m9 m10" in markdown
    attention = next(line for line in markdown.splitlines() if "Frete caro" in line)
    assert attention == "- **Frete caro** — achou o frete alto m12"  # not "m12 m12"
    assert "[m" not in markdown
    assert "atualizando" not in markdown
    assert "confira antes de usar" not in markdown


def test_brief_marks_stale_and_flagged_content() -> None:
    flagged = brief(flags=[GroundingFlag(text="R$ 99", kind="money")])
    markdown = render.brief_markdown(flagged, stale=True)
    assert markdown.startswith("_Resumo de antes das últimas mensagens — atualizando…_")
    assert "números ou datas que não estão no histórico" in markdown


def test_brief_cites_point_sources_the_text_does_not_mention() -> None:
    point = AttentionPoint(point="Sumiu", reason="não responde há semanas", message_ids=[3, 4])
    markdown = render.brief_markdown(brief(attention_points=[point]), stale=False)
    assert "- **Sumiu** — não responde há semanas m3 m4" in markdown


def test_highlights_show_label_author_date_quote_and_source() -> None:
    items = [
        Highlight(
            "objeção", "Achei o frete caro", 12, datetime(2026, 5, 2, 15, 0, tzinfo=UTC), "Carla"
        ),
        Highlight("compra", "1× Kit Solar — R$ 12.500,00", None, None, None),
    ]
    markdown = render.highlights_markdown(items, SP)
    assert markdown.splitlines() == [
        "### Destaques do histórico",
        "- **objeção** (Carla, 02/05/2026 12:00): “Achei o frete caro” m12",
        "- **compra** (—): “1× Kit Solar — R$ 12.500,00”",
    ]
    assert render.highlights_markdown([], SP) == ""


def test_long_quotes_are_cut_with_an_ellipsis() -> None:
    item = Highlight("reclamação", "palavra " * 60, 1, None, "Ana")
    line = render.highlights_markdown([item], SP).splitlines()[1]
    quote = line.split("“", 1)[1].split("”", 1)[0]
    assert len(quote) == 160 and quote.endswith("…")


def test_picker_line_shows_stage_last_contact_and_first_warning() -> None:
    row = ClientRow(
        id=1,
        name="Carla Mendes",
        phone="+5511987650001",
        seller_id=1,
        stage="proposal_sent",
        last_message_at=datetime(2026, 5, 15, 15, 17, tzinfo=UTC),
        attention=["proposta sem resposta há 18 dias", "outra"],
    )
    assert render.client_line(row, SP) == (
        "**Carla Mendes** (proposta enviada, último contato 15/05/2026 12:17)"
        " — ⚠️ proposta sem resposta há 18 dias"
    )


def test_source_shows_author_and_local_time() -> None:
    text = render.source_markdown("Carla", datetime(2026, 5, 2, 15, 0, tzinfo=UTC), "oi", SP)
    assert text == "**Carla** — 02/05/2026 12:00\n\noi"
    assert render.source_markdown(None, None, "", SP) == "**sistema** — —\n\n(sem texto)"
