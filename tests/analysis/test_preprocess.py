"""Table-driven checks of the pt-BR normalization on WhatsApp-style strings."""

from datetime import date
from decimal import Decimal

import pytest

from copiloto.analysis.preprocess import (
    emoji_polarity,
    extract_dates,
    extract_money,
    fold_accents,
    laugh_count,
    normalize,
    tokens,
)

TODAY = date(2026, 11, 25)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Vc tem esse tênis no 42? kkkkkk", "voce tem esse tenis no 42 ? _risada_"),
        ("Muuuuito obrigadaaa 😍😍 :)", "muito obrigada 😍 😍 🙂"),
        ("rsrsrs n sei nao HAHAHA", "_risada_ nao sei nao _risada_"),
        ("pq vcs n responderam??? blz", "porque voces nao responderam ? beleza"),
        ("obg, vlw msm! tb quero", "obrigado valeu mesmo ! tambem quero"),
        ("R$ 1.234,56 tá caro", "_reais_ 1234.56 esta caro"),
        ("me liga no (11) 98765-4321", "me liga no _telefone_"),
        ("vi no site https://loja.com.br/p?id=3", "vi no site _url_"),
        ("manda pro joao.silva@gmail.com", "manda para o _email_"),
        ("posso pagar dia 15/12?", "posso pagar dia _data_ ?"),
        ("NÃO QUERO MAIS", "nao quero mais"),
        ("\u200eoi\u200f tudo bem", "oi tudo bem"),
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_accented_and_unaccented_spellings_meet() -> None:
    assert normalize("Você já viu a promoção?") == normalize("voce ja viu a promocao?")
    assert fold_accents("coração 😍") == "coracao 😍"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("R$ 1.234,56 à vista ou 12x de R$120", [Decimal("1234.56"), Decimal("120")]),
        ("fica 50 reais o kit", [Decimal("50")]),
        ("R$19,90 cada", [Decimal("19.90")]),
        ("no máximo 2 mil reais", [Decimal("2000")]),
        ("R$ 2 mil de entrada", [Decimal("2000")]),
        ("R$1500", [Decimal("1500")]),
        ("paguei 30 conto", [Decimal("30")]),
        ("meu número é 11 98765-4321", []),
        ("tenho 2 filhos e 1 cachorro", []),
    ],
)
def test_extract_money(text: str, expected: list[Decimal]) -> None:
    assert extract_money(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("posso pagar dia 15/12?", [date(2026, 12, 15)]),
        ("entrega em 03/01/2027", [date(2027, 1, 3)]),
        ("comprei em 20/11", [date(2026, 11, 20)]),
        ("chegou no dia 2026-10-01", [date(2026, 10, 1)]),
        ("pode ser 10 de dezembro?", [date(2026, 12, 10)]),
        ("dia 5 eu pago", [date(2026, 12, 5)]),
        ("dia 28 eu pago", [date(2026, 11, 28)]),
        ("amanhã ou depois de amanhã", [date(2026, 11, 26), date(2026, 11, 27)]),
        ("passo aí sexta-feira", [date(2026, 11, 27)]),
        ("segunda que vem", [date(2026, 11, 30)]),
        ("quarta", [date(2026, 12, 2)]),  # today is Wednesday: the next one
        ("hoje não dá, ontem fechou cedo", [TODAY, date(2026, 11, 24)]),
        ("R$ 19,90 e tel 31 3333-4444", []),
        ("custa 15.50", []),
    ],
)
def test_extract_dates(text: str, expected: list[date]) -> None:
    assert extract_dates(text, today=TODAY) == expected


def test_tokens_drop_stopwords_keep_signals() -> None:
    assert tokens("Oi, vc tem o vestido azul por R$ 99,90? 😍") == [
        "oi",
        "voce",
        "vestido",
        "azul",
        "_reais_",
        "99.9",
        "?",
        "😍",
    ]
    assert "nao" in tokens("não quero")  # negation is meaning, not a stopword


def test_signals() -> None:
    assert laugh_count("kkkkk sério? rsrs") == 2
    assert emoji_polarity("amei 😍😍 mas 😡 :(") == (2, 2)
