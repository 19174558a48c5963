"""Deleting a client: their rows and their points in the vector index, nothing left behind.

A client's messages can be shared with nothing else (conversations belong to one main client), so
everything that points at the client goes, in dependency order; media files stay in the blob store
(content-addressed, possibly shared) and are listed for the operator.
"""

import logging

import sqlalchemy as sa
from sqlmodel import Session, col, select

from copiloto.retrieval.indexing import Indexer
from copiloto.storage.tables import (
    Brief,
    Client,
    Conversation,
    Message,
    Purchase,
    Suggestion,
)

log = logging.getLogger(__name__)


def delete_client(session: Session, client_id: int, *, indexer: Indexer) -> dict[str, int]:
    """Delete one client and everything that is theirs; returns what was removed."""
    client = session.get(Client, client_id)
    if client is None:
        raise LookupError(f"cliente {client_id} não encontrado")
    indexer.delete_client(session, client_id)
    conversations = list(
        session.exec(select(Conversation.id).where(Conversation.client_id == client_id)).all()
    )
    message_filter = sa.or_(
        Message.client_id == client_id, col(Message.conversation_id).in_(conversations or [-1])
    )
    message_ids = list(session.exec(select(Message.id).where(message_filter)).all())
    removed = {
        "suggestions": _delete(session, Suggestion, Suggestion.client_id == client_id),
        "briefs": _delete(session, Brief, Brief.client_id == client_id),
        "purchases": _delete(session, Purchase, Purchase.client_id == client_id),
    }
    if message_ids:
        session.execute(
            sa.update(Message)
            .where(col(Message.reply_to_id).in_(message_ids))
            .values(reply_to_id=None)
        )
    removed["messages"] = _delete(session, Message, message_filter)
    removed["conversations"] = _delete(session, Conversation, Conversation.client_id == client_id)
    session.delete(client)
    session.commit()
    log.info("deleted client %s (%s): %s", client_id, client.name, removed)
    return removed


def _delete(session: Session, model: type, condition: sa.ColumnElement[bool]) -> int:
    result = session.execute(sa.delete(model).where(condition))
    return int(result.rowcount or 0)
