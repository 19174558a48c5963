"""The client profile: style, tone, hours, response times, products, stage, warnings, timing.

Pure functions over plain views of the store, so they are tested without a database and can run on
any source. Every field carries the evidence (message ids) it rests on: the brief cites them and the
seller can open them.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from statistics import median
from zoneinfo import ZoneInfo

from copiloto.analysis import signals
from copiloto.domain.enums import Direction, MessageKind, Stage
from copiloto.domain.formatting import WEEKDAYS_PT, duration_pt
from copiloto.domain.response_times import Turn, response_times

DORMANT_AFTER = timedelta(days=60)
PROPOSAL_STALE_AFTER = timedelta(days=3)


@dataclass(frozen=True, slots=True)
class MessageView:
    id: int
    conversation_id: int
    direction: Direction
    sent_at: datetime
    kind: MessageKind
    text: str
    sentiment: str | None = None
    intent: str | None = None


@dataclass(frozen=True, slots=True)
class PurchaseView:
    product: str
    quantity: int
    value: Decimal
    purchased_at: datetime


@dataclass(frozen=True, slots=True)
class Finding:
    """A statement about the client and the messages that show it."""

    text: str
    message_ids: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Style:
    formality: str  # "formal" | "informal" | "neutro"
    avg_words: float
    emoji_per_message: float
    audio_share: float
    evidence: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class BestMoment:
    next_slot: datetime
    weekday: int | None
    hour: int
    reason: str


@dataclass
class ClientProfile:
    style: Style | None
    tone: Finding
    hours_histogram: list[int]
    weekday_histogram: list[int]
    usual_hours: str
    client_median_response_s: float | None
    seller_median_response_s: float | None
    products: list[Finding]
    purchases: list[PurchaseView]
    purchases_total: Decimal
    stage: Stage
    stage_reason: Finding
    open_objections: list[Finding]
    complaints: list[Finding]
    sentiment_trend: Finding
    best_moment: BestMoment
    stuck: list[Finding]
    last_contact_at: datetime | None
    days_since_last_contact: int | None
    awaiting_reply: bool  # the client wrote last and nobody answered
    open_proposal: Finding | None
    open_proposal_at: datetime | None = None
    needs_attention: list[Finding] = field(default_factory=list)


def build_profile(
    messages: Sequence[MessageView],
    *,
    purchases: Sequence[PurchaseView] = (),
    catalogue: Sequence[str] = (),
    now: datetime,
    tz: ZoneInfo,
    fallback_hours: Sequence[int] | None = None,
) -> ClientProfile:
    """Everything the seller should know about one client, from their messages and purchases.

    `catalogue` lists product names seen for this seller (purchases and proposals of all clients);
    `fallback_hours` is the hour histogram of the seller's other clients, for new clients.
    """
    chat = sorted(
        (m for m in messages if m.kind is not MessageKind.SYSTEM), key=lambda m: (m.sent_at, m.id)
    )
    theirs = [m for m in chat if m.direction is Direction.IN]
    style = _style(theirs)
    hours = [0] * 24
    weekdays = [0] * 7
    for message in theirs:
        local = message.sent_at.astimezone(tz)
        hours[local.hour] += 1
        weekdays[local.weekday()] += 1
    times = response_times(Turn(m.id, m.direction, m.sent_at) for m in chat)
    client_rt = [r.seconds for r in times if r.responder is Direction.IN]
    seller_rt = [r.seconds for r in times if r.responder is Direction.OUT]
    proposal = _open_proposal(chat)
    open_proposal = (
        Finding(f"proposta sem resposta há {(now - proposal.sent_at).days} dias", (proposal.id,))
        if proposal
        else None
    )
    objections = _open_objections(chat)
    complaints = _complaints(theirs)
    trend = _sentiment_trend(theirs)
    stage, stage_reason = _stage(chat, purchases=purchases, open_proposal=open_proposal, now=now)
    last = chat[-1] if chat else None
    awaiting = bool(last and last.direction is Direction.IN)
    stuck = _stuck(
        open_proposal=open_proposal,
        proposal_age=now - proposal.sent_at if proposal else None,
        objections=objections,
        trend=trend,
    )
    profile = ClientProfile(
        style=style,
        tone=_tone(style),
        hours_histogram=hours,
        weekday_histogram=weekdays,
        usual_hours=_usual_hours(hours, weekdays),
        client_median_response_s=median(client_rt) if client_rt else None,
        seller_median_response_s=median(seller_rt) if seller_rt else None,
        products=_products(chat, purchases=purchases, catalogue=catalogue),
        purchases=sorted(purchases, key=lambda p: p.purchased_at),
        purchases_total=sum((p.value for p in purchases), Decimal("0.00")),
        stage=stage,
        stage_reason=stage_reason,
        open_objections=objections,
        complaints=complaints,
        sentiment_trend=trend,
        best_moment=best_moment(chat, now=now, tz=tz, fallback_hours=fallback_hours),
        stuck=stuck,
        last_contact_at=last.sent_at if last else None,
        days_since_last_contact=(now - last.sent_at).days if last else None,
        awaiting_reply=awaiting,
        open_proposal=open_proposal,
        open_proposal_at=proposal.sent_at if proposal else None,
    )
    profile.needs_attention = _needs_attention(profile, last=last, now=now)
    return profile


def _style(theirs: Sequence[MessageView]) -> Style | None:
    if not theirs:
        return None
    texts = [m.text for m in theirs if m.kind is MessageKind.TEXT and m.text]
    formality = sum(signals.formality_score(t) for t in texts)
    label = "formal" if formality >= 2 else "informal" if formality <= -2 else "neutro"
    words = [len(t.split()) for t in texts] or [0]
    emojis = sum(signals.emoji_count(t) for t in texts)
    audio = sum(1 for m in theirs if m.kind is MessageKind.AUDIO)
    examples = sorted(theirs, key=lambda m: -abs(signals.formality_score(m.text)))[:3]
    return Style(
        formality=label,
        avg_words=round(sum(words) / len(words), 1),
        emoji_per_message=round(emojis / max(len(texts), 1), 2),
        audio_share=round(audio / len(theirs), 2),
        evidence=tuple(m.id for m in examples),
    )


def _tone(style: Style | None) -> Finding:
    if style is None:
        return Finding("cordial e objetivo (cliente novo, sem histórico)")
    if style.formality == "formal":
        return Finding(
            "formal e cordial: trate por senhor/senhora, frases completas", style.evidence
        )
    if style.formality == "informal" or style.emoji_per_message >= 0.5:
        return Finding(
            "descontraído: linguagem leve, pode usar emoji com moderação", style.evidence
        )
    if style.avg_words <= 6:
        return Finding("direto ao ponto: mensagens curtas, vá direto à informação", style.evidence)
    return Finding("cordial e objetivo", style.evidence)


def _usual_hours(hours: Sequence[int], weekdays: Sequence[int]) -> str:
    if not any(hours):
        return "sem histórico de horários"
    top_hours = [h for h in sorted(range(24), key=lambda h: -hours[h]) if hours[h]][:3]
    top_days = [d for d in sorted(range(7), key=lambda d: -weekdays[d]) if weekdays[d]][:3]
    span = f"{min(top_hours)}h–{max(top_hours) + 1}h"
    return f"costuma escrever entre {span}, mais às " + ", ".join(WEEKDAYS_PT[d] for d in top_days)


def _products(
    chat: Sequence[MessageView], *, purchases: Sequence[PurchaseView], catalogue: Sequence[str]
) -> list[Finding]:
    names = {p.product for p in purchases} | set(catalogue)
    found: dict[str, list[int]] = {}
    for message in chat:
        for name in signals.mentioned_products(message.text, names):
            found.setdefault(name, []).append(message.id)
    bought = {p.product for p in purchases}
    ranked = sorted(found.items(), key=lambda item: (item[0] not in bought, -len(item[1])))
    return [Finding(name, tuple(ids[-3:])) for name, ids in ranked[:6]]


def _open_proposal(chat: Sequence[MessageView]) -> MessageView | None:
    """The seller's last proposal, if the client has not answered it."""
    for message in reversed(chat):
        if message.direction is Direction.IN:
            return None
        if message.direction is Direction.OUT and signals.is_proposal(message.text):
            return message
    return None


def _open_objections(chat: Sequence[MessageView]) -> list[Finding]:
    """Client objections of the last negotiation not followed by a closing from the client."""
    found: list[MessageView] = []
    for message in chat:
        if message.direction is not Direction.IN:
            continue
        if message.intent == "encerramento" or signals.is_won(message.text):
            found = []
        elif message.intent == "objecao":
            found.append(message)
    return [Finding(_quote(m.text), (m.id,)) for m in found[-3:]]


def _complaints(theirs: Sequence[MessageView]) -> list[Finding]:
    result = [
        m
        for m in theirs
        if (m.sentiment == "negativo" or m.sentiment is None) and signals.is_complaint(m.text)
    ]
    return [Finding(_quote(m.text), (m.id,)) for m in result[-3:]]


def _sentiment_trend(theirs: Sequence[MessageView]) -> Finding:
    scored = [m for m in theirs if m.sentiment]
    if len(scored) < 4:
        return Finding("estável (poucas mensagens para medir)")
    value = {"positivo": 1, "neutro": 0, "negativo": -1}
    half = len(scored) // 2
    recent = scored[-min(half, 5) :]
    before = scored[: len(scored) - len(recent)][-10:]
    delta = sum(value[m.sentiment or "neutro"] for m in recent) / len(recent) - sum(
        value[m.sentiment or "neutro"] for m in before
    ) / len(before)
    ids = tuple(m.id for m in recent)
    if delta <= -0.4:
        return Finding("piorando: as últimas mensagens estão mais negativas", ids)
    if delta >= 0.4:
        return Finding("melhorando: as últimas mensagens estão mais positivas", ids)
    return Finding("estável", ids)


def _stage(
    chat: Sequence[MessageView],
    *,
    purchases: Sequence[PurchaseView],
    open_proposal: Finding | None,
    now: datetime,
) -> tuple[Stage, Finding]:
    if not chat:
        return Stage.NEW, Finding("sem conversas ainda")
    last = chat[-1]
    for message in reversed(chat[-8:]):
        if message.direction is Direction.IN and signals.is_lost(message.text):
            return Stage.LOST, Finding("o cliente disse que não vai seguir", (message.id,))
        if message.direction is Direction.IN and signals.is_won(message.text):
            return Stage.WON, Finding("o cliente fechou o pedido", (message.id,))
    if purchases and max(p.purchased_at for p in purchases) >= last.sent_at - timedelta(days=30):
        return Stage.WON, Finding("compra registrada na última negociação")
    if now - last.sent_at > DORMANT_AFTER:
        days = (now - last.sent_at).days
        return Stage.DORMANT, Finding(f"sem contato há {days} dias", (last.id,))
    if open_proposal is not None:
        return Stage.PROPOSAL_SENT, open_proposal
    if len(chat) <= 3:
        return Stage.NEW, Finding("primeiros contatos", tuple(m.id for m in chat))
    return Stage.NEGOTIATING, Finding("conversa em andamento", (last.id,))


def _stuck(
    *,
    open_proposal: Finding | None,
    proposal_age: timedelta | None,
    objections: Sequence[Finding],
    trend: Finding,
) -> list[Finding]:
    stuck: list[Finding] = []
    if (
        open_proposal is not None
        and proposal_age is not None
        and proposal_age >= PROPOSAL_STALE_AFTER
    ):
        stuck.append(open_proposal)
    if len(objections) >= 2:
        ids = tuple(i for f in objections for i in f.message_ids)
        stuck.append(Finding(f"{len(objections)} objeções seguidas sem resolução", ids))
    if trend.text.startswith("piorando"):
        stuck.append(trend)
    return stuck


def _needs_attention(
    profile: ClientProfile, *, last: MessageView | None, now: datetime
) -> list[Finding]:
    reasons: list[Finding] = []
    quiet = (Stage.WON, Stage.LOST, Stage.DORMANT)  # the stage already says it
    if profile.awaiting_reply and last is not None and profile.stage not in quiet:
        waited = (now - last.sent_at).total_seconds()
        since = f"{int(waited // 3600)} h" if waited < 172_800 else f"{int(waited // 86_400)} dias"
        reasons.append(Finding(f"mensagem do cliente sem resposta há {since}", (last.id,)))
    reasons.extend(profile.stuck)
    reasons.extend(Finding("reclamação: " + c.text, c.message_ids) for c in profile.complaints[-1:])
    return reasons


def best_moment(
    chat: Sequence[MessageView],
    *,
    now: datetime,
    tz: ZoneInfo,
    fallback_hours: Sequence[int] | None = None,
) -> BestMoment:
    """When this client answers soonest, as the next concrete slot in their time zone.

    From the reply history: seller messages the client answered, grouped by weekday and hour, with
    the fastest median reply winning (two replies at least). Without history, the hour at which
    the client (or, for a new client, the seller's other clients) writes most.
    """
    by_slot: dict[tuple[int, int], list[float]] = {}
    ordered = {m.id: m for m in chat}
    for reply in response_times(Turn(m.id, m.direction, m.sent_at) for m in chat):
        if reply.responder is not Direction.IN:
            continue
        asked = ordered[reply.question_id].sent_at.astimezone(tz)
        by_slot.setdefault((asked.weekday(), asked.hour), []).append(reply.seconds)
    candidates = [(median(v), slot, len(v)) for slot, v in by_slot.items() if len(v) >= 2]
    if candidates:
        seconds, (weekday, hour), count = min(candidates)
        reason = (
            f"nas {count} vezes em que você escreveu {WEEKDAYS_PT[weekday]} por volta das {hour}h, "
            f"a resposta veio em {duration_pt(seconds)} (mediana)"
        )
        return BestMoment(_next_slot(now, tz, weekday=weekday, hour=hour), weekday, hour, reason)
    own = [0] * 24
    for message in chat:
        if message.direction is Direction.IN:
            own[message.sent_at.astimezone(tz).hour] += 1
    if any(own):
        hour = max(range(24), key=lambda h: own[h])
        reason = f"é o horário em que o cliente mais escreve ({own[hour]} mensagens às {hour}h)"
        return BestMoment(_next_slot(now, tz, weekday=None, hour=hour), None, hour, reason)
    if fallback_hours and any(fallback_hours):
        hour = max(range(24), key=lambda h: fallback_hours[h])
        reason = f"cliente novo: às {hour}h seus outros clientes mais respondem"
        return BestMoment(_next_slot(now, tz, weekday=None, hour=hour), None, hour, reason)
    reason = "cliente novo e sem histórico: horário comercial, meio da manhã"
    return BestMoment(_next_slot(now, tz, weekday=None, hour=10), None, 10, reason)


def _next_slot(now: datetime, tz: ZoneInfo, *, weekday: int | None, hour: int) -> datetime:
    local = now.astimezone(tz)
    candidate = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    for _ in range(8):
        weekday_ok = weekday is None or candidate.weekday() == weekday
        business_ok = weekday is not None or candidate.weekday() < 6  # avoid Sunday by default
        if candidate > local and weekday_ok and business_ok:
            return candidate
        candidate += timedelta(days=1)
    return candidate


def _quote(text: str, limit: int = 140) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def hour_histogram(messages: Sequence[MessageView], *, tz: ZoneInfo) -> list[int]:
    """Hours at which clients write; the seller-wide fallback for new clients."""
    counts = Counter(m.sent_at.astimezone(tz).hour for m in messages if m.direction is Direction.IN)
    return [counts.get(h, 0) for h in range(24)]
