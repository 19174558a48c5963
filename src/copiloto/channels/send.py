"""Sending replies through the configured WhatsApp provider, and the ports the providers implement.

`send_reply` is what the UI's "Enviar" button and `POST /api/messages` call: it stores the outgoing
message whatever happens (SENT with the provider's id, or FAILED with a pt-BR reason the seller can
read), and refuses up front what the provider would refuse (the Cloud API's 24-hour window).
"""

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

import httpx
from sqlmodel import Session, col, select

from copiloto.channels.events import MediaRef
from copiloto.domain.enums import DeliveryStatus, Direction, MessageKind, Provider
from copiloto.settings import Settings
from copiloto.storage.tables import Client, Message, utcnow

log = logging.getLogger(__name__)

SERVICE_WINDOW = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class SendResult:
    provider: Provider
    provider_message_id: str
    status: DeliveryStatus = DeliveryStatus.SENT


@dataclass(frozen=True, slots=True)
class FetchedMedia:
    data: bytes
    mime: str | None = None
    filename: str | None = None


class SendError(Exception):
    """A send the provider refused or could not take; `message_pt` is shown to the seller."""

    def __init__(self, message_pt: str, *, code: object = None, detail: str | None = None) -> None:
        super().__init__(message_pt)
        self.message_pt = message_pt
        self.code = code
        self.detail = detail


class NoChannelConfigured(SendError):
    def __init__(self) -> None:
        super().__init__(
            "Nenhum canal de WhatsApp está configurado para envio. Copie a sugestão e envie pelo "
            "seu WhatsApp, ou peça ao administrador para configurar COPILOTO_SEND_PROVIDER."
        )


class TemplateRequired(SendError):
    """Outside the Cloud API's 24-hour window only approved templates may be sent."""

    def __init__(self, templates: list[str]) -> None:
        offer = (
            "Modelos disponíveis: " + ", ".join(templates) + "."
            if templates
            else "Nenhum modelo está configurado (COPILOTO_META_TEMPLATES): fale com o administrador."
        )
        super().__init__(
            "O cliente não escreve há mais de 24 horas, e o WhatsApp só permite retomar a conversa "
            "com um modelo (template) aprovado. " + offer,
            code="template_required",
        )
        self.templates = templates


def provider_error(provider: Provider, code: object, detail: str) -> SendError:
    """A generic pt-BR message for errors without a specific translation."""
    log.warning("%s send failed: %s", provider.value, detail)
    return SendError(
        f"O {provider.value} recusou o envio ({detail[:160]}). A mensagem ficou registrada como "
        "não enviada; tente novamente ou envie pelo celular.",
        code=code,
        detail=detail,
    )


class Sender(Protocol):
    """A provider that can deliver a text message to a client's WhatsApp."""

    provider: Provider

    def send_text(self, *, to: str, text: str) -> SendResult: ...


class MediaFetcher(Protocol):
    """A provider from which the worker downloads attachments named in webhooks."""

    def fetch(self, ref: MediaRef) -> FetchedMedia: ...


def _http(settings: Settings) -> httpx.Client:
    return httpx.Client(timeout=httpx.Timeout(30.0, connect=10.0), follow_redirects=True)


def build_sender(settings: Settings) -> Sender | None:
    """The sender chosen by `COPILOTO_SEND_PROVIDER`; None when sending is off."""
    secret = lambda value: value.get_secret_value() if value else ""  # noqa: E731
    if settings.send_provider == "meta":
        from copiloto.channels.meta import MetaSender

        if not (settings.meta_access_token and settings.meta_phone_number_id):
            raise ValueError("send_provider=meta needs META_ACCESS_TOKEN and META_PHONE_NUMBER_ID")
        return MetaSender(
            api_url=settings.meta_api_url,
            access_token=secret(settings.meta_access_token),
            phone_number_id=settings.meta_phone_number_id,
            http=_http(settings),
        )
    if settings.send_provider == "twilio":
        from copiloto.channels.twilio import TwilioSender

        if not (
            settings.twilio_account_sid and settings.twilio_auth_token and settings.twilio_from
        ):
            raise ValueError("send_provider=twilio needs TWILIO_ACCOUNT_SID, _AUTH_TOKEN and _FROM")
        return TwilioSender(
            api_url=settings.twilio_api_url,
            account_sid=settings.twilio_account_sid,
            auth_token=secret(settings.twilio_auth_token),
            from_number=settings.twilio_from,
            http=_http(settings),
        )
    if settings.send_provider == "zapi":
        from copiloto.channels.zapi import ZapiSender

        if not (settings.zapi_instance and settings.zapi_token):
            raise ValueError("send_provider=zapi needs ZAPI_INSTANCE and ZAPI_TOKEN")
        return ZapiSender(
            api_url=settings.zapi_api_url,
            instance=settings.zapi_instance,
            token=secret(settings.zapi_token),
            client_token=secret(settings.zapi_client_token) or None,
            http=_http(settings),
        )
    return None


def build_media_fetchers(settings: Settings) -> dict[Provider, MediaFetcher]:
    """One fetcher per provider whose credentials are configured (Z-API URLs need none)."""
    from copiloto.channels.meta import MetaMediaFetcher
    from copiloto.channels.twilio import TwilioMediaFetcher
    from copiloto.channels.zapi import PlainUrlFetcher

    http = _http(settings)
    fetchers: dict[Provider, MediaFetcher] = {
        Provider.ZAPI: PlainUrlFetcher(http=http),
        Provider.EVOLUTION: PlainUrlFetcher(http=http),
    }
    if settings.meta_access_token:
        fetchers[Provider.META] = MetaMediaFetcher(
            api_url=settings.meta_api_url,
            access_token=settings.meta_access_token.get_secret_value(),
            http=http,
        )
    if settings.twilio_account_sid and settings.twilio_auth_token:
        fetchers[Provider.TWILIO] = TwilioMediaFetcher(
            account_sid=settings.twilio_account_sid,
            auth_token=settings.twilio_auth_token.get_secret_value(),
            http=http,
        )
    return fetchers


def last_client_message_at(session: Session, client_id: int):  # type: ignore[no-untyped-def]
    return session.exec(
        select(Message.sent_at)
        .where(Message.client_id == client_id, Message.direction == Direction.IN)
        .order_by(col(Message.sent_at).desc())
        .limit(1)
    ).first()


def send_reply(
    session: Session,
    *,
    client_id: int,
    seller_id: int,
    text: str,
    sender: Sender | None,
    templates: list[str] | None = None,
) -> Message:
    """Send `text` to the client and store it as an outgoing message with its delivery status.

    Raises `NoChannelConfigured` or `TemplateRequired` (nothing sent, nothing stored) when the send
    cannot happen; a provider error is stored as a FAILED message whose `status_error` is the pt-BR
    text to show, and the message is returned (check `message.status`).
    """
    if sender is None:
        raise NoChannelConfigured()
    client = session.get(Client, client_id)
    if client is None or client.seller_id != seller_id:
        raise SendError("Cliente não encontrado para este vendedor.")
    if not client.phone:
        raise SendError("Este cliente não tem número de telefone cadastrado.")
    text = text.strip()
    if not text:
        raise SendError("A mensagem está vazia.")
    if sender.provider is Provider.META:
        last_in = last_client_message_at(session, client_id)
        if last_in is None or utcnow() - last_in > SERVICE_WINDOW:
            raise TemplateRequired(list(templates or []))
    return _send_and_store(
        session,
        provider=sender.provider,
        client=client,
        seller_id=seller_id,
        text=text,
        send=lambda: sender.send_text(to=client.phone, text=text),  # type: ignore[arg-type]
    )


def send_template_reply(
    session: Session,
    *,
    client_id: int,
    seller_id: int,
    template: str,
    sender: Sender | None,
    language: str = "pt_BR",
) -> Message:
    """Re-open a Cloud API conversation with an approved template (what `TemplateRequired` offers).

    Stored like `send_reply`: SENT with the provider id, or FAILED with the pt-BR reason.
    """
    send_template = getattr(sender, "send_template", None)
    if sender is None or send_template is None:
        raise SendError("O canal configurado não envia modelos (templates) do WhatsApp.")
    client = session.get(Client, client_id)
    if client is None or client.seller_id != seller_id or not client.phone:
        raise SendError("Cliente não encontrado para este vendedor, ou sem telefone.")
    return _send_and_store(
        session,
        provider=sender.provider,
        client=client,
        seller_id=seller_id,
        text=f"[modelo: {template}]",
        send=lambda: send_template(to=client.phone, name=template, language=language),
    )


def _send_and_store(
    session: Session,
    *,
    provider: Provider,
    client: Client,
    seller_id: int,
    text: str,
    send: Callable[[], SendResult],
) -> Message:
    """Send once and store the outgoing message either way: SENT with the provider's id, or
    FAILED with the pt-BR reason the seller reads."""
    from copiloto.storage.repository import add_message, get_or_create_conversation

    conversation = get_or_create_conversation(
        session,
        seller_id=seller_id,
        client_id=client.id,  # type: ignore[arg-type]
        chat_key=f"{provider.value}:{client.phone}",
        channel=provider,
        title=client.name,
    )
    message = Message(
        conversation_id=conversation.id,  # type: ignore[arg-type]
        client_id=client.id,  # type: ignore[arg-type]
        seller_id=seller_id,
        provider=provider,
        provider_message_id=f"local:{uuid.uuid4().hex}",
        direction=Direction.OUT,
        sent_at=utcnow(),
        kind=MessageKind.TEXT,
        text=text,
        status=DeliveryStatus.PENDING,
    )
    try:
        result = send()
    except SendError as exc:
        message.status, message.failed_at = DeliveryStatus.FAILED, utcnow()
        message.status_error = exc.message_pt
    else:
        message.provider_message_id, message.status = result.provider_message_id, result.status
    stored = add_message(session, message)
    if stored is None:  # a status webhook for this id cannot create a message; only a re-send
        raise SendError("Esta mensagem já foi registrada.")
    session.flush()
    return stored
