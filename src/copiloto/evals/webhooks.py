"""Benchmark of the webhook path: ack latency, throughput, and that nothing is lost or doubled.

Starts the real app (webhook router + in-process worker) on loopback with a temporary SQLite file or
a temporary PostgreSQL database, posts N signed Meta notifications from C concurrent senders (10 %
re-deliveries, 5 % bad signatures, statuses shuffled among the messages so some arrive before their
message), waits for the worker to drain the inbox and checks the database against what was sent.
"""

import asyncio
import json
import logging
import os
import random
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from copiloto.evals.report import print_figures

log = logging.getLogger(__name__)

SECRET = "bench-app-secret"
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@dataclass(frozen=True)
class Delivery:
    body: bytes
    signature: str
    kind: str  # message, status, duplicate, bad


def _envelope(value: dict[str, Any]) -> dict[str, Any]:
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "WABA", "changes": [{"field": "messages", "value": value}]}],
    }


def build_deliveries(
    n: int, *, seed: int = 13, prefix: str = "bench"
) -> tuple[list[Delivery], dict[str, Any]]:
    """N deliveries and what the database must hold afterwards (message ids `wamid.PREFIX.N`)."""
    from copiloto.channels.meta import sign

    rng = random.Random(seed)
    bad = round(n * 0.05)
    duplicates = round(n * 0.10)
    unique = n - bad - duplicates
    statuses = unique * 3 // 10
    messages = unique - statuses
    metadata = {"display_phone_number": "5511900000000", "phone_number_id": "BENCH"}
    base_ts = 1_900_000_000
    originals: list[Delivery] = []
    wamids = [f"wamid.{prefix}.{i:06d}" for i in range(messages)]
    for i, wamid in enumerate(wamids):
        phone = f"55119{(70000000 + i % 500):08d}"
        value = {
            "messaging_product": "whatsapp",
            "metadata": metadata,
            "contacts": [{"profile": {"name": f"Cliente {i % 500}"}, "wa_id": phone}],
            "messages": [
                {
                    "from": phone,
                    "id": wamid,
                    "timestamp": str(base_ts + i),
                    "type": "text",
                    "text": {"body": f"Olá, quero saber o preço do item {i}"},
                }
            ],
        }
        body = json.dumps(_envelope(value)).encode()
        originals.append(Delivery(body, sign(SECRET, body), "message"))
    final_status: dict[str, str] = {}
    for j in range(statuses):
        # pairs of (delivered, read) for the same message, shuffled: 'read' often comes first
        wamid = wamids[(j // 2) % len(wamids)]
        status = "delivered" if j % 2 == 0 else "read"
        if final_status.get(wamid) != "read":
            final_status[wamid] = status
        value = {
            "messaging_product": "whatsapp",
            "metadata": metadata,
            "statuses": [
                {
                    "id": wamid,
                    "status": status,
                    "timestamp": str(base_ts + 10_000 + j),
                    "recipient_id": "5511970000000",
                }
            ],
        }
        body = json.dumps(_envelope(value)).encode()
        originals.append(Delivery(body, sign(SECRET, body), "status"))
    rng.shuffle(originals)
    deliveries = list(originals)
    for _ in range(duplicates):
        source = rng.choice(originals)
        deliveries.append(Delivery(source.body, source.signature, "duplicate"))
    for _ in range(bad):
        source = rng.choice(originals)
        deliveries.append(Delivery(source.body, sign("wrong-secret", source.body), "bad"))
    rng.shuffle(deliveries)
    expected = {
        "messages": set(wamids),
        "unique_deliveries": unique,
        "bad": bad,
        "duplicates_sent": duplicates,
        "final_status": final_status,
    }
    return deliveries, expected


async def _post_all(
    url: str, deliveries: list[Delivery], concurrency: int
) -> list[tuple[float, int]]:
    """C keep-alive connections posting in parallel, on raw asyncio streams.

    A general HTTP client spends ~7 ms of CPU per request here (measured), more than the server:
    on a 2-core machine it would measure itself. This minimal HTTP/1.1 client costs a fraction.
    """
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    host, port, path = parts.hostname or "127.0.0.1", parts.port or 80, parts.path
    results: list[tuple[float, int]] = []
    pending = list(reversed(deliveries))

    async def connect() -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        return await asyncio.open_connection(host, port)

    async def post_once(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter, delivery: Delivery
    ) -> int:
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
            "Content-Type: application/json\r\n"
            f"X-Hub-Signature-256: {delivery.signature}\r\n"
            f"Content-Length: {len(delivery.body)}\r\n\r\n"
        )
        writer.write(head.encode() + delivery.body)
        await writer.drain()
        status_line = await reader.readline()
        if not status_line:
            raise ConnectionError("connection closed")
        length = 0
        while True:
            line = await reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value.strip())
        if length:
            await reader.readexactly(length)
        return int(status_line.split()[1])

    async def sender() -> None:
        reader, writer = await connect()
        while pending:
            delivery = pending.pop()
            started = time.perf_counter()
            status = 0
            for _attempt in range(3):  # a dropped keep-alive connection: retry, as providers do
                try:
                    status = await post_once(reader, writer, delivery)
                    break
                except (ConnectionError, asyncio.IncompleteReadError, OSError):
                    writer.close()
                    reader, writer = await connect()
            results.append(((time.perf_counter() - started) * 1000, status))
        writer.close()

    await asyncio.gather(*(sender() for _ in range(concurrency)))
    return results


def _post_from_subprocess(
    url: str, deliveries: list[Delivery], concurrency: int, tmp: Path
) -> tuple[list[tuple[float, int]], float]:
    """The senders run in their own process, as real providers do: their CPU work must not
    share the server's interpreter lock and inflate the latencies being measured."""
    import base64

    source, target = tmp / "deliveries.jsonl", tmp / "results.json"
    with source.open("w") as handle:
        for d in deliveries:
            body = base64.b64encode(d.body).decode()
            handle.write(
                json.dumps({"body": body, "signature": d.signature, "kind": d.kind}) + "\n"
            )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "copiloto.evals.webhooks",
            url,
            str(concurrency),
            str(source),
            str(target),
        ],
        check=True,
    )
    data = json.loads(target.read_text())
    return [tuple(pair) for pair in data["results"]], float(data["wall_s"])  # type: ignore[misc]


def _client_main(url: str, concurrency: int, source: Path, target: Path) -> None:
    import base64

    deliveries = []
    for line in source.read_text().splitlines():
        item = json.loads(line)
        deliveries.append(Delivery(base64.b64decode(item["body"]), item["signature"], item["kind"]))
    started = time.perf_counter()
    results = asyncio.run(_post_all(url, deliveries, concurrency))
    wall_s = time.perf_counter() - started
    target.write_text(json.dumps({"results": results, "wall_s": wall_s}))


def _wait_drained(engine: Any, *, timeout_s: float) -> None:
    """Until no job is pending, running or waiting for a retry (or `timeout_s` passed)."""
    from sqlmodel import Session, func, select

    from copiloto.storage.tables import Job

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with Session(engine) as session:
            busy = session.exec(
                select(func.count())
                .select_from(Job)
                .where(Job.state.in_(["pending", "running", "failed"]))  # type: ignore[attr-defined]
            ).one()
        if busy == 0:
            return
        time.sleep(0.1)


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def _children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _start_worker_process(url: str, data_dir: Path) -> "subprocess.Popen[bytes]":
    """`copiloto worker` as its own process, the deployment for sustained webhook traffic."""
    env = {
        **os.environ,
        "COPILOTO_DATABASE_URL": url,
        "COPILOTO_DATA_DIR": str(data_dir),
        "COPILOTO_META_APP_SECRET": SECRET,
    }
    ready = data_dir / "worker.ready"
    code = (
        "import logging, pathlib, sys; logging.disable(logging.WARNING);"
        "import copiloto.channels.inbox, copiloto.channels.send;"
        "from copiloto.worker.runner import worker_command;"
        "pathlib.Path(sys.argv[1]).touch();"
        "worker_command(once=False, poll_s=0.05, worker_id='bench-process')"
    )
    process = subprocess.Popen([sys.executable, "-c", code, str(ready)], env=env)
    deadline = time.monotonic() + 120
    while not ready.exists() and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)  # measure the steady state, not the worker's imports
    return process


def run_benchmark(
    *,
    events: int,
    concurrency: int,
    database: str = "sqlite",
    worker_mode: str = "thread",
    timeout_s: float = 300.0,
    warmup: int = 100,
) -> dict[str, Any]:
    """Run once and return the figures (see the module docstring)."""
    import socket

    import sqlalchemy as sa
    import uvicorn
    from fastapi import FastAPI
    from pydantic import SecretStr
    from sqlmodel import Session, func, select

    from copiloto.channels.webhooks import build_webhook_router
    from copiloto.domain.enums import ProcessingState
    from copiloto.server.heap import freeze_startup_objects
    from copiloto.settings import Settings
    from copiloto.storage.db import make_engine, migrate
    from copiloto.storage.tables import InboxEvent, Job, Message, PendingStatus
    from copiloto.worker.foreground import Foreground
    from copiloto.worker.handlers import build_handlers
    from copiloto.worker.runner import Worker

    deliveries, expected = build_deliveries(events)
    warm_deliveries, warm_expected = build_deliveries(warmup, seed=7, prefix="warm")
    unique_rows = expected["unique_deliveries"] + warm_expected["unique_deliveries"]
    with tempfile.TemporaryDirectory(prefix="copiloto-bench-") as tmp:
        admin = None
        db_name = None
        if database == "sqlite":
            url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        else:
            server_url = DEFAULT_POSTGRES if database in ("postgres", "postgresql") else database
            admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
            db_name = f"copiloto_bench_{uuid.uuid4().hex[:10]}"
            with admin.connect() as connection:
                connection.execute(sa.text(f'CREATE DATABASE "{db_name}"'))
            url = sa.make_url(server_url).set(database=db_name).render_as_string(False)
        engine = make_engine(url)
        try:
            migrate(engine)
            settings = Settings(  # type: ignore[call-arg]
                _env_file=None,
                data_dir=Path(tmp),
                database_url=url,
                meta_app_secret=SecretStr(SECRET),
            )
            app = FastAPI()
            foreground = Foreground()  # shared with the worker thread, as `copiloto serve` does
            app.include_router(
                build_webhook_router(settings=settings, engine=engine, foreground=foreground)
            )
            with socket.socket() as sock:
                sock.bind(("127.0.0.1", 0))
                port = sock.getsockname()[1]
            server = uvicorn.Server(
                uvicorn.Config(
                    app,
                    host="127.0.0.1",
                    port=port,
                    log_level="warning",
                    access_log=False,
                    timeout_keep_alive=60,
                )
            )
            freeze_startup_objects()  # as `copiloto serve` does once started
            url_meta = f"http://127.0.0.1:{port}/webhooks/meta"
            server_thread = threading.Thread(target=server.run, daemon=True)
            server_thread.start()
            while not server.started:
                time.sleep(0.02)
            worker_process = None
            if worker_mode == "process":
                worker_process = _start_worker_process(url, Path(tmp))
            else:
                worker = Worker(
                    engine,
                    build_handlers(settings=settings, engine=engine),
                    worker_id="bench",
                    poll_s=0.05,
                    batch_size=50,
                    foreground=foreground,
                )
                worker_thread, stop = worker.start_thread()
            if warmup:  # the first jobs compile statements and fill caches: not the steady state
                _post_from_subprocess(url_meta, warm_deliveries, concurrency, Path(tmp))
                _wait_drained(engine, timeout_s=timeout_s)
            started = time.perf_counter()
            cpu_started = time.process_time()
            children_started = _children_cpu_s()
            results, acked_s = _post_from_subprocess(url_meta, deliveries, concurrency, Path(tmp))
            client_cpu_s = _children_cpu_s() - children_started
            _wait_drained(engine, timeout_s=timeout_s)
            drained_s = time.perf_counter() - started
            server_cpu_s = time.process_time() - cpu_started
            before_worker_exit = _children_cpu_s()
            if worker_process is not None:
                worker_process.send_signal(signal.SIGTERM)
                worker_process.wait(timeout=60)
            else:
                stop.set()
                worker_thread.join(timeout=30)
            worker_cpu_s = _children_cpu_s() - before_worker_exit
            server.should_exit = True
            server_thread.join(timeout=30)
            with Session(engine) as session:
                stored_ids = session.exec(select(Message.provider_message_id)).all()
                inbox_rows = session.exec(select(func.count()).select_from(InboxEvent)).one()
                inbox_failed = session.exec(
                    select(func.count())
                    .select_from(InboxEvent)
                    .where(InboxEvent.state != ProcessingState.DONE)
                ).one()
                statuses = dict(
                    session.exec(select(Message.provider_message_id, Message.status)).all()
                )
                pending_left = session.exec(select(func.count()).select_from(PendingStatus)).one()
                dead = session.exec(
                    select(func.count()).select_from(Job).where(Job.state == ProcessingState.DEAD)
                ).one()
        finally:
            engine.dispose()
            if admin is not None:
                with admin.connect() as connection:
                    connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)'))
                admin.dispose()

    latencies = [ms for ms, _status in results]
    codes = [status for _ms, status in results]
    stored = set(stored_ids)
    wrong_status = sum(
        1 for wamid, status in expected["final_status"].items() if statuses.get(wamid) != status
    )
    return {
        "events": len(deliveries),
        "warmup_events": len(warm_deliveries) if warmup else 0,
        "concurrency": concurrency,
        "database": "sqlite" if database == "sqlite" else "postgresql",
        "acked_p50_ms": round(statistics.median(latencies), 2) if latencies else 0.0,
        "acked_p95_ms": round(_percentile(latencies, 95), 2),
        "acked_p99_ms": round(_percentile(latencies, 99), 2),
        "events_per_s": round(len(deliveries) / acked_s, 1) if acked_s else 0.0,
        "drained_s": round(drained_s, 2),
        # CPU per delivery, independent of how busy the machine was: app + worker, and senders
        "worker": worker_mode,
        "server_cpu_ms_per_event": round(server_cpu_s * 1000 / max(1, len(deliveries)), 2),
        "worker_process_cpu_ms_per_event": round(worker_cpu_s * 1000 / max(1, len(deliveries)), 2),
        "client_cpu_ms_per_event": round(client_cpu_s * 1000 / max(1, len(deliveries)), 2),
        "load_avg_1m": round(os.getloadavg()[0], 1),
        "cpu_count": os.cpu_count(),
        "stored": len(stored & expected["messages"]),
        "expected": len(expected["messages"]),
        "duplicates": (len(stored_ids) - len(stored)) + max(0, inbox_rows - unique_rows),
        "lost": len(expected["messages"] - stored) + max(0, unique_rows - inbox_rows),
        "rejected": codes.count(401),
        "expected_rejected": expected["bad"],
        "non_2xx_other": sum(1 for c in codes if c >= 300 and c != 401),
        "inbox_not_done": inbox_failed,
        "statuses_wrong": wrong_status,
        "pending_statuses_left": pending_left,
        "dead_jobs": dead,
    }


def webhooks_command(
    events: Annotated[int, typer.Option("--events", help="Deliveries to post.")] = 2000,
    concurrency: Annotated[int, typer.Option("--concurrency", help="Concurrent senders.")] = 50,
    database: Annotated[
        str,
        typer.Option(
            "--database", help="sqlite, postgres (local server) or a PostgreSQL server URL."
        ),
    ] = "sqlite",
    worker: Annotated[
        str,
        typer.Option(
            "--worker",
            help="thread: in the app's process (as `copiloto serve`); process: `copiloto worker`.",
        ),
    ] = "thread",
    warmup: Annotated[
        int,
        typer.Option("--warmup", help="Deliveries posted and drained first, not measured."),
    ] = 100,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Benchmark the webhook path (ack latency, throughput, nothing lost or doubled)."""
    logging.getLogger("copiloto").setLevel(logging.ERROR)
    if worker not in ("thread", "process"):
        raise typer.BadParameter("--worker must be 'thread' or 'process'")
    figures = run_benchmark(
        events=events,
        concurrency=concurrency,
        database=database,
        worker_mode=worker,
        warmup=warmup,
    )
    print_figures(figures, as_json=as_json, title="copiloto eval webhooks")


if __name__ == "__main__":  # the load generator's process (see _post_from_subprocess)
    import sys

    _client_main(sys.argv[1], int(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]))
