"""Briefs and answers through the real pipeline: facts from code, a scripted LLM over loopback HTTP,
citations kept only when they point at retrieved messages, invented figures marked."""

import json

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from copiloto.cli import app
from copiloto.container import Container
from copiloto.domain.enums import Direction, Provider
from copiloto.storage.repository import add_message
from copiloto.storage.tables import Conversation, Message, utcnow
from support.openai_server import ScriptedOpenAIServer


@pytest.fixture
def llm():
    with ScriptedOpenAIServer() as server:
        yield server


def carla_ids(container: Container, client_id: int) -> list[int]:
    with container.session() as session:
        return list(
            session.exec(
                select(Message.id).where(Message.client_id == client_id).order_by(Message.id)
            ).all()
        )


def script_brief(llm: ScriptedOpenAIServer, objection: int) -> None:
    llm.on(
        "TAREFA: PERFIL",
        json.dumps(
            {
                "summary": f"Cliente sensível ao frete [m{objection}].",
                "communication_style": "direto",
                "interests": ["kit solar"],
            }
        ),
    )
    llm.on(
        "TAREFA: RESUMO",
        json.dumps(
            {
                "summary": f"Carla achou o frete caro [m{objection}] e pediu R$ 999,00 de desconto.",
                "open_questions": [],
                "follow_up": {"when": "sexta de manhã", "why": f"prazo da oferta [m{objection}]"},
            },
            ensure_ascii=False,
        ),
    )
    llm.on(
        "TAREFA: PONTOS",
        json.dumps(
            {"points": [{"point": "Objeção ao frete", "reason": f"achou caro [m{objection}]"}]},
            ensure_ascii=False,
        ),
    )
    llm.on(
        "TAREFA: SUGESTÕES",
        json.dumps(
            {
                "replies": [
                    {
                        "tone": "formal",
                        "text": f"Olá, Carla. O frete grátis vale até sexta [m{objection}].",
                    },
                    {"tone": "descontraído", "text": "Oi Carla! Bora fechar com frete grátis? 😊"},
                    {
                        "tone": "direto",
                        "text": "Carla, fecho hoje por R$ 18.990,00 com frete grátis.",
                    },
                ]
            },
            ensure_ascii=False,
        ),
    )


def test_brief_is_grounded_cached_and_goes_stale(book, llm, settings) -> None:
    container, ids = book
    settings.llm_base_url, settings.llm_model = llm.base_url, "roteiro"
    container = Container(settings)
    messages = carla_ids(container, ids["carla"])
    objection = messages[2]
    script_brief(llm, objection)
    rafael = container.workspace.seller("rafael")

    brief = container.workspace.compute_brief(ids["carla"])

    prompt = "\n".join(r.text for r in llm.chat_requests())
    assert "18.990" in prompt  # the open proposal's value, computed by code, was handed over
    assert [r.tone for r in brief.replies] == ["formal", "descontraído", "direto"]
    assert objection in brief.replies[0].message_ids
    assert "⚠️" in brief.last_conversation.text and "999,00" in brief.last_conversation.text
    assert any("999" in flag.text for flag in brief.flags)
    assert "18.990,00" in brief.replies[2].text and not brief.replies[2].flagged

    cached = container.workspace.cached_brief(rafael, ids["carla"])
    assert cached.result is not None and not cached.stale
    with container.session() as session:
        conversation = session.exec(
            select(Conversation).where(Conversation.client_id == ids["carla"])
        ).one()
        add_message(
            session,
            Message(
                conversation_id=conversation.id,
                client_id=ids["carla"],
                seller_id=rafael.id,
                provider=Provider.META,
                provider_message_id="wamid.novo",
                direction=Direction.IN,
                sent_at=utcnow(),
                text="E aí, ainda vale o frete grátis?",
            ),
        )
        session.commit()
    assert container.workspace.cached_brief(rafael, ids["carla"]).stale


def test_another_tone_resends_the_briefs_context_byte_for_byte(book, llm, settings) -> None:
    """A local model resumes from the brief's cached prompt only if the prefix is identical."""
    container, ids = book
    settings.llm_base_url, settings.llm_model = llm.base_url, "roteiro"
    container = Container(settings)
    objection = carla_ids(container, ids["carla"])[2]
    script_brief(llm, objection)
    rafael = container.workspace.seller("rafael")
    container.workspace.compute_brief(ids["carla"])
    brief_reply = [r for r in llm.chat_requests() if "TAREFA: SUGESTÕES" in r.text][-1]

    rows = container.workspace.suggestions(rafael, ids["carla"], tones=["empático"])

    again = llm.chat_requests()[-1]
    assert again is not brief_reply and len(rows) >= 1
    system, user = again.body["messages"][0], again.body["messages"][1]
    assert system == brief_reply.body["messages"][0]  # the whole context, unchanged
    old_task, _, old_tones = brief_reply.body["messages"][1]["content"].rpartition("\n")
    task, _, tones = user["content"].rpartition("\n")
    assert task == old_task  # the instructions too: only the last line, the tones, differs
    assert tones.endswith("nesta ordem: empático.") and tones != old_tones


def test_ask_cli_answers_with_citations_and_rejects_unknown_clients(book, llm, settings) -> None:
    container, ids = book
    with container.session() as session:
        container.indexer.index_pending(session)
        session.commit()
    objection = carla_ids(container, ids["carla"])[2]
    llm.on("TAREFA: PERGUNTA", f"Ela achou o frete de R$ 450 caro demais [m{objection}].")
    env = {
        "COPILOTO_DATA_DIR": str(settings.data_dir),
        "COPILOTO_LLM_BASE_URL": llm.base_url,
        "COPILOTO_LLM_MODEL": "roteiro",
    }
    runner = CliRunner()
    result = runner.invoke(
        app,
        [
            "ask",
            "o que a Carla achou do frete?",
            "--client",
            "Carla",
            "--seller",
            "rafael",
            "--json",
        ],
        env=env,
    )
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["answer"].startswith("Ela achou o frete de R$ 450 caro demais")
    assert [c["id"] for c in answer["citations"]] == [objection]
    assert answer["citations"][0]["author"] == "Carla Mendes"
    assert answer["flags"] == []

    isolated = runner.invoke(
        app, ["ask", "e o frete?", "--client", "Carla", "--seller", "juliana"], env=env
    )
    assert isolated.exit_code == 2  # juliana has no client named Carla

    unknown = runner.invoke(app, ["ask", "e o frete?", "--client", "Karla Mendez"], env=env)
    assert unknown.exit_code == 2
    assert "Carla Mendes" in unknown.output  # close matches are listed
