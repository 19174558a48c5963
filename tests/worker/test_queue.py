"""The durable queue on real databases: idempotent enqueue, claims, retries, dead letters."""

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from copiloto.domain.enums import ProcessingState
from copiloto.storage.tables import Job, utcnow
from copiloto.worker.queue import JobQueue, dead_jobs, enqueue, job_counts
from copiloto.worker.runner import PermanentError, Worker


def _enqueue(engine, kind: str, key: str, **kwargs) -> Job:
    with Session(engine, expire_on_commit=False) as session:
        job = enqueue(session, kind=kind, key=key, payload={"n": key}, **kwargs)
        session.commit()
        return job


def test_enqueue_is_idempotent_on_kind_and_key(any_engine) -> None:
    first = _enqueue(any_engine, "media", "abc")
    again = _enqueue(any_engine, "media", "abc")
    other_kind = _enqueue(any_engine, "inbox", "abc")
    assert first.id == again.id
    assert other_kind.id != first.id
    with Session(any_engine) as session:
        assert len(session.exec(select(Job)).all()) == 2


def test_claim_locks_due_jobs_once_and_complete_finishes_them(any_engine) -> None:
    for key in ("a", "b", "c"):
        _enqueue(any_engine, "inbox", key)
    _enqueue(any_engine, "inbox", "later", delay_s=3600)
    _enqueue(any_engine, "other", "x")
    queue = JobQueue(any_engine)
    claimed = queue.claim(worker_id="w1", kinds=["inbox"], limit=2)
    assert [job.key for job in claimed] == ["a", "b"]
    assert all(job.state == ProcessingState.RUNNING and job.attempts == 1 for job in claimed)
    rest = queue.claim(worker_id="w2", kinds=["inbox"], limit=10)
    assert [job.key for job in rest] == ["c"]  # not the delayed one, not another kind
    queue.complete(claimed[0].id)
    with Session(any_engine) as session:
        done = session.get(Job, claimed[0].id)
        assert done.state == ProcessingState.DONE and done.finished_at is not None
    assert queue.claim(worker_id="w3", kinds=None, limit=10)[0].key == "x"


def test_failures_back_off_then_go_dead(any_engine) -> None:
    job = _enqueue(any_engine, "inbox", "flaky", max_attempts=2)
    queue = JobQueue(any_engine, backoff_base_s=60)
    queue.claim(worker_id="w", limit=1)
    assert queue.fail(job.id, "boom 1") == ProcessingState.FAILED
    assert queue.claim(worker_id="w", limit=1) == []  # backing off
    with Session(any_engine) as session:
        stored = session.get(Job, job.id)
        assert stored.run_after > utcnow() + timedelta(seconds=50)
        stored.run_after = utcnow() - timedelta(seconds=1)
        session.add(stored)
        session.commit()
    assert [j.key for j in queue.claim(worker_id="w", limit=1)] == ["flaky"]
    assert queue.fail(job.id, "boom 2") == ProcessingState.DEAD
    with Session(any_engine) as session:
        assert job_counts(session) == {"inbox": {"dead": 1}}
        [dead] = dead_jobs(session)
        assert dead.last_error == "boom 2" and dead.attempts == 2
    assert queue.retry_dead() == 1
    assert [j.key for j in queue.claim(worker_id="w", limit=1)] == ["flaky"]


def test_expired_lease_is_claimed_again_and_buried_at_the_last_attempt(any_engine) -> None:
    job = _enqueue(any_engine, "inbox", "orphan", max_attempts=2)
    queue = JobQueue(any_engine, lease_s=0.0)
    assert len(queue.claim(worker_id="dies", limit=1)) == 1
    # the worker vanished without complete/fail: after the lease another worker gets it
    again = queue.claim(worker_id="survivor", limit=1)
    assert [(j.key, j.attempts, j.locked_by) for j in again] == [("orphan", 2, "survivor")]
    assert queue.claim(worker_id="third", limit=1) == []
    with Session(any_engine) as session:
        stored = session.get(Job, job.id)
        assert stored.state == ProcessingState.DEAD
        assert "lease expired" in stored.last_error


@pytest.mark.parametrize("group_commit", [True, False], ids=["batch-tx", "job-tx"])
def test_worker_commits_handler_writes_with_the_job_and_rolls_back_failures(
    any_engine, group_commit: bool
) -> None:
    with any_engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE effects (key VARCHAR(20) PRIMARY KEY)"))
    calls: list[str] = []

    def handler(session: Session, job: Job) -> None:
        calls.append(job.key)
        session.execute(sa.text("INSERT INTO effects (key) VALUES (:k)"), {"k": job.key})
        if job.key == "bad":
            raise RuntimeError("handler failed after writing")
        if job.key == "hopeless":
            raise PermanentError("cannot ever work")

    for key in ("ok1", "bad", "hopeless", "ok2"):
        _enqueue(any_engine, "effect", key)
    worker = Worker(
        any_engine,
        {"effect": handler},
        worker_id="t",
        backoff_base_s=3600,
        group_commit=group_commit,
        group_kinds={"effect"},
    )
    assert worker.run_until_idle() == 4
    with any_engine.connect() as connection:
        effects = set(connection.execute(sa.text("SELECT key FROM effects")).scalars())
    assert effects == {"ok1", "ok2"}  # the failed handlers' writes were rolled back
    with Session(any_engine) as session:
        states = {job.key: job.state for job in session.exec(select(Job)).all()}
    assert states == {"ok1": "done", "ok2": "done", "bad": "failed", "hopeless": "dead"}


def test_run_forever_stops_on_event(engine) -> None:
    seen: list[str] = []
    worker = Worker(engine, {"k": lambda session, job: seen.append(job.key)}, poll_s=0.01)
    thread, stop = worker.start_thread()
    _enqueue(engine, "k", "one")
    for _ in range(300):
        if seen:
            break
        threading.Event().wait(0.01)
    stop.set()
    thread.join(timeout=5)
    assert seen == ["one"] and not thread.is_alive()


@pytest.mark.postgres
def test_two_postgres_workers_share_the_queue_without_doubles(postgres_url) -> None:
    from copiloto.storage.db import make_engine, migrate

    engine = make_engine(postgres_url)
    migrate(engine)
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE effects (key VARCHAR(20) PRIMARY KEY, w TEXT)"))
    with Session(engine) as session:
        for n in range(300):
            enqueue(session, kind="effect", key=f"k{n}", payload={})
        session.commit()

    def handler(worker_name: str):
        def run(session: Session, job: Job) -> None:
            # a primary-key violation here would mean the same job ran twice
            session.execute(
                sa.text("INSERT INTO effects (key, w) VALUES (:k, :w)"),
                {"k": job.key, "w": worker_name},
            )

        return run

    workers = [
        Worker(engine, {"effect": handler(name)}, worker_id=name, batch_size=5, poll_s=0.01)
        for name in ("w1", "w2")
    ]
    threads = [threading.Thread(target=w.run_until_idle) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    with engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT w, count(*) FROM effects GROUP BY w")).all()
    per_worker = dict(rows)
    assert sum(per_worker.values()) == 300
    assert set(per_worker) == {"w1", "w2"}  # both took part
    with Session(engine) as session:
        assert job_counts(session) == {"effect": {"done": 300}}
    engine.dispose()
