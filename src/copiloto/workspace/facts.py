"""From the store to the profile and the facts a prompt may quote: computed by code, never by the LLM."""

import re
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from copiloto.analysis.profile import (
    ClientProfile,
    MessageView,
    PurchaseView,
    build_profile,
    hour_histogram,
)
from copiloto.domain.enums import Direction, MessageKind
from copiloto.domain.formatting import WEEKDAYS_PT, decimal_pt
from copiloto.domain.money import parse_brl
from copiloto.storage.repository import seller_catalogue
from copiloto.storage.tables import Client, MediaAsset, Message, Purchase, Seller
from copiloto.suggestions.schemas import ClientFacts, PurchaseFact

_MONEY = re.compile(r"R\$\s?\d{1,3}(?:\.\d{3})*(?:,\d{2})?|R\$\s?\d+(?:,\d{2})?")


def message_views(session: Session, client_id: int) -> list[MessageView]:
    """The client's messages, with a voice note or document standing in as its extracted text."""
    rows = session.exec(
        select(Message, MediaAsset.extracted_text)
        .join(MediaAsset, col(Message.media_asset_id) == MediaAsset.id, isouter=True)
        .where(Message.client_id == client_id)
        .order_by(col(Message.sent_at), col(Message.id))
    ).all()
    return [
        MessageView(
            id=m.id,  # type: ignore[arg-type]
            conversation_id=m.conversation_id,
            direction=Direction(m.direction),
            sent_at=m.sent_at,
            kind=MessageKind(m.kind),
            text=" ".join(t for t in (m.text, extracted) if t),
            sentiment=m.sentiment,
            intent=m.intent,
        )
        for m, extracted in rows
    ]


def purchase_views(session: Session, client_id: int) -> list[PurchaseView]:
    purchases = session.exec(select(Purchase).where(Purchase.client_id == client_id)).all()
    return [PurchaseView(p.product, p.quantity, p.value, p.purchased_at) for p in purchases]


def seller_hours(session: Session, seller_id: int, *, tz: ZoneInfo) -> list[int]:
    """When the seller's clients write: the fallback timing for a brand-new client."""
    rows = session.exec(
        select(Message.id, Message.conversation_id, Message.sent_at).where(
            Message.seller_id == seller_id, Message.direction == Direction.IN
        )
    ).all()
    views = [MessageView(i, c, Direction.IN, t, MessageKind.TEXT, "") for i, c, t in rows]
    return hour_histogram(views, tz=tz)


def client_profile(
    session: Session, client: Client, *, now: datetime, tz: ZoneInfo
) -> ClientProfile:
    assert client.id is not None
    return build_profile(
        message_views(session, client.id),
        purchases=purchase_views(session, client.id),
        catalogue=seller_catalogue(session, client.seller_id),
        now=now,
        tz=tz,
        fallback_hours=seller_hours(session, client.seller_id, tz=tz),
    )


def proposal_values(session: Session, profile: ClientProfile) -> list[Decimal]:
    if profile.open_proposal is None:
        return []
    message = session.get(Message, profile.open_proposal.message_ids[0])
    if message is None:
        return []
    return [parse_brl(match) for match in _MONEY.findall(message.text)]


def client_facts(
    session: Session, client: Client, profile: ClientProfile, *, tz: ZoneInfo
) -> ClientFacts:
    seller = session.get(Seller, client.seller_id)
    last_from = None
    if profile.last_contact_at is not None:
        last_from = "client" if profile.awaiting_reply else "seller"
    moment = profile.best_moment
    notes = [f.text for f in profile.needs_attention if f not in profile.stuck]
    if profile.sentiment_trend.text:
        notes.append("tendência de sentimento: " + profile.sentiment_trend.text)
    return ClientFacts(
        name=client.name,
        phone=client.phone,
        seller=seller.name if seller else None,
        stage=profile.stage.value,
        last_contact=profile.last_contact_at.astimezone(tz) if profile.last_contact_at else None,
        days_since_last_contact=profile.days_since_last_contact,
        last_message_from=last_from,
        purchases=[
            PurchaseFact(
                product=p.product,
                quantity=p.quantity,
                value=p.value,
                purchased_on=p.purchased_at.astimezone(tz).date(),
            )
            for p in profile.purchases
        ],
        total_purchased=profile.purchases_total if profile.purchases else None,
        open_proposals=proposal_values(session, profile),
        style=_style_text(profile),
        tone=profile.tone.text,
        contact_hours=profile.usual_hours,
        topics=[f.text for f in profile.open_objections] + [f.text for f in profile.complaints],
        products_of_interest=[f.text for f in profile.products],
        best_moment=f"{_slot(moment.next_slot.astimezone(tz))} ({moment.reason})",
        sentiment=profile.sentiment_trend.text,
        stuck=[f.text for f in profile.stuck],
        notes=notes,
    )


def _slot(moment: datetime) -> str:
    return f"{WEEKDAYS_PT[moment.weekday()]}, {moment:%d/%m} às {moment:%H}h"


def _style_text(profile: ClientProfile) -> str | None:
    style = profile.style
    if style is None:
        return None
    parts = [
        style.formality,
        f"{decimal_pt(style.avg_words)} palavras por mensagem em média",
        f"{decimal_pt(style.emoji_per_message)} emoji por mensagem",
    ]
    if style.audio_share:
        parts.append(f"{round(style.audio_share * 100)}% das mensagens em áudio")
    return ", ".join(parts)
