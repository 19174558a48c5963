"""The in-process worker steps aside while webhook acks are in flight, and only for a bounded time."""

import threading
import time

from sqlmodel import Session, select

from copiloto.storage.tables import Job
from copiloto.worker.foreground import Foreground
from copiloto.worker.queue import enqueue
from copiloto.worker.runner import Worker


def test_wait_quiet_returns_at_once_when_nothing_is_in_flight() -> None:
    foreground = Foreground(max_wait_s=5)
    started = time.monotonic()
    assert foreground.wait_quiet() is True
    assert time.monotonic() - started < 1


def test_wait_quiet_gives_up_after_max_wait_while_a_request_runs() -> None:
    foreground = Foreground(max_wait_s=0.05)
    with foreground.request():
        assert foreground.in_flight == 1
        started = time.monotonic()
        assert foreground.wait_quiet() is False
        assert 0.04 < time.monotonic() - started < 2
    assert foreground.in_flight == 0


def test_wait_quiet_wakes_when_the_last_request_ends() -> None:
    foreground = Foreground(max_wait_s=10)
    entered, release = threading.Event(), threading.Event()

    def request() -> None:
        with foreground.request():
            entered.set()
            release.wait(5)

    thread = threading.Thread(target=request)
    thread.start()
    entered.wait(5)
    threading.Timer(0.1, release.set).start()
    started = time.monotonic()
    assert foreground.wait_quiet() is True
    assert time.monotonic() - started < 5  # woken by the request's end, not the 10 s bound
    thread.join(5)


def test_worker_takes_one_job_at_a_time_while_acks_are_in_flight(engine) -> None:
    with Session(engine) as session:
        for key in range(6):
            enqueue(session, kind="k", key=str(key), payload={})
        session.commit()
    seen: list[str] = []
    foreground = Foreground(max_wait_s=0.01)
    worker = Worker(
        engine,
        {"k": lambda session, job: seen.append(job.key)},
        batch_size=4,
        foreground=foreground,
    )
    with foreground.request():
        assert worker.run_once() == 1  # busy: one job, then back to the acks
    assert worker.run_once() == 4  # quiet: a whole batch
    assert worker.run_once() == 1  # what is left
    assert sorted(seen) == [str(key) for key in range(6)]
    with Session(engine) as session:
        assert {job.state for job in session.exec(select(Job)).all()} == {"done"}
