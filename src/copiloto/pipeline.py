"""The one-way pipeline after data lands: media → analysis → index → briefs.

Each step works only on what is pending, so running the pipeline again is cheap and a failed step
is simply retried on the next run. `copiloto ingest`, `copiloto process`, the worker and the demo
all call this one object.
"""

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlmodel import Session, col, func, select

from copiloto.container import Container
from copiloto.domain.enums import MessageKind, ProcessingState
from copiloto.storage.tables import Brief, Client, Job, MediaAsset, Message, utcnow

if TYPE_CHECKING:
    from copiloto.worker.runner import Worker

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
MEDIA_JOB = "media"
PERMANENT_MEDIA_FAILURES = {"corrupt", "encrypted", "unsupported", "no_audio", "missing", "empty"}


@dataclass
class PipelineReport:
    media_done: int = 0
    media_failed: int = 0
    classified: int = 0
    indexed: int = 0
    briefs: int = 0
    errors: list[str] = field(default_factory=list)


class Pipeline:
    def __init__(self, container: Container) -> None:
        self.container = container
        self._lock = threading.Lock()

    def run(self, *, briefs: int = 0, progress: Progress | None = None) -> PipelineReport:
        """Run every step on what is pending; compute at most `briefs` stale briefs."""
        report = PipelineReport()
        with self._lock:
            self.process_media(report, progress=progress)
            self.analyze(report, progress=progress)
            self.index(report, progress=progress)
            if briefs:
                self.refresh_briefs(report, limit=briefs)
        return report

    def media_worker(self) -> "Worker":
        """A queue worker for `media` jobs only (exports and webhooks both enqueue them)."""
        from copiloto.worker.runner import Worker

        return Worker(
            self.container.engine,
            {MEDIA_JOB: self.media_job},
            poll_s=self.container.settings.worker_poll_s,
            batch_size=1,
        )

    def media_job(self, session: Session, job: Job) -> None:
        """Process one attachment; failures go back to the queue (retried with backoff) unless
        retrying cannot help (a corrupt, encrypted or unsupported file), which is dead at once."""
        from copiloto.worker.runner import PermanentError

        error = self.process_asset(int(job.payload["media_asset_id"]))
        if error is None:
            return
        if error.split(":", 1)[0] in PERMANENT_MEDIA_FAILURES:
            raise PermanentError(error)
        raise RuntimeError(error)

    def process_media(self, report: PipelineReport, *, progress: Progress | None = None) -> None:
        with self.container.session() as session:
            due = session.exec(
                select(func.count())
                .select_from(Job)
                .where(
                    Job.kind == MEDIA_JOB,
                    Job.state.in_(["pending", "failed"]),
                    Job.run_after <= utcnow(),
                )  # type: ignore[attr-defined]
            ).one()
        if not due:
            return
        worker = self.media_worker()
        done = 0
        while worker.run_once():
            done += 1
            if progress:
                progress("Transcrevendo áudios e lendo documentos", min(done, due), due)
        with self.container.session() as session:
            states = dict(
                session.exec(
                    select(MediaAsset.state, func.count()).group_by(MediaAsset.state)
                ).all()
            )
            failed = session.exec(
                select(MediaAsset.filename, MediaAsset.error).where(
                    MediaAsset.state == ProcessingState.FAILED
                )
            ).all()
        report.media_done = states.get(ProcessingState.DONE, 0)
        report.media_failed = len(failed)
        report.errors += [f"{name}: {error}" for name, error in failed]

    def process_asset(self, asset_id: int) -> str | None:
        """Transcribe or extract one attachment; returns its error (`reason: mensagem`) if it failed.

        A processed attachment's messages are analysed and indexed again, now with its text.
        """
        from copiloto.media.processing import process_asset

        with self.container.session() as session:
            asset = session.get(MediaAsset, asset_id)
            if asset is None or asset.state == ProcessingState.DONE:
                return None
            audio = MessageKind(asset.kind) is MessageKind.AUDIO
            process_asset(
                session,
                asset,
                data_dir=self.container.settings.data_dir,
                transcriber=self.container.transcriber if audio else None,
                extractor=None if audio else self.container.extractor,
            )
            failure = None
            if asset.state == ProcessingState.DONE:
                messages = session.exec(select(Message).where(Message.media_asset_id == asset_id))
                for message in messages:
                    message.analyzed_at = None
                    message.indexed_at = None
                    session.add(message)
            else:
                failure = asset.error or "backend_error: falha sem detalhe"
            session.commit()
            return failure

    def analyze(self, report: PipelineReport, *, progress: Progress | None = None) -> None:
        from copiloto.analysis.pipeline import analyze_pending

        with self.container.session() as session:
            result = analyze_pending(
                session,
                self.container.classifier,
                tz=self.container.settings.tz,
                progress=(lambda d, t: progress("Analisando mensagens", d, t))
                if progress
                else None,
            )
        report.classified += result.classified

    def index(self, report: PipelineReport, *, progress: Progress | None = None) -> None:
        with self.container.session() as session:
            result = self.container.indexer.index_pending(
                session,
                progress=(lambda d, t: progress("Indexando o histórico", d, t))
                if progress
                else None,
            )
            session.commit()
        report.indexed += getattr(result, "indexed", 0) or getattr(result, "added", 0)

    def stale_brief_clients(self, *, limit: int) -> list[int]:
        """Clients whose cached brief is missing or older than their last message, newest first."""
        with self.container.session() as session:
            latest = (
                select(Message.client_id, func.max(Message.id).label("last_id"))
                .where(Message.kind != MessageKind.SYSTEM)
                .group_by(Message.client_id)
                .subquery()
            )
            rows = session.exec(
                select(Client.id)
                .join(latest, latest.c.client_id == Client.id)
                .join(Brief, Brief.client_id == Client.id, isouter=True)
                .where((col(Brief.id).is_(None)) | (Brief.last_message_id != latest.c.last_id))
                .order_by(col(Client.last_message_at).desc())
                .limit(limit)
            ).all()
            return list(rows)

    def refresh_briefs(self, report: PipelineReport, *, limit: int) -> None:
        for client_id in self.stale_brief_clients(limit=limit):
            try:
                self.container.workspace.compute_brief(client_id)
                report.briefs += 1
            except Exception as error:  # one client's failure must not stop the others
                log.exception("brief of client %s failed", client_id)
                report.errors.append(f"brief {client_id}: {error}")


class BackgroundLoop:
    """The server's background work: the job queue (webhooks, downloads) and the pipeline."""

    def __init__(
        self, container: Container, *, interval_s: float = 5.0, briefs_per_round: int = 1
    ) -> None:
        from copiloto.worker.handlers import build_handlers
        from copiloto.worker.runner import Worker

        self.container = container
        self.pipeline = Pipeline(container)

        self.worker = Worker(
            container.engine,
            build_handlers(
                settings=container.settings,
                engine=container.engine,
                extra={MEDIA_JOB: self.pipeline.media_job},
            ),
            poll_s=container.settings.worker_poll_s,
            foreground=container.foreground,
        )
        self.interval_s = interval_s
        self.briefs_per_round = briefs_per_round
        self.stop = threading.Event()
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        self.thread = threading.Thread(target=self._loop, name="copiloto-background", daemon=True)
        self.thread.start()

    def _loop(self) -> None:
        while not self.stop.is_set():
            try:
                self.worker.run_until_idle(max_rounds=50)
                self.pipeline.run(briefs=self.briefs_per_round)
            except Exception:
                log.exception("background round failed; retrying in %.0f s", self.interval_s)
            self.stop.wait(self.interval_s)

    def run_forever(self) -> None:
        """Run in the foreground until interrupted (`copiloto worker`)."""
        try:
            self._loop()
        except KeyboardInterrupt:
            self.stop.set()

    def close(self, *, timeout_s: float = 5.0) -> None:
        """Stop after the current step, waiting at most `timeout_s`.

        A brief on the local model takes minutes and cannot be interrupted, so the server does not
        wait for it: the thread is a daemon and dies with the process. Nothing is lost that way:
        jobs commit with their results (an unfinished one is claimed again when its lease ends)
        and a brief left unwritten is still stale, so the next run computes it.
        """
        self.stop.set()
        if self.thread is not None:
            self.thread.join(timeout=timeout_s)
            if self.thread.is_alive():
                log.info("background work still running: left to end with the process")
