"""The client picker: search by name, phone or product, with the clients who need attention first."""

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, col, select

from copiloto.analysis.signals import fold
from copiloto.domain.phones import to_e164
from copiloto.storage.tables import Client, Message, Purchase, Seller
from copiloto.workspace.access import clients_of
from copiloto.workspace.facts import client_profile


@dataclass
class ClientRow:
    id: int
    name: str
    phone: str | None
    seller_id: int
    stage: str
    last_message_at: datetime | None
    attention: list[str] = field(default_factory=list)
    products: list[str] = field(default_factory=list)


def search_clients(
    session: Session, seller: Seller, query: str | None, *, limit: int = 50
) -> list[Client]:
    """Clients of this seller whose name, phone or purchased/mentioned product matches `query`."""
    base = clients_of(seller)
    if not query or not query.strip():
        return list(
            session.exec(base.order_by(col(Client.last_message_at).desc()).limit(limit)).all()
        )
    text = query.strip()
    phone = to_e164(text)
    digits = "".join(ch for ch in text if ch.isdigit())
    wanted = fold(text)
    matches: dict[int, Client] = {}
    for client in session.exec(base).all():
        if (
            wanted in fold(client.name)
            or (phone and client.phone == phone)
            or (len(digits) >= 4 and client.phone and digits in client.phone)
        ):
            matches[client.id] = client  # type: ignore[index]
    like = f"%{text.lower()}%"
    product_hits = session.exec(
        base.where(
            sa.or_(
                col(Client.id).in_(
                    select(Purchase.client_id).where(sa.func.lower(Purchase.product).like(like))
                ),
                col(Client.id).in_(
                    select(Message.client_id).where(sa.func.lower(Message.text).like(like))
                ),
            )
        )
    ).all()
    for client in product_hits:
        matches.setdefault(client.id, client)  # type: ignore[arg-type]
    ordered = sorted(
        matches.values(),
        key=lambda c: -(c.last_message_at.timestamp() if c.last_message_at else 0),
    )
    return ordered[:limit]


def client_rows(
    session: Session,
    seller: Seller,
    *,
    query: str | None = None,
    now: datetime,
    tz: ZoneInfo,
    limit: int = 50,
) -> list[ClientRow]:
    """Picker rows, the clients who need attention first (then the most recent)."""
    rows = []
    for client in search_clients(session, seller, query, limit=limit):
        profile = client_profile(session, client, now=now, tz=tz)
        rows.append(
            ClientRow(
                id=client.id,  # type: ignore[arg-type]
                name=client.name,
                phone=client.phone,
                seller_id=client.seller_id,
                stage=profile.stage.value,
                last_message_at=client.last_message_at,
                attention=[f.text for f in profile.needs_attention],
                products=[f.text for f in profile.products[:3]],
            )
        )
    rows.sort(
        key=lambda r: (
            not r.attention,
            -(r.last_message_at.timestamp() if r.last_message_at else 0),
        )
    )
    return rows
