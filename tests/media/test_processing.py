"""process_asset against a real migrated SQLite store: every attachment becomes text or a
visible, retryable error, and the same bytes are processed once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from copiloto.domain.enums import MessageKind, ProcessingState
from copiloto.media.asr import Transcript
from copiloto.media.documents import Chunk, UnstructuredExtractor
from copiloto.media.processing import process_asset
from copiloto.settings import Settings
from copiloto.storage.tables import DocumentChunk, MediaAsset


class ScriptedTranscriber:
    """Implements the Transcriber port; answers silence for files named silence*."""

    def __init__(self) -> None:
        self.calls: list[tuple[Path, str | None]] = []

    def transcribe(self, path: Path, *, language: str | None = "pt") -> Transcript:
        self.calls.append((path, language))
        if path.name.startswith("silence"):
            return Transcript("", language, None, 3.0, "scripted", True)
        return Transcript("quero comprar um painel", "pt", -0.31, 4.2, "scripted", False)


class CountingExtractor(UnstructuredExtractor):
    """The real extractor, counting calls (to prove idempotence)."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def extract(self, path: Path, *, mime: str | None = None) -> list[Chunk]:
        self.calls += 1
        return super().extract(path, mime=mime)


@pytest.fixture(scope="module")
def extractor() -> CountingExtractor:
    return CountingExtractor()


def store(settings: Settings, source: Path, name: str | None = None) -> str:
    """Copy a file into the blob store; return its path relative to data_dir."""
    target = settings.blob_dir / (name or source.name)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return str(target.relative_to(settings.data_dir))


def run(engine: Engine, settings: Settings, asset: MediaAsset, extractor, transcriber=None):  # type: ignore[no-untyped-def]
    with Session(engine, expire_on_commit=False) as session:
        session.add(asset)
        session.commit()
        process_asset(
            session,
            asset,
            data_dir=settings.data_dir,
            transcriber=transcriber or ScriptedTranscriber(),
            extractor=extractor,
        )
        session.commit()
        chunks = session.exec(
            select(DocumentChunk)
            .where(DocumentChunk.media_asset_id == asset.id)
            .order_by(DocumentChunk.position)  # type: ignore[arg-type]
        ).all()
    return asset, chunks


def test_voice_note_transcript_is_stored(engine, settings, speech_formats, extractor) -> None:
    transcriber = ScriptedTranscriber()
    asset = MediaAsset(
        filename="PTT-20240101-WA0001.opus",
        kind=MessageKind.AUDIO,
        blob_path=store(settings, speech_formats["opus"]),
    )
    asset, chunks = run(engine, settings, asset, extractor, transcriber)
    assert asset.state == ProcessingState.DONE and asset.error is None
    assert asset.extracted_text == "quero comprar um painel"
    assert (asset.language, asset.confidence, asset.duration_s, asset.model) == (
        "pt",
        -0.31,
        4.2,
        "scripted",
    )
    assert asset.sha256 and len(asset.sha256) == 64 and asset.processed_at is not None
    assert chunks == [] and transcriber.calls[0][1] == "pt"


def test_silent_note_is_done_and_says_so(engine, settings, silence_opus, extractor) -> None:
    asset = MediaAsset(
        filename="silence.opus", kind=MessageKind.AUDIO, blob_path=store(settings, silence_opus)
    )
    asset, _ = run(engine, settings, asset, extractor)
    assert asset.state == ProcessingState.DONE and asset.extracted_text == ""
    assert asset.error is not None and asset.error.startswith("silence:")


def test_pdf_chunks_are_stored_with_pages(engine, settings, text_pdf, extractor) -> None:
    asset = MediaAsset(
        filename="Proposta_Solar.pdf",
        kind=MessageKind.DOCUMENT,
        mime="application/pdf",
        blob_path=store(settings, text_pdf),
    )
    asset, chunks = run(engine, settings, asset, extractor)
    assert asset.state == ProcessingState.DONE and asset.pages == 2
    assert [(c.position, c.page) for c in chunks] == [(0, 1), (1, 2)]
    assert chunks[1].title == "Condições de Pagamento" and "12 vezes" in chunks[1].text
    assert "R$ 18.900,00" in (asset.extracted_text or "")


def test_bad_files_fail_visibly_and_the_batch_goes_on(
    engine, settings, encrypted_pdf, corrupt_pdf, unsupported_file, docx_file, extractor
) -> None:
    assets = [
        MediaAsset(filename="Protegido.pdf", kind=MessageKind.DOCUMENT, blob_path=store(settings, encrypted_pdf)),
        MediaAsset(filename="Quebrado.pdf", kind=MessageKind.DOCUMENT, blob_path=store(settings, corrupt_pdf)),
        MediaAsset(filename="programa.bin", kind=MessageKind.DOCUMENT, blob_path=store(settings, unsupported_file)),
        MediaAsset(filename="Catalogo.docx", kind=MessageKind.DOCUMENT, blob_path=store(settings, docx_file)),
    ]  # fmt: skip
    results = [run(engine, settings, asset, extractor)[0] for asset in assets]
    states = [(a.state, (a.error or "").split(":")[0], a.attempts) for a in results]
    assert states == [
        (ProcessingState.FAILED, "encrypted", 1),
        (ProcessingState.FAILED, "corrupt", 1),
        (ProcessingState.FAILED, "unsupported", 1),
        (ProcessingState.DONE, "", 0),
    ]
    assert "protegido por senha" in (results[0].error or "")  # shown to the seller in pt-BR
    retried, _ = run(engine, settings, results[0], extractor)
    assert retried.attempts == 2 and retried.state == ProcessingState.FAILED


def test_missing_blob_is_marked_missing(engine, settings, extractor) -> None:
    asset = MediaAsset(filename="IMG-0001.jpg", kind=MessageKind.IMAGE, blob_path=None)
    asset, _ = run(engine, settings, asset, extractor)
    assert asset.state == ProcessingState.MISSING and asset.error.startswith("missing:")  # type: ignore[union-attr]
    gone = MediaAsset(filename="x.pdf", kind=MessageKind.DOCUMENT, blob_path="blobs/nao-existe.pdf")
    gone, _ = run(engine, settings, gone, extractor)
    assert gone.state == ProcessingState.MISSING


def test_same_bytes_are_processed_once(engine, settings, xlsx_file, extractor) -> None:
    first = MediaAsset(
        filename="Tabela_Precos.xlsx",
        kind=MessageKind.DOCUMENT,
        blob_path=store(settings, xlsx_file),
    )
    first, first_chunks = run(engine, settings, first, extractor)
    calls = extractor.calls
    _, again_chunks = run(engine, settings, first, extractor)  # the job ran twice
    assert extractor.calls == calls and len(again_chunks) == len(first_chunks) == 2
    twin = MediaAsset(
        filename="tabela (1).xlsx",
        kind=MessageKind.DOCUMENT,
        blob_path=store(settings, xlsx_file, "outra-copia.xlsx"),
    )
    twin, twin_chunks = run(engine, settings, twin, extractor)  # same file, another client
    assert extractor.calls == calls
    assert twin.state == ProcessingState.DONE and twin.extracted_text == first.extracted_text
    assert [(c.page, c.title, c.text) for c in twin_chunks] == [
        (c.page, c.title, c.text) for c in first_chunks
    ]


def test_forced_reprocessing_replaces_chunks(engine, settings, csv_file, extractor) -> None:
    asset = MediaAsset(
        filename="precos.csv", kind=MessageKind.DOCUMENT, blob_path=store(settings, csv_file)
    )
    asset, chunks = run(engine, settings, asset, extractor)
    with Session(engine, expire_on_commit=False) as session:
        session.add(asset)
        process_asset(
            session,
            asset,
            data_dir=settings.data_dir,
            transcriber=ScriptedTranscriber(),
            extractor=extractor,
            force=True,
        )
        session.commit()
        rows = session.exec(
            select(DocumentChunk).where(DocumentChunk.media_asset_id == asset.id)
        ).all()
    assert len(rows) == len(chunks)  # replaced, not duplicated


def test_image_without_text_is_not_a_failure(engine, settings, media_dir, extractor) -> None:
    from PIL import Image

    photo = media_dir / "foto_produto.png"
    Image.new("RGB", (800, 600), (30, 120, 200)).save(photo)
    asset = MediaAsset(
        filename="IMG-0002.png", kind=MessageKind.IMAGE, blob_path=store(settings, photo)
    )
    asset, chunks = run(engine, settings, asset, extractor)
    assert asset.state == ProcessingState.DONE and chunks == []
    assert (asset.error or "").startswith("empty:")


def test_unknown_media_is_routed_by_mime(engine, settings, speech_formats, extractor) -> None:
    transcriber = ScriptedTranscriber()
    asset = MediaAsset(
        filename="<Mídia oculta>",
        kind=MessageKind.MEDIA,
        mime="audio/ogg; codecs=opus",
        blob_path=store(settings, speech_formats["ogg"], "media-77"),
    )
    asset, _ = run(engine, settings, asset, extractor, transcriber)
    assert len(transcriber.calls) == 1 and asset.state == ProcessingState.DONE
