"""Small, idempotent writes shared by every source (exports, webhooks, the UI).

Each function finds the row that already stands for a thing before creating one, so re-delivering
the same input never duplicates sellers, clients, conversations or messages.
"""

import logging
from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from copiloto.domain.enums import DeliveryStatus, Provider
from copiloto.storage.tables import (
    Client,
    Conversation,
    Message,
    PendingStatus,
    Purchase,
    Seller,
)

log = logging.getLogger(__name__)


def slug(text: str) -> str:
    """A login-safe form of a name: `Rafael Lima` → `rafael.lima`."""
    import unicodedata

    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    parts = ["".join(ch for ch in word if ch.isalnum()) for word in folded.lower().split()]
    return ".".join(part for part in parts if part) or "vendedor"


def find_seller(session: Session, name_or_login: str) -> Seller | None:
    """Match a seller by login, name or one of the names they appear with in exports."""
    wanted = name_or_login.strip().casefold()
    for seller in session.exec(select(Seller)).all():
        names = {seller.login, seller.name, *(seller.aliases or []), seller.phone or ""}
        if wanted in {n.strip().casefold() for n in names if n}:
            return seller
    return None


def get_or_create_seller(
    session: Session,
    *,
    name: str,
    login: str | None = None,
    phone: str | None = None,
    aliases: Sequence[str] = (),
) -> Seller:
    seller = find_seller(session, login or name)
    if seller is None:
        seller = Seller(name=name, login=login or slug(name), phone=phone, aliases=list(aliases))
        session.add(seller)
        session.flush()
        log.info("created seller %s (%s)", seller.name, seller.login)
        return seller
    missing = [alias for alias in aliases if alias not in (seller.aliases or [])]
    if missing:
        seller.aliases = [*(seller.aliases or []), *missing]
        session.add(seller)
    return seller


def get_or_create_client(
    session: Session,
    *,
    seller_id: int,
    name: str,
    phone: str | None = None,
    source_channel: str | None = None,
    at: datetime | None = None,
) -> Client:
    """The seller's client with this phone (preferred) or, for exports without numbers, this name."""
    query = select(Client).where(Client.seller_id == seller_id)
    if phone:
        client = session.exec(query.where(Client.phone == phone)).first()
    else:
        client = session.exec(query.where(Client.name == name, Client.phone.is_(None))).first()  # type: ignore[union-attr]
    if client is None:
        client = Client(
            seller_id=seller_id,
            name=name,
            phone=phone,
            source_channel=source_channel,
            first_contact_at=at,
        )
        session.add(client)
        session.flush()
    elif at is not None and (client.first_contact_at is None or at < client.first_contact_at):
        client.first_contact_at = at
        session.add(client)
    return client


def get_or_create_conversation(
    session: Session,
    *,
    seller_id: int,
    client_id: int,
    chat_key: str,
    channel: Provider,
    title: str | None = None,
    is_group: bool = False,
) -> Conversation:
    conversation = session.exec(
        select(Conversation).where(
            Conversation.seller_id == seller_id, Conversation.chat_key == chat_key
        )
    ).first()
    if conversation is None:
        conversation = Conversation(
            seller_id=seller_id,
            client_id=client_id,
            chat_key=chat_key,
            channel=channel,
            title=title,
            is_group=is_group,
        )
        session.add(conversation)
        session.flush()
    return conversation


def existing_provider_ids(session: Session, provider: Provider, ids: Sequence[str]) -> set[str]:
    """Which of these provider ids are already stored (one query per 500 ids)."""
    found: set[str] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        found.update(
            session.exec(
                select(Message.provider_message_id).where(
                    Message.provider == provider,
                    Message.provider_message_id.in_(chunk),  # type: ignore[attr-defined]
                )
            ).all()
        )
    return found


def touch_activity(
    session: Session, conversation: Conversation, client: Client, at: datetime
) -> None:
    """Keep first/last activity times of a conversation and its client in step with messages."""
    if conversation.started_at is None or at < conversation.started_at:
        conversation.started_at = at
    if conversation.last_message_at is None or at > conversation.last_message_at:
        conversation.last_message_at = at
    if client.last_message_at is None or at > client.last_message_at:
        client.last_message_at = at
    if client.first_contact_at is None or at < client.first_contact_at:
        client.first_contact_at = at
    session.add(conversation)
    session.add(client)


def add_message(session: Session, message: Message) -> Message | None:
    """Store a message once per (provider, provider id); None when it was already stored.

    Statuses that arrived before the message (webhooks deliver out of order) are applied now.
    """
    duplicate = existing_provider_ids(session, message.provider, [message.provider_message_id])
    if duplicate:
        return None
    session.add(message)
    try:
        with session.begin_nested():
            session.flush()
    except sa.exc.IntegrityError:
        log.debug("message %s stored concurrently", message.provider_message_id)
        return None
    conversation = session.get(Conversation, message.conversation_id)
    client = session.get(Client, message.client_id)
    if conversation is not None and client is not None:
        touch_activity(session, conversation, client, message.sent_at)
    apply_pending_statuses(session, message)
    return message


def apply_status(
    message: Message,
    status: DeliveryStatus,
    at: datetime,
    *,
    error: str | None = None,
) -> bool:
    """Move a message's delivery status forward; a late 'delivered' never undoes a 'read'."""
    changed = False
    if status is DeliveryStatus.DELIVERED and message.delivered_at is None:
        message.delivered_at, changed = at, True
    elif status is DeliveryStatus.READ:
        if message.read_at is None:
            message.read_at, changed = at, True
        if message.delivered_at is None:
            message.delivered_at = at
    elif status is DeliveryStatus.FAILED and message.failed_at is None:
        message.failed_at, message.status_error, changed = at, error, True
    current = DeliveryStatus(message.status) if message.status else DeliveryStatus.PENDING
    if status.rank > current.rank:
        message.status, changed = status, True
    return changed


def apply_pending_statuses(session: Session, message: Message) -> None:
    pending = session.exec(
        select(PendingStatus).where(
            PendingStatus.provider == message.provider,
            PendingStatus.provider_message_id == message.provider_message_id,
        )
    ).all()
    for row in sorted(pending, key=lambda p: p.at):
        apply_status(message, DeliveryStatus(row.status), row.at, error=row.error)
        session.delete(row)
    if pending:
        session.add(message)


def seller_catalogue(session: Session, seller_id: int) -> list[str]:
    """Products this seller has sold: what clients' interest and the index's pieces are
    matched against."""
    return sorted(
        set(session.exec(select(Purchase.product).where(Purchase.seller_id == seller_id)).all())
    )
