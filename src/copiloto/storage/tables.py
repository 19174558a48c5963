"""The relational store: SQLModel tables (the persistence model, not the API models).

Times are stored timezone-aware (`TIMESTAMP WITH TIME ZONE` on PostgreSQL; SQLite keeps the offset
in the text). Money is `Decimal` in BRL. Every row that came from outside points at the raw import
it came from, so nothing is ever lost and any step can be re-run from the original bytes.
"""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator
from sqlmodel import JSON, Column, Field, SQLModel

from copiloto.domain.enums import (
    DeliveryStatus,
    Direction,
    MessageKind,
    Outcome,
    ProcessingState,
    Provider,
    Stage,
)


def utcnow() -> datetime:
    return datetime.now(UTC)


class AwareDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime on every backend.

    SQLite has no zone-aware type: values are stored in UTC and handed back with `UTC` attached, so
    comparisons and arithmetic behave the same on SQLite and PostgreSQL.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: Copiloto stores only aware times")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def time_field(*, nullable: bool = True, index: bool = False, default_now: bool = False) -> Any:
    column = Column(AwareDateTime(), nullable=nullable, index=index)
    if default_now:
        return Field(default_factory=utcnow, sa_column=column)
    return Field(default=None, sa_column=column)


def json_field(default_factory: Any = list) -> Any:
    return Field(default_factory=default_factory, sa_column=Column(JSON, nullable=False))


class Seller(SQLModel, table=True):
    __tablename__ = "sellers"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True)
    login: str = Field(unique=True, index=True, description="What the seller types to log in.")
    phone: str | None = Field(default=None, index=True, description="E.164")
    password_hash: str | None = None
    is_admin: bool = False
    aliases: list[str] = json_field()  # how the seller appears as an author in exports
    created_at: datetime = time_field(nullable=False, default_now=True)


class Client(SQLModel, table=True):
    __tablename__ = "clients"
    __table_args__ = (sa.UniqueConstraint("seller_id", "phone", name="uq_client_seller_phone"),)

    id: int | None = Field(default=None, primary_key=True)
    seller_id: int = Field(foreign_key="sellers.id", index=True)
    name: str = Field(index=True)
    phone: str | None = Field(default=None, index=True, description="E.164")
    source_channel: str | None = Field(
        default=None, description="whatsapp_export, meta, twilio, zapi, ad, site, indicação, …"
    )
    first_contact_at: datetime | None = time_field()
    last_message_at: datetime | None = time_field(index=True)
    tags: list[str] = json_field()
    keywords: list[str] = json_field()
    referral: dict[str, Any] = json_field(dict)  # ad/referral data from the first webhook
    stage: Stage = Field(default=Stage.NEW, sa_type=sa.String(20))
    created_at: datetime = time_field(nullable=False, default_now=True)


class Conversation(SQLModel, table=True):
    """One chat between a seller and a client (or a group), from any source."""

    __tablename__ = "conversations"
    __table_args__ = (sa.UniqueConstraint("seller_id", "chat_key", name="uq_conversation_key"),)

    id: int | None = Field(default=None, primary_key=True)
    seller_id: int = Field(foreign_key="sellers.id", index=True)
    client_id: int = Field(foreign_key="clients.id", index=True, description="Main client")
    chat_key: str = Field(description="Stable identity of the chat across re-imports and channels")
    title: str | None = None
    channel: Provider = Field(default=Provider.EXPORT, sa_type=sa.String(20))
    is_group: bool = False
    outcome: Outcome = Field(default=Outcome.OPEN, sa_type=sa.String(10))
    started_at: datetime | None = time_field()
    last_message_at: datetime | None = time_field()
    created_at: datetime = time_field(nullable=False, default_now=True)


class RawImport(SQLModel, table=True):
    """The original bytes of everything that came in (export file, CSV), stored before parsing."""

    __tablename__ = "raw_imports"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(description="export_txt, export_zip, purchases_csv")
    filename: str
    sha256: str = Field(unique=True, index=True)
    size: int
    blob_path: str = Field(description="Path in the blob store, relative to data_dir")
    seller_id: int | None = Field(default=None, foreign_key="sellers.id")
    state: ProcessingState = Field(default=ProcessingState.PENDING, sa_type=sa.String(10))
    stats: dict[str, Any] = json_field(dict)
    received_at: datetime = time_field(nullable=False, default_now=True)
    finished_at: datetime | None = time_field()


class ImportIssue(SQLModel, table=True):
    """A line or row that could not become data, with where it was: nothing is dropped silently."""

    __tablename__ = "import_issues"

    id: int | None = Field(default=None, primary_key=True)
    raw_import_id: int = Field(foreign_key="raw_imports.id", index=True)
    file: str
    line_no: int
    line: str
    reason: str


class MediaAsset(SQLModel, table=True):
    """A file attached to a message; processed in the background into searchable text."""

    __tablename__ = "media_assets"

    id: int | None = Field(default=None, primary_key=True)
    sha256: str | None = Field(default=None, unique=True, index=True)
    filename: str
    mime: str | None = None
    size: int | None = None
    blob_path: str | None = Field(default=None, description="Relative to data_dir; None if missing")
    source_url: str | None = Field(default=None, description="Provider media id or URL to fetch")
    kind: MessageKind = Field(sa_type=sa.String(10))
    state: ProcessingState = Field(default=ProcessingState.PENDING, sa_type=sa.String(10))
    error: str | None = None
    attempts: int = 0
    extracted_text: str | None = None
    language: str | None = None
    confidence: float | None = Field(default=None, description="ASR avg log-prob or OCR score")
    duration_s: float | None = None
    pages: int | None = None
    model: str | None = None
    processed_at: datetime | None = time_field()
    created_at: datetime = time_field(nullable=False, default_now=True)


class DocumentChunk(SQLModel, table=True):
    """Text extracted from a document or image, chunked by title, with its page."""

    __tablename__ = "document_chunks"

    id: int | None = Field(default=None, primary_key=True)
    media_asset_id: int = Field(foreign_key="media_assets.id", index=True)
    position: int
    page: int | None = None
    title: str | None = None
    text: str


class Message(SQLModel, table=True):
    __tablename__ = "messages"
    __table_args__ = (
        sa.UniqueConstraint("provider", "provider_message_id", name="uq_message_provider_id"),
        sa.Index("ix_messages_conversation_time", "conversation_id", "sent_at"),
        sa.Index("ix_messages_client_time", "client_id", "sent_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    conversation_id: int = Field(foreign_key="conversations.id")
    client_id: int = Field(foreign_key="clients.id")
    seller_id: int = Field(foreign_key="sellers.id", index=True)
    provider: Provider = Field(sa_type=sa.String(20))
    provider_message_id: str = Field(
        description="Provider's id (wamid…); for exports a content key"
    )
    direction: Direction = Field(sa_type=sa.String(4))
    author: str | None = None
    sent_at: datetime = time_field(nullable=False)
    kind: MessageKind = Field(default=MessageKind.TEXT, sa_type=sa.String(10))
    text: str = ""
    edited: bool = False
    reply_to_id: int | None = Field(default=None, foreign_key="messages.id")
    reply_to_provider_id: str | None = None
    media_asset_id: int | None = Field(default=None, foreign_key="media_assets.id", index=True)
    # delivery metadata (outgoing messages, and webhooks' read receipts)
    status: DeliveryStatus | None = Field(default=None, sa_type=sa.String(10))
    delivered_at: datetime | None = time_field()
    read_at: datetime | None = time_field()
    failed_at: datetime | None = time_field()
    status_error: str | None = None
    # provenance
    raw_import_id: int | None = Field(default=None, foreign_key="raw_imports.id", index=True)
    source_line: int | None = None
    # analysis (filled in the background; copied into the vector payload)
    sentiment: str | None = Field(default=None, sa_type=sa.String(10), index=True)
    sentiment_confidence: float | None = None
    intent: str | None = Field(default=None, sa_type=sa.String(15), index=True)
    intent_confidence: float | None = None
    analyzed_at: datetime | None = time_field()
    indexed_at: datetime | None = time_field()
    created_at: datetime = time_field(nullable=False, default_now=True)


class Purchase(SQLModel, table=True):
    __tablename__ = "purchases"
    __table_args__ = (
        sa.UniqueConstraint("client_id", "product", "purchased_at", name="uq_purchase"),
    )

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="clients.id", index=True)
    seller_id: int = Field(foreign_key="sellers.id", index=True)
    product: str
    quantity: int = 1
    value: Decimal = Field(sa_type=sa.Numeric(12, 2), description="Total in BRL")
    purchased_at: datetime = time_field(nullable=False)
    raw_import_id: int | None = Field(default=None, foreign_key="raw_imports.id")
    source_row: int | None = None


class Job(SQLModel, table=True):
    """A durable unit of background work (media processing, inbox events, analysis, briefs).

    Claimed with `FOR UPDATE SKIP LOCKED` on PostgreSQL so several workers can share the table;
    idempotent on (kind, key).
    """

    __tablename__ = "jobs"
    __table_args__ = (
        sa.UniqueConstraint("kind", "key", name="uq_job_kind_key"),
        sa.Index("ix_jobs_claim", "state", "run_after"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str
    key: str
    payload: dict[str, Any] = json_field(dict)
    state: ProcessingState = Field(default=ProcessingState.PENDING, sa_type=sa.String(10))
    attempts: int = 0
    max_attempts: int = 5
    run_after: datetime = time_field(nullable=False, default_now=True)
    locked_by: str | None = None
    locked_at: datetime | None = time_field()
    last_error: str | None = None
    created_at: datetime = time_field(nullable=False, default_now=True)
    finished_at: datetime | None = time_field()


class InboxEvent(SQLModel, table=True):
    """A webhook delivery exactly as received (body and headers), stored before anything else."""

    __tablename__ = "inbox_events"
    __table_args__ = (sa.UniqueConstraint("provider", "event_id", name="uq_inbox_provider_event"),)

    id: int | None = Field(default=None, primary_key=True)
    provider: Provider = Field(sa_type=sa.String(20))
    event_id: str | None = Field(default=None, description="Provider's id, for deduplication")
    headers: dict[str, Any] = json_field(dict)
    body: bytes = Field(sa_column=Column(sa.LargeBinary, nullable=False))
    state: ProcessingState = Field(default=ProcessingState.PENDING, sa_type=sa.String(10))
    error: str | None = None
    received_at: datetime = time_field(nullable=False, default_now=True)
    processed_at: datetime | None = time_field()


class PendingStatus(SQLModel, table=True):
    """A delivery status that arrived before its message; applied when the message arrives."""

    __tablename__ = "pending_statuses"

    id: int | None = Field(default=None, primary_key=True)
    provider: Provider = Field(sa_type=sa.String(20))
    provider_message_id: str = Field(index=True)
    status: DeliveryStatus = Field(sa_type=sa.String(10))
    at: datetime = time_field(nullable=False)
    error: str | None = None


class Brief(SQLModel, table=True):
    """Cached brief of a client, computed in the background; stale when newer messages exist."""

    __tablename__ = "briefs"

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="clients.id", unique=True)
    content: dict[str, Any] = json_field(dict)
    last_message_id: int | None = None
    model: str | None = None
    computed_at: datetime = time_field(nullable=False, default_now=True)


class Suggestion(SQLModel, table=True):
    """A reply suggestion and what the seller did with it: the feedback loop's data."""

    __tablename__ = "suggestions"

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="clients.id", index=True)
    seller_id: int = Field(foreign_key="sellers.id", index=True)
    tone: str
    suggested_text: str
    edited_text: str | None = None
    action: str | None = Field(default=None, description="sent, sent_by_hand, copied, discarded")
    message_id: int | None = Field(default=None, foreign_key="messages.id")
    created_at: datetime = time_field(nullable=False, default_now=True)
    acted_at: datetime | None = time_field()


class IndexEntry(SQLModel, table=True):
    """One point of the vector index and the fingerprint of what it was built from.

    Lets `copiloto index` embed only what is new or changed, delete points whose source is gone,
    and delete every point of a client without asking the vector store to scan its payloads.
    No foreign keys: entries must survive their client's row long enough to delete the points.
    """

    __tablename__ = "index_entries"

    node_id: str = Field(primary_key=True, max_length=36)
    key: str = Field(description="Readable source key: win:<conv>:<msg>, msg:<id>, tr:…, doc:…")
    client_id: int = Field(index=True)
    seller_id: int = Field(index=True)
    conversation_id: int | None = Field(default=None, index=True)
    kind: str = Field(sa_type=sa.String(12))
    fingerprint: str = Field(sa_type=sa.String(64))
    embedder: str = Field(sa_type=sa.String(60))
    indexed_at: datetime = time_field(nullable=False, default_now=True)


# ChainLit's tables live in the same metadata so that one migration creates everything.
from copiloto.storage import chainlit_tables  # noqa: E402, F401
