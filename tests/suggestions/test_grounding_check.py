"""Grounding check: figures absent from the context are flagged and marked, formats normalized."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from copiloto.suggestions.citations import cited_ids, filter_citations
from copiloto.suggestions.grounding import GroundingContext, extract_claims, ground_text

CONTEXT = (
    "- Total comprado: R$ 14.900,00\n"
    "- Propostas em aberto: R$ 18.500,00\n"
    "- Último contato: 12/03/2025 17:40 (há 5 dias)\n"
    "[m101] 12/03/2025 17:30 — Marina: kit de 1,5 kWp com desconto de 7%, entrega em 20 de março\n"
    "[m102] pode ligar às 14h? meu número (11) 98765-4321. Quero 5 mil de entrada.\n"
)


@pytest.fixture(scope="module")
def context() -> GroundingContext:
    return GroundingContext.from_texts(CONTEXT, dates=[datetime(2025, 3, 10, 9, 15, tzinfo=UTC)])


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        # money in other spellings of the same value
        ("A proposta é de R$ 18.500,00.", []),
        ("A proposta é de R$18500.", []),
        ("A proposta é de 18.500 reais.", []),
        ("A proposta é de R$ 18,5 mil.", []),
        ("A proposta é de R$ 19.000,00.", ["R$ 19.000,00"]),
        ("Total de R$ 14.900 em compras e R$ 2.000 de desconto.", ["R$ 2.000"]),
        # percentages and decimals with units
        ("Desconto de 7% no kit de 1,5 kWp.", []),
        ("Desconto de 7 por cento.", []),
        ("Desconto de 10%.", ["10%"]),
        ("Kit de 1.5 kWp.", []),
        ("Kit de 2,5 kWp.", ["2,5"]),
        # dates in pt-BR forms
        ("Entrega em 20/03.", []),
        ("Entrega em 20 de março.", []),
        ("Último contato em 12 de março de 2025.", []),
        ("Último contato em 12/03/2025.", []),
        ("Contato em 10/03.", []),  # from an evidence timestamp
        ("Entrega em 25/03.", ["25/03"]),
        ("Entrega em 21 de março.", ["21 de março"]),
        ("Em 12/03/2024.", ["12/03/2024"]),
        # times
        ("Ligue às 14h.", []),
        ("Ligue às 17:40.", []),
        ("Ligue às 16h30.", ["16h30"]),
        # plain numbers, phones
        ("Faz 5 dias do último contato.", []),
        ("Faz 9 dias do último contato.", ["9"]),
        ("Entrada de 5.000.", []),
        ("Telefone (11) 98765-4321.", []),
        ("Telefone (11) 91234-5678.", ["(11) 91234-5678"]),
        # citation ids and list numbering are not figures
        ("Ela pediu desconto [m101].", []),
        ("1. Pedir a entrada\n2) Enviar contrato", []),
        ("Sem números aqui.", []),
    ],
)
def test_flags_exactly_the_figures_missing_from_context(
    context: GroundingContext, text: str, flagged: list[str]
) -> None:
    marked, flags = ground_text(text, context)
    assert [flag.text for flag in flags] == flagged
    for span in flagged:
        assert f"⚠️[{span}]" in marked
    if not flagged:
        assert marked == text


def test_flag_offsets_point_at_the_span(context: GroundingContext) -> None:
    text = "Parcelamos em 12x de R$ 1.541,67."
    _, flags = ground_text(text, context, field="replies[0]")
    assert {(text[f.start : f.end], f.kind, f.field) for f in flags} == {
        ("12", "number", "replies[0]"),
        ("R$ 1.541,67", "money", "replies[0]"),
    }


def test_claim_kinds() -> None:
    kinds = [
        c.kind for c in extract_claims("R$ 10, 5%, 15/03, 15 de março, 9h, 42, (11) 98765-4321")
    ]
    assert kinds == ["money", "percent", "date", "date", "time", "number", "phone"]


def test_citation_filter_keeps_known_ids_and_reports_invented() -> None:
    text = "Ela pediu 10x [m102] e achou caro [m102, m999]. Ver [m7]."
    result = filter_citations(text, {101, 102})
    assert result.text == "Ela pediu 10x [m102] e achou caro [m102]. Ver."
    assert result.kept == [102]
    assert result.dropped == [999, 7]
    stripped = filter_citations("Oi Marina, vou verificar! [m102][m103]", {102}, strip=True)
    assert stripped.text == "Oi Marina, vou verificar!"
    assert stripped.kept == [102]
    assert stripped.dropped == [103]
    assert cited_ids("[m3] [M4 m5] [m3]") == [3, 4, 5]
