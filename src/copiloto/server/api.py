"""The JSON API under /api: the same use cases and isolation as the UI, with HTTP Basic auth."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, status
from fastapi.security import HTTPBasic, HTTPBasicCredentials
from pydantic import BaseModel, Field
from sqlmodel import col, select

from copiloto.storage.tables import Message, Seller
from copiloto.workspace.access import AccessDenied, client_for
from copiloto.workspace.service import Workspace

basic = HTTPBasic(realm="Copiloto")


def workspace(request: Request) -> Workspace:
    return request.app.state.container.workspace


WorkspaceDep = Annotated[Workspace, Depends(workspace)]


def current_seller(
    credentials: Annotated[HTTPBasicCredentials, Depends(basic)], ws: WorkspaceDep
) -> Seller:
    seller = ws.authenticate(credentials.username, credentials.password)
    if seller is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "login ou senha inválidos",
            headers={"WWW-Authenticate": 'Basic realm="Copiloto"'},
        )
    return seller


SellerDep = Annotated[Seller, Depends(current_seller)]


class AskRequest(BaseModel):
    question: str = Field(min_length=2)
    client_id: int | None = None


class SendRequest(BaseModel):
    client_id: int
    text: str = Field(min_length=1)
    suggestion_id: int | None = None


def _not_found() -> HTTPException:
    return HTTPException(status.HTTP_404_NOT_FOUND, "cliente não encontrado")


router = APIRouter(prefix="/api", tags=["api"])


@router.get("/clients")
def list_clients(
    ws: WorkspaceDep, seller: SellerDep, q: str | None = Query(default=None)
) -> list[dict[str, Any]]:
    return [row.__dict__ for row in ws.clients(seller, q)]


@router.get("/clients/{client_id}/brief")
def client_brief(client_id: int, ws: WorkspaceDep, seller: SellerDep) -> dict[str, Any]:
    try:
        card = ws.card(seller, client_id)
        cached = ws.cached_brief(seller, client_id)
    except (AccessDenied, LookupError):
        raise _not_found() from None
    profile = card.profile
    return {
        "client": {"id": card.client.id, "name": card.client.name, "phone": card.client.phone},
        "facts": card.facts.model_dump(mode="json"),
        "stage": profile.stage.value,
        "needs_attention": [
            {"text": f.text, "message_ids": list(f.message_ids)} for f in profile.needs_attention
        ],
        "best_moment": {
            "next_slot": profile.best_moment.next_slot.isoformat(),
            "reason": profile.best_moment.reason,
        },
        "highlights": [h.__dict__ for h in card.highlights],
        "brief": cached.result.model_dump(mode="json") if cached.result else None,
        "brief_stale": cached.stale,
    }


@router.get("/clients/{client_id}/messages")
def client_messages(
    client_id: int, ws: WorkspaceDep, seller: SellerDep, limit: int = Query(default=50, le=500)
) -> list[dict[str, Any]]:
    with ws.session() as session:
        try:
            client_for(session, seller, client_id)
        except (AccessDenied, LookupError):
            raise _not_found() from None
        rows = session.exec(
            select(Message)
            .where(Message.client_id == client_id)
            .order_by(col(Message.sent_at).desc())
            .limit(limit)
        ).all()
        return [
            {
                "id": m.id,
                "sent_at": m.sent_at.isoformat(),
                "direction": m.direction,
                "author": m.author,
                "kind": m.kind,
                "text": m.text,
                "status": m.status,
                "sentiment": m.sentiment,
                "intent": m.intent,
            }
            for m in reversed(rows)
        ]


@router.post("/ask")
def ask(body: AskRequest, ws: WorkspaceDep, seller: SellerDep) -> dict[str, Any]:
    try:
        stream, evidence = ws.stream_answer(seller, body.question, body.client_id)
    except (AccessDenied, LookupError):
        raise _not_found() from None
    "".join(stream)
    answer = stream.answer
    cited = ws.messages(seller, answer.message_ids)
    return {
        "answer": answer.text,
        "citations": [
            {"id": m.id, "author": m.author, "sent_at": m.sent_at.isoformat(), "text": m.text}
            for m in cited
        ],
        "flags": [flag.model_dump() for flag in answer.flags],
        "evidence": len(evidence),
    }


@router.post("/messages", status_code=status.HTTP_201_CREATED)
def send_message(body: SendRequest, ws: WorkspaceDep, seller: SellerDep) -> dict[str, Any]:
    """Send a reply to a client (through the configured provider, or recorded as sent by hand)."""
    try:
        suggestion_id = body.suggestion_id
        if suggestion_id is None:
            from copiloto.suggestions.schemas import ReplySuggestion

            [(row, _)] = ws.record_suggestions(
                seller, body.client_id, [ReplySuggestion(tone="manual", text=body.text)]
            )
            suggestion_id = row.id
        outcome = ws.send_suggestion(seller, suggestion_id, body.text)  # type: ignore[arg-type]
    except (AccessDenied, LookupError):
        raise _not_found() from None
    if not outcome.ok:
        raise HTTPException(status.HTTP_409_CONFLICT, outcome.message_pt)
    return outcome.__dict__
