"""Twilio (signed forms), Z-API and Evolution (secret URL) over loopback HTTP."""

import json
from urllib.parse import urlencode

import httpx
import pytest
from channel_support import TWILIO_TOKEN, WEBHOOK_SECRET
from sqlmodel import Session, select

from copiloto.channels import evolution, twilio
from copiloto.domain.enums import DeliveryStatus, Direction, MessageKind, ProcessingState
from copiloto.storage.tables import Client, InboxEvent, Job, MediaAsset, Message
from copiloto.worker.handlers import build_handlers
from copiloto.worker.runner import Worker


def work(app) -> int:
    return Worker(
        app.engine, build_handlers(settings=app.settings, engine=app.engine)
    ).run_until_idle()


def rows(app, model, *where):
    with Session(app.engine) as session:
        return session.exec(select(model).where(*where)).all()


# --- Twilio -------------------------------------------------------------------------------------


def test_twilio_signature_matches_the_sdk_test_vectors(shared_data) -> None:
    v = json.loads((shared_data / "webhooks/twilio/twilio_signature_test_vectors.json").read_text())
    token, url = v["auth_token"], v["url"]
    assert twilio.compute_signature(token, url, v["params"].items()) == v["expected_signature"]
    pairs = [tuple(p) for p in v["duplicate_params_multidict"]]
    assert twilio.compute_signature(token, url, pairs) == v["duplicate_params_expected_signature"]
    assert (
        twilio.compute_signature(token, v["url_with_bodySHA256"])
        == v["url_with_bodySHA256_expected_signature"]
    )
    body = v["json_body"].encode()
    assert (
        twilio.signature_problem(
            token, v["url_with_bodySHA256"], body, v["url_with_bodySHA256_expected_signature"]
        )
        is None
    )
    assert (
        twilio.signature_problem(
            token,
            v["url_with_bodySHA256"],
            body + b" ",
            v["url_with_bodySHA256_expected_signature"],
        )
        == "bodySHA256 does not match the body"
    )
    # Twilio may sign the URL with the default port spelled out; both forms validate
    form = urlencode(v["params"]).encode()
    https_port = url.replace("mycompany.com", "mycompany.com:443")
    assert (
        twilio.compute_signature(token, https_port, v["params"].items())
        == (v["port_variants"]["https_with_port_443_expected"])
    )
    assert (
        twilio.signature_problem(
            token, url, form, v["port_variants"]["https_with_port_443_expected"]
        )
        is None
    )
    assert twilio.signature_problem(token, url, form, v["expected_signature"]) is None
    assert twilio.signature_problem(token, url, form, "AAAA" + v["expected_signature"][4:])


PUBLIC = "https://copiloto.example.com.br"


def _twilio_post(app, params: dict[str, str], *, token: str = TWILIO_TOKEN):
    signature = twilio.compute_signature(token, PUBLIC + "/webhooks/twilio", params.items())
    return httpx.post(
        f"{app.url}/webhooks/twilio",
        content=urlencode(params).encode(),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Twilio-Signature": signature,
        },
    )


@pytest.fixture
def public_app(app):
    """Behind a proxy: Twilio signs the public URL, not the loopback one."""
    app.settings.public_url = PUBLIC
    return app


def test_twilio_message_with_media_and_a_status(public_app, standin) -> None:
    app = public_app
    params = {
        "SmsMessageSid": "MM0001",
        "MessageSid": "MM0001",
        "AccountSid": "AC123",
        "From": "whatsapp:+5511987654321",
        "To": "whatsapp:+14155238886",
        "Body": "Segue o áudio",
        "NumMedia": "1",
        "MediaUrl0": f"{standin.url}/twilio/media/ME0001",
        "MediaContentType0": "audio/ogg",
        "ProfileName": "Joana",
        "WaId": "5511987654321",
        "SmsStatus": "received",
        "ReferralSourceId": "ad-77",
        "ReferralCtwaClid": "clid-1",
    }
    response = _twilio_post(app, params)
    assert response.status_code == 200 and "<Response>" in response.text
    assert _twilio_post(app, params).status_code == 200  # duplicate
    status = {"MessageSid": "MM0001", "MessageStatus": "read", "AccountSid": "AC123"}
    assert _twilio_post(app, status).status_code == 200
    work(app)
    [message] = rows(app, Message)
    assert (message.text, message.kind, message.direction) == (
        "Segue o áudio",
        MessageKind.AUDIO,
        Direction.IN,
    )
    [client] = rows(app, Client)
    assert (client.phone, client.name, client.source_channel) == ("+5511987654321", "Joana", "ad")
    assert client.referral == {"SourceId": "ad-77", "CtwaClid": "clid-1"}
    [asset] = rows(app, MediaAsset)
    assert (app.settings.data_dir / asset.blob_path).read_bytes() == b"OggS fake audio ME0001"
    assert standin.media_gets == ["ME0001"]  # fetched with basic auth, once


def test_twilio_signature_for_the_wrong_url_or_token_is_refused(app) -> None:
    params = {"MessageSid": "MM9", "Body": "x", "From": "whatsapp:+5511987654321"}
    assert _twilio_post(app, params).status_code == 403  # public_url unset: loopback URL signed
    app.settings.public_url = PUBLIC
    assert _twilio_post(app, params, token="wrong").status_code == 403
    assert rows(app, InboxEvent) == []


# --- Z-API --------------------------------------------------------------------------------------


def _zapi_examples(shared_data) -> dict:
    return json.loads((shared_data / "webhooks/zapi/on_message_received_examples.json").read_text())


def test_zapi_examples_secret_path_and_statuses(app, shared_data, standin) -> None:
    examples = _zapi_examples(shared_data)
    url = f"{app.url}/webhooks/zapi/{WEBHOOK_SECRET}"
    text = examples["Exemplo de retorno de texto"]
    assert httpx.post(f"{app.url}/webhooks/zapi/wrong", json=text).status_code == 403
    assert httpx.post(f"{app.url}/webhooks/zapi", json=text).status_code == 403
    assert rows(app, InboxEvent) == []
    for n, (label, payload) in enumerate(examples.items()):
        if "_raw_unparsed" in payload:  # upstream's doc block is not JSON (NumberLong)
            body = payload["_raw_unparsed"].encode()
        else:
            payload = {**payload, "messageId": f"Z{n:03d}"}
            if isinstance(payload.get("image"), dict):
                payload["image"] = {
                    **payload["image"],
                    "imageUrl": f"{standin.url}/zapi/files/i{n}",
                }
            body = json.dumps(payload).encode()
        response = httpx.post(url, content=body, headers={"Content-Type": "application/json"})
        assert response.status_code == 200, label
    ok_header = httpx.post(
        f"{app.url}/webhooks/zapi",
        json={**text, "messageId": "ZHEADER"},
        headers={"X-Webhook-Secret": WEBHOOK_SECRET},
    )
    assert ok_header.status_code == 200
    work(app)
    failed = rows(app, InboxEvent, InboxEvent.state == ProcessingState.FAILED)
    assert [e.error.split(":")[0] for e in failed] == ["malformed JSON"]
    messages = {m.provider_message_id: m for m in rows(app, Message)}
    first = messages["Z000"]
    assert first.text == "teste" and first.sent_at.timestamp() == 1632228638
    assert messages["ZHEADER"].text == "teste"
    assert any(m.direction == Direction.OUT for m in messages.values())  # fromMe
    assert any(m.kind == MessageKind.DOCUMENT for m in messages.values())
    assert len(rows(app, MediaAsset, MediaAsset.sha256.is_not(None))) >= 1
    # statuses: RECEIVED means delivered, READ_BY_ME is ignored
    statuses = json.loads(
        (shared_data / "webhooks/zapi/on_message_status_changes_examples.json").read_text()
    )
    for status in statuses:
        httpx.post(url, json={**status, "ids": ["Z000"]})
    work(app)
    with Session(app.engine) as session:
        stored = session.exec(select(Message).where(Message.provider_message_id == "Z000")).one()
    assert stored.status == DeliveryStatus.READ and stored.delivered_at is not None


# --- Evolution ----------------------------------------------------------------------------------


def _upsert(msg_id: str, text: str, ts: int) -> dict:
    return {
        "event": "messages.upsert",
        "instance": "loja-centro",
        "data": {
            "key": {"remoteJid": "5521998765432@s.whatsapp.net", "fromMe": False, "id": msg_id},
            "pushName": "Carlos",
            "message": {"conversation": text},
            "messageType": "conversation",
            "messageTimestamp": ts,
        },
        "date_time": "2026-01-01T12:00:00.000Z",
    }


def test_evolution_upsert_update_and_seller_mapping(app) -> None:
    app.settings.channel_sellers = {"loja-centro": "ana"}
    url = f"{app.url}/webhooks/evolution/{WEBHOOK_SECRET}"
    assert (
        httpx.post(url, json=_upsert("3EB0A1", "Quero o orçamento", 1_800_000_000)).status_code
        == 200
    )
    assert (
        httpx.post(url, json=_upsert("3EB0A1", "Quero o orçamento", 1_800_000_000)).status_code
        == 200
    )
    update = {
        "event": "messages.update",
        "instance": "loja-centro",
        "data": {"keyId": "3EB0A1", "remoteJid": "5521998765432@s.whatsapp.net", "status": "READ"},
    }
    assert httpx.post(url, json=update, headers={}).status_code == 200
    assert httpx.post(f"{app.url}/webhooks/evolution/nope", json=update).status_code == 403
    work(app)
    [message] = rows(app, Message)
    assert message.text == "Quero o orçamento" and message.status == DeliveryStatus.READ
    from copiloto.storage.tables import Seller

    [seller] = rows(app, Seller)
    assert seller.login == "ana" and message.seller_id == seller.id
    assert rows(app, Client)[0].phone == "+5521998765432"
    assert all(j.state == ProcessingState.DONE for j in rows(app, Job))


def test_evolution_parser_refuses_unknown_shapes() -> None:
    from datetime import UTC, datetime

    from copiloto.channels.events import UnknownShape

    with pytest.raises(UnknownShape):
        evolution.parse(b'{"data": {}}', received_at=datetime.now(UTC))
    assert evolution.parse(b'{"event": "qrcode.updated"}', received_at=datetime.now(UTC)) == []
