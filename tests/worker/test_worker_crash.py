"""A worker process killed with SIGKILL in the middle of a batch, then a new one: nothing lost,
nothing done twice."""

import os
import signal
import subprocess
import sys
import time

import sqlalchemy as sa
from sqlmodel import Session

from copiloto.storage.tables import Job
from copiloto.worker.queue import enqueue, job_counts
from copiloto.worker.runner import Worker

CHILD = r"""
import sys, time
import sqlalchemy as sa
from copiloto.storage.db import make_engine
from copiloto.worker.runner import Worker

engine = make_engine(sys.argv[1])

def handler(session, job):
    session.execute(sa.text("INSERT INTO effects (key) VALUES (:k)"), {"k": job.key})
    time.sleep(0.02)  # the kill lands inside handlers most of the time

Worker(engine, {"effect": handler}, worker_id="doomed", batch_size=10).run_until_idle()
"""

N = 120


def _insert_effect(session: Session, job: Job) -> None:
    session.execute(sa.text("INSERT INTO effects (key) VALUES (:k)"), {"k": job.key})


def test_killed_worker_loses_nothing_and_doubles_nothing(settings, engine) -> None:
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE effects (key VARCHAR(20) PRIMARY KEY)"))
    with Session(engine) as session:
        for n in range(N):
            enqueue(session, kind="effect", key=f"k{n:03d}", payload={})
        session.commit()

    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, settings.resolved_database_url],
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    deadline = time.monotonic() + 60
    done_before_kill = 0
    while time.monotonic() < deadline:
        with engine.connect() as connection:
            done_before_kill = connection.execute(sa.text("SELECT count(*) FROM effects")).scalar()
        if done_before_kill >= N // 4:
            break
        time.sleep(0.05)
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=10)
    assert 0 < done_before_kill < N, "the kill must land mid-run"
    with Session(engine) as session:
        assert job_counts(session)["effect"].get("running", 0) > 0  # claimed, never finished

    # a primary-key violation would fail a job: every job DONE proves nothing ran twice
    Worker(engine, {"effect": _insert_effect}, worker_id="restarted", lease_s=0).run_until_idle()
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM effects")).scalar() == N
    with Session(engine) as session:
        assert job_counts(session) == {"effect": {"done": N}}
