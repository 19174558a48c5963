"""The seller's workspace end to end in headless chromium, against `copiloto serve` on the demo data.

The tests run in file order and share one server: the journey leaves a thread that the isolation
and resume tests reuse. Each step saves a screenshot under test-artifacts/browser/.
Timings (open a client with its brief cached, first streamed token of an answer, a new suggestion
after 'Outro tom') go to test-artifacts/browser/timings.json.
"""

import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from browser_support import (
    ANSWER_MARK,
    FRESH_TEXT,
    PASSWORD,
    SEND_CLIENT,
    SEND_PHONE,
    SUMMARY_MARK,
    WARNING_MARK,
)
from sqlmodel import Session, select

from copiloto.storage.tables import Client, Message, Seller, Suggestion

pytestmark = pytest.mark.browser

STATE: dict[str, Any] = {}
TIMINGS: dict[str, float] = {}
EDITED = "Oi Luciana! Tenho horário na quinta às 14h para a visita técnica, pode ser? 😊"
LEAD_LINE = "Bruna Alves; 11 98888-7777; anúncio Instagram; energia solar, conta alta"


# --- helpers ---------------------------------------------------------------------------------------


def new_page(browser: Any) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="pt-BR")
    context.set_default_timeout(60_000)
    return context.new_page()


def login(page: Any, url: str, who: str) -> None:
    page.goto(f"{url}/login")
    page.fill("#email", who)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    composer_ready(page)


def composer_ready(page: Any) -> None:
    """The socket is connected once the composer is enabled."""
    page.wait_for_selector("#chat-input:not([disabled])", timeout=90_000)


def shot(page: Any, artifacts: Path, name: str) -> None:
    page.screenshot(path=str(artifacts / f"{name}.png"))


def say(page: Any, text: str) -> None:
    composer_ready(page)
    page.fill("#chat-input", text)
    page.keyboard.press("Enter")


def client_button(page: Any, name: str) -> Any:
    return page.get_by_role("button", name=re.compile(rf"^(⚠️ )?{re.escape(name)}$"))


def assistant_texts(page: Any) -> list[str]:
    return page.locator("[data-step-type='assistant_message']").all_inner_texts()


def wait_for_text(page: Any, text: str, *, timeout_ms: int = 60_000) -> None:
    page.wait_for_function("t => document.body.innerText.includes(t)", arg=text, timeout=timeout_ms)


def reply_boxes(page: Any) -> Any:
    return page.locator(".reply-box")


def open_client(page: Any, name: str, *, boxes_before: int = 0) -> float:
    """Click the client in the picker; seconds until card, brief and three suggestions show."""
    started = time.monotonic()
    client_button(page, name).first.click()
    wait_for_text(page, SUMMARY_MARK)
    page.wait_for_function(
        "n => document.querySelectorAll('.reply-box textarea').length >= n"
        " && [...document.querySelectorAll('.reply-box textarea')].slice(-3)"
        ".every(t => t.value.length > 0)",
        arg=boxes_before + 3,
    )
    return time.monotonic() - started


def cited_ids(locator: Any) -> list[int]:
    names = locator.locator("a.element-link").all_inner_texts()
    return [
        int(n.strip().lower().lstrip("m")) for n in names if re.fullmatch(r"[mM]\d+", n.strip())
    ]


def rows(engine: Any, query: Any) -> list[Any]:
    with Session(engine) as session:
        return list(session.exec(query).all())


def seller_id(engine: Any, login_name: str) -> int:
    return rows(engine, select(Seller.id).where(Seller.login == login_name))[0]


# --- the journey of seller A -----------------------------------------------------------------------


def test_seller_opens_a_client_sends_an_edited_reply_asks_and_rates(
    browser: Any, server: Any, meta: Any, llm: Any, database: Any, artifacts: Path
) -> None:
    page = new_page(browser)
    page.goto(f"{server.url}/login")
    page.wait_for_selector("#password")
    shot(page, artifacts, "01-login")
    login(page, server.url, "rafael")

    # the picker: greeting, own clients only, the fresh question first, 'Novo lead'
    wait_for_text(page, "Quem você quer atender agora?")
    picker = assistant_texts(page)[0]
    assert "Olá, Rafael!" in picker
    assert SEND_CLIENT in picker and "Marcos Vieira" in picker
    assert "Dona Marta Silveira" not in picker  # Juliana's client
    page.get_by_role("button", name="➕ Novo lead").wait_for(state="visible")  # after the text
    assert page.get_attribute("#chat-input", "placeholder") == "Digite sua mensagem..."
    shot(page, artifacts, "02-picker")

    # opening a client: card, highlights, brief, three editable suggestions
    open_client(page, SEND_CLIENT)
    body = page.inner_text("body")
    for expected in (
        SEND_CLIENT,
        "Perfil",
        "Tom recomendado:",
        "Horários:",
        "Compras:",
        "Melhor momento para retomar",
        "Resumo da última conversa",
        SUMMARY_MARK,
        "O que observar",
        WARNING_MARK,
        "Próximo passo",
        "Sugestões de resposta",
    ):
        assert expected in body, expected
    boxes = reply_boxes(page)
    tones = {boxes.nth(i).get_attribute("data-tone") for i in range(3)}
    assert tones == {"formal", "descontraído", "direto"}  # elements may arrive in any order
    shot(page, artifacts, "03-client-brief")
    page.locator(".reply-box").first.scroll_into_view_if_needed()
    shot(page, artifacts, "04-suggestions")

    # edit one suggestion and send it through the (loopback) Meta Cloud API
    box = page.locator(".reply-box[data-tone='descontraído']").first
    suggestion_id = int(box.get_attribute("data-suggestion-id"))
    box.locator("textarea").fill(EDITED)
    box.locator(".reply-send").click()
    page.wait_for_selector(f".reply-box[data-suggestion-id='{suggestion_id}'][data-status='sent']")
    wait_for_text(page, "Mensagem enviada pelo WhatsApp.")
    shot(page, artifacts, "05-sent")
    [sent] = meta.sent
    assert sent["text"]["body"] == EDITED
    assert sent["to"] == SEND_PHONE.lstrip("+")
    assert sent["_auth"] == "Bearer meta-token"
    [row] = rows(database, select(Suggestion).where(Suggestion.id == suggestion_id))
    assert row.edited_text == EDITED and row.action == "sent"
    assert row.suggested_text != EDITED and "descontraído" in row.suggested_text
    [stored] = rows(database, select(Message).where(Message.id == row.message_id))
    assert stored.text == EDITED and stored.direction == "out" and stored.status == "sent"

    # 'Outro tom': one more suggestion in a new tone
    before = reply_boxes(page).count()
    started = time.monotonic()
    page.locator(".reply-box[data-tone='formal'] .reply-other").first.click()
    page.wait_for_function("n => document.querySelectorAll('.reply-box').length > n", arg=before)
    TIMINGS["other_tone_suggestion_s"] = time.monotonic() - started
    assert reply_boxes(page).last.get_attribute("data-tone") == "empático"
    reply_boxes(page).last.scroll_into_view_if_needed()
    shot(page, artifacts, "05b-other-tone")

    # a free-form question streams its answer with clickable sources
    question = "O que ela perguntou por último?"
    say(page, question)
    started = time.monotonic()
    page.wait_for_function(
        "m => [...document.querySelectorAll(\"[data-step-type='assistant_message']\")]"
        ".some(e => e.innerText.includes(m))",
        arg=ANSWER_MARK.split()[0],
    )
    TIMINGS["answer_first_token_s"] = time.monotonic() - started
    wait_for_text(page, question + "”: veja a mensagem citada.")
    answer = page.locator("[data-step-type='assistant_message']").last
    answer.locator("a.element-link").first.wait_for()  # sources arrive with the final update
    ids = cited_ids(answer)
    assert ids, "the answer cites no source"
    shot(page, artifacts, "06-answer")
    [cited] = rows(database, select(Message).where(Message.id == ids[0]))
    client = rows(database, select(Client).where(Client.name == SEND_CLIENT))[0]
    assert cited.client_id == client.id
    snippet = " ".join((cited.text or "").split())[:30]
    answer.locator("a.element-link").first.click()
    page.wait_for_function(
        "n => (document.querySelector('#side-view-title') || {}).innerText === n",
        arg=f"m{ids[0]}",
    )
    panel = " ".join(page.inner_text("#side-view-content").split())
    assert snippet in panel and cited.author in panel
    shot(page, artifacts, "07-source-open")

    # thumbs down with a comment, persisted in ChainLit's feedback table
    answer.hover()
    answer.locator("button:has(svg.lucide-thumbs-down)").click()
    dialog = page.get_by_role("dialog")
    dialog.locator("textarea").fill("Faltou dizer o horário que ela pediu.")
    shot(page, artifacts, "08-feedback-dialog")
    dialog.get_by_role("button", name="Enviar comentário").click()
    deadline = time.monotonic() + 20
    feedback: list[Any] = []
    while time.monotonic() < deadline and not feedback:
        with database.connect() as connection:
            feedback = connection.execute(
                sa.text("select value, comment from feedbacks where comment is not null")
            ).all()
        time.sleep(0.3)
    assert feedback == [(0, "Faltou dizer o horário que ela pediu.")]
    shot(page, artifacts, "09-feedback-saved")

    with database.connect() as connection:
        STATE["thread_id"] = connection.execute(
            sa.text('select id from threads where "userIdentifier" = :u and name = :n'),
            {"u": "rafael", "n": f"Cliente: {SEND_CLIENT}"},
        ).scalar_one()
    page.context.close()


def test_a_cached_brief_opens_at_once(browser: Any, server: Any, artifacts: Path) -> None:
    """First open computes the brief (loopback LLM); a later session shows the cached one."""
    for attempt in ("first", "cached"):
        page = new_page(browser)
        login(page, server.url, "rafael")
        wait_for_text(page, "Quem você quer atender agora?")
        seconds = open_client(page, "Marcos Vieira")
        TIMINGS[f"open_client_{attempt}_s"] = seconds
        if attempt == "cached":
            assert "Resumo e sugestões do cliente" not in page.inner_text("body")  # no recompute
            shot(page, artifacts, "10-client-cached")
        page.context.close()
    (artifacts / "timings.json").write_text(json.dumps(TIMINGS, indent=2))


def test_new_lead_gets_first_contact_suggestions(
    browser: Any, server: Any, llm: Any, database: Any, artifacts: Path
) -> None:
    page = new_page(browser)
    login(page, server.url, "rafael")
    page.get_by_role("button", name="➕ Novo lead").click()
    wait_for_text(page, "Vamos cadastrar o lead")
    say(page, LEAD_LINE)
    wait_for_text(page, "Lead Bruna Alves cadastrado (anúncio Instagram).")
    page.wait_for_function("() => document.querySelectorAll('.reply-box textarea').length >= 3")
    wait_for_text(page, "Sugestões de primeiro contato")
    shot(page, artifacts, "11-new-lead")
    [lead] = rows(database, select(Client).where(Client.name == "Bruna Alves"))
    assert lead.seller_id == seller_id(database, "rafael")
    assert lead.phone == "+5511988887777"
    assert lead.source_channel == "anúncio Instagram"
    assert set(lead.keywords) >= {"energia solar", "conta alta"}
    prompts = [r.text for r in llm.chat_requests() if "NOVO CONTATO" in r.text]
    assert prompts and "energia solar" in prompts[-1]
    page.context.close()


def test_seller_b_cannot_reach_seller_a_clients(
    browser: Any, server: Any, database: Any, artifacts: Path
) -> None:
    page = new_page(browser)
    login(page, server.url, "juliana")
    wait_for_text(page, "Olá, Juliana!")
    assert SEND_CLIENT not in page.inner_text("body")
    shot(page, artifacts, "12-b-picker")

    # by search
    say(page, SEND_CLIENT)
    wait_for_text(page, f"Não encontrei cliente com {SEND_CLIENT}")

    # by question: retrieval filters on the seller, so no source of A's shows up
    say(page, f"O que a {SEND_CLIENT} perguntou sobre a visita técnica?")
    wait_for_text(page, "veja a mensagem citada.")
    answer = page.locator("[data-step-type='assistant_message']").last
    answer.locator("a.element-link").first.wait_for()
    ids = cited_ids(answer)
    juliana = seller_id(database, "juliana")
    owners = rows(database, select(Message.seller_id).where(Message.id.in_(ids)))  # type: ignore[union-attr]
    assert owners and set(owners) == {juliana}
    assert FRESH_TEXT not in page.inner_text("body")
    shot(page, artifacts, "13-b-question")

    # by URL: A's thread
    page.goto(f"{server.url}/thread/{STATE['thread_id']}")
    page.wait_for_timeout(4000)
    body = page.inner_text("body")
    assert EDITED not in body and f"Cliente: {SEND_CLIENT}" not in body
    shot(page, artifacts, "14-b-url")
    page.context.close()


def test_thread_resumes_after_a_server_restart(
    browser: Any, server: Any, database: Any, artifacts: Path
) -> None:
    server.stop()
    server.start()
    page = new_page(browser)
    login(page, server.url, "rafael")
    page.goto(f"{server.url}/thread/{STATE['thread_id']}")
    composer_ready(page)
    # the first session's history, reply boxes included (props and the sent status restored)
    page.wait_for_function("() => document.querySelectorAll('.reply-box textarea').length >= 4")
    body = page.inner_text("body")
    assert "Mensagem enviada pelo WhatsApp." in body and SUMMARY_MARK in body
    sent = page.locator(".reply-box[data-status='sent']")
    assert sent.count() == 1 and sent.locator("textarea").input_value() == EDITED
    assert page.locator("[data-step-type='assistant_message'] button:has(svg.lucide-thumbs-down)")
    shot(page, artifacts, "15-resumed-history")
    # and where the client stands now, with fresh suggestions
    say(page, "resumo")
    page.wait_for_function("() => document.querySelectorAll('.reply-box textarea').length >= 7")
    shot(page, artifacts, "16-resumed-brief")
    # the resumed session knows its client: a question is answered about her
    say(page, "E qual foi a última mensagem dela?")
    page.wait_for_function(
        "t => document.body.innerText.includes(t)",
        arg="qual foi a última mensagem dela?”: veja a mensagem citada.",
    )
    shot(page, artifacts, "17-resumed-question")
    page.context.close()
