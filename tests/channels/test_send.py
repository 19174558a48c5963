"""Replies through each provider's API (a loopback stand-in), the 24-hour window, pt-BR errors."""

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from copiloto.channels.send import (
    NoChannelConfigured,
    TemplateRequired,
    build_sender,
    send_reply,
)
from copiloto.domain.enums import DeliveryStatus, Direction, Provider
from copiloto.storage.repository import (
    add_message,
    get_or_create_client,
    get_or_create_conversation,
    get_or_create_seller,
)
from copiloto.storage.tables import Message, utcnow


def _client(engine, *, phone: str, last_in_ago: timedelta | None) -> tuple[int, int]:
    with Session(engine, expire_on_commit=False) as session:
        seller = get_or_create_seller(session, name="Ana", login="ana")
        client = get_or_create_client(session, seller_id=seller.id, name="Joana", phone=phone)
        if last_in_ago is not None:
            conversation = get_or_create_conversation(
                session,
                seller_id=seller.id,
                client_id=client.id,
                chat_key=f"meta:{phone}",
                channel=Provider.META,
            )
            add_message(
                session,
                Message(
                    conversation_id=conversation.id,
                    client_id=client.id,
                    seller_id=seller.id,
                    provider=Provider.META,
                    provider_message_id=f"wamid.in-{phone}",
                    direction=Direction.IN,
                    sent_at=utcnow() - last_in_ago,
                    text="Oi",
                ),
            )
        session.commit()
        return client.id, seller.id


def _send(engine, settings, client_id, seller_id, text="Olá, Joana!"):
    with Session(engine, expire_on_commit=False) as session:
        message = send_reply(
            session,
            client_id=client_id,
            seller_id=seller_id,
            text=text,
            sender=build_sender(settings),
            templates=settings.meta_templates,
        )
        session.commit()
        return message


def _outgoing(engine) -> list[Message]:
    with Session(engine) as session:
        return session.exec(select(Message).where(Message.direction == Direction.OUT)).all()


def test_meta_send_inside_the_window(engine, channel_settings, standin) -> None:
    settings = channel_settings.model_copy(update={"send_provider": "meta"})
    client_id, seller_id = _client(engine, phone="+5511987654321", last_in_ago=timedelta(hours=2))
    message = _send(engine, settings, client_id, seller_id)
    assert (message.status, message.provider_message_id) == (DeliveryStatus.SENT, "wamid.out1")
    [request] = standin.sent
    assert request["to"] == "5511987654321" and request["text"]["body"] == "Olá, Joana!"
    assert request["auth"] == "Bearer meta-token"


def test_meta_outside_the_window_asks_for_a_template(engine, channel_settings, standin) -> None:
    settings = channel_settings.model_copy(update={"send_provider": "meta"})
    client_id, seller_id = _client(engine, phone="+5511987654321", last_in_ago=timedelta(hours=25))
    with pytest.raises(TemplateRequired) as refused:
        _send(engine, settings, client_id, seller_id)
    assert "24 horas" in refused.value.message_pt
    assert "retomar_contato" in refused.value.message_pt
    assert refused.value.templates == ["retomar_contato", "boas_vindas"]
    assert standin.sent == [] and _outgoing(engine) == []


def test_meta_provider_error_is_stored_with_a_pt_br_reason(
    engine, channel_settings, standin
) -> None:
    settings = channel_settings.model_copy(update={"send_provider": "meta"})
    client_id, seller_id = _client(engine, phone="+5511987654321", last_in_ago=timedelta(hours=1))
    standin.fail_next_send = {"code": 131026, "message": "Message undeliverable"}
    message = _send(engine, settings, client_id, seller_id)
    assert message.status == DeliveryStatus.FAILED
    assert "WhatsApp" in message.status_error
    [stored] = _outgoing(engine)
    assert stored.status == DeliveryStatus.FAILED and stored.failed_at is not None


def test_twilio_send_and_an_invalid_number(engine, channel_settings, standin) -> None:
    settings = channel_settings.model_copy(update={"send_provider": "twilio"})
    ok_id, seller_id = _client(engine, phone="+5511987654321", last_in_ago=None)
    message = _send(engine, settings, ok_id, seller_id)  # no window rule on Twilio here
    assert message.status == DeliveryStatus.SENT and message.provider_message_id.startswith("SM")
    assert standin.sent[0]["From"] == "whatsapp:+14155238886"
    assert standin.sent[0]["To"] == "whatsapp:+5511987654321"
    bad_id, _ = _client(engine, phone="+5511900000000", last_in_ago=None)
    failed = _send(engine, settings, bad_id, seller_id)
    assert failed.status == DeliveryStatus.FAILED and "inválido" in failed.status_error


def test_zapi_send_uses_the_client_token(engine, channel_settings, standin) -> None:
    settings = channel_settings.model_copy(update={"send_provider": "zapi"})
    client_id, seller_id = _client(engine, phone="+5511987654321", last_in_ago=None)
    message = _send(engine, settings, client_id, seller_id, text="Bom dia!")
    assert message.provider_message_id == "ZAPI1" and message.provider == Provider.ZAPI
    assert standin.sent == [
        {
            "provider": "zapi",
            "client_token": "zapi-client-token",
            "phone": "5511987654321",
            "message": "Bom dia!",
        }
    ]


def test_no_channel_configured(engine, settings) -> None:
    assert build_sender(settings) is None
    client_id, seller_id = _client(engine, phone="+5511987654321", last_in_ago=None)
    with pytest.raises(NoChannelConfigured) as refused:
        _send(engine, settings, client_id, seller_id)
    assert "Nenhum canal" in refused.value.message_pt


def test_template_reopens_the_conversation(engine, channel_settings, standin) -> None:
    from copiloto.channels.send import send_template_reply

    settings = channel_settings.model_copy(update={"send_provider": "meta"})
    client_id, seller_id = _client(engine, phone="+5511987654321", last_in_ago=timedelta(days=3))
    with Session(engine, expire_on_commit=False) as session:
        message = send_template_reply(
            session,
            client_id=client_id,
            seller_id=seller_id,
            template="retomar_contato",
            sender=build_sender(settings),
        )
        session.commit()
    assert message.status == DeliveryStatus.SENT and message.text == "[modelo: retomar_contato]"
    [request] = standin.sent
    assert request["type"] == "template"
    assert request["template"] == {"name": "retomar_contato", "language": {"code": "pt_BR"}}
