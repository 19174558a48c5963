"""Z-API: JSON callbacks (`ReceivedCallback`, `MessageStatusCallback`), media URLs, sending.

Z-API does not sign its callbacks: the webhook URL carries `COPILOTO_WEBHOOK_SECRET` (checked in
`webhooks.py`). Field names, including the provider's own spelling `momment`, follow its docs
(examples in shared/data/webhooks/zapi).
"""

import hashlib
import json
import logging
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

PROVIDER = Provider.ZAPI

_STATUSES = {
    "SENT": DeliveryStatus.SENT,
    "RECEIVED": DeliveryStatus.DELIVERED,
    "DELIVERED": DeliveryStatus.DELIVERED,
    "READ": DeliveryStatus.READ,
    "PLAYED": DeliveryStatus.READ,
}
# (payload key, url key, kind)
_MEDIA = (
    ("image", "imageUrl", MessageKind.IMAGE),
    ("audio", "audioUrl", MessageKind.AUDIO),
    ("video", "videoUrl", MessageKind.VIDEO),
    ("document", "documentUrl", MessageKind.DOCUMENT),
    ("sticker", "stickerUrl", MessageKind.STICKER),
)


def _at(payload: dict[str, Any]) -> datetime:
    return datetime.fromtimestamp(int(payload["momment"]) / 1000, tz=UTC)


def event_id(payload: Any, body: bytes) -> str:
    if isinstance(payload, dict):
        if payload.get("type") == "MessageStatusCallback":
            ids = ",".join(str(i) for i in payload.get("ids") or [])
            return f"s:{ids}:{payload.get('status')}"[:200]
        if payload.get("messageId"):
            prefix = "e" if payload.get("isEdit") else "m"
            suffix = f":{payload.get('momment')}" if payload.get("isEdit") else ""
            return f"{prefix}:{payload['messageId']}{suffix}"
    return "body:" + hashlib.sha256(body).hexdigest()


def _content(payload: dict[str, Any]) -> tuple[MessageKind, str, MediaRef | None]:
    for key, url_key, kind in _MEDIA:
        media = payload.get(key)
        if isinstance(media, dict):
            ref = MediaRef(
                url=media.get(url_key),
                mime=media.get("mimeType"),
                filename=media.get("fileName"),
            )
            return kind, str(media.get("caption") or media.get("title") or ""), ref
    text = payload.get("text")
    if isinstance(text, dict):
        return MessageKind.TEXT, str(text.get("message") or ""), None
    template = payload.get("hydratedTemplate")
    if isinstance(template, dict):
        return MessageKind.TEXT, str(template.get("message") or ""), None
    for key in ("buttonsResponseMessage", "listResponseMessage"):
        reply = payload.get(key)
        if isinstance(reply, dict):
            return MessageKind.TEXT, str(reply.get("message") or reply.get("title") or ""), None
    if isinstance(payload.get("location"), dict):
        loc = payload["location"]
        return MessageKind.LOCATION, f"{loc.get('latitude')}, {loc.get('longitude')}", None
    if isinstance(payload.get("contact"), dict):
        return MessageKind.CONTACT, str(payload["contact"].get("displayName") or ""), None
    kinds = [k for k, v in payload.items() if isinstance(v, dict)]
    return MessageKind.TEXT, f"[mensagem do tipo {kinds[0] if kinds else 'desconhecido'}]", None


def parse(body: bytes, *, received_at: datetime) -> list[AnyEvent]:
    payload = json.loads(body)
    if not isinstance(payload, dict) or "type" not in payload:
        raise UnknownShape("no 'type': not a Z-API callback")
    callback = payload["type"]
    if callback == "MessageStatusCallback":
        mapped = _STATUSES.get(str(payload.get("status")))
        if mapped is None:
            return []  # READ_BY_ME and similar: the business's own reading, not a delivery
        return [
            StatusUpdate(
                provider=PROVIDER, provider_message_id=str(i), status=mapped, at=_at(payload)
            )
            for i in payload.get("ids") or []
        ]
    if callback != "ReceivedCallback":
        log.info("zapi: ignoring callback %r", callback)
        return []
    if (
        payload.get("notification")
        or payload.get("waitingMessage")
        or payload.get("broadcast")
        or payload.get("isNewsletter")
        or "reaction" in payload
    ):
        return []  # calls, profile changes, labels, reactions: no conversation content
    kind, text, media = _content(payload)
    if payload.get("isEdit"):
        return [
            MessageChange(
                provider=PROVIDER,
                original_provider_id=str(payload["messageId"]),
                at=_at(payload),
                new_text=text,
            )
        ]
    phone = str(payload.get("phone") or "")
    ad = payload.get("externalAdReply") or {}
    return [
        IncomingMessage(
            provider=PROVIDER,
            provider_message_id=str(payload["messageId"]),
            business_id=str(payload.get("instanceId") or payload.get("connectedPhone") or "")
            or None,
            client_phone=to_e164("+" + phone) or phone,
            client_name=payload.get("senderName") or payload.get("chatName") or None,
            sent_at=_at(payload),
            kind=kind,
            text=text,
            direction=Direction.OUT if payload.get("fromMe") else Direction.IN,
            media=media if media and media.url else None,
            reply_to_provider_id=payload.get("referenceMessageId") or None,
            referral=dict(ad) if isinstance(ad, dict) else {},
            is_group=bool(payload.get("isGroup")),
        )
    ]


class PlainUrlFetcher:
    """Z-API and Evolution (with media storage) hand out plain downloadable URLs."""

    def __init__(self, *, http: httpx.Client) -> None:
        self.http = http

    def fetch(self, ref: MediaRef) -> FetchedMedia:
        if not ref.url:
            raise RuntimeError("media without a URL")
        response = self.http.get(ref.url)
        response.raise_for_status()
        return FetchedMedia(
            data=response.content,
            mime=ref.mime or response.headers.get("content-type"),
            filename=ref.filename,
        )


class ZapiSender:
    provider = PROVIDER

    def __init__(
        self,
        *,
        api_url: str,
        instance: str,
        token: str,
        client_token: str | None,
        http: httpx.Client,
    ) -> None:
        self.base = f"{api_url.rstrip('/')}/instances/{instance}/token/{token}"
        self.headers = {"Client-Token": client_token} if client_token else {}
        self.http = http

    def _post(self, path: str, payload: dict[str, Any]) -> SendResult:
        try:
            response = self.http.post(f"{self.base}/{path}", json=payload, headers=self.headers)
        except httpx.HTTPError as exc:
            raise provider_error(PROVIDER, None, str(exc)) from exc
        try:
            data = response.json()
        except ValueError:
            data = {}
        if response.status_code >= 400 or not data.get("messageId"):
            detail = f"{response.status_code}: {data.get('error') or data.get('message') or response.text[:200]}"
            if response.status_code in (401, 403):
                raise SendError(
                    "As credenciais da Z-API foram recusadas: avise o administrador.",
                    code=response.status_code,
                    detail=detail,
                )
            raise provider_error(PROVIDER, response.status_code, detail)
        return SendResult(provider=PROVIDER, provider_message_id=str(data["messageId"]))

    def send_text(self, *, to: str, text: str) -> SendResult:
        return self._post("send-text", {"phone": to.lstrip("+"), "message": text})

    def send_media(self, *, to: str, url: str, caption: str | None = None) -> SendResult:
        return self._post(
            "send-image", {"phone": to.lstrip("+"), "image": url, "caption": caption or ""}
        )
