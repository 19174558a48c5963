"""Counts an operator looks at: what is stored, what is waiting, what failed."""

from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, func, select

from copiloto.storage.tables import (
    Client,
    Conversation,
    ImportIssue,
    InboxEvent,
    Job,
    MediaAsset,
    Message,
    Purchase,
    Seller,
)


def _count(session: Session, model: type) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def _group(session: Session, column: sa.ColumnElement[Any]) -> dict[str, int]:
    rows = session.exec(select(column, func.count()).group_by(column)).all()
    return {str(key): count for key, count in sorted(rows, key=lambda r: str(r[0]))}


def collect_stats(session: Session) -> dict[str, Any]:
    failed_media = session.exec(
        select(MediaAsset.filename, MediaAsset.state, MediaAsset.error).where(
            MediaAsset.state.in_(["failed", "dead", "missing"])  # type: ignore[attr-defined]
        )
    ).all()
    return {
        "sellers": _count(session, Seller),
        "clients": _count(session, Client),
        "conversations": _count(session, Conversation),
        "messages": _count(session, Message),
        "messages_by_kind": _group(session, Message.kind),  # type: ignore[arg-type]
        "purchases": _count(session, Purchase),
        "media_by_state": _group(session, MediaAsset.state),  # type: ignore[arg-type]
        "media_pending": session.exec(
            select(func.count()).select_from(MediaAsset).where(MediaAsset.state == "pending")
        ).one(),
        "media_failed": [
            {"file": name, "state": str(state), "reason": error}
            for name, state, error in failed_media
        ],
        "import_issues": _count(session, ImportIssue),
        "jobs_by_state": _group(session, Job.state),  # type: ignore[arg-type]
        "inbox_by_state": _group(session, InboxEvent.state),  # type: ignore[arg-type]
    }
