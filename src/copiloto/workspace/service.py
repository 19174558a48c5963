"""The workspace facade: every use case the UI and the API offer a seller, with isolation.

Methods are synchronous (database, models); the ChainLit layer runs them in a worker thread.
Facts are computed by code (workspace.facts); the LLM only phrases them (suggestions.generation).
"""

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from copiloto.analysis.profile import ClientProfile, Finding
from copiloto.auth import verify_password
from copiloto.domain.enums import Direction, MessageKind, Provider
from copiloto.domain.formatting import brl
from copiloto.domain.phones import to_e164
from copiloto.retrieval.retrievers import Evidence
from copiloto.storage.repository import get_or_create_client
from copiloto.storage.tables import Brief, Client, Message, Purchase, Seller, Suggestion, utcnow
from copiloto.suggestions.schemas import BriefResult, ClientFacts, ReplySuggestion
from copiloto.workspace.access import client_for, seller_scope
from copiloto.workspace.clients import ClientRow, client_rows
from copiloto.workspace.facts import client_facts, client_profile

if TYPE_CHECKING:
    from copiloto.container import Container
    from copiloto.suggestions.generation import CheckedStream, ReplyStream

log = logging.getLogger(__name__)

RECENT_MESSAGES = 24
_ACROSS_CLIENTS = re.compile(
    r"\b(outr[oa]s? clientes?|clientes? parecid|quem (mais|já)|que clientes|quais clientes|"
    r"parecid[oa]s?|semelhantes?)\b",
    re.IGNORECASE,
)


@dataclass
class Highlight:
    """A moment of the history worth seeing, linked to the message it comes from."""

    label: str  # objeção, reclamação, compra, proposta, promessa
    text: str
    message_id: int | None
    sent_at: datetime | None
    author: str | None


@dataclass
class ClientCard:
    client: Client
    seller_name: str
    profile: ClientProfile
    facts: ClientFacts
    highlights: list[Highlight] = field(default_factory=list)


@dataclass
class CachedBrief:
    result: BriefResult | None
    stale: bool
    computed_at: datetime | None


@dataclass
class BriefInputs:
    facts: ClientFacts
    history: list[Evidence]
    similar: list[Evidence]
    latest_message_id: int | None


@dataclass
class SendOutcome:
    ok: bool
    status: str  # sent, sent_by_hand, failed, template_required
    message_pt: str
    message_id: int | None = None


class Workspace:
    def __init__(self, container: "Container") -> None:
        self.container = container
        self.settings = container.settings

    def session(self) -> Session:
        return self.container.session()

    def now(self) -> datetime:
        return datetime.now(UTC)

    # --- sellers -------------------------------------------------------------------------------
    def authenticate(self, login: str, password: str) -> Seller | None:
        with self.session() as session:
            seller = session.exec(select(Seller).where(Seller.login == login.strip())).first()
            if seller is not None and verify_password(seller, password):
                return seller
        return None

    def seller(self, login: str) -> Seller | None:
        with self.session() as session:
            return session.exec(select(Seller).where(Seller.login == login)).first()

    # --- the picker ----------------------------------------------------------------------------
    def clients(
        self, seller: Seller, query: str | None = None, *, limit: int = 30
    ) -> list[ClientRow]:
        with self.session() as session:
            return client_rows(
                session, seller, query=query, now=self.now(), tz=self.settings.tz, limit=limit
            )

    # --- opening a client ----------------------------------------------------------------------
    def card(self, seller: Seller, client_id: int) -> ClientCard:
        tz = self.settings.tz
        with self.session() as session:
            client = client_for(session, seller, client_id)
            profile = client_profile(session, client, now=self.now(), tz=tz)
            facts = client_facts(session, client, profile, tz=tz)
            owner = session.get(Seller, client.seller_id)
            return ClientCard(
                client=client,
                seller_name=owner.name if owner else "",
                profile=profile,
                facts=facts,
                highlights=self._highlights(session, client, profile),
            )

    def _highlights(
        self, session: Session, client: Client, profile: ClientProfile
    ) -> list[Highlight]:
        found: list[tuple[str, Finding]] = [("objeção", f) for f in profile.open_objections]
        found += [("reclamação", f) for f in profile.complaints]
        if profile.open_proposal:
            found.append(("proposta", profile.open_proposal))
        highlights = []
        for label, finding in found:
            message = session.get(Message, finding.message_ids[0]) if finding.message_ids else None
            highlights.append(
                Highlight(
                    label,
                    message.text if message and message.text else finding.text,
                    message.id if message else None,
                    message.sent_at if message else None,
                    message.author if message else None,
                )
            )
        purchases = session.exec(
            select(Purchase)
            .where(Purchase.client_id == client.id)
            .order_by(col(Purchase.purchased_at))
        ).all()
        for purchase in purchases[-3:]:
            highlights.append(
                Highlight(
                    "compra",
                    # only the amount gets Brazilian separators: product names keep theirs
                    f"{purchase.quantity}× {purchase.product} — {brl(purchase.value)}",
                    None,
                    purchase.purchased_at,
                    None,
                )
            )
        highlights.sort(key=lambda h: h.sent_at or datetime.min.replace(tzinfo=UTC))
        return highlights

    def messages(self, seller: Seller, ids: Sequence[int]) -> list[Message]:
        """The messages a citation points at, oldest first, only those the seller may see."""
        if not ids:
            return []
        with self.session() as session:
            rows = session.exec(
                select(Message)
                .where(col(Message.id).in_(list(ids)))
                .order_by(col(Message.sent_at), col(Message.id))
            ).all()
            return [m for m in rows if seller.is_admin or m.seller_id == seller.id]

    # --- briefs (cached, computed in the background) -------------------------------------------
    def cached_brief(self, seller: Seller, client_id: int) -> CachedBrief:
        with self.session() as session:
            client_for(session, seller, client_id)
            brief = session.exec(select(Brief).where(Brief.client_id == client_id)).first()
            latest = self._latest_message_id(session, client_id)
            if brief is None:
                return CachedBrief(None, True, None)
            result = BriefResult.model_validate(brief.content)
            return CachedBrief(result, brief.last_message_id != latest, brief.computed_at)

    @staticmethod
    def _latest_message_id(session: Session, client_id: int) -> int | None:
        return session.exec(
            select(Message.id)
            .where(Message.client_id == client_id, Message.kind != MessageKind.SYSTEM)
            .order_by(col(Message.id).desc())
            .limit(1)
        ).first()

    def brief_inputs(self, client_id: int) -> BriefInputs:
        """What a brief and later reply suggestions for this client are generated from.

        Both go through here so that their prompts share one context, byte for byte: the local
        model then finds the brief's prompt in its cache and a new suggestion ("Outro tom") pays
        only for its last few tokens instead of re-reading ~3,000 tokens of context.
        """
        tz = self.settings.tz
        with self.session() as session:
            client = session.get(Client, client_id)
            if client is None:
                raise LookupError(f"cliente {client_id} não encontrado")
            latest = self._latest_message_id(session, client_id)
            profile = client_profile(session, client, now=self.now(), tz=tz)
            facts = client_facts(session, client, profile, tz=tz)
            history = self._recent_evidence(session, client_id)
        history += self._retrieve_history(
            "objeção preço reclamação problema proposta prazo", client, k=4
        )
        similar = self._retrieve_similar(self._similar_query(profile), client, k=4)
        return BriefInputs(facts=facts, history=history, similar=similar, latest_message_id=latest)

    def _own_brief_inputs(self, seller: Seller, client_id: int) -> BriefInputs:
        """`brief_inputs` for a client of this seller (or refused: `client_for`)."""
        with self.session() as session:
            client_for(session, seller, client_id)
        return self.brief_inputs(client_id)

    def compute_brief(self, client_id: int) -> BriefResult:
        """Generate and cache the brief of one client (the worker's `brief` job)."""
        inputs = self.brief_inputs(client_id)
        latest = inputs.latest_message_id
        result = self.container.generator.brief(
            facts=inputs.facts, history=inputs.history, similar=inputs.similar
        )
        result.generated_at = utcnow()
        with self.session() as session:
            brief = session.exec(select(Brief).where(Brief.client_id == client_id)).first()
            brief = brief or Brief(client_id=client_id)
            brief.content = result.model_dump(mode="json")
            brief.last_message_id = latest
            brief.model = result.model or getattr(self.container.llm, "name", None)
            brief.computed_at = utcnow()
            session.add(brief)
            session.commit()
        return result

    def _recent_evidence(self, session: Session, client_id: int) -> list[Evidence]:
        """The last messages, in order: what a summary of the last conversation rests on."""
        rows = session.exec(
            select(Message)
            .where(Message.client_id == client_id, Message.kind != MessageKind.SYSTEM)
            .order_by(col(Message.sent_at).desc(), col(Message.id).desc())
            .limit(RECENT_MESSAGES)
        ).all()
        return [
            Evidence(
                node_id=f"msg-{m.id}",
                text=m.text or f"<{m.kind}>",
                score=1.0,
                kind="message",
                client_id=m.client_id,
                conversation_id=m.conversation_id,
                message_ids=[m.id],  # type: ignore[list-item]
                time=m.sent_at,
                author=m.author,
                filename=None,
                page=None,
                seller_id=m.seller_id,
            )
            for m in reversed(rows)
        ]

    @staticmethod
    def _similar_query(profile: ClientProfile) -> str:
        parts = [f.text for f in profile.open_objections] + [f.text for f in profile.products[:2]]
        return " ".join(parts) or "negociação fechada argumento que convenceu o cliente"

    def _retrieve_history(self, query: str, client: Client, *, k: int) -> list[Evidence]:
        return self.container.history_retriever.retrieve(
            query, client_id=client.id, seller_id=client.seller_id, k=k, names=[client.name]
        )

    def _retrieve_similar(self, query: str, client: Client, *, k: int) -> list[Evidence]:
        return self.container.similar_retriever.retrieve(
            query, client_id=client.id, seller_id=client.seller_id, k=k
        )

    # --- reply suggestions -----------------------------------------------------------------------
    def suggestions(
        self,
        seller: Seller,
        client_id: int,
        *,
        tones: Sequence[str],
        situation: str | None = None,
    ) -> list[tuple[Suggestion, ReplySuggestion]]:
        """Fresh reply suggestions, recorded so the seller's choice can be learned from."""
        inputs = self._own_brief_inputs(seller, client_id)
        replies = self.container.generator.replies(
            facts=inputs.facts,
            history=inputs.history,
            similar=inputs.similar,
            situation=situation,  # type: ignore[arg-type]
            tones=tones,
        )
        return self.record_suggestions(seller, client_id, replies)

    def stream_suggestion(self, seller: Seller, client_id: int, *, tone: str) -> "ReplyStream":
        """One new suggestion in `tone`, written while the seller watches ("Outro tom").

        Iterate it, then `record_suggestions` its `.suggestion`; it resumes from the client's
        brief in the local model's prompt cache (see `brief_inputs`).
        """
        inputs = self._own_brief_inputs(seller, client_id)
        return self.container.generator.stream_reply(
            facts=inputs.facts, history=inputs.history, similar=inputs.similar, tone=tone
        )

    def record_suggestions(
        self, seller: Seller, client_id: int, replies: Sequence[ReplySuggestion]
    ) -> list[tuple[Suggestion, ReplySuggestion]]:
        with self.session() as session:
            client = client_for(session, seller, client_id)
            rows = [
                Suggestion(
                    client_id=client_id,
                    seller_id=client.seller_id,
                    tone=reply.tone,
                    suggested_text=reply.text,
                )
                for reply in replies
            ]
            session.add_all(rows)
            session.commit()
            return list(zip(rows, replies, strict=True))

    def send_suggestion(self, seller: Seller, suggestion_id: int, text: str) -> SendOutcome:
        """Send the (edited) text through the configured provider, or record it as sent by hand.

        Either way the suggestion row keeps the suggested text, the edited text and the choice.
        """
        from copiloto.channels.send import (
            NoChannelConfigured,
            SendError,
            TemplateRequired,
            send_reply,
        )

        text = text.strip()
        if not text:
            return SendOutcome(False, "failed", "A mensagem está vazia.")
        with self.session() as session:
            suggestion = self._own_suggestion(session, seller, suggestion_id)
            suggestion.edited_text = text
            suggestion.acted_at = utcnow()
            try:
                message = send_reply(
                    session,
                    client_id=suggestion.client_id,
                    seller_id=suggestion.seller_id,
                    text=text,
                    sender=self.container.sender,
                    templates=self.settings.meta_templates,
                )
            except NoChannelConfigured:
                message = self._record_manual_send(session, suggestion, text)
                suggestion.action = "sent_by_hand"
                outcome = SendOutcome(
                    True,
                    "sent_by_hand",
                    "Nenhum canal do WhatsApp configurado: registrei como enviada por você. "
                    "Copie o texto e envie pelo seu WhatsApp.",
                    message.id,
                )
            except TemplateRequired as error:
                suggestion.action = "template_required"
                session.add(suggestion)
                session.commit()
                return SendOutcome(False, "template_required", error.message_pt)
            except SendError as error:
                suggestion.action = "failed"
                session.add(suggestion)
                session.commit()
                return SendOutcome(False, "failed", error.message_pt)
            else:
                failed = message.status == "failed"
                suggestion.action = "failed" if failed else "sent"
                outcome = SendOutcome(
                    not failed,
                    "failed" if failed else "sent",
                    message.status_error or "Mensagem enviada pelo WhatsApp.",
                    message.id,
                )
            suggestion.message_id = outcome.message_id
            session.add(suggestion)
            session.commit()
            return outcome

    def mark_suggestion(
        self, seller: Seller, suggestion_id: int, *, action: str, text: str | None = None
    ) -> None:
        with self.session() as session:
            suggestion = self._own_suggestion(session, seller, suggestion_id)
            suggestion.action = action
            suggestion.edited_text = text if text is not None else suggestion.edited_text
            suggestion.acted_at = utcnow()
            session.add(suggestion)
            session.commit()

    @staticmethod
    def _own_suggestion(session: Session, seller: Seller, suggestion_id: int) -> Suggestion:
        suggestion = session.get(Suggestion, suggestion_id)
        if suggestion is None or (not seller.is_admin and suggestion.seller_id != seller.id):
            raise LookupError("sugestão não encontrada")
        return suggestion

    def _record_manual_send(self, session: Session, suggestion: Suggestion, text: str) -> Message:
        import uuid

        from copiloto.storage.repository import add_message, get_or_create_conversation

        client = session.get(Client, suggestion.client_id)
        assert client is not None
        conversation = session.exec(
            select(Message.conversation_id)
            .where(Message.client_id == client.id)
            .order_by(col(Message.sent_at).desc())
            .limit(1)
        ).first()
        if conversation is None:
            conversation = get_or_create_conversation(
                session,
                seller_id=client.seller_id,
                client_id=client.id,  # type: ignore[arg-type]
                chat_key=f"manual:{client.id}",
                channel=Provider.MANUAL,
                title=client.name,
            ).id
        seller = session.get(Seller, client.seller_id)
        message = Message(
            conversation_id=conversation,  # type: ignore[arg-type]
            client_id=client.id,  # type: ignore[arg-type]
            seller_id=client.seller_id,
            provider=Provider.MANUAL,
            provider_message_id=f"manual:{uuid.uuid4().hex}",
            direction=Direction.OUT,
            author=seller.name if seller else None,
            sent_at=utcnow(),
            text=text,
        )
        stored = add_message(session, message)
        assert stored is not None
        session.flush()
        return stored

    # --- free-form questions ------------------------------------------------------------------
    def question_context(
        self, seller: Seller, question: str, client_id: int | None
    ) -> tuple[ClientFacts | None, list[Evidence]]:
        """What an answer rests on: the client's history (or the seller's whole book) and, when
        the question is about other clients, similar negotiations."""
        facts = None
        client = None
        if client_id is not None:
            card = self.card(seller, client_id)
            facts, client = card.facts, card.client
        scope = seller_scope(seller)
        history = self.container.history_retriever.retrieve(
            question,
            client_id=client.id if client else None,
            seller_id=scope,
            k=6,
            names=[client.name] if client else (),
        )
        evidence = list(history)
        if client is None or _ACROSS_CLIENTS.search(question):
            evidence += self.container.similar_retriever.retrieve(
                question, client_id=client.id if client else None, seller_id=scope, k=4
            )
        return facts, evidence

    def stream_answer(
        self, seller: Seller, question: str, client_id: int | None
    ) -> tuple["CheckedStream", list[Evidence]]:
        facts, evidence = self.question_context(seller, question, client_id)
        stream = self.container.generator.stream_answer(
            question=question, facts=facts, evidence=evidence
        )
        return stream, evidence

    # --- new leads --------------------------------------------------------------------------------
    def new_lead(
        self,
        seller: Seller,
        *,
        name: str,
        phone: str | None,
        channel: str | None,
        keywords: Sequence[str],
    ) -> Client:
        with self.session() as session:
            client = get_or_create_client(
                session,
                seller_id=seller.id,  # type: ignore[arg-type]
                name=name.strip(),
                phone=to_e164(phone) if phone else None,
                source_channel=channel or "novo lead",
            )
            client.keywords = sorted(
                {*client.keywords, *(k.strip() for k in keywords if k.strip())}
            )
            session.add(client)
            session.commit()
            return client

    def lead_suggestions(
        self, seller: Seller, client_id: int, *, tones: Sequence[str]
    ) -> list[tuple[Suggestion, ReplySuggestion]]:
        """A first contact built on similar negotiations that were won."""
        card = self.card(seller, client_id)
        query = " ".join([*card.client.keywords, card.client.source_channel or ""]).strip()
        similar = self._retrieve_similar(query or "primeiro contato", card.client, k=4)
        facts = card.facts.model_copy(
            update={
                "notes": [
                    *card.facts.notes,
                    f"canal de origem: {card.client.source_channel or 'desconhecido'}",
                    "palavras-chave do lead: " + ", ".join(card.client.keywords),
                ]
            }
        )
        replies = self.container.generator.replies(
            facts=facts, history=[], similar=similar, situation="new_lead", tones=tones
        )
        return self.record_suggestions(seller, client_id, replies)
