from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from copiloto.domain.enums import DeliveryStatus, Direction
from copiloto.domain.money import parse_brl
from copiloto.domain.phones import looks_like_phone, to_e164
from copiloto.domain.response_times import Turn, response_times


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+55 11 98765-4321", "+5511987654321"),
        ("5511987654321", "+5511987654321"),
        ("whatsapp:+5511987654321", "+5511987654321"),
        ("(11) 98765-4321", "+5511987654321"),
        ("\u202a+55 21 99876-5432\u202c", "+5521998765432"),  # export authors carry marks
        ("Carla", None),
        ("123", None),
    ],
)
def test_to_e164(raw: str, expected: str | None) -> None:
    assert to_e164(raw) == expected


def test_looks_like_phone() -> None:
    assert looks_like_phone("\u202a+55 21 99876-5432\u202c")
    assert looks_like_phone("+1 123 456 789")
    assert not looks_like_phone("Carla 2")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("R$ 1.234,56", "1234.56"),
        ("1234.56", "1234.56"),
        ("1.500", "1500.00"),
        ("1,5", "1.50"),
        ("R$\u00a02.500.000", "2500000.00"),
        ("-12,30", "-12.30"),
    ],
)
def test_parse_brl(text: str, value: str) -> None:
    assert parse_brl(text) == Decimal(value)


def test_parse_brl_refuses_words() -> None:
    with pytest.raises(ValueError):
        parse_brl("caro")


def test_response_times_time_runs_from_their_first_message() -> None:
    t0 = datetime(2026, 1, 5, 9, tzinfo=UTC)
    turns = [
        Turn(1, Direction.IN, t0),
        Turn(2, Direction.IN, t0 + timedelta(minutes=5)),  # follow-up, same run
        Turn(3, Direction.NONE, t0 + timedelta(minutes=6)),  # system line, ignored
        Turn(4, Direction.OUT, t0 + timedelta(minutes=30)),
        Turn(5, Direction.IN, t0 + timedelta(hours=2)),
    ]
    result = response_times(turns)
    assert [(r.question_id, r.answer_id, r.responder, r.seconds) for r in result] == [
        (1, 4, Direction.OUT, 1800.0),
        (4, 5, Direction.IN, 5400.0),
    ]


def test_status_rank_orders_the_lifecycle() -> None:
    ranks = [s.rank for s in (DeliveryStatus.SENT, DeliveryStatus.DELIVERED, DeliveryStatus.READ)]
    assert ranks == sorted(ranks)


def test_list_settings_read_commas_or_json(monkeypatch: pytest.MonkeyPatch) -> None:
    from copiloto.settings import Settings

    monkeypatch.setenv("COPILOTO_SELLER_NAMES", "Rafael Souza, Ju | Casa Bella")
    monkeypatch.setenv("COPILOTO_META_TEMPLATES", '["retomada", "lembrete"]')
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.seller_names == ["Rafael Souza", "Ju | Casa Bella"]
    assert settings.meta_templates == ["retomada", "lembrete"]


def test_pt_br_formatting() -> None:
    from copiloto.domain.formatting import brl, decimal_pt, duration_pt

    assert brl(Decimal("21400")) == "R$ 21.400,00"
    assert decimal_pt(5.4) == "5,4"
    assert [duration_pt(s) for s in (30, 600, 5400, 3 * 86400)] == [
        "1 min",
        "10 min",
        "1,5 h",
        "3 dias",
    ]
