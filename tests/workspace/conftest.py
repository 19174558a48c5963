"""A small pt-BR book of two sellers, built through the same repository functions ingestion uses."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlmodel import Session

from copiloto.auth import set_password
from copiloto.container import Container
from copiloto.domain.enums import Direction, MessageKind, Provider
from copiloto.settings import Settings
from copiloto.storage.repository import (
    add_message,
    get_or_create_client,
    get_or_create_conversation,
    get_or_create_seller,
)
from copiloto.storage.tables import Message, Purchase

NOW = datetime.now(UTC)


def _chat(session: Session, seller, name: str, phone: str, turns: list[tuple]) -> int:
    """Turns are (who, text, days ago[, intent]); intents stand in for the classifier's output."""
    client = get_or_create_client(session, seller_id=seller.id, name=name, phone=phone)
    conversation = get_or_create_conversation(
        session,
        seller_id=seller.id,
        client_id=client.id,
        chat_key=f"t:{phone}",
        channel=Provider.EXPORT,
    )
    for index, (who, text, days_ago, *intent) in enumerate(turns):
        add_message(
            session,
            Message(
                conversation_id=conversation.id,
                client_id=client.id,
                seller_id=seller.id,
                provider=Provider.EXPORT,
                provider_message_id=f"{phone}-{index}",
                direction=Direction.IN if who == "c" else Direction.OUT,
                author=name if who == "c" else seller.name,
                sent_at=NOW - timedelta(days=days_ago),
                kind=MessageKind.TEXT,
                text=text,
                intent=intent[0] if intent else None,
            ),
        )
    return client.id


@pytest.fixture
def book(settings: Settings) -> Iterator[tuple[Container, dict[str, int]]]:
    container = Container(settings)
    with container.session() as session:
        rafael = get_or_create_seller(session, name="Rafael Lima", login="rafael")
        set_password(rafael, "senha-rafael")
        juliana = get_or_create_seller(session, name="Juliana Prado", login="juliana")
        set_password(juliana, "senha-juliana")
        carla = _chat(
            session,
            rafael,
            "Carla Mendes",
            "+5511987650001",
            [
                ("c", "Oi Rafael, quanto fica o kit solar de 5 kWp instalado?", 20),
                ("s", "Oi Carla! A proposta fica em R$ 18.990,00 à vista ou 10x no cartão.", 19.9),
                ("c", "Achei o frete de R$ 450 caro demais, vou pensar", 19, "objecao"),
                ("s", "Tiro o frete: fica R$ 18.990,00 com frete grátis até sexta.", 18.9),
            ],
        )
        marcos = _chat(
            session,
            rafael,
            "Marcos Souza",
            "+5511987650002",
            [
                ("c", "Bom dia, gostaria de um orçamento para o kit de 3 kWp", 40),
                ("s", "Bom dia! Fica R$ 12.500,00 com instalação.", 39.9),
                ("c", "Fechado, pode mandar o pix", 39),
            ],
        )
        bruno = _chat(
            session,
            juliana,
            "Bruno Teixeira",
            "+5511987650003",
            [("c", "Quero um armário planejado para a cozinha", 5)],
        )
        session.add(
            Purchase(
                client_id=marcos,
                seller_id=rafael.id,
                product="Kit Solar 3 kWp",
                quantity=1,
                value=Decimal("12500.00"),
                purchased_at=NOW - timedelta(days=38),
            )
        )
        session.commit()
    yield container, {"carla": carla, "marcos": marcos, "bruno": bruno}
    container.engine.dispose()
