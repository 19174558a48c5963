"""Attachments of an export go through the durable job queue: processed once, failures visible."""

import io
import zipfile
from pathlib import Path

from reportlab.pdfgen import canvas
from sqlmodel import select

from copiloto.container import Container
from copiloto.domain.enums import ProcessingState
from copiloto.ingest.exports import ingest_exports
from copiloto.pipeline import Pipeline, PipelineReport
from copiloto.settings import Settings
from copiloto.storage.stats import collect_stats
from copiloto.storage.tables import DocumentChunk, Job, MediaAsset, Message


def proposal_pdf() -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, "Proposta Comercial - Kit Solar 5 kWp")
    page.drawString(72, 700, "Valor total: R$ 21.400,00 a vista no pix")
    page.save()
    return buffer.getvalue()


def export_zip(tmp_path: Path) -> Path:
    chat = (
        "10/03/2026 10:00 - Rafael Souza: Segue a proposta\n"
        "10/03/2026 10:00 - Rafael Souza: Proposta_Solar.pdf (arquivo anexado)\n"
        "10/03/2026 10:05 - Ana Paula: conta.pdf (arquivo anexado)\n"
    )
    path = tmp_path / "Conversa do WhatsApp com Ana Paula.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Conversa do WhatsApp com Ana Paula.txt", chat)
        archive.writestr("Proposta_Solar.pdf", proposal_pdf())
        archive.writestr("conta.pdf", b"%PDF-1.4 this is not really a pdf")
    return path


def test_export_media_is_processed_through_the_queue(settings: Settings, tmp_path: Path) -> None:
    container = Container(settings)
    with container.session() as session:
        ingest_exports(session, [export_zip(tmp_path)], settings=settings, seller="Rafael Souza")
        session.commit()
        jobs = session.exec(select(Job)).all()
        assert {j.kind for j in jobs} == {"media"} and len(jobs) == 2

    pipeline = Pipeline(container)
    report = PipelineReport()
    pipeline.process_media(report)

    with container.session() as session:
        assets = {a.filename: a for a in session.exec(select(MediaAsset)).all()}
        good, bad = assets["Proposta_Solar.pdf"], assets["conta.pdf"]
        assert good.state == ProcessingState.DONE and "21.400,00" in (good.extracted_text or "")
        chunks = session.exec(
            select(DocumentChunk).where(DocumentChunk.media_asset_id == good.id)
        ).all()
        assert chunks and chunks[0].page == 1
        assert bad.state == ProcessingState.FAILED and bad.error.startswith("corrupt")
        states = {j.key: j.state for j in session.exec(select(Job)).all()}
        assert states[good.sha256] == ProcessingState.DONE
        assert states[bad.sha256] == ProcessingState.DEAD  # retrying cannot mend a corrupt file
        message = session.exec(select(Message).where(Message.media_asset_id == good.id)).one()
        assert message.analyzed_at is None and message.indexed_at is None  # to be redone with text
        stats = collect_stats(session)
    assert report.media_done == 1 and report.media_failed == 1
    assert [f["file"] for f in stats["media_failed"]] == ["conta.pdf"]

    again = PipelineReport()
    pipeline.process_media(again)  # nothing is due: processed once
    with container.session() as session:
        assert session.get(MediaAsset, good.id).attempts == good.attempts
