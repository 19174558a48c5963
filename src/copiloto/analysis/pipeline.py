"""Incremental analysis of stored messages: classify what is new, then update outcomes and stages.

Runs after every ingestion and webhook batch (and in the worker). Only messages never analysed are
classified, so re-running is cheap; results go into the message rows and, through the indexer's
payload, into Qdrant.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from copiloto.analysis.classify import MessageClassifier
from copiloto.analysis.profile import build_profile
from copiloto.domain.enums import Direction, MessageKind, Outcome, Stage
from copiloto.storage.tables import Client, Conversation, MediaAsset, Message, utcnow
from copiloto.workspace.facts import message_views, purchase_views

log = logging.getLogger(__name__)

BATCH = 512
_OUTCOME = {Stage.WON: Outcome.WON, Stage.LOST: Outcome.LOST}


@dataclass
class AnalysisReport:
    classified: int = 0
    clients_updated: int = 0


def analyze_pending(
    session: Session,
    classifier: MessageClassifier,
    *,
    tz: ZoneInfo,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> AnalysisReport:
    """Classify the client messages not analysed yet, then refresh the touched clients."""
    report = AnalysisReport()
    pending = session.exec(
        select(Message, MediaAsset.extracted_text)
        .join(MediaAsset, col(Message.media_asset_id) == MediaAsset.id, isouter=True)
        .where(
            col(Message.analyzed_at).is_(None),
            Message.kind != MessageKind.SYSTEM,
        )
        .order_by(col(Message.id))
    ).all()
    touched: set[int] = set()
    total = len(pending)
    for start in range(0, total, BATCH):
        batch = pending[start : start + BATCH]
        texts = [" ".join(t for t in (m.text, extra) if t) for m, extra in batch]
        client_rows = [
            i for i, (m, _) in enumerate(batch) if m.direction == Direction.IN and texts[i]
        ]
        predictions = classifier.classify([texts[i] for i in client_rows])
        stamp = utcnow()
        for index, (sentiment, intent) in zip(client_rows, predictions, strict=True):
            message = batch[index][0]
            message.sentiment, message.sentiment_confidence = sentiment.label, sentiment.confidence
            message.intent, message.intent_confidence = intent.label, intent.confidence
        for message, _ in batch:
            message.analyzed_at = stamp
            if message.indexed_at is not None and message.direction == Direction.IN:
                message.indexed_at = None  # payload gained sentiment/intent: re-index
            session.add(message)
            touched.add(message.client_id)
        report.classified += len(client_rows)
        session.flush()
        if progress:
            progress(min(start + BATCH, total), total)
    for client_id in sorted(touched):
        refresh_client(session, client_id, tz=tz, now=now or datetime.now(UTC))
    report.clients_updated = len(touched)
    session.commit()
    return report


def refresh_client(session: Session, client_id: int, *, tz: ZoneInfo, now: datetime) -> None:
    """Recompute a client's stage and the outcome of their conversations from the analysis."""
    client = session.get(Client, client_id)
    if client is None:
        return
    views = message_views(session, client_id)
    profile = build_profile(views, purchases=purchase_views(session, client_id), now=now, tz=tz)
    client.stage = profile.stage
    session.add(client)
    conversations = session.exec(
        select(Conversation).where(Conversation.client_id == client_id)
    ).all()
    for conversation in conversations:
        own = [v for v in views if v.conversation_id == conversation.id]
        stage = build_profile(own, now=now, tz=tz).stage if own else Stage.NEW
        outcome = _OUTCOME.get(stage, Outcome.OPEN)
        if stage is Stage.DORMANT and profile.stage is Stage.WON:
            outcome = Outcome.WON
        if conversation.outcome != outcome:
            conversation.outcome = outcome
            session.add(conversation)
