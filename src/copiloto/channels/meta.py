"""WhatsApp Cloud API (Meta): webhook signature, payload parsing, media download and sending.

Payload shapes follow the Cloud API webhook reference (examples in shared/data/webhooks, taken from
pywa's tests). Meta re-delivers a notification for days until it gets a 200, so the dedup key is
built from the message/status ids inside, not from the delivery.
"""

import hashlib
import hmac
import json
import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import httpx

from copiloto.channels.events import (
    AnyEvent,
    IncomingMessage,
    MediaRef,
    MessageChange,
    StatusUpdate,
    UnknownShape,
)
from copiloto.channels.send import FetchedMedia, SendError, SendResult, provider_error
from copiloto.domain.enums import DeliveryStatus, Direction, MessageKind, Provider
from copiloto.domain.phones import to_e164

log = logging.getLogger(__name__)

PROVIDER = Provider.META
SIGNATURE_HEADER = "x-hub-signature-256"

_MEDIA_KINDS = {
    "image": MessageKind.IMAGE,
    "audio": MessageKind.AUDIO,
    "voice": MessageKind.AUDIO,
    "video": MessageKind.VIDEO,
    "document": MessageKind.DOCUMENT,
    "sticker": MessageKind.STICKER,
}
_STATUSES = {
    "sent": DeliveryStatus.SENT,
    "delivered": DeliveryStatus.DELIVERED,
    "read": DeliveryStatus.READ,
    "played": DeliveryStatus.READ,
    "failed": DeliveryStatus.FAILED,
}


def sign(secret: str, body: bytes) -> str:
    """The `X-Hub-Signature-256` value Meta sends for `body` (also used by tests and the eval)."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_problem(secret: str | None, body: bytes, header: str | None) -> str | None:
    """None when the signature is valid, else the reason (logged, never shown to the caller)."""
    if not secret:
        return "COPILOTO_META_APP_SECRET is not set"
    if not header:
        return "missing X-Hub-Signature-256"
    if not hmac.compare_digest(sign(secret, body), header.strip()):
        return "X-Hub-Signature-256 does not match the body"
    return None


def _timestamp(value: Any) -> datetime:
    return datetime.fromtimestamp(int(value), tz=UTC)


def _values(payload: Any) -> list[tuple[str, dict[str, Any]]]:
    if not isinstance(payload, dict) or not isinstance(payload.get("entry"), list):
        raise UnknownShape("no 'entry' list: not a WhatsApp Cloud API notification")
    found: list[tuple[str, dict[str, Any]]] = []
    for entry in payload["entry"]:
        for change in (entry or {}).get("changes") or []:
            if isinstance(change, dict) and isinstance(change.get("value"), dict):
                found.append((str(change.get("field") or ""), change["value"]))
    return found


def event_id(payload: Any, body: bytes) -> str:
    """Dedup key of a delivery: its message ids and (id, status) pairs; the body hash otherwise."""
    parts: list[str] = []
    try:
        for _field, value in _values(payload):
            parts += [f"m:{m.get('id')}" for m in value.get("messages") or []]
            parts += [f"s:{s.get('id')}:{s.get('status')}" for s in value.get("statuses") or []]
    except (UnknownShape, AttributeError, TypeError):
        parts = []
    if not parts:
        return "body:" + hashlib.sha256(body).hexdigest()
    key = "|".join(sorted(parts))
    return key if len(key) <= 200 else "ids:" + hashlib.sha256(key.encode()).hexdigest()


def _text_and_media(message: dict[str, Any]) -> tuple[MessageKind, str, MediaRef | None]:
    kind_name = str(message.get("type") or "")
    if kind_name == "text":
        return MessageKind.TEXT, str((message.get("text") or {}).get("body") or ""), None
    if kind_name in _MEDIA_KINDS:
        media = message.get(kind_name) or {}
        ref = MediaRef(
            media_id=media.get("id"),
            url=media.get("url"),
            mime=media.get("mime_type"),
            filename=media.get("filename"),
        )
        return _MEDIA_KINDS[kind_name], str(media.get("caption") or ""), ref
    if kind_name == "button":
        return MessageKind.TEXT, str((message.get("button") or {}).get("text") or ""), None
    if kind_name == "interactive":
        interactive = message.get("interactive") or {}
        reply = interactive.get(interactive.get("type") or "") or {}
        return MessageKind.TEXT, str(reply.get("title") or ""), None
    if kind_name == "location":
        loc = message.get("location") or {}
        label = ", ".join(str(loc[k]) for k in ("name", "address") if loc.get(k))
        coords = f"{loc.get('latitude')}, {loc.get('longitude')}"
        return MessageKind.LOCATION, f"{label} ({coords})" if label else coords, None
    if kind_name == "contacts":
        names = [
            (c.get("name") or {}).get("formatted_name") or "" for c in message.get("contacts") or []
        ]
        return MessageKind.CONTACT, ", ".join(n for n in names if n), None
    if kind_name == "order":
        order = message.get("order") or {}
        items = [
            f"{item.get('quantity')}× {item.get('product_retailer_id')}"
            for item in order.get("product_items") or []
        ]
        return MessageKind.TEXT, "Pedido: " + ", ".join(items), None
    if kind_name == "system":
        return MessageKind.SYSTEM, str((message.get("system") or {}).get("body") or ""), None
    # unsupported types and types added after this adapter was written: keep the message visible
    return MessageKind.TEXT, f"[mensagem do tipo {kind_name or 'desconhecido'}]", None


def parse(body: bytes, *, received_at: datetime) -> list[AnyEvent]:
    """Turn one notification into events; raises ValueError (bad JSON) or UnknownShape.

    `received_at` is unused: every Cloud API item carries its own timestamp.
    """
    payload = json.loads(body)
    events: list[AnyEvent] = []
    for field, value in _values(payload):
        if field and field != "messages":
            log.info("meta: ignoring notification field %r", field)
            continue
        business_id = (value.get("metadata") or {}).get("phone_number_id")
        names = {
            c.get("wa_id"): (c.get("profile") or {}).get("name")
            for c in value.get("contacts") or []
        }
        for message in value.get("messages") or []:
            event = _message_event(message, business_id=business_id, names=names)
            if event is not None:
                events.append(event)
        for status in value.get("statuses") or []:
            mapped = _STATUSES.get(str(status.get("status")))
            if mapped is None:
                log.info("meta: ignoring status %r", status.get("status"))
                continue
            errors = status.get("errors") or []
            error = None
            if errors:
                first = errors[0]
                error = f"{first.get('code')}: {first.get('title') or first.get('message')}"
            events.append(
                StatusUpdate(
                    provider=PROVIDER,
                    provider_message_id=str(status["id"]),
                    status=mapped,
                    at=_timestamp(status["timestamp"]),
                    error=error,
                )
            )
    return events


def _message_event(
    message: dict[str, Any], *, business_id: str | None, names: Mapping[str, str | None]
) -> AnyEvent | None:
    kind_name = message.get("type")
    at = _timestamp(message["timestamp"])
    if kind_name == "reaction":
        return None  # reactions carry no sales content; the reacted message is unchanged
    if kind_name == "edit":
        edit = message.get("edit") or {}
        _kind, text, _media = _text_and_media(edit.get("message") or {})
        return MessageChange(
            provider=PROVIDER,
            original_provider_id=str(edit.get("original_message_id")),
            at=at,
            new_text=text,
        )
    if kind_name == "revoke":
        revoke = message.get("revoke") or {}
        return MessageChange(
            provider=PROVIDER,
            original_provider_id=str(revoke.get("original_message_id")),
            at=at,
            deleted=True,
        )
    sender = str(message["from"])
    kind, text, media = _text_and_media(message)
    context = message.get("context") or {}
    referral = message.get("referral") or {}
    return IncomingMessage(
        provider=PROVIDER,
        provider_message_id=str(message["id"]),
        business_id=business_id,
        client_phone=to_e164("+" + sender.lstrip("+")) or sender,
        client_name=names.get(sender),
        sent_at=at,
        kind=kind,
        text=text,
        direction=Direction.IN,
        media=media,
        reply_to_provider_id=context.get("id"),
        referral=dict(referral),
    )


class MetaMediaFetcher:
    """`GET /{media-id}` gives a short-lived URL; fetch it with the same bearer token.

    The URL expires after about five minutes, so a 401/403/404/410 on it means "ask for a new one".
    """

    def __init__(self, *, api_url: str, access_token: str, http: httpx.Client) -> None:
        self.api_url = api_url.rstrip("/")
        self.http = http
        self.auth = {"Authorization": f"Bearer {access_token}"}

    def _fresh_url(self, media_id: str) -> tuple[str, str | None]:
        response = self.http.get(f"{self.api_url}/{media_id}", headers=self.auth)
        response.raise_for_status()
        data = response.json()
        return str(data["url"]), data.get("mime_type")

    def fetch(self, ref: MediaRef) -> FetchedMedia:
        url, mime = ref.url, ref.mime
        for attempt in range(3):
            if url is None or attempt > 0:
                if not ref.media_id:
                    raise RuntimeError("meta media has neither a usable URL nor a media id")
                url, fresh_mime = self._fresh_url(ref.media_id)
                mime = mime or fresh_mime
            response = self.http.get(url, headers=self.auth)
            if response.status_code in (401, 403, 404, 410):
                log.info(
                    "meta media URL answered %s (expired?): asking for a new one",
                    response.status_code,
                )
                continue
            response.raise_for_status()
            return FetchedMedia(
                data=response.content,
                mime=mime or response.headers.get("content-type"),
                filename=ref.filename,
            )
        raise RuntimeError(f"meta media {ref.media_id}: URL kept expiring")


# Cloud API error codes that a seller can act on (the rest get the provider's own text).
_ERRORS_PT = {
    131047: "Já se passaram mais de 24 horas desde a última mensagem do cliente: "
    "envie um modelo (template) aprovado para retomar a conversa.",
    131026: "Não foi possível entregar: o número pode não ter WhatsApp.",
    131048: "Envio bloqueado temporariamente por limite de spam. Tente mais tarde.",
    131056: "Muitas mensagens para este cliente em pouco tempo. Aguarde um pouco.",
    190: "O token de acesso da Meta expirou ou é inválido: avise o administrador.",
    130429: "Limite de envios da Meta atingido. Tente novamente em instantes.",
}


class MetaSender:
    def __init__(
        self, *, api_url: str, access_token: str, phone_number_id: str, http: httpx.Client
    ) -> None:
        self.url = f"{api_url.rstrip('/')}/{phone_number_id}/messages"
        self.http = http
        self.auth = {"Authorization": f"Bearer {access_token}"}

    provider = PROVIDER

    def _post(self, payload: dict[str, Any]) -> SendResult:
        try:
            response = self.http.post(self.url, json=payload, headers=self.auth)
        except httpx.HTTPError as exc:
            raise provider_error(PROVIDER, None, str(exc)) from exc
        try:
            data = response.json()
        except ValueError:
            data = {}
        if response.status_code >= 400 or "error" in data:
            error = data.get("error") or {}
            code = error.get("code")
            detail = f"{code}: {error.get('message') or response.text[:200]}"
            pt = _ERRORS_PT.get(code) if isinstance(code, int) else None
            raise SendError(
                pt or provider_error(PROVIDER, code, detail).message_pt, code=code, detail=detail
            )
        return SendResult(
            provider=PROVIDER,
            provider_message_id=str(data["messages"][0]["id"]),
            status=DeliveryStatus.SENT,
        )

    def send_text(self, *, to: str, text: str) -> SendResult:
        return self._post(
            {
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": to.lstrip("+"),
                "type": "text",
                "text": {"preview_url": False, "body": text},
            }
        )

    def send_template(self, *, to: str, name: str, language: str = "pt_BR") -> SendResult:
        return self._post(
            {
                "messaging_product": "whatsapp",
                "to": to.lstrip("+"),
                "type": "template",
                "template": {"name": name, "language": {"code": language}},
            }
        )

    def send_media(
        self, *, to: str, url: str, kind: str = "document", caption: str | None = None
    ) -> SendResult:
        media: dict[str, Any] = {"link": url}
        if caption and kind in {"image", "video", "document"}:
            media["caption"] = caption
        return self._post(
            {"messaging_product": "whatsapp", "to": to.lstrip("+"), "type": kind, kind: media}
        )
