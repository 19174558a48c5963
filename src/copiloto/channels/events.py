"""What a webhook delivery means to Copiloto, independent of the provider that sent it.

Each provider adapter turns its payloads into these events; everything after the adapter (storing
messages, applying statuses, downloading media) only knows these types, so adding a provider means
adding one adapter module.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from copiloto.domain.enums import DeliveryStatus, Direction, MessageKind, Provider


class UnknownShape(ValueError):
    """The payload parsed but matches no shape the adapter knows: stored as failed, not retried."""


@dataclass(frozen=True, slots=True)
class MediaRef:
    """Where the worker can fetch an attachment: a provider media id or a URL."""

    media_id: str | None = None
    url: str | None = None
    mime: str | None = None
    filename: str | None = None


@dataclass(frozen=True, slots=True)
class IncomingMessage:
    """A message in a chat with a client, either from the client (IN) or sent by the business
    from another device (OUT, e.g. Z-API's `fromMe`)."""

    provider: Provider
    provider_message_id: str
    business_id: str | None  # phone_number_id / instance / business number: picks the seller
    client_phone: str  # E.164 when it parses, the provider's raw id otherwise
    client_name: str | None
    sent_at: datetime
    kind: MessageKind
    text: str = ""
    direction: Direction = Direction.IN
    media: MediaRef | None = None
    reply_to_provider_id: str | None = None
    referral: dict[str, Any] = field(default_factory=dict)
    is_group: bool = False


@dataclass(frozen=True, slots=True)
class StatusUpdate:
    """A delivery status of a message the business sent (sent, delivered, read, failed)."""

    provider: Provider
    provider_message_id: str
    status: DeliveryStatus
    at: datetime
    error: str | None = None


Event = IncomingMessage | StatusUpdate


@dataclass(frozen=True, slots=True)
class MessageChange:
    """The client edited (new_text) or deleted (deleted=True) an earlier message."""

    provider: Provider
    original_provider_id: str
    at: datetime
    new_text: str | None = None
    deleted: bool = False


AnyEvent = IncomingMessage | StatusUpdate | MessageChange
