"""Incremental, idempotent indexing of the store into the vector index.

Every run re-chunks the conversations (cheap: plain Python over rows) and compares each piece's
fingerprint with the `IndexEntry` recorded when it was last written. Only new or changed pieces are
embedded (the expensive part); pieces whose source disappeared are deleted. Point ids are derived
from source keys, so a run interrupted after writing vectors but before committing its entries
just overwrites the same points the next time.
"""

import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Literal, Protocol, TypeVar

import typer
from sqlmodel import Session, col, delete, select, update

from copiloto.retrieval.chunking import (
    ChatLine,
    Chunk,
    ChunkingOptions,
    ConversationInfo,
    DocumentPiece,
    canned_key,
    chunk_conversation,
)
from copiloto.storage.repository import seller_catalogue
from copiloto.storage.tables import (
    Conversation,
    DocumentChunk,
    IndexEntry,
    MediaAsset,
    Message,
    utcnow,
)

if TYPE_CHECKING:
    import numpy as np
    from llama_index.core.schema import TextNode
    from llama_index.core.vector_stores.types import BasePydanticVectorStore

    from copiloto.settings import Settings

log = logging.getLogger(__name__)
T = TypeVar("T")

_TRANSCRIBED_KINDS = frozenset({"audio", "video"})


class Embedder(Protocol):
    """The embedder port (implemented in `retrieval/embeddings.py`)."""

    name: str
    dim: int

    def embed(
        self, texts: Sequence[str], *, kind: Literal["query", "passage"] = "passage"
    ) -> "np.ndarray": ...


@dataclass
class IndexReport:
    conversations: int = 0
    chunks: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    seconds: float = 0.0

    @property
    def embedded(self) -> int:
        return self.added + self.updated


def _batches(items: Sequence[T], size: int) -> Iterable[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def to_text_node(chunk: Chunk, embedding: Sequence[float]) -> "TextNode":
    """A LlamaIndex node whose payload is the chunk's metadata; metadata is never embedded."""
    from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode

    keys = list(chunk.metadata)
    node = TextNode(
        id_=chunk.node_id,
        text=chunk.text,
        metadata=dict(chunk.metadata),
        embedding=[float(x) for x in embedding],
        excluded_embed_metadata_keys=keys,
        excluded_llm_metadata_keys=keys,
    )
    # ref_doc_id = the client, so `vector_store.delete(ref_doc_id)` also drops a client's points.
    node.relationships[NodeRelationship.SOURCE] = RelatedNodeInfo(
        node_id=f"client:{chunk.metadata['client_id']}"
    )
    return node


def canned_messages(session: Session, *, min_conversations: int) -> frozenset[str]:
    """The `canned_key`s of messages found in at least `min_conversations` conversations of the
    store: the team's quick replies and follow-up templates, and the stock answers to them.

    Counted over all sellers (a team shares its templates, and a new seller's first chats get
    the team's list) and over the whole store on every run, also when only one client is
    re-indexed: whether a line is canned depends on the other chats. One pass over the texts.
    """
    seen: dict[str, set[int]] = defaultdict(set)
    rows = session.exec(select(Message.conversation_id, Message.text))
    for conversation_id, text in rows:
        key = canned_key(text or "")
        if key is not None:
            seen[key].add(conversation_id)
    return frozenset(key for key, found in seen.items() if len(found) >= min_conversations)


def load_conversation_chunks(
    session: Session, *, options: ChunkingOptions, client_id: int | None = None
) -> Iterable[tuple[Conversation, list[Chunk]]]:
    """Chunk every conversation in the store (optionally of one client), one at a time."""
    canned = canned_messages(session, min_conversations=options.canned_min_conversations)
    catalogues: dict[int, tuple[str, ...]] = {}
    conversations = select(Conversation).order_by(col(Conversation.id))
    if client_id is not None:
        conversations = conversations.where(Conversation.client_id == client_id)
    for conversation in session.exec(conversations).all():
        assert conversation.id is not None
        if conversation.seller_id not in catalogues:  # one query per seller, not per chat
            catalogues[conversation.seller_id] = tuple(
                seller_catalogue(session, conversation.seller_id)
            )
        rows = session.exec(
            select(Message, MediaAsset)
            .outerjoin(MediaAsset, col(Message.media_asset_id) == col(MediaAsset.id))
            .where(Message.conversation_id == conversation.id)
            .order_by(col(Message.sent_at), col(Message.id))
        ).all()
        lines: list[ChatLine] = []
        documents: list[DocumentPiece] = []
        assets: dict[int, tuple[MediaAsset, int]] = {}
        for message, asset in rows:
            assert message.id is not None
            transcript = None
            if asset is not None and asset.extracted_text:
                if str(asset.kind) in _TRANSCRIBED_KINDS:
                    transcript = asset.extracted_text
                elif asset.id is not None:
                    assets[asset.id] = (asset, message.id)
            lines.append(
                ChatLine(
                    message_id=message.id,
                    conversation_id=conversation.id,
                    client_id=message.client_id,
                    seller_id=message.seller_id,
                    sent_at=message.sent_at,
                    direction=str(message.direction),
                    author=message.author,
                    kind=str(message.kind),
                    text=message.text or "",
                    sentiment=message.sentiment,
                    intent=message.intent,
                    transcript=transcript,
                )
            )
        if assets:
            chunk_rows = session.exec(
                select(DocumentChunk)
                .where(col(DocumentChunk.media_asset_id).in_(list(assets)))
                .order_by(col(DocumentChunk.media_asset_id), col(DocumentChunk.position))
            ).all()
            chunked_assets = {row.media_asset_id for row in chunk_rows}
            for row in chunk_rows:
                asset, message_id = assets[row.media_asset_id]
                documents.append(
                    DocumentPiece(
                        key=str(row.id),
                        message_id=message_id,
                        page=row.page,
                        title=row.title,
                        text=row.text,
                        filename=asset.filename,
                    )
                )
            for asset_id, (asset, message_id) in assets.items():
                if asset_id not in chunked_assets:  # OCR text never split into chunks
                    documents.append(
                        DocumentPiece(
                            key=f"asset{asset_id}",
                            message_id=message_id,
                            page=None,
                            title=None,
                            text=asset.extracted_text or "",
                            filename=asset.filename,
                        )
                    )
        info = ConversationInfo(
            conversation_id=conversation.id,
            client_id=conversation.client_id,
            seller_id=conversation.seller_id,
            outcome=str(conversation.outcome) if conversation.outcome else None,
            catalogue=catalogues[conversation.seller_id],
        )
        yield (
            conversation,
            chunk_conversation(
                info,
                lines,
                documents,
                options=options,
                canned=canned,
            ),
        )


class Indexer:
    """Keeps the vector index in step with the store; built from an embedder and a vector store."""

    def __init__(
        self,
        *,
        embedder: Embedder,
        vector_store: "BasePydanticVectorStore",
        options: ChunkingOptions | None = None,
        batch_size: int = 128,
    ) -> None:
        self.embedder = embedder
        self.vector_store = vector_store
        self.options = options or ChunkingOptions()
        self.batch_size = batch_size

    def index_pending(
        self,
        session: Session,
        *,
        progress: Callable[[int, int], None] | None = None,
        client_id: int | None = None,
    ) -> IndexReport:
        """Embed and write what is new or changed, delete what is gone; returns what it did.

        `progress(done, total)` is called after each embedded batch (total = pieces to embed).
        The caller's session commits the bookkeeping (`IndexEntry`, `Message.indexed_at`).
        """
        started = time.perf_counter()
        report = IndexReport()
        entries_query = select(IndexEntry)
        if client_id is not None:
            entries_query = entries_query.where(IndexEntry.client_id == client_id)
        existing = {entry.node_id: entry for entry in session.exec(entries_query).all()}

        pending: list[Chunk] = []
        produced: set[str] = set()
        for _conversation, chunks in load_conversation_chunks(
            session, options=self.options, client_id=client_id
        ):
            report.conversations += 1
            for chunk in chunks:
                report.chunks += 1
                produced.add(chunk.node_id)
                entry = existing.get(chunk.node_id)
                if (
                    entry is not None
                    and entry.fingerprint == chunk.fingerprint
                    and entry.embedder == self.embedder.name
                ):
                    report.unchanged += 1
                    continue
                pending.append(chunk)
                if entry is None:
                    report.added += 1
                else:
                    report.updated += 1

        stale = [node_id for node_id in existing if node_id not in produced]
        if stale:
            for batch in _batches(stale, 500):
                self.vector_store.delete_nodes(node_ids=list(batch))
            session.exec(delete(IndexEntry).where(col(IndexEntry.node_id).in_(stale)))  # type: ignore[call-overload]
            report.deleted = len(stale)

        done = 0
        for batch in _batches(pending, self.batch_size):
            vectors = self.embedder.embed([chunk.text for chunk in batch], kind="passage")
            nodes = [to_text_node(c, v) for c, v in zip(batch, vectors, strict=True)]
            self.vector_store.add(nodes)
            now = utcnow()
            message_ids: set[int] = set()
            for chunk in batch:
                metadata: dict[str, Any] = chunk.metadata
                session.merge(
                    IndexEntry(
                        node_id=chunk.node_id,
                        key=chunk.key,
                        client_id=metadata["client_id"],
                        seller_id=metadata["seller_id"],
                        conversation_id=metadata.get("conversation_id"),
                        kind=metadata["kind"],
                        fingerprint=chunk.fingerprint,
                        embedder=self.embedder.name,
                        indexed_at=now,
                    )
                )
                message_ids.update(metadata["message_ids"])
            session.exec(
                update(Message).where(col(Message.id).in_(message_ids)).values(indexed_at=now)  # type: ignore[call-overload]
            )
            session.flush()
            done += len(batch)
            if progress is not None:
                progress(done, len(pending))

        report.seconds = time.perf_counter() - started
        log.info(
            "indexed %d conversations: %d pieces, %d added, %d updated, %d deleted in %.1fs",
            report.conversations,
            report.chunks,
            report.added,
            report.updated,
            report.deleted,
            report.seconds,
        )
        return report

    def delete_client(self, session: Session, client_id: int) -> None:
        """Remove every point of a client (before or after its rows are deleted)."""
        from llama_index.core.vector_stores.types import (
            FilterOperator,
            MetadataFilter,
            MetadataFilters,
        )

        node_ids = list(
            session.exec(select(IndexEntry.node_id).where(IndexEntry.client_id == client_id)).all()
        )
        for batch in _batches(node_ids, 500):
            self.vector_store.delete_nodes(node_ids=list(batch))
        # Points written by a run whose bookkeeping was rolled back have no entry: sweep by payload.
        self.vector_store.delete_nodes(
            filters=MetadataFilters(
                filters=[
                    MetadataFilter(key="client_id", value=client_id, operator=FilterOperator.EQ)
                ]
            )
        )
        session.exec(delete(IndexEntry).where(IndexEntry.client_id == client_id))  # type: ignore[call-overload]
        session.flush()
        log.info("deleted %d index points of client %d", len(node_ids), client_id)


def build_indexer(settings: "Settings") -> Indexer:
    """The indexer over the configured embedder and vector store."""
    from copiloto.retrieval.embeddings import build_embedder
    from copiloto.retrieval.vector_store import build_vector_store

    embedder = build_embedder(settings)
    return Indexer(embedder=embedder, vector_store=build_vector_store(settings, dim=embedder.dim))


def index_command(
    client: Annotated[
        str | None, typer.Option("--client", help="Only this client (name or phone).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Index what is new or changed in the store (`copiloto index`)."""
    import json
    from dataclasses import asdict

    from rich.console import Console
    from rich.progress import Progress

    from copiloto.retrieval.clients import UnknownClient, resolve_client
    from copiloto.settings import Settings
    from copiloto.storage.db import make_engine, migrate, session_scope

    settings = Settings()
    engine = make_engine(settings.resolved_database_url)
    migrate(engine)
    indexer = build_indexer(settings)
    console = Console(stderr=True)
    with session_scope(engine) as session:
        client_id = None
        if client is not None:
            try:
                client_id = resolve_client(session, client).id
            except UnknownClient as error:
                console.print(f"[red]{error}[/red]")
                raise typer.Exit(1) from error
        with Progress(console=console, transient=True, disable=as_json) as bar:
            task = bar.add_task("Indexando", total=None)
            report = indexer.index_pending(
                session,
                client_id=client_id,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
    if as_json:
        typer.echo(json.dumps({**asdict(report), "embedder": indexer.embedder.name}))
    else:
        Console().print(
            f"{report.conversations} conversas, {report.chunks} trechos: "
            f"{report.added} novos, {report.updated} atualizados, {report.deleted} removidos, "
            f"{report.unchanged} sem mudança ({report.seconds:.1f}s)"
        )
