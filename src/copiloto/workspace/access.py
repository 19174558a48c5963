"""Isolation between sellers: a seller sees only their own clients; an admin sees all.

Every path (picker, questions, URLs, resumed threads, API) goes through these functions, so the
rule lives in one place.
"""

from sqlmodel import Session, select
from sqlmodel.sql.expression import SelectOfScalar

from copiloto.storage.tables import Client, Seller


class AccessDenied(PermissionError):
    """The client exists but belongs to another seller (reported as 'not found' to the user)."""


def clients_of(seller: Seller) -> SelectOfScalar[Client]:
    query = select(Client)
    if not seller.is_admin:
        query = query.where(Client.seller_id == seller.id)
    return query


def client_for(session: Session, seller: Seller, client_id: int) -> Client:
    client = session.get(Client, client_id)
    if client is None:
        raise LookupError(f"cliente {client_id} não encontrado")
    if not seller.is_admin and client.seller_id != seller.id:
        raise AccessDenied(f"cliente {client_id} não encontrado")
    return client


def seller_scope(seller: Seller) -> int | None:
    """The seller id retrieval must filter on (None: an admin searches everything)."""
    return None if seller.is_admin else seller.id
