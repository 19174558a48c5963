"""Closed vocabularies shared by every layer. Values are stored as-is in the database and payloads."""

from enum import StrEnum


class Direction(StrEnum):
    """Who wrote a message, seen from the seller's side."""

    IN = "in"  # client -> seller
    OUT = "out"  # seller -> client
    NONE = "none"  # system lines (encryption notice, group events)


class MessageKind(StrEnum):
    TEXT = "text"
    AUDIO = "audio"
    IMAGE = "image"
    DOCUMENT = "document"
    VIDEO = "video"
    STICKER = "sticker"
    MEDIA = "media"  # an attachment whose type the source does not tell (`<Mídia oculta>`)
    CONTACT = "contact"
    LOCATION = "location"
    DELETED = "deleted"
    SYSTEM = "system"

    @property
    def is_media(self) -> bool:
        return self in _MEDIA_KINDS


_MEDIA_KINDS = frozenset(
    {
        MessageKind.AUDIO,
        MessageKind.IMAGE,
        MessageKind.DOCUMENT,
        MessageKind.VIDEO,
        MessageKind.STICKER,
        MessageKind.MEDIA,
    }
)


class Provider(StrEnum):
    """Where a message came from (and, for outgoing ones, where it was sent through)."""

    EXPORT = "whatsapp_export"
    META = "meta"
    TWILIO = "twilio"
    ZAPI = "zapi"
    EVOLUTION = "evolution"
    MANUAL = "manual"  # typed or pasted by the seller in Copiloto and sent by hand


class DeliveryStatus(StrEnum):
    """Delivery state of a message; ordered so that a late 'sent' never overrides a 'read'."""

    PENDING = "pending"
    SENT = "sent"
    DELIVERED = "delivered"
    READ = "read"
    FAILED = "failed"

    @property
    def rank(self) -> int:
        return _STATUS_RANK[self]


_STATUS_RANK = {
    DeliveryStatus.PENDING: 0,
    DeliveryStatus.SENT: 1,
    DeliveryStatus.DELIVERED: 2,
    DeliveryStatus.READ: 3,
    DeliveryStatus.FAILED: 4,
}


class ProcessingState(StrEnum):
    """Life cycle of anything processed in the background (media, jobs, inbox events)."""

    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"  # will be retried
    DEAD = "dead"  # gave up after the maximum number of attempts; shown by `copiloto stats`
    MISSING = "missing"  # an attachment named in an export but absent from the archive


class Sentiment(StrEnum):
    POSITIVO = "positivo"
    NEUTRO = "neutro"
    NEGATIVO = "negativo"


class Intent(StrEnum):
    PERGUNTA = "pergunta"
    DUVIDA = "duvida"
    INTERESSE = "interesse"
    OBJECAO = "objecao"
    ENCERRAMENTO = "encerramento"
    OUTRO = "outro"


class Outcome(StrEnum):
    """Outcome of a negotiation (a conversation)."""

    OPEN = "open"
    WON = "won"
    LOST = "lost"


class Stage(StrEnum):
    """Where a client stands in the sales funnel."""

    NEW = "new"
    NEGOTIATING = "negotiating"
    PROPOSAL_SENT = "proposal_sent"
    WON = "won"
    LOST = "lost"
    DORMANT = "dormant"
