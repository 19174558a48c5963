"""A durable job queue on the application's own database (no broker to run).

Jobs live in the `jobs` table. Claiming is one `UPDATE … WHERE id IN (SELECT … LIMIT n) RETURNING`
statement, so it is atomic on SQLite (one writer at a time, fine for one worker) and, with
`FOR UPDATE SKIP LOCKED` in the sub-select, lets several workers share the table on PostgreSQL
without ever handing the same job to two of them.

A job whose worker died keeps state RUNNING with an old `locked_at`; after `lease_s` it is claimed
again, so a killed worker loses nothing. Failures retry with exponential backoff and end in DEAD after
`max_attempts`, which `copiloto stats` reports.
"""

import logging
from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from copiloto.domain.enums import ProcessingState
from copiloto.storage.tables import Job, utcnow

log = logging.getLogger(__name__)

CLAIMABLE = (ProcessingState.PENDING.value, ProcessingState.FAILED.value)


def insert_ignoring_duplicates(
    session: Session | sa.Connection, table: sa.Table, values: dict[str, Any]
) -> Any:
    """`INSERT … ON CONFLICT DO NOTHING RETURNING id`: the new id, or None when a unique key exists.

    Used where re-delivery is normal (jobs, inbox events): a conflict is an answer, not an error,
    and it must not abort the surrounding transaction as a caught IntegrityError would on PostgreSQL.
    """
    bind = session if isinstance(session, sa.Connection) else session.get_bind()
    dialect = bind.dialect.name
    statement = _INSERT_IGNORING.get((dialect, table.name))
    if statement is None:
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        elif dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert
        else:  # pragma: no cover - only the two supported backends
            raise RuntimeError(f"unsupported database dialect {dialect!r}")
        # built once and executed with parameters: SQLAlchemy compiles it once, not per row
        statement = insert(table).on_conflict_do_nothing().returning(table.c.id)
        _INSERT_IGNORING[(dialect, table.name)] = statement
    return session.execute(statement, values).scalar_one_or_none()


_INSERT_IGNORING: dict[tuple[str, str], Any] = {}


def backoff_s(attempts: int, *, base_s: float = 5.0, cap_s: float = 3600.0) -> float:
    """Delay before the next attempt: 5 s, 10 s, 20 s, … capped at an hour."""
    return min(cap_s, base_s * 2 ** max(0, attempts - 1))


def enqueue(
    session: Session,
    *,
    kind: str,
    key: str,
    payload: dict[str, Any],
    delay_s: float = 0,
    max_attempts: int = 5,
) -> Job:
    """Add a job once per (kind, key); enqueuing it again returns the existing job unchanged.

    Runs in the caller's session so the job commits (or not) together with the data it refers to.
    """
    now = utcnow()
    insert_ignoring_duplicates(
        session,
        Job.__table__,  # type: ignore[arg-type]
        {
            "kind": kind,
            "key": key,
            "payload": payload,
            "state": ProcessingState.PENDING.value,
            "attempts": 0,
            "max_attempts": max_attempts,
            "run_after": now + timedelta(seconds=delay_s),
            "created_at": now,
        },
    )
    job = session.exec(select(Job).where(Job.kind == kind, Job.key == key)).one()
    return job


class JobQueue:
    """Claim, complete and fail jobs; each call is its own short transaction."""

    def __init__(
        self,
        engine: Engine,
        *,
        lease_s: float = 300.0,
        backoff_base_s: float = 5.0,
    ) -> None:
        self.engine = engine
        self.lease_s = lease_s
        self.backoff_base_s = backoff_base_s

    def claim(
        self, *, worker_id: str, kinds: Collection[str] | None = None, limit: int = 10
    ) -> list[Job]:
        """Lock up to `limit` due jobs for `worker_id` (oldest first) and return them."""
        now = utcnow()
        stale_before = now - timedelta(seconds=self.lease_s)
        jobs = Job.__table__  # type: ignore[attr-defined]
        due = sa.or_(
            sa.and_(jobs.c.state.in_(CLAIMABLE), jobs.c.run_after <= now),
            sa.and_(
                jobs.c.state == ProcessingState.RUNNING.value,
                jobs.c.locked_at < stale_before,
                jobs.c.attempts < jobs.c.max_attempts,
            ),
        )
        candidates = sa.select(jobs.c.id).where(due)
        if kinds is not None:
            candidates = candidates.where(jobs.c.kind.in_(list(kinds)))
        candidates = candidates.order_by(jobs.c.run_after, jobs.c.id).limit(limit)
        with Session(self.engine) as session:
            if self.engine.dialect.name == "postgresql":
                candidates = candidates.with_for_update(skip_locked=True)
            self._bury_stale(session, stale_before)
            statement = (
                sa.update(jobs)
                .where(jobs.c.id.in_(candidates.scalar_subquery()))
                .values(
                    state=ProcessingState.RUNNING.value,
                    locked_by=worker_id,
                    locked_at=now,
                    attempts=jobs.c.attempts + 1,
                )
                .returning(jobs.c.id)
            )
            ids = list(session.execute(statement).scalars())
            session.commit()
            if not ids:
                return []
            claimed = session.exec(select(Job).where(Job.id.in_(ids))).all()  # type: ignore[union-attr]
            result = sorted(claimed, key=lambda job: (job.run_after, job.id or 0))
            for job in result:
                session.expunge(job)
            return result

    def _bury_stale(self, session: Session, stale_before: datetime) -> None:
        """Jobs that kept killing their worker (lease expired at the last attempt) go DEAD."""
        jobs = Job.__table__  # type: ignore[attr-defined]
        session.execute(
            sa.update(jobs)
            .where(
                jobs.c.state == ProcessingState.RUNNING.value,
                jobs.c.locked_at < stale_before,
                jobs.c.attempts >= jobs.c.max_attempts,
            )
            .values(
                state=ProcessingState.DEAD.value,
                last_error="worker lost the job (lease expired) at the last attempt",
                finished_at=utcnow(),
                locked_by=None,
            )
        )

    def complete(self, job_id: int, *, session: Session | None = None) -> None:
        """Mark a job DONE; pass the handler's session to commit it with the handler's writes."""
        if session is not None:
            mark_done(session, job_id)
            return
        with Session(self.engine) as own:
            mark_done(own, job_id)
            own.commit()

    def fail(self, job_id: int, error: str) -> ProcessingState:
        """Record a failed attempt: retry later with backoff, or DEAD after `max_attempts`."""
        with Session(self.engine) as session:
            job = session.get(Job, job_id)
            if job is None:
                raise KeyError(job_id)
            job.last_error = error[:4000]
            job.locked_by = None
            job.locked_at = None
            if job.attempts >= job.max_attempts:
                job.state = ProcessingState.DEAD
                job.finished_at = utcnow()
                log.error("job %s %s:%s is dead: %s", job.id, job.kind, job.key, error)
            else:
                job.state = ProcessingState.FAILED
                delay = backoff_s(job.attempts, base_s=self.backoff_base_s)
                job.run_after = utcnow() + timedelta(seconds=delay)
                log.warning(
                    "job %s %s:%s failed (attempt %s/%s), retry in %.0f s: %s",
                    job.id,
                    job.kind,
                    job.key,
                    job.attempts,
                    job.max_attempts,
                    delay,
                    error,
                )
            state = ProcessingState(job.state)
            session.add(job)
            session.commit()
            return state

    def retry_dead(self, *, kind: str | None = None) -> int:
        """Give DEAD jobs a fresh set of attempts (after the cause was fixed)."""
        jobs = Job.__table__  # type: ignore[attr-defined]
        statement = sa.update(jobs).where(jobs.c.state == ProcessingState.DEAD.value)
        if kind is not None:
            statement = statement.where(jobs.c.kind == kind)
        with Session(self.engine) as session:
            result = session.execute(
                statement.values(
                    state=ProcessingState.PENDING.value, attempts=0, run_after=utcnow()
                )
            )
            session.commit()
            return int(result.rowcount or 0)  # type: ignore[attr-defined]


def mark_done(session: Session, job_id: int) -> None:
    jobs = Job.__table__  # type: ignore[attr-defined]
    session.execute(
        sa.update(jobs)
        .where(jobs.c.id == job_id)
        .values(
            state=ProcessingState.DONE.value,
            finished_at=utcnow(),
            locked_by=None,
            last_error=None,
        )
    )


def job_counts(session: Session) -> dict[str, dict[str, int]]:
    """Jobs per kind and state, for `copiloto stats` (DEAD ones are the dead-letter queue)."""
    jobs = Job.__table__  # type: ignore[attr-defined]
    rows = session.execute(
        sa.select(jobs.c.kind, jobs.c.state, sa.func.count()).group_by(jobs.c.kind, jobs.c.state)
    ).all()
    counts: dict[str, dict[str, int]] = {}
    for kind, state, count in rows:
        counts.setdefault(kind, {})[state] = int(count)
    return counts


def dead_jobs(session: Session, *, limit: int = 50) -> list[Job]:
    """The dead-letter queue: jobs that gave up, newest first, with their last error."""
    return list(
        session.exec(
            select(Job)
            .where(Job.state == ProcessingState.DEAD)
            .order_by(Job.finished_at.desc())  # type: ignore[union-attr]
            .limit(limit)
        ).all()
    )
