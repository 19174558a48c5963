"""Load parsed WhatsApp exports into the store: raw file first, then messages, exactly once.

Exports carry no message ids, so each message gets a content key (chat, local time, author, text and
its occurrence number among identical lines). Re-importing the same file, or a longer export of the
same chat, therefore adds only what is new.
"""

import hashlib
import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, select

from copiloto.domain.enums import Direction, MessageKind, ProcessingState, Provider
from copiloto.domain.phones import looks_like_phone, to_e164
from copiloto.ingest.whatsapp.archive import ExportSource, discover_exports
from copiloto.ingest.whatsapp.model import ParsedExport, ParsedMessage
from copiloto.ingest.whatsapp.parser import parse_export
from copiloto.settings import Settings
from copiloto.storage.blobs import BlobStore
from copiloto.storage.repository import (
    existing_provider_ids,
    find_seller,
    get_or_create_client,
    get_or_create_conversation,
    get_or_create_seller,
    touch_activity,
)
from copiloto.storage.tables import ImportIssue, MediaAsset, Message, RawImport, Seller, utcnow
from copiloto.worker.queue import enqueue

MEDIA_JOB = "media"  # handled by copiloto.pipeline (transcription, extraction)

log = logging.getLogger(__name__)

BATCH = 5_000


class ExportError(ValueError):
    """An export that cannot be loaded as a whole (e.g. no author is the seller)."""


@dataclass
class FileReport:
    file: str
    platform: str
    client: str
    messages: int
    media: int
    system: int
    errors: int
    first: str | None
    last: str | None
    new_messages: int = 0
    duplicates: int = 0
    problem: str | None = None


@dataclass
class IngestReport:
    files: list[FileReport] = field(default_factory=list)

    @property
    def new_messages(self) -> int:
        return sum(f.new_messages for f in self.files)

    @property
    def duplicates(self) -> int:
        return sum(f.duplicates for f in self.files)

    def to_json(self) -> dict[str, object]:
        keys = (
            "file",
            "platform",
            "client",
            "messages",
            "media",
            "system",
            "errors",
            "first",
            "last",
        )
        files = []
        for report in self.files:
            row = {key: asdict(report)[key] for key in keys}
            if report.problem:
                row["problem"] = report.problem
            files.append(row)
        return {"files": files, "new_messages": self.new_messages, "duplicates": self.duplicates}


def ingest_exports(
    session: Session,
    paths: Sequence[Path],
    *,
    settings: Settings,
    seller: str | None = None,
    dry_run: bool = False,
    on_file: Callable[[FileReport], None] | None = None,
) -> IngestReport:
    """Parse and store every export under `paths`, committing file by file.

    A file that cannot be attributed to a seller is reported (with the reason) and skipped; the
    rest of the batch goes on.
    """
    report = IngestReport()
    blobs = BlobStore(settings.blob_dir, base=settings.data_dir)
    for source in discover_exports(paths):
        try:
            file_report = _ingest_one(
                session, source, settings=settings, seller=seller, dry_run=dry_run, blobs=blobs
            )
            if dry_run:
                session.rollback()
            else:
                session.commit()
        except ExportError as error:
            session.rollback()
            parsed = parse_export(source.text)
            file_report = _describe(source, parsed, client="", tz=settings.tz)
            file_report.problem = str(error)
            log.warning("%s: %s", source.path, error)
        report.files.append(file_report)
        if on_file is not None:
            on_file(file_report)
    return report


def _describe(
    source: ExportSource, parsed: ParsedExport, *, client: str, tz: ZoneInfo
) -> FileReport:
    times = [m.sent_at for m in parsed.messages]
    return FileReport(
        file=str(source.path),
        platform=parsed.platform,
        client=client,
        messages=len(parsed.messages),
        media=sum(1 for m in parsed.messages if m.kind.is_media or m.attachment),
        system=len(parsed.system),
        errors=len(parsed.problems),
        first=_aware(min(times), tz).isoformat() if times else None,
        last=_aware(max(times), tz).isoformat() if times else None,
    )


def _aware(moment: datetime, tz: ZoneInfo) -> datetime:
    return moment.replace(tzinfo=tz)


def _seller_author(
    session: Session,
    parsed: ParsedExport,
    *,
    source: ExportSource,
    seller: str | None,
    settings: Settings,
) -> tuple[Seller, str | None]:
    """Find which author is the seller, and the seller row they stand for."""
    authors = parsed.authors
    wanted = [name for name in [seller, *settings.seller_names] if name]
    for name in wanted:
        known = find_seller(session, name)
        names = {name.casefold()}
        if known is not None:
            names |= {n.casefold() for n in [known.name, known.login, *(known.aliases or [])] if n}
        for author in authors:
            if author.casefold() in names or _same_phone(author, names):
                return known or get_or_create_seller(session, name=author, aliases=[author]), author
    for author in authors:  # a seller registered earlier (e.g. by another export)
        known = find_seller(session, author)
        if known is not None:
            return known, author
    if seller is not None and len(authors) <= 1:  # only the client (or nobody) wrote
        known = find_seller(session, seller) or get_or_create_seller(session, name=seller)
        return known, None
    chat_name = source.chat_name.casefold()
    others = [a for a in authors if a.casefold() != chat_name]
    if chat_name and len(authors) == 2 and len(others) == 1:
        # "Conversa do WhatsApp com Fulano": the exporting phone's owner is the other author;
        # a `--seller` given as a login names the new seller's login.
        login = seller if seller and " " not in seller.strip() else None
        return get_or_create_seller(
            session, name=others[0], login=login, aliases=[others[0]]
        ), others[0]
    raise ExportError(
        "could not tell which author is the seller "
        f"(authors: {', '.join(authors) or 'none'}); pass --seller NAME or set COPILOTO_SELLER_NAMES"
    )


def _same_phone(author: str, names: set[str]) -> bool:
    phone = to_e164(author) if looks_like_phone(author) else None
    return phone is not None and any(to_e164(n) == phone for n in names if looks_like_phone(n))


def _client_identity(author: str) -> tuple[str, str | None]:
    """(display name, E.164 phone or None) of an export author."""
    if looks_like_phone(author):
        phone = to_e164(author)
        return author.strip(), phone
    return author, None


def _ingest_one(
    session: Session,
    source: ExportSource,
    *,
    settings: Settings,
    seller: str | None,
    dry_run: bool,
    blobs: BlobStore,
) -> FileReport:
    tz = settings.tz
    parsed = parse_export(source.text)
    seller_row, seller_author = _seller_author(
        session, parsed, source=source, seller=seller, settings=settings
    )
    client_authors = [a for a in parsed.authors if a != seller_author] or [
        source.chat_name or Path(source.path).stem
    ]
    is_group = len(client_authors) > 1
    assert seller_row.id is not None
    clients = {}
    for author in client_authors:
        name, phone = _client_identity(author)
        first = next((m.sent_at for m in parsed.messages if m.author == author), None)
        clients[author] = get_or_create_client(
            session,
            seller_id=seller_row.id,
            name=name,
            phone=phone,
            source_channel=Provider.EXPORT.value,
            at=_aware(first, tz) if first else None,
        )
    main_author = client_authors[0]
    if not is_group and source.chat_name:
        main_author = next((a for a in client_authors if a == source.chat_name), main_author)
    main_client = clients[main_author]
    chat_key = "export:" + "|".join(
        sorted(client.phone or client.name for client in clients.values())
    )
    conversation = get_or_create_conversation(
        session,
        seller_id=seller_row.id,
        client_id=main_client.id,  # type: ignore[arg-type]
        chat_key=chat_key,
        channel=Provider.EXPORT,
        title=source.chat_name or main_client.name,
        is_group=is_group,
    )
    report = _describe(source, parsed, client=", ".join(c.name for c in clients.values()), tz=tz)

    raw = _store_raw(session, source, seller_id=seller_row.id, blobs=blobs, dry_run=dry_run)
    rows = _message_rows(
        parsed,
        chat_key=chat_key,
        conversation_id=conversation.id,  # type: ignore[arg-type]
        seller_id=seller_row.id,
        seller_author=seller_author,
        clients={author: client.id for author, client in clients.items()},  # type: ignore[misc]
        main_client_id=main_client.id,  # type: ignore[arg-type]
        raw_import_id=raw.id if raw else None,
        tz=tz,
    )
    existing = existing_provider_ids(
        session, Provider.EXPORT, [r["provider_message_id"] for r in rows]
    )
    new_rows = [r for r in rows if r["provider_message_id"] not in existing]
    report.duplicates = sum(1 for r in rows if r["kind"] != MessageKind.SYSTEM) - sum(
        1 for r in new_rows if r["kind"] != MessageKind.SYSTEM
    )
    report.new_messages = sum(1 for r in new_rows if r["kind"] != MessageKind.SYSTEM)
    if dry_run:
        return report

    _attach_media(session, new_rows, source=source, blobs=blobs)
    for start in range(0, len(new_rows), BATCH):
        session.execute(sa.insert(Message), new_rows[start : start + BATCH])
    for author, client in clients.items():
        times = [r["sent_at"] for r in new_rows if r["author"] == author]
        if times:
            touch_activity(session, conversation, client, min(times))
            touch_activity(session, conversation, client, max(times))
    _record_problems(session, parsed, raw=raw, file=str(source.path))
    if raw is not None:
        raw.state = ProcessingState.DONE
        raw.finished_at = utcnow()
        raw.stats = {
            "messages": report.messages,
            "system": report.system,
            "errors": report.errors,
            "new_messages": report.new_messages,
        }
        session.add(raw)
    return report


def _store_raw(
    session: Session, source: ExportSource, *, seller_id: int, blobs: BlobStore, dry_run: bool
) -> RawImport | None:
    if dry_run:
        return None
    suffix = Path(source.path).suffix or ".txt"
    digest, rel = blobs.put(source.raw, suffix=suffix)
    raw = session.exec(select(RawImport).where(RawImport.sha256 == digest)).first()
    if raw is None:
        raw = RawImport(
            kind="export_zip" if suffix == ".zip" else "export_txt",
            filename=Path(source.path).name,
            sha256=digest,
            size=len(source.raw),
            blob_path=rel,
            seller_id=seller_id,
        )
        session.add(raw)
        session.flush()
    return raw


def _message_rows(
    parsed: ParsedExport,
    *,
    chat_key: str,
    conversation_id: int,
    seller_id: int,
    seller_author: str | None,
    clients: dict[str, int],
    main_client_id: int,
    raw_import_id: int | None,
    tz: ZoneInfo,
) -> list[dict[str, object]]:
    seen: Counter[tuple[str, ...]] = Counter()
    rows: list[dict[str, object]] = []

    def key(*parts: str) -> str:
        seen[parts] += 1
        material = "\x1f".join((chat_key, *parts, str(seen[parts])))
        return hashlib.sha256(material.encode()).hexdigest()[:32]

    for message in parsed.messages:
        rows.append(
            _row(
                message,
                # minutes only: Android exports drop the seconds iOS keeps, and the same chat
                # exported from both phones must not be stored twice
                provider_message_id=key(_minute(message.sent_at), message.author, message.text),
                conversation_id=conversation_id,
                seller_id=seller_id,
                client_id=clients.get(message.author, main_client_id),
                direction=Direction.OUT if message.author == seller_author else Direction.IN,
                raw_import_id=raw_import_id,
                tz=tz,
            )
        )
    last_time = min((m.sent_at for m in parsed.messages), default=None)
    for line in sorted(parsed.system, key=lambda s: s.line_no):
        when = line.sent_at or last_time
        if when is None:
            continue  # a system line in a file with no dated line at all is reported as a problem
        last_time = when
        rows.append(
            {
                "conversation_id": conversation_id,
                "client_id": main_client_id,
                "seller_id": seller_id,
                "provider": Provider.EXPORT,
                "provider_message_id": key("system", _minute(when), line.text),
                "direction": Direction.NONE,
                "author": None,
                "sent_at": _aware(when, tz),
                "kind": MessageKind.SYSTEM,
                "text": line.text,
                "edited": False,
                "raw_import_id": raw_import_id,
                "source_line": line.line_no,
                "media_asset_id": None,
                "created_at": utcnow(),
            }
        )
    return rows


def _minute(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


def _row(
    message: ParsedMessage,
    *,
    provider_message_id: str,
    conversation_id: int,
    seller_id: int,
    client_id: int,
    direction: Direction,
    raw_import_id: int | None,
    tz: ZoneInfo,
) -> dict[str, object]:
    return {
        "conversation_id": conversation_id,
        "client_id": client_id,
        "seller_id": seller_id,
        "provider": Provider.EXPORT,
        "provider_message_id": provider_message_id,
        "direction": direction,
        "author": message.author,
        "sent_at": _aware(message.sent_at, tz),
        "kind": message.kind,
        "text": message.text,
        "edited": message.edited,
        "raw_import_id": raw_import_id,
        "source_line": message.line_no,
        "media_asset_id": None,
        "created_at": utcnow(),
        "_attachment": message.attachment,
    }


def _attach_media(
    session: Session, rows: list[dict[str, object]], *, source: ExportSource, blobs: BlobStore
) -> None:
    """Store each attachment once (by sha256) and link it to its placeholder message."""
    for row in rows:
        name = row.pop("_attachment", None)
        if not name:
            continue
        assert isinstance(name, str)
        data = source.attachments.get(name)
        kind = row["kind"]
        if data is None:
            asset = MediaAsset(filename=name, kind=kind, state=ProcessingState.MISSING)  # type: ignore[arg-type]
            session.add(asset)
        else:
            digest, rel = blobs.put(data, suffix=Path(name).suffix)
            asset = session.exec(select(MediaAsset).where(MediaAsset.sha256 == digest)).first()
            if asset is None:
                asset = MediaAsset(
                    sha256=digest,
                    filename=name,
                    size=len(data),
                    blob_path=rel,
                    kind=kind,  # type: ignore[arg-type]
                    mime=_mime(name),
                )
                session.add(asset)
                session.flush()
                # the same durable queue as webhook media: retries, backoff, dead letters
                enqueue(session, kind=MEDIA_JOB, key=digest, payload={"media_asset_id": asset.id})
        session.flush()
        row["media_asset_id"] = asset.id
    for row in rows:
        row.pop("_attachment", None)


def _mime(name: str) -> str | None:
    import mimetypes

    guessed, _ = mimetypes.guess_type(name)
    if guessed is None and name.lower().endswith((".opus", ".oga")):
        return "audio/ogg"
    return guessed


def _record_problems(
    session: Session, parsed: ParsedExport, *, raw: RawImport | None, file: str
) -> None:
    if raw is None:
        return
    session.execute(sa.delete(ImportIssue).where(ImportIssue.raw_import_id == raw.id))
    for problem in parsed.problems:
        session.add(
            ImportIssue(
                raw_import_id=raw.id,  # type: ignore[arg-type]
                file=file,
                line_no=problem.line_no,
                line=problem.line,
                reason=problem.reason,
            )
        )
