"""The background worker: claims jobs and runs the handler registered for each kind.

A handler's writes and the job's DONE mark commit in one transaction, so a worker killed at any point
either committed both or neither: after a restart the job runs again from the start and nothing is
doubled (handlers are written to be idempotent anyway, keyed on provider ids and content hashes).
"""

import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Collection, Mapping
from typing import Annotated

import typer
from sqlalchemy.engine import Engine
from sqlmodel import Session

from copiloto.storage.tables import Job
from copiloto.worker.foreground import Foreground
from copiloto.worker.queue import JobQueue, mark_done

log = logging.getLogger(__name__)

Handler = Callable[[Session, Job], None]


class PermanentError(Exception):
    """Raised by a handler when retrying cannot help (bad input): the job goes DEAD at once."""


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


class Worker:
    def __init__(
        self,
        engine: Engine,
        handlers: Mapping[str, Handler],
        *,
        worker_id: str | None = None,
        poll_s: float = 0.5,
        batch_size: int = 20,
        lease_s: float = 300.0,
        backoff_base_s: float = 5.0,
        group_commit: bool | None = None,
        group_kinds: Collection[str] = ("inbox",),
        foreground: Foreground | None = None,
    ) -> None:
        self.engine = engine
        # in the server's process: step aside before each job while webhooks are being acked
        self.foreground = foreground
        # PostgreSQL: one commit per batch is cheaper and locks only the rows touched. SQLite has
        # one write lock for the whole file: a long batch transaction would stall the webhook
        # endpoint's inserts behind it, so there each job commits on its own.
        # only cheap, purely-database kinds are batched: a failure re-runs the whole batch one
        # by one, which must never repeat a transcription or a download
        self.group_kinds = frozenset(group_kinds)
        self.group_commit = (
            engine.dialect.name != "sqlite" if group_commit is None else group_commit
        )
        self.handlers = dict(handlers)
        self.worker_id = worker_id or default_worker_id()
        self.poll_s = poll_s
        self.batch_size = batch_size
        self.queue = JobQueue(engine, lease_s=lease_s, backoff_base_s=backoff_base_s)

    def run_once(self) -> int:
        """Claim one batch and run it; returns how many jobs were attempted (0: nothing due)."""
        # while acks keep coming, one job at a time: a batch would hold the interpreter for long
        limit = self.batch_size if self._yield() else 1
        jobs = self.queue.claim(worker_id=self.worker_id, kinds=list(self.handlers), limit=limit)
        claimed = len(jobs)
        together = [job for job in jobs if self.group_commit and job.kind in self.group_kinds]
        ran_together = len(together) > 1 and self._run_together(together)
        if ran_together:
            done = {job.id for job in together}
            jobs = [job for job in jobs if job.id not in done]
        for position, job in enumerate(jobs):
            if position or ran_together:  # the wait before the claim covered the first job
                self._yield()
            self._run(job)
        return claimed

    def _yield(self) -> bool:
        """Wait (bounded) for no webhook ack in flight; True when it is quiet."""
        return self.foreground is None or self.foreground.wait_quiet()

    def _run_together(self, jobs: list[Job]) -> bool:
        """Run a batch in one transaction (one commit instead of one per job).

        All-or-nothing: if any handler raises, the whole batch is rolled back and every job is
        run again on its own, so a failure is attributed to its job and retried alone.
        """
        try:
            with Session(self.engine, expire_on_commit=False) as session:
                for job in jobs:
                    assert job.id is not None
                    self.handlers[job.kind](session, job)
                    mark_done(session, job.id)
                session.commit()
            return True
        except Exception as exc:
            log.info("batch of %s rolled back (%s): running its jobs one by one", len(jobs), exc)
            return False

    def _run(self, job: Job) -> None:
        assert job.id is not None
        handler = self.handlers[job.kind]
        started = time.perf_counter()
        try:
            with Session(self.engine, expire_on_commit=False) as session:
                handler(session, job)
                mark_done(session, job.id)
                session.commit()
        except PermanentError as exc:
            log.warning("job %s %s:%s rejected: %s", job.id, job.kind, job.key, exc)
            self._give_up(job, f"permanent: {exc}")
        except Exception as exc:
            log.exception("job %s %s:%s raised", job.id, job.kind, job.key)
            self.queue.fail(job.id, f"{type(exc).__name__}: {exc}")
        else:
            log.debug(
                "job %s %s:%s done in %.1f ms",
                job.id,
                job.kind,
                job.key,
                (time.perf_counter() - started) * 1000,
            )

    def _give_up(self, job: Job, error: str) -> None:
        assert job.id is not None
        with Session(self.engine) as session:
            stored = session.get(Job, job.id)
            if stored is not None:
                stored.attempts = stored.max_attempts
                session.add(stored)
                session.commit()
        self.queue.fail(job.id, error)

    def run_until_idle(self, *, max_rounds: int = 10_000) -> int:
        """Run batches until nothing is due (tests, `copiloto worker --once`)."""
        total = 0
        for _ in range(max_rounds):
            done = self.run_once()
            if done == 0:
                break
            total += done
        return total

    def run_forever(self, stop: threading.Event) -> None:
        """Poll until `stop` is set; an empty poll sleeps `poll_s`, a full batch loops at once."""
        log.info("worker %s started (kinds: %s)", self.worker_id, ", ".join(self.handlers))
        while not stop.is_set():
            try:
                done = self.run_once()
            except Exception:  # the database may be restarting: keep the worker alive
                log.exception("worker %s: claim failed", self.worker_id)
                done = 0
            if done == 0:
                stop.wait(self.poll_s)
        log.info("worker %s stopped", self.worker_id)

    def start_thread(self) -> tuple[threading.Thread, threading.Event]:
        """Run in a daemon thread (what `copiloto serve` does); set the event to stop it."""
        stop = threading.Event()
        thread = threading.Thread(
            target=self.run_forever, args=(stop,), name=f"worker-{self.worker_id}", daemon=True
        )
        thread.start()
        return thread, stop


def worker_command(
    once: Annotated[bool, typer.Option("--once", help="Process what is due, then exit.")] = False,
    poll_s: Annotated[float, typer.Option("--poll-s", help="Seconds between empty polls.")] = 0.5,
    worker_id: Annotated[
        str | None, typer.Option("--worker-id", help="Name in the jobs' locked_by column.")
    ] = None,
) -> None:
    """Run the background worker alone (webhook inbox, media downloads, every registered kind)."""
    import signal

    from copiloto.settings import Settings
    from copiloto.storage.db import make_engine, migrate
    from copiloto.worker.handlers import build_handlers

    settings = Settings()
    engine = make_engine(settings.resolved_database_url)
    migrate(engine)
    worker = Worker(
        engine,
        build_handlers(settings=settings, engine=engine),
        worker_id=worker_id,
        poll_s=poll_s,
        lease_s=settings.worker_lease_s,
    )
    if once:
        count = worker.run_until_idle()
        typer.echo(f"{count} jobs processed")
        return
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    worker.run_forever(stop)
