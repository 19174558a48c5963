"""Meta Cloud API webhooks posted over HTTP to the running app, processed by the real worker."""

import json
import random

import httpx
import pytest
from channel_support import MEDIA_BYTES, META_SECRET, start_app
from sqlmodel import Session, col, select

from copiloto.channels.meta import sign
from copiloto.domain.enums import DeliveryStatus, Direction, MessageKind, ProcessingState
from copiloto.storage.db import make_engine, migrate
from copiloto.storage.tables import Client, InboxEvent, Job, MediaAsset, Message, PendingStatus
from copiloto.worker.handlers import build_handlers
from copiloto.worker.runner import Worker

DATA = "webhooks/meta_cloud_api_pywa"


def load(shared_data, name: str) -> dict:
    return json.loads((shared_data / DATA / f"{name}.json").read_text())


def post(app, payload: dict | bytes, *, secret: str = META_SECRET, signature: str | None = None):
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    headers = {"Content-Type": "application/json"}
    if signature is None:
        signature = sign(secret, body)
    if signature:
        headers["X-Hub-Signature-256"] = signature
    return httpx.post(f"{app.url}/webhooks/meta", content=body, headers=headers, timeout=10)


def work(app) -> int:
    worker = Worker(app.engine, build_handlers(settings=app.settings, engine=app.engine))
    return worker.run_until_idle()


def rows(app, model, *where):
    with Session(app.engine) as session:
        return session.exec(select(model).where(*where)).all()


def with_ids(payload: dict, suffix: str) -> dict:
    """pywa's samples reuse `wamid.xyzxyz`; give each sample its own ids."""
    return json.loads(json.dumps(payload).replace("wamid.xyzxyz", f"wamid.{suffix}"))


def test_handshake_echoes_the_challenge_only_for_the_right_token(app) -> None:
    params = {
        "hub.mode": "subscribe",
        "hub.verify_token": "verify-me",
        "hub.challenge": "1158201444",
    }
    ok = httpx.get(f"{app.url}/webhooks/meta", params=params)
    assert ok.status_code == 200 and ok.text == "1158201444"
    bad = httpx.get(f"{app.url}/webhooks/meta", params={**params, "hub.verify_token": "nope"})
    assert bad.status_code == 403 and "1158201444" not in bad.text


def test_every_sample_payload_is_stored_and_understood(app, shared_data) -> None:
    samples = []
    for name in ("message", "callback_button", "callback_selection", "system"):
        samples += [(f"{name}-{key}", p) for key, p in load(shared_data, name).items()]
    for n, (label, payload) in enumerate(samples):
        response = post(app, with_ids(payload, f"s{n}"))
        assert response.status_code == 200, label
    work(app)
    failed = rows(app, InboxEvent, InboxEvent.state != ProcessingState.DONE)
    assert failed == []
    messages = {m.provider_message_id: m for m in rows(app, Message)}
    # reactions are not messages; everything else is, with the provider's timestamp
    text = next(m for m in messages.values() if m.text == "Body Text")
    assert text.direction == Direction.IN and text.sent_at.timestamp() == 1697043223
    assert any(m.kind == MessageKind.AUDIO for m in messages.values())
    assert any(m.kind == MessageKind.LOCATION for m in messages.values())
    assert any(m.text == "title" for m in messages.values())  # button / list replies
    [client] = [c for c in rows(app, Client) if c.name == "Test Name"]
    assert client.source_channel in {"meta", "ad"}
    ad_message = messages["wamid.ID"]
    ad_client = rows(app, Client, Client.id == ad_message.client_id)[0]
    assert ad_client.referral["ctwa_clid"] == "CTWA_CLID"
    media_jobs = rows(app, Job, Job.kind == "media_download")
    assert media_jobs, "media messages enqueue downloads"


def test_redelivery_stores_nothing_new(app, shared_data) -> None:
    payload = load(shared_data, "message")["text"]
    for _ in range(3):
        assert post(app, payload).status_code == 200
    assert len(rows(app, InboxEvent)) == 1
    work(app)
    assert post(app, payload).status_code == 200  # Meta retries days later
    work(app)
    assert len(rows(app, InboxEvent)) == 1
    assert len(rows(app, Message)) == 1


def test_bad_or_missing_signature_is_refused_and_nothing_stored(app, shared_data, caplog) -> None:
    payload = load(shared_data, "message")["text"]
    assert post(app, payload, secret="wrong-secret").status_code == 401
    assert post(app, payload, signature="").status_code == 401
    assert post(app, payload, signature="sha256=" + "0" * 64).status_code == 401
    assert rows(app, InboxEvent) == []
    assert "does not match" in caplog.text and "missing X-Hub-Signature-256" in caplog.text


def test_malformed_and_unknown_bodies_are_stored_as_failed_without_retry_loops(app) -> None:
    assert post(app, b'{"entry": [ not json').status_code == 200
    assert post(app, {"hello": "world"}).status_code == 200
    work(app)
    stored = {e.error.split(":")[0]: e for e in rows(app, InboxEvent)}
    assert set(stored) == {"malformed JSON", "UnknownShape"}
    assert all(e.state == ProcessingState.FAILED for e in stored.values())
    assert all(j.state == ProcessingState.DONE for j in rows(app, Job))  # no retries queued


def test_oversized_body_is_refused(app) -> None:
    big = b'{"entry": "' + b"x" * (65 * 1024) + b'"}'
    assert post(app, big).status_code == 413
    assert rows(app, InboxEvent) == []


def status_payload(shared_data, wamid: str, status: str, ts: int) -> dict:
    payload = with_ids(load(shared_data, "message_status")["sent"], "tmp")
    item = payload["entry"][0]["changes"][0]["value"]["statuses"][0]
    item.update({"id": wamid, "status": status, "timestamp": str(ts)})
    return payload


def message_payload(shared_data, wamid: str, ts: int, text: str) -> dict:
    payload = json.loads(json.dumps(load(shared_data, "message")["text"]))
    message = payload["entry"][0]["changes"][0]["value"]["messages"][0]
    message.update({"id": wamid, "timestamp": str(ts), "text": {"body": text}})
    return payload


def test_statuses_out_of_order_and_before_their_message(app, shared_data) -> None:
    from copiloto.channels.send import build_sender, send_reply

    # the client writes first (opens the 24 h window); statuses for our reply arrive
    # before the reply is stored, and 'delivered' after 'read'
    assert (
        post(app, message_payload(shared_data, "wamid.in1", 1_900_000_000, "Oi")).status_code == 200
    )
    work(app)
    read = status_payload(shared_data, "wamid.out1", "read", 1_900_000_300)
    delivered = status_payload(shared_data, "wamid.out1", "delivered", 1_900_000_200)
    assert post(app, read).status_code == 200
    assert post(app, delivered).status_code == 200
    work(app)
    assert len(rows(app, PendingStatus)) == 2
    [incoming] = rows(app, Message)
    settings = app.settings.model_copy(update={"send_provider": "meta"})
    with Session(app.engine, expire_on_commit=False) as session:
        # the client wrote "now" for the window check: move the message's time to now
        stored = session.get(Message, incoming.id)
        from copiloto.storage.tables import utcnow

        stored.sent_at = utcnow()
        session.add(stored)
        session.commit()
        sent = send_reply(
            session,
            client_id=incoming.client_id,
            seller_id=incoming.seller_id,
            text="Olá! Tudo bem?",
            sender=build_sender(settings),
        )
        session.commit()
    assert sent.provider_message_id == "wamid.out1"
    [out] = rows(app, Message, Message.direction == Direction.OUT)
    assert out.status == DeliveryStatus.READ
    assert out.delivered_at.timestamp() == 1_900_000_200
    assert out.read_at.timestamp() == 1_900_000_300
    assert rows(app, PendingStatus) == []
    # a late 'sent' never moves it back
    post(app, status_payload(shared_data, "wamid.out1", "sent", 1_900_000_100))
    work(app)
    assert rows(app, Message, Message.direction == Direction.OUT)[0].status == DeliveryStatus.READ


def test_messages_are_ordered_by_provider_time_not_arrival(app, shared_data) -> None:
    times = [1_900_000_000 + 60 * n for n in range(6)]
    shuffled = times[:]
    random.Random(7).shuffle(shuffled)
    for ts in shuffled:
        post(app, message_payload(shared_data, f"wamid.t{ts}", ts, f"msg {ts}"))
    work(app)
    with Session(app.engine) as session:
        ordered = session.exec(select(Message).order_by(col(Message.sent_at))).all()
    assert [m.text for m in ordered] == [f"msg {ts}" for ts in times]
    assert [m.id for m in ordered] != sorted(m.id for m in ordered)  # arrival order differed


def test_media_download_refreshes_an_expired_url(app, standin, shared_data) -> None:
    payload = load(shared_data, "message")["image"]
    payload["entry"][0]["changes"][0]["value"]["messages"][0]["image"]["id"] = "expiring-42"
    assert post(app, payload).status_code == 200
    work(app)
    [asset] = rows(app, MediaAsset)
    assert asset.sha256 and asset.size == len(MEDIA_BYTES + b"expiring-42")
    assert (app.settings.data_dir / asset.blob_path).read_bytes() == MEDIA_BYTES + b"expiring-42"
    assert len(standin.media_gets) == 2  # the expired URL, then the fresh one
    [media_job] = rows(app, Job, Job.kind == "media")
    assert media_job.key == asset.sha256 and media_job.state == ProcessingState.PENDING
    [message] = rows(app, Message)
    assert message.media_asset_id == asset.id and message.kind == MessageKind.IMAGE


@pytest.mark.postgres
def test_webhook_flow_on_postgres(channel_settings, postgres_url, shared_data) -> None:
    engine = make_engine(postgres_url)
    migrate(engine)
    with start_app(channel_settings, engine) as server:

        class A:
            url, settings = server.url, channel_settings

        A.engine = engine
        payload = load(shared_data, "message")["text"]
        for _ in range(2):
            assert post(A, payload).status_code == 200
        assert post(A, payload, secret="bad").status_code == 401
        work(A)
        assert len(rows(A, InboxEvent)) == 1
        [message] = rows(A, Message)
        assert message.text == "Body Text"
    engine.dispose()


def test_inbox_counts_for_stats(app, shared_data) -> None:
    from copiloto.channels.inbox import inbox_counts

    post(app, load(shared_data, "message")["text"])
    post(app, b"not json")
    work(app)
    with Session(app.engine) as session:
        assert inbox_counts(session) == {"meta": {"done": 1, "failed": 1}}
