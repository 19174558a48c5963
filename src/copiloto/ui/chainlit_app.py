"""The seller's ChainLit workspace (loaded by ChainLit's `mount_chainlit`, see copiloto.server).

ChainLit registers callbacks at import time; the workspace they call is handed over by the server
through `configure()` before mounting, so importing this module builds nothing.
Blocking work (database, models) runs in worker threads via `cl.make_async`; long work shows a
`cl.Step`. Every handler resolves the logged-in seller again and goes through the workspace's
access checks, so isolation holds for resumed threads and forged action payloads too.
"""

import asyncio
import json
import logging
from collections.abc import Iterable
from typing import Any

import chainlit as cl
from chainlit.types import ThreadDict

from copiloto.storage.tables import Seller
from copiloto.ui import render
from copiloto.workspace.access import AccessDenied
from copiloto.workspace.service import Workspace

log = logging.getLogger(__name__)

TONES = ("formal", "descontraído", "direto")
MORE_TONES = ("empático", "entusiasmado", "consultivo", "curto e objetivo")
GENERIC_ERROR = "Algo deu errado aqui. Tente de novo em instantes; se persistir, avise o suporte."

_workspace: Workspace | None = None


def configure(workspace: Workspace) -> None:
    global _workspace
    _workspace = workspace


def ws() -> Workspace:
    if _workspace is None:
        raise RuntimeError("copiloto.ui.chainlit_app.configure() was not called")
    return _workspace


def current_seller() -> Seller:
    user = cl.user_session.get("user")
    seller = ws().seller(user.identifier) if user else None
    if seller is None:
        raise AccessDenied("sessão sem vendedor")
    return seller


async def run(func: Any, *args: Any, **kwargs: Any) -> Any:
    return await cl.make_async(func)(*args, **kwargs)


@cl.password_auth_callback
async def auth(username: str, password: str) -> cl.User | None:
    seller = await run(ws().authenticate, username, password)
    if seller is None:
        return None
    return cl.User(
        identifier=seller.login,
        display_name=seller.name,
        metadata={"seller_id": seller.id, "role": "admin" if seller.is_admin else "seller"},
    )


# --- start: the picker ---------------------------------------------------------------------------


@cl.on_chat_start
async def start() -> None:
    cl.user_session.set("client_id", None)
    await show_picker()


async def show_picker(query: str | None = None) -> None:
    seller = current_seller()
    rows = await run(ws().clients, seller, query, limit=12)
    tz = ws().settings.tz
    if query and not rows:
        await cl.Message(
            content=f"Não encontrei cliente com **{query}**. Tente o nome, o telefone ou um produto.",
            actions=[_lead_action()],
        ).send()
        return
    title = (
        f"Clientes com **{query}**:"
        if query
        else f"Olá, {seller.name.split()[0]}! Quem você quer atender agora?"
    )
    lines = [title, ""]
    if not query:
        lines.append(
            "Primeiro quem precisa de atenção. Digite um nome, telefone ou produto para buscar."
        )
        lines.append("")
    lines += [f"- {render.client_line(row, tz)}" for row in rows]
    actions = [
        cl.Action(
            name="open_client",
            payload={"client_id": row.id},
            label=("⚠️ " if row.attention else "") + row.name,
            tooltip=row.attention[0] if row.attention else "Abrir cliente",
        )
        for row in rows
    ]
    actions.append(_lead_action())
    await cl.Message(content="\n".join(lines), actions=actions).send()


def _lead_action() -> cl.Action:
    return cl.Action(
        name="new_lead", payload={}, label="➕ Novo lead", tooltip="Cadastrar um novo contato"
    )


# --- opening a client ----------------------------------------------------------------------------


@cl.action_callback("open_client")
async def on_open_client(action: cl.Action) -> None:
    await open_client(int(action.payload["client_id"]))


async def open_client(client_id: int) -> None:
    seller = current_seller()
    tz = ws().settings.tz
    try:
        card = await run(ws().card, seller, client_id)
    except (AccessDenied, LookupError):
        await cl.Message(content="Cliente não encontrado.").send()
        return
    cl.user_session.set("client_id", client_id)
    await _remember_client(client_id, card.client.name)
    ids = [h.message_id for h in card.highlights if h.message_id] + [
        i for f in card.profile.needs_attention for i in f.message_ids
    ]
    ids += list(card.profile.tone.message_ids) + [
        i for f in card.profile.products for i in f.message_ids
    ]
    content = (
        render.card_markdown(card, tz) + "\n\n" + render.highlights_markdown(card.highlights, tz)
    )
    await cl.Message(content=content, elements=await sources(seller, ids)).send()

    cached = await run(ws().cached_brief, seller, client_id)
    if cached.result is not None:
        await show_brief(seller, cached.result, stale=cached.stale)
    if cached.result is None or cached.stale:
        async with cl.Step(name="Resumo e sugestões do cliente", type="run") as step:
            try:
                result = await run(ws().compute_brief, client_id)
            except Exception:
                log.exception("brief of client %s failed", client_id)
                step.output = "não foi possível gerar agora"
                await cl.Message(content=GENERIC_ERROR).send()
                return
            step.output = "pronto"
        await show_brief(seller, result, stale=False)


async def show_brief(seller: Seller, brief: Any, *, stale: bool) -> None:
    client_id = cl.user_session.get("client_id")
    markdown = render.brief_markdown(brief, stale=stale)
    ids = render.cited_ids(
        " ".join(
            [brief.profile.text, brief.last_conversation.text, brief.follow_up.why]
            + [f"{p.point} {p.reason}" for p in brief.attention_points]
        )
    )
    ids += [i for p in brief.attention_points for i in p.message_ids]
    await cl.Message(content=markdown, elements=await sources(seller, ids)).send()
    if stale:
        return
    rows = await run(ws().record_suggestions, seller, client_id, brief.replies)
    await show_suggestions(rows)


async def show_suggestions(
    rows: list[tuple[Any, Any]], *, title: str = "Sugestões de resposta"
) -> None:
    elements = [
        cl.CustomElement(
            name="ReplyBox",
            props={
                "suggestion_id": row.id,
                "tone": reply.tone,
                "text": reply.text,
                "flagged": reply.flagged,
                "status": None,
            },
            display="inline",
        )
        for row, reply in rows
    ]
    await cl.Message(
        content=f"**{title}** — edite à vontade antes de enviar:", elements=elements
    ).send()


async def sources(seller: Seller, ids: list[int]) -> list[cl.Text]:
    """Cited messages as side elements: `[m123]` in the text opens the message itself."""
    unique = list(dict.fromkeys(i for i in ids if i))
    messages = await run(ws().messages, seller, unique)
    tz = ws().settings.tz
    return [
        cl.Text(
            name=render.source_name(m.id),
            content=render.source_markdown(m.author, m.sent_at, m.text, tz),
            display="side",
        )
        for m in messages
    ]


# --- reply actions -------------------------------------------------------------------------------


@cl.action_callback("send_reply")
async def on_send_reply(action: cl.Action) -> dict[str, Any]:
    """Returns what the ReplyBox shows: it marks itself sent, or shows the error, in place."""
    seller = current_seller()
    payload = action.payload
    try:
        outcome = await run(
            ws().send_suggestion,
            seller,
            int(payload["suggestion_id"]),
            str(payload.get("text", "")),
        )
    except LookupError:
        return {"ok": False, "status": "failed", "message": "Sugestão não encontrada."}
    except Exception:
        log.exception("sending suggestion %s failed", payload.get("suggestion_id"))
        return {"ok": False, "status": "failed", "message": GENERIC_ERROR}
    icon = "✅" if outcome.ok else "⚠️"
    await cl.Message(content=f"{icon} {outcome.message_pt}").send()
    label = {"sent": "enviada pelo WhatsApp", "sent_by_hand": "registrada como enviada"}
    return {
        "ok": outcome.ok,
        "status": outcome.status,
        "label": label.get(outcome.status, outcome.status),
        "message": outcome.message_pt,
    }


@cl.action_callback("copy_reply")
async def on_copy_reply(action: cl.Action) -> None:
    seller = current_seller()
    await run(
        ws().mark_suggestion,
        seller,
        int(action.payload["suggestion_id"]),
        action="copied",
        text=str(action.payload.get("text", "")),
    )
    await cl.Message(content="📋 Texto copiado. Cole no WhatsApp do cliente.").send()


@cl.action_callback("other_tone")
async def on_other_tone(action: cl.Action) -> None:
    seller = current_seller()
    client_id = cl.user_session.get("client_id")
    if client_id is None:
        return
    used = cl.user_session.get("tones_used") or list(TONES)
    tone = next((t for t in MORE_TONES if t not in used), MORE_TONES[len(used) % len(MORE_TONES)])
    cl.user_session.set("tones_used", [*used, tone])
    await run(
        ws().mark_suggestion, seller, int(action.payload["suggestion_id"]), action="other_tone"
    )
    async with cl.Step(name=f"Sugestão em tom {tone}", type="run") as step:
        stream = await run(ws().stream_suggestion, seller, client_id, tone=tone)
        await stream_into(step, stream)  # the seller watches it being written
        reply = await run(lambda: stream.suggestion)
        if reply.text.strip():
            rows = await run(ws().record_suggestions, seller, client_id, [reply])
        else:  # the stream gave no text (a backend that ignored the schema): ask again whole
            rows = await run(ws().suggestions, seller, client_id, tones=(tone,))
    await show_suggestions(rows, title=f"Outra opção ({tone})")


# --- new lead ---------------------------------------------------------------------------------


@cl.action_callback("new_lead")
async def on_new_lead(action: cl.Action) -> None:
    cl.user_session.set("client_id", None)
    cl.user_session.set("awaiting_lead", True)
    await cl.Message(
        content=(
            "Vamos cadastrar o lead. Responda numa linha, separando por `;`:\n\n"
            "`nome; telefone; canal de origem; palavras-chave`\n\n"
            "Exemplo: `Bruna Alves; 11 98888-7777; anúncio Instagram; energia solar, conta alta`"
        )
    ).send()


async def create_lead(text: str) -> None:
    seller = current_seller()
    parts = [p.strip() for p in text.split(";")]
    if not parts or not parts[0]:
        await cl.Message(content="Preciso pelo menos do nome do lead.").send()
        return
    name = parts[0]
    phone = parts[1] if len(parts) > 1 and parts[1] else None
    channel = parts[2] if len(parts) > 2 and parts[2] else None
    keywords = [k for k in (parts[3] if len(parts) > 3 else "").split(",") if k.strip()]
    client = await run(
        ws().new_lead, seller, name=name, phone=phone, channel=channel, keywords=keywords
    )
    cl.user_session.set("awaiting_lead", False)
    cl.user_session.set("client_id", client.id)
    await _remember_client(client.id, client.name)
    await cl.Message(
        content=f"Lead **{client.name}** cadastrado ({channel or 'canal não informado'})."
    ).send()
    async with cl.Step(name="Negociações parecidas que deram certo", type="run"):
        rows = await run(ws().lead_suggestions, seller, client.id, tones=TONES)
    await show_suggestions(rows, title="Sugestões de primeiro contato")


# --- free-form messages --------------------------------------------------------------------------


@cl.on_message
async def on_message(message: cl.Message) -> None:
    text = message.content.strip()
    try:
        if cl.user_session.get("awaiting_lead"):
            await create_lead(text)
            return
        command = text.lower()
        if command in {"/clientes", "clientes", "voltar", "/voltar"}:
            cl.user_session.set("client_id", None)
            await show_picker()
            return
        if command in {"resumo", "/resumo"} and cl.user_session.get("client_id") is not None:
            await open_client(int(cl.user_session.get("client_id")))
            return
        if command.startswith("/cliente "):
            await pick_by_search(text.split(" ", 1)[1])
            return
        if cl.user_session.get("client_id") is None and _looks_like_search(text):
            await pick_by_search(text)
            return
        await answer(text)
    except AccessDenied:
        await cl.Message(content="Cliente não encontrado.").send()
    except Exception:
        log.exception("message handling failed")
        await cl.Message(content=GENERIC_ERROR).send()


def _looks_like_search(text: str) -> bool:
    return "?" not in text and len(text.split()) <= 4


async def pick_by_search(query: str) -> None:
    seller = current_seller()
    rows = await run(ws().clients, seller, query, limit=12)
    if len(rows) == 1:
        await open_client(rows[0].id)
    else:
        await show_picker(query)


async def stream_into(target: cl.Message | cl.Step, pieces: Iterable[str]) -> None:
    """Show a blocking iterator's pieces as they come (it is read in a worker thread)."""
    chunks = iter(pieces)
    loop = asyncio.get_running_loop()
    while True:
        piece = await loop.run_in_executor(None, next, chunks, None)
        if piece is None:
            break
        await target.stream_token(piece)


async def answer(question: str) -> None:
    seller = current_seller()
    client_id = cl.user_session.get("client_id")
    reply = cl.Message(content="")
    async with cl.Step(name="Busca no histórico", type="retrieval") as step:
        stream, evidence = await run(ws().stream_answer, seller, question, client_id)
        step.output = f"{len(evidence)} trechos encontrados"
    await stream_into(reply, stream)
    result = stream.answer
    ids = list(result.message_ids) or [i for e in evidence for i in e.message_ids][:6]
    reply.elements = await sources(seller, ids)  # type: ignore[assignment]
    reply.content = render.with_sources(reply.content)
    if result.attributed:  # found by code: the text has no markers to click
        reply.content += "\n\n_Fontes:_ " + " ".join(map(render.source_name, ids))
    elif not result.message_ids and evidence:
        reply.content += "\n\n_Fontes consultadas:_ " + " ".join(map(render.source_name, ids))
    await reply.send()


# --- threads ---------------------------------------------------------------------------------


async def _remember_client(client_id: int, name: str) -> None:
    """Name the thread after the client and keep the client id for resuming it."""
    from chainlit.data import get_data_layer

    layer = get_data_layer()
    thread_id = cl.context.session.thread_id
    if layer is not None and thread_id:
        await layer.update_thread(
            thread_id, name=f"Cliente: {name}", metadata={"client_id": client_id}
        )


@cl.on_chat_resume
async def resume(thread: ThreadDict) -> None:
    """Restore the client of a resumed thread, after the access check, without repeating the
    stored history: the seller asks on, or types 'resumo' for where the client stands now."""
    metadata = thread.get("metadata") or {}
    if isinstance(metadata, str):
        metadata = json.loads(metadata or "{}")
    client_id = metadata.get("client_id")
    cl.user_session.set("client_id", None)
    if client_id is None:
        return
    seller = current_seller()
    try:
        card = await run(ws().card, seller, int(client_id))
    except (AccessDenied, LookupError):
        await cl.Message(content="Cliente não encontrado.").send()
        return
    cl.user_session.set("client_id", card.client.id)
    await cl.Message(
        content=(
            f"Conversa retomada com **{card.client.name}**. Pergunte o que quiser, digite "
            "**resumo** para ver a situação atual ou **clientes** para voltar à lista."
        )
    ).send()
