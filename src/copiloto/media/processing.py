"""Turning one stored attachment into text in the store: the unit of work the worker runs.

A bad file never raises out of here: it is marked FAILED with a readable reason (retryable, the
attempt counted), so one corrupt PDF cannot stop a batch. Work is keyed on the file's sha256: a file
already processed is not processed again, and a second asset with the same bytes reuses the result.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from sqlmodel import Session, delete, select

from copiloto.domain.enums import MessageKind, ProcessingState
from copiloto.media.asr import Transcriber
from copiloto.media.audio import AUDIO_SUFFIXES, VIDEO_SUFFIXES
from copiloto.media.documents import DocumentExtractor, detect_document_kind, pdf_page_count
from copiloto.media.errors import MediaError
from copiloto.storage.tables import DocumentChunk, MediaAsset, utcnow

log = logging.getLogger(__name__)

DOCUMENT_MODEL = "unstructured+tesseract:por"
# Images and stickers without text (a product photo) are normal, not failures.
_TEXT_OPTIONAL_KINDS = {MessageKind.IMAGE, MessageKind.STICKER}


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def is_speech_asset(asset: MediaAsset, path: Path) -> bool:
    """Audio and video go to ASR; `MEDIA` (type unknown) is decided by MIME type or suffix."""
    if asset.kind in (MessageKind.AUDIO, MessageKind.VIDEO):
        return True
    if asset.kind != MessageKind.MEDIA:
        return False
    mime = (asset.mime or "").lower()
    if mime.startswith(("audio/", "video/")):
        return True
    return path.suffix.lower() in AUDIO_SUFFIXES | VIDEO_SUFFIXES


def process_asset(
    session: Session,
    asset: MediaAsset,
    *,
    data_dir: Path,
    transcriber: Transcriber,
    extractor: DocumentExtractor,
    language: str | None = "pt",
    force: bool = False,
) -> None:
    """Fill the asset's text fields (and its DocumentChunk rows) from its blob; never raises for a
    bad file. `force` re-processes an asset already DONE with the same bytes."""
    path = data_dir / asset.blob_path if asset.blob_path else None
    if path is None or not path.is_file():
        asset.state = ProcessingState.MISSING
        asset.error = MediaError("missing", asset.blob_path or asset.filename).user_message
        _save(session, asset)
        return
    digest = file_sha256(path)
    if asset.state == ProcessingState.DONE and asset.sha256 == digest and not force:
        log.debug("asset %s already processed (sha256 %s)", asset.id, digest[:12])
        return
    if asset.sha256 != digest and not force and _copy_from_twin(session, asset, digest):
        return
    if asset.sha256 is None and _twin(session, asset, digest) is None:
        asset.sha256 = digest
    asset.size = path.stat().st_size
    try:
        if is_speech_asset(asset, path):
            _apply_transcript(session, asset, transcriber.transcribe(path, language=language))
        else:
            _apply_chunks(session, asset, path, extractor)
    except MediaError as exc:
        _fail(session, asset, exc)
        return
    except Exception as exc:  # a library bug on one file must not stop the batch
        log.exception("unexpected error processing asset %s (%s)", asset.id, asset.filename)
        _fail(session, asset, MediaError("backend_error", f"{type(exc).__name__}: {exc}"[:300]))
        return
    _save(session, asset)


def _twin(session: Session, asset: MediaAsset, digest: str) -> MediaAsset | None:
    statement = select(MediaAsset).where(MediaAsset.sha256 == digest)
    if asset.id is not None:
        statement = statement.where(MediaAsset.id != asset.id)
    return session.exec(statement).first()


def _copy_from_twin(session: Session, asset: MediaAsset, digest: str) -> bool:
    """Reuse the result of another asset with the same bytes (the same PDF sent to two clients)."""
    twin = _twin(session, asset, digest)
    if twin is None or twin.state != ProcessingState.DONE:
        return False
    for field in ("extracted_text", "language", "confidence", "duration_s", "pages", "model"):
        setattr(asset, field, getattr(twin, field))
    asset.error = twin.error
    _replace_chunks(
        session,
        asset,
        [
            DocumentChunk(
                media_asset_id=0, position=c.position, page=c.page, title=c.title, text=c.text
            )
            for c in session.exec(
                select(DocumentChunk)
                .where(DocumentChunk.media_asset_id == twin.id)
                .order_by(DocumentChunk.position)  # type: ignore[arg-type]
            )
        ],
    )
    _done(asset)
    _save(session, asset)
    log.info("asset %s reuses the result of asset %s (same sha256)", asset.id, twin.id)
    return True


def _apply_transcript(session: Session, asset: MediaAsset, transcript) -> None:  # type: ignore[no-untyped-def]
    asset.extracted_text = transcript.text
    asset.language = transcript.language
    asset.confidence = transcript.avg_logprob
    asset.duration_s = transcript.duration_s
    asset.model = transcript.model
    asset.pages = None
    # silence is a result, not a failure: DONE, empty text, and a note saying why it is empty
    asset.error = MediaError("silence").user_message if transcript.is_silence else None
    _replace_chunks(session, asset, [])
    _done(asset)


def _apply_chunks(
    session: Session, asset: MediaAsset, path: Path, extractor: DocumentExtractor
) -> None:
    try:
        chunks = extractor.extract(path, mime=asset.mime)
    except MediaError as exc:
        if exc.reason == "empty" and asset.kind in _TEXT_OPTIONAL_KINDS:
            chunks = []
            asset.error = exc.user_message
        else:
            raise
    else:
        asset.error = None
    asset.extracted_text = "\n\n".join(chunk.text for chunk in chunks)
    asset.language = None
    asset.confidence = None
    asset.duration_s = None
    asset.model = DOCUMENT_MODEL
    pages = [chunk.page for chunk in chunks if chunk.page is not None]
    is_pdf = detect_document_kind(path, mime=asset.mime) == "pdf"
    asset.pages = pdf_page_count(path) if is_pdf else (max(pages) if pages else None)
    _replace_chunks(
        session,
        asset,
        [
            DocumentChunk(
                media_asset_id=0, position=c.position, page=c.page, title=c.title, text=c.text
            )
            for c in chunks
        ],
    )
    _done(asset)


def _replace_chunks(session: Session, asset: MediaAsset, chunks: list[DocumentChunk]) -> None:
    if asset.id is None:
        session.add(asset)
        session.flush()
    session.exec(delete(DocumentChunk).where(DocumentChunk.media_asset_id == asset.id))  # type: ignore[call-overload]
    for chunk in chunks:
        chunk.media_asset_id = asset.id  # type: ignore[assignment]
        session.add(chunk)


def _done(asset: MediaAsset) -> None:
    asset.state = ProcessingState.DONE
    asset.processed_at = utcnow()


def _fail(session: Session, asset: MediaAsset, error: MediaError) -> None:
    log.warning("media asset %s (%s) failed: %s", asset.id, asset.filename, error)
    asset.state = ProcessingState.FAILED
    asset.error = error.user_message
    asset.attempts = (asset.attempts or 0) + 1
    asset.processed_at = utcnow()
    _save(session, asset)


def _save(session: Session, asset: MediaAsset) -> None:
    session.add(asset)
    session.flush()
