"""Processing stored webhook deliveries (the inbox) into clients, conversations and messages.

Runs in the worker, never in the request: the webhook endpoint only stores the raw delivery and
enqueues an `inbox` job. Everything here is idempotent (messages are unique per provider id, statuses
only move forward), so a job that runs twice after a crash changes nothing the second time.
"""

import logging
import mimetypes
import time
from collections.abc import Callable, Mapping
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from copiloto.channels.events import (
    AnyEvent,
    IncomingMessage,
    MediaRef,
    MessageChange,
    StatusUpdate,
    UnknownShape,
)
from copiloto.channels.send import MediaFetcher
from copiloto.domain.enums import DeliveryStatus, MessageKind, ProcessingState, Provider
from copiloto.settings import Settings
from copiloto.storage.blobs import BlobStore
from copiloto.storage.repository import (
    add_message,
    apply_status,
    get_or_create_client,
    get_or_create_conversation,
    get_or_create_seller,
)
from copiloto.storage.tables import (
    InboxEvent,
    Job,
    MediaAsset,
    Message,
    PendingStatus,
    Seller,
    utcnow,
)
from copiloto.worker.queue import enqueue
from copiloto.worker.runner import Handler, PermanentError

log = logging.getLogger(__name__)

INBOX_JOB = "inbox"
DOWNLOAD_JOB = "media_download"
MEDIA_JOB = "media"  # processed by copiloto.media (transcription, extraction)

Parser = Callable[..., list[AnyEvent]]


def parsers() -> dict[Provider, Parser]:
    """One parser per provider module: adding a provider adds one line here."""
    from copiloto.channels import evolution, meta, twilio, zapi

    return {
        Provider.META: meta.parse,
        Provider.TWILIO: twilio.parse,
        Provider.ZAPI: zapi.parse,
        Provider.EVOLUTION: evolution.parse,
    }


class SellerResolver:
    """Which seller owns a channel: `channel_sellers[business id]`, else `channel_seller`."""

    def __init__(self, settings: Settings) -> None:
        self.default_login = settings.channel_seller
        self.mapping: dict[str, str] = {}
        self._ids: dict[str, int] = {}
        for key, login in settings.channel_sellers.items():
            self.mapping[key] = login
            digits = "".join(ch for ch in key if ch.isdigit())
            if digits:
                self.mapping.setdefault(digits, login)

    def login_for(self, business_id: str | None) -> str:
        if business_id:
            for key in (business_id, "".join(ch for ch in business_id if ch.isdigit())):
                if key and key in self.mapping:
                    return self.mapping[key]
        return self.default_login

    def seller(self, session: Session, business_id: str | None) -> Seller:
        login = self.login_for(business_id)
        known = self._ids.get(login)
        if known is not None:
            seller = session.get(Seller, known)
            if seller is not None:
                return seller
        seller = get_or_create_seller(session, name=login, login=login)
        session.flush()
        self._ids[login] = seller.id  # type: ignore[assignment]
        return seller


def process_inbox_event(
    session: Session, inbox_id: int, *, resolver: SellerResolver
) -> ProcessingState:
    """Apply one stored delivery; a payload that cannot be understood is marked FAILED for good."""
    inbox = session.get(InboxEvent, inbox_id)
    if inbox is None:
        raise PermanentError(f"inbox event {inbox_id} does not exist")
    if inbox.state in (ProcessingState.DONE, ProcessingState.FAILED):
        return ProcessingState(inbox.state)
    parse = parsers()[Provider(inbox.provider)]
    try:
        events = parse(bytes(inbox.body), received_at=inbox.received_at)
    except (ValueError, UnknownShape, KeyError, TypeError, AttributeError) as exc:
        reason = f"{type(exc).__name__}: {exc}"
        log.warning("inbox %s (%s) not understood: %s", inbox.id, inbox.provider, reason)
        inbox.state, inbox.error, inbox.processed_at = ProcessingState.FAILED, reason, utcnow()
        session.add(inbox)
        return ProcessingState.FAILED
    for event in events:
        if isinstance(event, IncomingMessage):
            store_incoming(session, event, resolver=resolver)
        elif isinstance(event, StatusUpdate):
            store_status(session, event)
        elif isinstance(event, MessageChange):
            store_change(session, event)
    inbox.state, inbox.processed_at = ProcessingState.DONE, utcnow()
    session.add(inbox)
    return ProcessingState.DONE


def _find_message(session: Session, provider: Provider, provider_id: str) -> Message | None:
    return session.exec(
        select(Message).where(
            Message.provider == provider, Message.provider_message_id == provider_id
        )
    ).first()


def store_incoming(
    session: Session, event: IncomingMessage, *, resolver: SellerResolver
) -> Message | None:
    """Store the message (once), creating the client and conversation on first contact."""
    seller = resolver.seller(session, event.business_id)
    assert seller.id is not None
    source = "ad" if event.referral else event.provider.value
    client = get_or_create_client(
        session,
        seller_id=seller.id,
        name=event.client_name or event.client_phone,
        phone=event.client_phone,
        source_channel=source,
        at=event.sent_at,
    )
    if event.referral and not client.referral:
        client.referral = dict(event.referral)
    if event.client_name and client.name == client.phone:
        client.name = event.client_name
    session.add(client)
    conversation = get_or_create_conversation(
        session,
        seller_id=seller.id,
        client_id=client.id,  # type: ignore[arg-type]
        chat_key=f"{event.provider.value}:{event.client_phone}",
        channel=event.provider,
        title=event.client_name or event.client_phone,
        is_group=event.is_group,
    )
    reply_to = None
    if event.reply_to_provider_id:
        reply_to = _find_message(session, event.provider, event.reply_to_provider_id)
    message = Message(
        conversation_id=conversation.id,  # type: ignore[arg-type]
        client_id=client.id,  # type: ignore[arg-type]
        seller_id=seller.id,
        provider=event.provider,
        provider_message_id=event.provider_message_id,
        direction=event.direction,
        author=event.client_name if event.direction.value == "in" else seller.name,
        sent_at=event.sent_at,
        kind=event.kind,
        text=event.text,
        reply_to_id=reply_to.id if reply_to else None,
        reply_to_provider_id=event.reply_to_provider_id,
    )
    stored = add_message(session, message)
    if stored is None:
        return None
    if event.media is not None:
        attach_media(session, stored, event.media, kind=event.kind)
    return stored


def attach_media(session: Session, message: Message, ref: MediaRef, *, kind: MessageKind) -> None:
    """A placeholder asset now; the `media_download` job fetches the bytes with retries."""
    extension = mimetypes.guess_extension((ref.mime or "").split(";")[0].strip()) or ""
    asset = MediaAsset(
        filename=ref.filename or f"{message.provider_message_id}{extension}",
        mime=ref.mime,
        source_url=ref.media_id or ref.url,
        kind=kind,
        state=ProcessingState.PENDING,
    )
    session.add(asset)
    session.flush()
    message.media_asset_id = asset.id
    session.add(message)
    enqueue(
        session,
        kind=DOWNLOAD_JOB,
        key=f"{message.provider}:{message.provider_message_id}",
        payload={
            "media_asset_id": asset.id,
            "provider": str(message.provider),
            "media_id": ref.media_id,
            "url": ref.url,
            "mime": ref.mime,
            "filename": ref.filename,
        },
        max_attempts=8,
    )


def store_status(session: Session, event: StatusUpdate) -> None:
    """Apply to the message, or keep it until the message arrives (webhooks come out of order)."""
    message = _find_message(session, event.provider, event.provider_message_id)
    if message is not None:
        if apply_status(message, event.status, event.at, error=event.error):
            session.add(message)
        return
    already = session.exec(
        select(PendingStatus.id).where(
            PendingStatus.provider == event.provider,
            PendingStatus.provider_message_id == event.provider_message_id,
            PendingStatus.status == event.status,
        )
    ).first()
    if already is None:
        session.add(
            PendingStatus(
                provider=event.provider,
                provider_message_id=event.provider_message_id,
                status=event.status,
                at=event.at,
                error=event.error,
            )
        )


def apply_orphan_statuses(session: Session, *, limit: int = 500) -> int:
    """Apply pending statuses whose message now exists.

    With several workers a status and its message can commit in two transactions that did not see
    each other; this sweep (run by the inbox handler) closes that gap.
    """
    rows = session.exec(
        select(PendingStatus, Message)
        .join(
            Message,
            sa.and_(
                Message.provider == PendingStatus.provider,
                Message.provider_message_id == PendingStatus.provider_message_id,
            ),
        )
        .limit(limit)
    ).all()
    for pending, message in sorted(rows, key=lambda row: row[0].at):
        apply_status(message, DeliveryStatus(pending.status), pending.at, error=pending.error)
        session.add(message)
        session.delete(pending)
    return len(rows)


def store_change(session: Session, event: MessageChange) -> None:
    message = _find_message(session, event.provider, event.original_provider_id)
    if message is None:
        log.info(
            "%s change for unknown message %s ignored", event.provider, event.original_provider_id
        )
        return
    if event.deleted:
        message.kind, message.text = MessageKind.DELETED, ""
    elif event.new_text is not None:
        message.text, message.edited = event.new_text, True
    session.add(message)


def download_media(
    session: Session,
    payload: Mapping[str, Any],
    *,
    fetchers: Mapping[Provider, MediaFetcher],
    blobs: BlobStore,
    max_bytes: int,
) -> MediaAsset | None:
    """Fetch an attachment, store it by content hash and hand it to media processing."""
    asset = session.get(MediaAsset, int(payload["media_asset_id"]))
    if asset is None:
        raise PermanentError(f"media asset {payload['media_asset_id']} is gone")
    if asset.sha256:
        return asset  # already downloaded by an earlier run
    provider = Provider(payload["provider"])
    fetcher = fetchers.get(provider)
    if fetcher is None:
        raise PermanentError(f"no media credentials configured for {provider.value}")
    ref = MediaRef(
        media_id=payload.get("media_id"),
        url=payload.get("url"),
        mime=payload.get("mime"),
        filename=payload.get("filename"),
    )
    fetched = fetcher.fetch(ref)
    if len(fetched.data) > max_bytes:
        raise PermanentError(f"media of {len(fetched.data)} bytes is over the {max_bytes} limit")
    suffix = "." + asset.filename.rsplit(".", 1)[-1] if "." in asset.filename else ""
    digest, relative = blobs.put(fetched.data, suffix=suffix[:10])
    existing = session.exec(select(MediaAsset).where(MediaAsset.sha256 == digest)).first()
    if existing is not None and existing.id != asset.id:
        # same bytes already stored (forwarded file): point the message at the known asset
        session.execute(
            sa.update(Message)
            .where(Message.media_asset_id == asset.id)  # type: ignore[arg-type]
            .values(media_asset_id=existing.id)
        )
        session.delete(asset)
        session.flush()
        return existing
    asset.sha256 = digest
    asset.size = len(fetched.data)
    asset.blob_path = relative
    asset.mime = asset.mime or fetched.mime
    session.add(asset)
    session.flush()
    enqueue(
        session,
        kind=MEDIA_JOB,
        key=digest,
        payload={"media_asset_id": asset.id, "sha256": digest},
    )
    return asset


def build_channel_handlers(settings: Settings) -> dict[str, Handler]:
    """The worker handlers of this package: `inbox` and `media_download`."""
    from copiloto.channels.send import build_media_fetchers

    resolver = SellerResolver(settings)
    fetchers = build_media_fetchers(settings)
    blobs = BlobStore(settings.blob_dir, base=settings.data_dir)

    last_sweep = [0.0]

    def handle_inbox(session: Session, job: Job) -> None:
        process_inbox_event(session, int(job.payload["inbox_id"]), resolver=resolver)
        now = time.monotonic()
        if now - last_sweep[0] >= 1.0:  # at most once a second: it is a join over two tables
            last_sweep[0] = now
            if session.exec(select(PendingStatus.id).limit(1)).first() is not None:
                apply_orphan_statuses(session)

    def handle_download(session: Session, job: Job) -> None:
        download_media(
            session,
            job.payload,
            fetchers=fetchers,
            blobs=blobs,
            max_bytes=settings.media_max_bytes,
        )

    return {INBOX_JOB: handle_inbox, DOWNLOAD_JOB: handle_download}


def inbox_counts(session: Session) -> dict[str, dict[str, int]]:
    """Webhook deliveries per provider and state, for `copiloto stats` (FAILED: not understood)."""
    rows = session.execute(
        sa.select(InboxEvent.provider, InboxEvent.state, sa.func.count()).group_by(  # type: ignore[arg-type]
            InboxEvent.provider, InboxEvent.state
        )
    ).all()
    counts: dict[str, dict[str, int]] = {}
    for provider, state, count in rows:
        counts.setdefault(str(provider), {})[str(state)] = int(count)
    return counts
