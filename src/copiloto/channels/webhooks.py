"""Webhook endpoints: authenticate, store the raw delivery, acknowledge. Nothing else.

Durable first: the body and headers go into `inbox_events` (unique on the provider's event id, so a
re-delivery stores nothing) together with an `inbox` job, in one transaction, before the 200. The
worker does the parsing and the writes that can fail. Deliveries that fail authentication are refused
(401 Meta, 403 the others) and only logged; bodies that are not JSON/form are stored as FAILED with
the reason and still answered 200, because every provider retries non-2xx answers and a retried
malformed body stays malformed.
"""

import asyncio
import functools
import hmac
import json
import logging
import queue
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter, Request, Response
from fastapi.responses import PlainTextResponse
from sqlalchemy.engine import Engine
from sqlmodel import Session

from copiloto.channels import evolution, meta, twilio, zapi
from copiloto.channels.inbox import INBOX_JOB
from copiloto.domain.enums import ProcessingState, Provider
from copiloto.settings import Settings
from copiloto.storage.tables import InboxEvent, Job, utcnow
from copiloto.worker.foreground import Foreground
from copiloto.worker.queue import insert_ignoring_duplicates

log = logging.getLogger(__name__)

_DROPPED_HEADERS = {"authorization", "cookie", "apikey", "client-token", "x-webhook-secret"}
TWIML_EMPTY = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


class BodyTooLarge(Exception):
    pass


async def read_limited(request: Request, limit: int) -> bytes:
    """The body, refusing early (Content-Length) or while streaming once it passes `limit`."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


@dataclass(frozen=True, slots=True)
class Delivery:
    provider: Provider
    event_id: str
    headers: dict[str, Any]
    body: bytes
    error: str | None = None


def _insert_delivery(session: Session | sa.Connection, delivery: Delivery) -> int | None:
    now = utcnow()
    inbox_id = insert_ignoring_duplicates(
        session,
        InboxEvent.__table__,  # type: ignore[arg-type]
        {
            "provider": delivery.provider.value,
            "event_id": delivery.event_id,
            "headers": delivery.headers,
            "body": delivery.body,
            "state": (ProcessingState.FAILED if delivery.error else ProcessingState.PENDING).value,
            "error": delivery.error,
            "received_at": now,
            "processed_at": now if delivery.error else None,
        },
    )
    if inbox_id is not None and delivery.error is None:
        insert_ignoring_duplicates(
            session,
            Job.__table__,  # type: ignore[arg-type]
            {
                "kind": INBOX_JOB,
                "key": str(inbox_id),
                "payload": {"inbox_id": inbox_id},
                "state": ProcessingState.PENDING.value,
                "attempts": 0,
                "max_attempts": 10,
                "run_after": now,
                "created_at": now,
            },
        )
    return inbox_id


def store_delivery(engine: Engine, delivery: Delivery) -> int | None:
    """Insert the delivery (and its job) once; None when this event id was already stored."""
    with Session(engine) as session:
        inbox_id = _insert_delivery(session, delivery)
        session.commit()
    return inbox_id


class InboxWriter:
    """Group commit: concurrent deliveries are written by one thread, many per transaction.

    Each request still waits for the commit that holds its row before answering, so "stored
    before 200" holds; but fifty concurrent requests cost one commit instead of fifty writers
    fighting over SQLite's single write lock (whose busy handler sleeps up to 100 ms per retry).
    """

    def __init__(self, engine: Engine, *, max_batch: int = 200) -> None:
        self.engine = engine
        self.max_batch = max_batch
        self._queue: queue.SimpleQueue[tuple[Delivery, Future[int | None]]] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    def submit(self, delivery: Delivery) -> "Future[int | None]":
        if self._thread is None or not self._thread.is_alive():
            with self._start_lock:
                if self._thread is None or not self._thread.is_alive():
                    self._thread = threading.Thread(
                        target=self._loop, name="inbox-writer", daemon=True
                    )
                    self._thread.start()
        future: Future[int | None] = Future()
        self._queue.put((delivery, future))
        return future

    def _loop(self) -> None:
        while True:
            batch = [self._queue.get()]
            while len(batch) < self.max_batch:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            self._write(batch)

    def _write(self, batch: list[tuple[Delivery, "Future[int | None]"]]) -> None:
        try:
            with self.engine.begin() as connection:  # Core, no ORM session: cheaper per row
                ids = [_insert_delivery(connection, delivery) for delivery, _ in batch]
        except Exception:
            log.exception("inbox batch of %s failed: writing one by one", len(batch))
            for delivery, future in batch:
                try:
                    future.set_result(store_delivery(self.engine, delivery))
                except Exception as exc:
                    future.set_exception(exc)
            return
        for (_, future), inbox_id in zip(batch, ids, strict=True):
            future.set_result(inbox_id)


def _kept_headers(request: Request) -> dict[str, str]:
    return {k: v for k, v in request.headers.items() if k.lower() not in _DROPPED_HEADERS}


def _json_or_reason(body: bytes) -> tuple[Any, str | None]:
    try:
        return json.loads(body), None
    except (ValueError, UnicodeDecodeError) as exc:
        return None, f"malformed JSON: {exc}"


def build_webhook_router(
    *, settings: Settings, engine: Engine, foreground: Foreground | None = None
) -> APIRouter:
    """The endpoints; each counts itself in `foreground` so an in-process worker steps aside."""
    router = APIRouter(prefix="/webhooks", tags=["webhooks"])
    limit = settings.webhook_max_body_bytes
    writer = InboxWriter(engine)
    acks = foreground or Foreground()

    def ack_path(
        endpoint: Callable[..., Awaitable[Response]],
    ) -> Callable[..., Awaitable[Response]]:
        @functools.wraps(endpoint)
        async def counted(*args: Any, **kwargs: Any) -> Response:
            with acks.request():
                return await endpoint(*args, **kwargs)

        return counted

    def secret(value: Any) -> str | None:
        return value.get_secret_value() if value is not None else None

    async def accept(
        request: Request,
        provider: Provider,
        body: bytes,
        event_id: str,
        error: str | None,
        ok: Response,
    ) -> Response:
        delivery = Delivery(provider, event_id, _kept_headers(request), body, error)
        inbox_id = await asyncio.wrap_future(writer.submit(delivery))
        if inbox_id is None:
            log.debug("%s delivery %s already stored", provider.value, event_id)
        elif error:
            log.warning("%s delivery %s stored as failed: %s", provider.value, inbox_id, error)
        return ok

    def refuse(provider: Provider, request: Request, reason: str, status: int) -> Response:
        client = request.client.host if request.client else "?"
        log.warning("%s webhook refused (%s) from %s: %s", provider.value, status, client, reason)
        return PlainTextResponse("forbidden", status_code=status)

    async def body_or_413(request: Request) -> bytes | Response:
        try:
            return await read_limited(request, limit)
        except BodyTooLarge:
            log.warning("webhook %s refused: body over %s bytes", request.url.path, limit)
            return PlainTextResponse("payload too large", status_code=413)

    @router.get("/meta")
    async def meta_handshake(request: Request) -> Response:
        params = request.query_params
        expected = secret(settings.meta_verify_token)
        token = params.get("hub.verify_token") or ""
        if (
            params.get("hub.mode") == "subscribe"
            and expected
            and hmac.compare_digest(token.encode(), expected.encode())
        ):
            return PlainTextResponse(params.get("hub.challenge") or "")
        return refuse(Provider.META, request, "verify token mismatch", 403)

    @router.post("/meta")
    @ack_path
    async def meta_webhook(request: Request) -> Response:
        body = await body_or_413(request)
        if isinstance(body, Response):
            return body
        problem = meta.signature_problem(
            secret(settings.meta_app_secret), body, request.headers.get(meta.SIGNATURE_HEADER)
        )
        if problem:
            return refuse(Provider.META, request, problem, 401)
        payload, error = _json_or_reason(body)
        event_id = meta.event_id(payload, body)
        return await accept(request, Provider.META, body, event_id, error, PlainTextResponse("ok"))

    @router.post("/twilio")
    @ack_path
    async def twilio_webhook(request: Request) -> Response:
        body = await body_or_413(request)
        if isinstance(body, Response):
            return body
        url = str(request.url)
        if settings.public_url:
            url = settings.public_url.rstrip("/") + request.url.path
            if request.url.query:
                url += "?" + request.url.query
        problem = twilio.signature_problem(
            secret(settings.twilio_auth_token),
            url,
            body,
            request.headers.get(twilio.SIGNATURE_HEADER),
        )
        if problem:
            return refuse(Provider.TWILIO, request, problem, 403)
        error = None
        try:
            body.decode("utf-8")
        except UnicodeDecodeError as exc:
            error = f"body is not UTF-8 form data: {exc}"
        ok = Response(TWIML_EMPTY, media_type="text/xml")
        return await accept(request, Provider.TWILIO, body, twilio.event_id(body), error, ok)

    def token_ok(request: Request, token: str | None) -> str | None:
        expected = secret(settings.webhook_secret)
        if not expected:
            return "COPILOTO_WEBHOOK_SECRET is not set: unsigned providers are refused"
        given = token or request.headers.get("x-webhook-secret") or request.headers.get("apikey")
        if not given or not hmac.compare_digest(given.encode(), expected.encode()):
            return "webhook secret mismatch"
        return None

    async def unsigned(request: Request, provider: Provider, token: str | None) -> Response:
        body = await body_or_413(request)
        if isinstance(body, Response):
            return body
        problem = token_ok(request, token)
        if problem:
            return refuse(provider, request, problem, 403)
        payload, error = _json_or_reason(body)
        module = zapi if provider is Provider.ZAPI else evolution
        event_id = module.event_id(payload, body)
        return await accept(request, provider, body, event_id, error, PlainTextResponse("ok"))

    @router.post("/zapi/{token}")
    @ack_path
    async def zapi_webhook(request: Request, token: str) -> Response:
        return await unsigned(request, Provider.ZAPI, token)

    @router.post("/zapi")
    @ack_path
    async def zapi_webhook_header(request: Request) -> Response:
        return await unsigned(request, Provider.ZAPI, None)

    @router.post("/evolution/{token}")
    @ack_path
    async def evolution_webhook(request: Request, token: str) -> Response:
        return await unsigned(request, Provider.EVOLUTION, token)

    @router.post("/evolution")
    @ack_path
    async def evolution_webhook_header(request: Request) -> Response:
        return await unsigned(request, Provider.EVOLUTION, None)

    return router
