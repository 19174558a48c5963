"""Let background work in the server's process step aside while webhooks are being acknowledged.

`copiloto serve` runs the worker as a thread next to the web server. The worker's Python work
(parsing deliveries, ORM writes) holds the interpreter lock for milliseconds at a time, and every
webhook waiting for its 200 waits behind it: with fifty providers' senders the ack p95 doubled.
Acks are what providers time out on, while the worker's output is durable and can wait, so the
webhook endpoints count themselves in and out here and the worker, before each job, waits (a
bounded time) for a moment with no ack in flight. Under a sustained burst the worker still runs a
job every `max_wait_s`, and catches up as soon as the burst ends.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class Foreground:
    """Counts latency-critical requests in flight; background work waits for them to finish."""

    def __init__(self, *, max_wait_s: float = 0.05) -> None:
        self.max_wait_s = max_wait_s
        self._in_flight = 0
        self._quiet = threading.Condition()

    @property
    def in_flight(self) -> int:
        return self._in_flight

    @contextmanager
    def request(self) -> Iterator[None]:
        """Wrap the part of a request that must not wait for background work."""
        with self._quiet:
            self._in_flight += 1
        try:
            yield
        finally:
            with self._quiet:
                self._in_flight -= 1
                if self._in_flight == 0:
                    self._quiet.notify_all()

    def wait_quiet(self) -> bool:
        """Block until no request is in flight, at most `max_wait_s`; True when it got quiet."""
        with self._quiet:
            return self._quiet.wait_for(lambda: self._in_flight == 0, timeout=self.max_wait_s)
