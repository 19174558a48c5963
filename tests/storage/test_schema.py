"""The migrated schema is the schema the models declare, on SQLite and PostgreSQL."""

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, select

from copiloto.domain.enums import Direction, MessageKind, Provider
from copiloto.storage.db import make_engine, migrate
from copiloto.storage.repository import (
    add_message,
    get_or_create_client,
    get_or_create_conversation,
    get_or_create_seller,
)
from copiloto.storage.tables import Message, Purchase


def test_migrations_reach_the_declared_schema(any_engine: Engine) -> None:
    with any_engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert diff == []


def test_migrating_twice_changes_nothing(any_engine: Engine) -> None:
    migrate(any_engine)
    with any_engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() is not None


def test_created_and_migrated_databases_have_the_same_tables(settings, tmp_path) -> None:
    created = make_engine(f"sqlite:///{tmp_path / 'created.db'}")
    SQLModel.metadata.create_all(created)
    migrated = make_engine(f"sqlite:///{tmp_path / 'migrated.db'}")
    migrate(migrated)

    def shape(engine: Engine) -> dict[str, list[tuple[str, str, bool]]]:
        inspector = sa.inspect(engine)
        return {
            table: sorted(
                (c["name"], str(c["type"]), bool(c["nullable"]))
                for c in inspector.get_columns(table)
            )
            for table in inspector.get_table_names()
            if table != "alembic_version"
        }

    assert shape(created) == shape(migrated)


def _client(session: Session):
    seller = get_or_create_seller(session, name="Rafael Lima")
    client = get_or_create_client(
        session, seller_id=seller.id, name="Carla", phone="+5511987654321"
    )
    conversation = get_or_create_conversation(
        session, seller_id=seller.id, client_id=client.id, chat_key="t", channel=Provider.META
    )
    return seller, client, conversation


def test_times_come_back_aware_and_equal(any_engine: Engine) -> None:
    sao_paulo = timezone(timedelta(hours=-3))
    sent = datetime(2026, 3, 5, 14, 3, 12, tzinfo=sao_paulo)
    with Session(any_engine) as session:
        seller, client, conversation = _client(session)
        stored = add_message(
            session,
            Message(
                conversation_id=conversation.id,
                client_id=client.id,
                seller_id=seller.id,
                provider=Provider.META,
                provider_message_id="wamid.1",
                direction=Direction.IN,
                sent_at=sent,
                kind=MessageKind.TEXT,
                text="Oi",
            ),
        )
        assert stored is not None
        session.commit()
    with Session(any_engine) as session:
        message = session.exec(select(Message)).one()
        assert message.sent_at.tzinfo is not None
        assert message.sent_at == sent
        assert message.sent_at.astimezone(UTC).hour == 17
        client = session.get(type(_client(session)[1]), message.client_id)
        assert client.last_message_at == sent


def test_naive_times_are_refused(any_engine: Engine) -> None:
    with Session(any_engine) as session:
        seller, client, _ = _client(session)
        session.add(
            Purchase(
                client_id=client.id,
                seller_id=seller.id,
                product="Kit",
                value=Decimal("10.00"),
                purchased_at=datetime(2026, 1, 1),
            )
        )
        with pytest.raises(sa.exc.StatementError, match="naive datetime"):
            session.flush()


def test_message_is_stored_once_per_provider_id(any_engine: Engine) -> None:
    with Session(any_engine) as session:
        seller, client, conversation = _client(session)

        def message() -> Message:
            return Message(
                conversation_id=conversation.id,
                client_id=client.id,
                seller_id=seller.id,
                provider=Provider.META,
                provider_message_id="wamid.dup",
                direction=Direction.IN,
                sent_at=datetime(2026, 1, 1, tzinfo=UTC),
                text="Olá",
            )

        assert add_message(session, message()) is not None
        assert add_message(session, message()) is None
        session.commit()
        assert len(session.exec(select(Message)).all()) == 1


def test_money_keeps_cents(any_engine: Engine) -> None:
    with Session(any_engine) as session:
        seller, client, _ = _client(session)
        session.add(
            Purchase(
                client_id=client.id,
                seller_id=seller.id,
                product="Kit solar 5 kWp",
                value=Decimal("18990.90"),
                purchased_at=datetime(2026, 1, 1, tzinfo=UTC),
            )
        )
        session.commit()
        assert session.exec(select(Purchase.value)).one() == Decimal("18990.90")
