"""Evolution API (self-hosted Baileys gateway): `messages.upsert` and `messages.update` events.

No official sample payload is published; the shape follows Evolution's source (webhook controller and
`prepareMessage()`), see shared/data/SOURCES.md. Unsigned, like Z-API: the URL carries the secret.
Media arrives as WhatsApp's encrypted CDN URL unless Evolution stores media itself (`mediaUrl`), so
only `mediaUrl` is downloaded.
"""

import hashlib
import json
import logging
from datetime import UTC, datetime
from typing import Any

from copiloto.channels.events import AnyEvent, IncomingMessage, MediaRef, StatusUpdate, UnknownShape
from copiloto.domain.enums import DeliveryStatus, Direction, MessageKind, Provider
from copiloto.domain.phones import to_e164

log = logging.getLogger(__name__)

PROVIDER = Provider.EVOLUTION

_STATUSES = {
    "SERVER_ACK": DeliveryStatus.SENT,
    "DELIVERY_ACK": DeliveryStatus.DELIVERED,
    "READ": DeliveryStatus.READ,
    "PLAYED": DeliveryStatus.READ,
    "ERROR": DeliveryStatus.FAILED,
}
_MEDIA = {
    "imageMessage": MessageKind.IMAGE,
    "audioMessage": MessageKind.AUDIO,
    "videoMessage": MessageKind.VIDEO,
    "documentMessage": MessageKind.DOCUMENT,
    "documentWithCaptionMessage": MessageKind.DOCUMENT,
    "stickerMessage": MessageKind.STICKER,
}


def _event_name(payload: dict[str, Any]) -> str:
    return str(payload.get("event") or "").lower().replace("_", ".")


def _items(payload: dict[str, Any]) -> list[dict[str, Any]]:
    data = payload.get("data")
    if isinstance(data, list):
        return [d for d in data if isinstance(d, dict)]
    return [data] if isinstance(data, dict) else []


def event_id(payload: Any, body: bytes) -> str:
    if isinstance(payload, dict):
        name = _event_name(payload)
        ids = []
        for item in _items(payload):
            key = item.get("key") or {}
            ident = key.get("id") or item.get("keyId") or item.get("messageId")
            ids.append(f"{ident}:{item.get('status')}" if name == "messages.update" else str(ident))
        if ids and all(ids):
            return f"{name}:{','.join(sorted(ids))}"[:200]
    return "body:" + hashlib.sha256(body).hexdigest()


def _content(message: dict[str, Any]) -> tuple[MessageKind, str, MediaRef | None]:
    if "conversation" in message:
        return MessageKind.TEXT, str(message["conversation"] or ""), None
    if isinstance(message.get("extendedTextMessage"), dict):
        return MessageKind.TEXT, str(message["extendedTextMessage"].get("text") or ""), None
    for key, kind in _MEDIA.items():
        media = message.get(key)
        if isinstance(media, dict):
            url = message.get("mediaUrl")
            ref = MediaRef(url=url, mime=media.get("mimetype"), filename=media.get("fileName"))
            return kind, str(media.get("caption") or ""), ref if url else None
    if isinstance(message.get("locationMessage"), dict):
        loc = message["locationMessage"]
        return (
            MessageKind.LOCATION,
            f"{loc.get('degreesLatitude')}, {loc.get('degreesLongitude')}",
            None,
        )
    if isinstance(message.get("contactMessage"), dict):
        return MessageKind.CONTACT, str(message["contactMessage"].get("displayName") or ""), None
    kinds = [k for k, v in message.items() if isinstance(v, dict)]
    return MessageKind.TEXT, f"[mensagem do tipo {kinds[0] if kinds else 'desconhecido'}]", None


def _at(value: Any, fallback: datetime) -> datetime:
    if value in (None, ""):
        return fallback
    number = int(value)
    return datetime.fromtimestamp(number / 1000 if number > 10**11 else number, tz=UTC)


def parse(body: bytes, *, received_at: datetime) -> list[AnyEvent]:
    payload = json.loads(body)
    if not isinstance(payload, dict) or "event" not in payload:
        raise UnknownShape("no 'event': not an Evolution API webhook")
    name = _event_name(payload)
    events: list[AnyEvent] = []
    if name == "messages.upsert":
        for item in _items(payload):
            key = item.get("key") or {}
            jid = str(key.get("remoteJid") or "")
            if not key.get("id") or not jid:
                raise UnknownShape("messages.upsert without key.id/remoteJid")
            if jid.endswith("@broadcast") or jid.endswith("@newsletter"):
                continue
            kind, text, media = _content(item.get("message") or {})
            number = jid.split("@", 1)[0]
            events.append(
                IncomingMessage(
                    provider=PROVIDER,
                    provider_message_id=str(key["id"]),
                    business_id=str(payload.get("instance") or "") or None,
                    client_phone=to_e164("+" + number) or number,
                    client_name=item.get("pushName") or None,
                    sent_at=_at(item.get("messageTimestamp"), received_at),
                    kind=kind,
                    text=text,
                    direction=Direction.OUT if key.get("fromMe") else Direction.IN,
                    media=media,
                    reply_to_provider_id=((item.get("contextInfo") or {}).get("stanzaId")),
                    is_group=jid.endswith("@g.us"),
                )
            )
    elif name == "messages.update":
        for item in _items(payload):
            mapped = _STATUSES.get(str(item.get("status")))
            ident = (item.get("key") or {}).get("id") or item.get("keyId")
            if mapped is None or not ident:
                continue
            events.append(
                StatusUpdate(
                    provider=PROVIDER,
                    provider_message_id=str(ident),
                    status=mapped,
                    at=_at(item.get("datetime") or item.get("messageTimestamp"), received_at),
                )
            )
    else:
        log.info("evolution: ignoring event %r", name)
    return events
