"""The workspace use cases that need no model: picker, card, isolation, manual sends."""

from decimal import Decimal

import pytest
from sqlmodel import select

from copiloto.storage.tables import Message, Seller, Suggestion
from copiloto.suggestions.schemas import ReplySuggestion
from copiloto.workspace.access import AccessDenied


def seller(container, login: str) -> Seller:
    return container.workspace.seller(login)


def test_login_checks_the_password(book) -> None:
    container, _ = book
    assert container.workspace.authenticate("rafael", "senha-rafael").login == "rafael"
    assert container.workspace.authenticate("rafael", "senha-juliana") is None
    assert container.workspace.authenticate("ninguem", "x") is None


def test_picker_lists_own_clients_attention_first(book) -> None:
    container, _ = book
    rows = container.workspace.clients(seller(container, "rafael"))
    assert [r.name for r in rows] == ["Carla Mendes", "Marcos Souza"]
    assert rows[0].attention  # Carla has an open objection and a stale proposal
    assert not any(r.name == "Bruno Teixeira" for r in rows)


@pytest.mark.parametrize(
    ("query", "expected"),
    [("carla", ["Carla Mendes"]), ("98765-0002", ["Marcos Souza"]), ("3 kWp", ["Marcos Souza"])],
)
def test_picker_search_by_name_phone_or_product(book, query, expected) -> None:
    container, _ = book
    rows = container.workspace.clients(seller(container, "rafael"), query)
    assert [r.name for r in rows] == expected


def test_card_computes_facts_from_the_store(book) -> None:
    container, ids = book
    card = container.workspace.card(seller(container, "rafael"), ids["marcos"])
    assert card.facts.total_purchased == Decimal("12500.00")
    assert card.facts.stage == "won"
    assert [h.label for h in card.highlights] == ["compra"]

    carla = container.workspace.card(seller(container, "rafael"), ids["carla"])
    assert carla.facts.open_proposals == [Decimal("18990.00")]  # unanswered, read from the text
    assert carla.facts.stage == "proposal_sent"
    assert [h.label for h in carla.highlights] == ["objeção", "proposta"]
    assert carla.facts.stuck == ["proposta sem resposta há 18 dias"]


def test_sellers_cannot_open_each_others_clients(book) -> None:
    container, ids = book
    with pytest.raises(AccessDenied):
        container.workspace.card(seller(container, "juliana"), ids["carla"])
    with pytest.raises(AccessDenied):
        container.workspace.cached_brief(seller(container, "juliana"), ids["carla"])
    admin = Seller(name="adm", login="", is_admin=True)
    assert container.workspace.card(admin, ids["carla"]).client.name == "Carla Mendes"


def test_messages_are_filtered_by_seller(book) -> None:
    container, ids = book
    with container.session() as session:
        carla_ids = session.exec(select(Message.id).where(Message.client_id == ids["carla"])).all()
    assert container.workspace.messages(seller(container, "juliana"), carla_ids) == []
    assert len(container.workspace.messages(seller(container, "rafael"), carla_ids)) == len(
        carla_ids
    )


def test_send_without_channel_records_the_edit_as_sent_by_hand(book) -> None:
    container, ids = book
    rafael = seller(container, "rafael")
    [(row, _)] = container.workspace.record_suggestions(
        rafael, ids["carla"], [ReplySuggestion(tone="formal", text="Olá Carla, tudo bem?")]
    )
    outcome = container.workspace.send_suggestion(rafael, row.id, "Oi Carla! Tiro o frete hoje 😉")
    assert outcome.ok and outcome.status == "sent_by_hand"
    with container.session() as session:
        stored = session.get(Suggestion, row.id)
        assert stored.suggested_text == "Olá Carla, tudo bem?"
        assert stored.edited_text == "Oi Carla! Tiro o frete hoje 😉"
        assert stored.action == "sent_by_hand"
        message = session.get(Message, stored.message_id)
        assert message.text == "Oi Carla! Tiro o frete hoje 😉" and message.direction == "out"


def test_another_seller_cannot_send_my_suggestion(book) -> None:
    container, ids = book
    [(row, _)] = container.workspace.record_suggestions(
        seller(container, "rafael"), ids["carla"], [ReplySuggestion(tone="formal", text="Olá")]
    )
    with pytest.raises(LookupError):
        container.workspace.send_suggestion(seller(container, "juliana"), row.id, "invasão")


def test_new_lead_is_a_client_with_channel_and_keywords(book) -> None:
    container, _ = book
    juliana = seller(container, "juliana")
    client = container.workspace.new_lead(
        juliana,
        name="Bruna Alves",
        phone="11 98888-7777",
        channel="anúncio Instagram",
        keywords=["cozinha", " painel "],
    )
    assert client.phone == "+5511988887777"
    assert client.source_channel == "anúncio Instagram"
    assert client.keywords == ["cozinha", "painel"]
    assert client.seller_id == juliana.id
