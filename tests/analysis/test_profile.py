"""Client profile, timing and stuck-negotiation detection on hand-built conversations."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from copiloto.analysis.profile import MessageView, PurchaseView, best_moment, build_profile
from copiloto.domain.enums import Direction, MessageKind, Stage

TZ = ZoneInfo("America/Sao_Paulo")
NOW = datetime(2026, 11, 25, 15, 0, tzinfo=TZ)


def conversation(*turns: tuple[str, str, datetime], **labels: tuple[str, str]) -> list[MessageView]:
    """Turns are (who, text, when); labels map a message id to (sentiment, intent)."""
    views = []
    for index, (who, text, when) in enumerate(turns, start=1):
        sentiment, intent = labels.get(f"m{index}", (None, None))
        views.append(
            MessageView(
                id=index,
                conversation_id=1,
                direction=Direction.IN if who == "c" else Direction.OUT,
                sent_at=when,
                kind=MessageKind.AUDIO if text == "<audio>" else MessageKind.TEXT,
                text="" if text == "<audio>" else text,
                sentiment=sentiment,
                intent=intent,
            )
        )
    return views


def at(days_ago: float, hour: int = 10) -> datetime:
    return (NOW - timedelta(days=days_ago)).replace(hour=hour, minute=0)


def test_formal_client_gets_formal_tone_with_evidence() -> None:
    chat = conversation(
        ("c", "Bom dia, Sr. Rafael. Gostaria de receber um orçamento, por gentileza.", at(10)),
        ("s", "Bom dia! Claro, me passe a conta de luz.", at(10, 11)),
        ("c", "Boa tarde. Poderia confirmar o prazo de instalação? Atenciosamente.", at(9)),
    )
    profile = build_profile(chat, now=NOW, tz=TZ)
    assert profile.style is not None and profile.style.formality == "formal"
    assert profile.tone.text.startswith("formal")
    assert set(profile.tone.message_ids) <= {1, 3}


def test_informal_client_with_emoji() -> None:
    chat = conversation(
        ("c", "blz vc tem o kit? kkkk 😅", at(3)),
        ("s", "Tenho sim!", at(3, 11)),
        ("c", "show pq minha conta ta mt alta 😂", at(2)),
    )
    profile = build_profile(chat, now=NOW, tz=TZ)
    assert profile.style.formality == "informal"
    assert profile.tone.text.startswith("descontraído")


def test_unanswered_proposal_is_stuck_and_needs_attention() -> None:
    chat = conversation(
        ("c", "Quanto fica o kit de 5 kWp instalado?", at(12)),
        ("s", "A proposta fica em R$ 18.990,00 à vista ou 10x sem juros.", at(11)),
    )
    profile = build_profile(chat, now=NOW, tz=TZ)
    assert profile.stage is Stage.PROPOSAL_SENT
    assert profile.open_proposal is not None and profile.open_proposal.message_ids == (2,)
    assert "11 dias" in profile.open_proposal.text
    assert any(f.message_ids == (2,) for f in profile.stuck)
    assert any("proposta" in f.text for f in profile.needs_attention)


def test_fresh_proposal_is_not_stuck_yet() -> None:
    chat = conversation(
        ("c", "Me manda a proposta?", at(1)),
        ("s", "Segue a proposta: R$ 18.990,00 à vista.", at(1, 11)),
    )
    assert build_profile(chat, now=NOW, tz=TZ).stuck == []


def test_repeated_objections_stay_open_until_the_client_closes() -> None:
    labels = {"m1": ("neutro", "objecao"), "m3": ("negativo", "objecao")}
    chat = conversation(
        ("c", "Achei caro, vou pensar", at(6)),
        ("s", "Consigo parcelar em 10x.", at(6, 11)),
        ("c", "No concorrente sai 2 mil a menos", at(5)),
        ("s", "Nosso inversor tem 10 anos de garantia.", at(5, 11)),
        **labels,
    )
    profile = build_profile(chat, now=NOW, tz=TZ)
    assert [f.message_ids for f in profile.open_objections] == [(1,), (3,)]
    assert any("2 objeções" in f.text for f in profile.stuck)

    closed = [*chat, *conversation(("c", "Fechado, pode mandar o pix", at(4)))[0:1]]
    closed[-1] = MessageView(
        5, 1, Direction.IN, at(4), MessageKind.TEXT, "Fechado, pode mandar o pix"
    )
    profile = build_profile(closed, now=NOW, tz=TZ)
    assert profile.open_objections == []
    assert profile.stage is Stage.WON


def test_lost_and_dormant_stages() -> None:
    lost = conversation(("c", "Já contratei com outra empresa, obrigado", at(20)))
    assert build_profile(lost, now=NOW, tz=TZ).stage is Stage.LOST
    dormant = conversation(
        ("c", "Oi, tudo bem?", at(200)), ("s", "Tudo ótimo! Como posso ajudar?", at(200, 11))
    )
    assert build_profile(dormant, now=NOW, tz=TZ).stage is Stage.DORMANT


def test_complaints_and_falling_sentiment() -> None:
    labels = {
        "m1": ("positivo", "outro"),
        "m2": ("positivo", "outro"),
        "m3": ("neutro", "pergunta"),
        "m4": ("negativo", "pergunta"),
        "m5": ("negativo", "outro"),
        "m6": ("negativo", "outro"),
    }
    chat = conversation(
        ("c", "Amei o atendimento!", at(30)),
        ("c", "Vocês são ótimos", at(29)),
        ("c", "Quando chega?", at(10)),
        ("c", "Cadê a entrega? Está atrasada", at(5)),
        ("c", "O armário veio com a porta riscada", at(4)),
        ("c", "Ninguém me responde, que descaso", at(3)),
        **labels,
    )
    profile = build_profile(chat, now=NOW, tz=TZ)
    assert profile.sentiment_trend.text.startswith("piorando")
    assert {i for f in profile.complaints for i in f.message_ids} >= {5, 6}
    assert profile.awaiting_reply
    assert any("sem resposta" in f.text for f in profile.needs_attention)


def test_purchases_total_and_products() -> None:
    chat = conversation(
        ("c", "Quero o Kit Solar 5 kWp", at(40)),
        ("s", "Perfeito, e o carregador veicular?", at(40, 11)),
    )
    purchases = [
        PurchaseView("Kit Solar 5 kWp", 1, Decimal("18990.00"), at(35)),
        PurchaseView("Limpeza de placas", 2, Decimal("300.00"), at(20)),
    ]
    profile = build_profile(
        chat, purchases=purchases, catalogue=["Carregador veicular"], now=NOW, tz=TZ
    )
    assert profile.purchases_total == Decimal("19290.00")
    names = [f.text for f in profile.products]
    assert names[0] == "Kit Solar 5 kWp"
    assert "Carregador veicular" in names


def test_best_moment_prefers_the_slot_with_fastest_replies() -> None:
    # Seller writes Tuesday 9h (client answers in 5 min) and Thursday 15h (client answers next day).
    tuesday = datetime(2026, 11, 3, 9, 0, tzinfo=TZ)
    thursday = datetime(2026, 11, 5, 15, 0, tzinfo=TZ)
    turns = []
    for week in range(3):
        shift = timedelta(weeks=week)
        turns += [
            ("s", "Bom dia! Alguma novidade?", tuesday + shift),
            ("c", "Oi! Sim", tuesday + shift + timedelta(minutes=5)),
            ("s", "E a proposta?", thursday + shift),
            ("c", "Vi agora", thursday + shift + timedelta(hours=20)),
        ]
    moment = best_moment(conversation(*turns), now=NOW, tz=TZ)
    assert (moment.weekday, moment.hour) == (1, 9)
    assert moment.next_slot == datetime(2026, 12, 1, 9, 0, tzinfo=TZ)  # the next Tuesday
    assert "5 min" in moment.reason


def test_best_moment_for_a_new_client_uses_the_fallback() -> None:
    fallback = [0] * 24
    fallback[19] = 12
    moment = best_moment([], now=NOW, tz=TZ, fallback_hours=fallback)
    assert moment.hour == 19 and moment.next_slot > NOW
    assert "cliente novo" in moment.reason


def test_usual_hours_describe_night_owls() -> None:
    chat = conversation(*[("c", "oi", at(d, 22)) for d in range(1, 8)])
    profile = build_profile(chat, now=NOW, tz=TZ)
    assert profile.hours_histogram[22] == 7
    assert "22h" in profile.usual_hours
