"""Data shapes of generation: the facts code computes, what the LLM must return, what the seller sees.

Three families live here, on purpose kept apart:

* inputs computed by code (`ClientFacts`, `PurchaseFact`, `Evidence`): numbers and dates the model
  must never compute itself (small models do poor arithmetic), so they are handed over ready;
* LLM outputs (`*Output` models): what a prompt file names in its `output` key. Their JSON schema
  constrains decoding where the backend supports it, and they validate every answer;
* results (`BriefResult`, `ReplySuggestion`, `Answer`, `GroundingFlag`): outputs after the
  citation filter and the grounding check, ready for the UI, the CLI and the `briefs` table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

Situation = Literal["reply", "follow_up", "new_lead", "reopen", "unblock"]
SITUATIONS: tuple[Situation, ...] = ("reply", "follow_up", "new_lead", "reopen", "unblock")
DEFAULT_TONES: tuple[str, ...] = ("formal", "descontraído", "direto")


# --- inputs computed by code ---------------------------------------------------------------------


class EvidenceLike(Protocol):
    """Anything retrieval hands over (its own `Evidence` dataclass has these attributes)."""

    @property
    def node_id(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def client_id(self) -> int: ...
    @property
    def message_ids(self) -> Sequence[int]: ...
    @property
    def time(self) -> datetime: ...
    @property
    def author(self) -> str | None: ...


@dataclass(frozen=True)
class Evidence:
    """A piece of history or document the model may rest on; its `message_ids` are citable."""

    node_id: str
    text: str
    kind: str
    client_id: int
    message_ids: list[int]
    time: datetime
    author: str | None
    filename: str | None = None
    page: int | None = None


class PurchaseFact(BaseModel):
    product: str
    quantity: int = 1
    value: Decimal | None = Field(default=None, description="Total of the line, in BRL")
    purchased_on: date | None = None


class ClientFacts(BaseModel):
    """What code knows for sure about a client; the only source of numbers a prompt may quote."""

    model_config = ConfigDict(frozen=True)

    name: str
    phone: str | None = None
    seller: str | None = None
    stage: str | None = None
    last_contact: datetime | None = None
    days_since_last_contact: int | None = None
    last_message_from: Literal["client", "seller"] | None = None
    purchases: list[PurchaseFact] = Field(default_factory=list)
    total_purchased: Decimal | None = Field(
        default=None, description="Sum of purchases in BRL; computed from `purchases` if unset"
    )
    open_proposals: list[Decimal] = Field(default_factory=list, description="Values in BRL")
    style: str | None = None
    tone: str | None = None
    contact_hours: str | None = None
    topics: list[str] = Field(default_factory=list)
    products_of_interest: list[str] = Field(default_factory=list)
    best_moment: str | None = None
    sentiment: str | None = None
    stuck: list[str] = Field(
        default_factory=list,
        description="Why the negotiation is stuck (stale proposal, repeated objections, falling mood)",
    )
    notes: list[str] = Field(default_factory=list, description="Extra facts, one line each")

    @property
    def purchases_total(self) -> Decimal | None:
        if self.total_purchased is not None:
            return self.total_purchased
        values = [p.value for p in self.purchases if p.value is not None]
        return sum(values, Decimal(0)) if values else None


# --- what the LLM must return --------------------------------------------------------------------


class _Output(BaseModel):
    model_config = ConfigDict(extra="ignore")


class ProfileOutput(_Output):
    summary: str = Field(description="Perfil do cliente em 2 a 4 frases, com citações [m123]")
    communication_style: str = Field(default="", description="Como o cliente se comunica")
    interests: list[str] = Field(default_factory=list)


class FollowUpOutput(_Output):
    when: str = Field(description="Quando retomar o contato")
    why: str = Field(description="Por quê, com citações [m123]")


class SummaryOutput(_Output):
    summary: str = Field(description="Resumo da última conversa, com citações [m123]")
    open_questions: list[str] = Field(default_factory=list)
    follow_up: FollowUpOutput


class AttentionPointOutput(_Output):
    point: str = Field(description="O ponto de atenção")
    reason: str = Field(description="Por que importa, com citações [m123]")


class WarningsOutput(_Output):
    points: list[AttentionPointOutput] = Field(default_factory=list, max_length=6)


class ReplyOptionOutput(_Output):
    tone: str
    text: str = Field(description="Mensagem pronta para enviar no WhatsApp, com citações [m123]")


class ReplySetOutput(_Output):
    replies: list[ReplyOptionOutput] = Field(min_length=1, max_length=5)


class AnswerOutput(_Output):
    answer: str = Field(description="Resposta à pergunta do vendedor, com citações [m123]")


OUTPUT_MODELS: dict[str, type[BaseModel]] = {
    model.__name__: model
    for model in (
        ProfileOutput,
        SummaryOutput,
        WarningsOutput,
        ReplySetOutput,
        AnswerOutput,
        FollowUpOutput,
    )
}


# --- results shown to the seller ------------------------------------------------------------------


class GroundingFlag(BaseModel):
    """A number, price, percentage or date in generated text that the context does not contain."""

    text: str
    kind: Literal["money", "percent", "date", "time", "number", "phone"]
    field: str = ""
    start: int = -1
    end: int = -1


class CitedText(BaseModel):
    """Generated text after the checks: flagged spans already marked, invented citations dropped."""

    text: str
    message_ids: list[int] = Field(default_factory=list)


class AttentionPoint(BaseModel):
    point: str
    reason: str
    message_ids: list[int] = Field(default_factory=list)


class FollowUp(BaseModel):
    when: str
    why: str
    message_ids: list[int] = Field(default_factory=list)


class ReplySuggestion(BaseModel):
    tone: str
    text: str = Field(description="Ready to send: citation markers removed, flagged spans marked")
    message_ids: list[int] = Field(default_factory=list)
    situation: str = "reply"
    flagged: bool = False


class BriefResult(BaseModel):
    client: str
    profile: CitedText
    last_conversation: CitedText
    attention_points: list[AttentionPoint]
    follow_up: FollowUp
    replies: list[ReplySuggestion]
    flags: list[GroundingFlag] = Field(default_factory=list)
    dropped_citations: list[int] = Field(default_factory=list)
    model: str = ""
    generated_at: datetime | None = None


class Answer(BaseModel):
    text: str
    message_ids: list[int] = Field(default_factory=list)
    flags: list[GroundingFlag] = Field(default_factory=list)
    dropped_citations: list[int] = Field(default_factory=list)
    # True when the model wrote no valid marker and `message_ids` were found by code
    # (`suggestions.attribution`): the text then carries no [m…] markers for them
    attributed: bool = False


@dataclass
class CheckedText:
    """One text after `citations` and `grounding` passes (internal glue, not shown as such)."""

    text: str
    message_ids: list[int] = field(default_factory=list)
    flags: list[GroundingFlag] = field(default_factory=list)
    dropped_citations: list[int] = field(default_factory=list)
