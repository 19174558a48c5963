"""The generation pipeline against a real loopback OpenAI-compatible server with scripted answers."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from copiloto.suggestions.context import count_tokens
from copiloto.suggestions.generation import Generator, choose_situation
from copiloto.suggestions.llm import LLMError
from copiloto.suggestions.openai_llm import OpenAICompatibleLLM
from copiloto.suggestions.prompts import PromptBook
from copiloto.suggestions.schemas import ClientFacts, Evidence, ReplySetOutput
from copiloto.suggestions.structured import StructuredOutputError, complete_structured
from support.evidence import make_evidence
from support.openai_server import ScriptedOpenAIServer, ScriptedReply

PROFILE = {
    "summary": "Marina comprou um kit de 3 kWp e avalia a proposta de R$ 18.500,00 [m101].",
    "communication_style": "direta",
    "interests": ["energia solar"],
}
SUMMARY = {
    "summary": "Marina pediu 10x sem juros e achou caro [m102]; Ana ficou de verificar [m103] [m999].",
    "open_questions": ["Parcelamento em 10x?"],
    "follow_up": {"when": "fim da tarde", "why": "Ela espera retorno sobre o parcelamento [m102]."},
}
WARNINGS = {
    "points": [
        {"point": "Objeção de preço", "reason": "Achou caro [m102]."},
        {"point": "Promessa pendente", "reason": "Ana prometeu retorno até 14/03 [m103]."},
    ]
}
REPLIES = {
    "replies": [
        {"tone": "formal", "text": "Prezada Marina, verifiquei o parcelamento em 10x [m102]."},
        {"tone": "descontraído", "text": "Oi Marina! Consigo 12x sem juros, bora? [m102]"},
        {
            "tone": "direto",
            "text": "Marina, seguem as condições da proposta de R$ 18.500,00. [m101]",
        },
    ]
}


def generator(llm: OpenAICompatibleLLM, prompts: PromptBook, window: int = 4096) -> Generator:
    return Generator(llm=llm, prompts=prompts, context_window=window)


def script_brief(server: ScriptedOpenAIServer, *, broken_summary: bool = False) -> None:
    server.on("TAREFA: PERFIL DO CLIENTE", json.dumps(PROFILE))
    summary_replies = (
        ['{"summary": "cortado', json.dumps(SUMMARY)] if broken_summary else [json.dumps(SUMMARY)]
    )
    server.on("TAREFA: RESUMO DA ÚLTIMA CONVERSA", *summary_replies)
    server.on("TAREFA: PONTOS DE ATENÇÃO", "```json\n" + json.dumps(WARNINGS) + "\n```")
    server.on("TAREFA: SUGESTÕES DE RESPOSTA", json.dumps(REPLIES))


def test_brief_is_grounded_and_cited(
    openai_server: ScriptedOpenAIServer,
    remote_llm: OpenAICompatibleLLM,
    prompt_book: PromptBook,
    facts: ClientFacts,
    history: list[Evidence],
) -> None:
    script_brief(openai_server)
    brief = generator(remote_llm, prompt_book).brief(facts=facts, history=history)

    assert brief.profile.message_ids == [101]
    assert "R$ 18.500,00" in brief.profile.text and "⚠️" not in brief.profile.text
    # an invented citation is dropped from the text and reported
    assert "[m999]" not in brief.last_conversation.text
    assert 999 in brief.dropped_citations
    assert brief.last_conversation.message_ids == [102, 103]
    assert brief.follow_up.message_ids == [102]
    assert [p.point for p in brief.attention_points] == ["Objeção de preço", "Promessa pendente"]
    # 14/03 is not in the context: marked in the text and listed in the flags
    assert "⚠️[14/03]" in brief.attention_points[1].reason
    # replies: tones as asked, citation markers stripped (text is sent to the client), ids kept
    assert [r.tone for r in brief.replies] == ["formal", "descontraído", "direto"]
    assert all("[m" not in r.text for r in brief.replies)
    assert brief.replies[0].message_ids == [102]
    assert brief.replies[1].text == "Oi Marina! Consigo ⚠️[12]x sem juros, bora?"
    assert (
        brief.replies[1].flagged and not brief.replies[0].flagged and not brief.replies[2].flagged
    )
    assert {(f.field, f.text) for f in brief.flags} == {
        ("attention_points[1].reason", "14/03"),
        ("replies[1]", "12"),
    }

    # Every call carried the same system message (context first), the JSON schema, and the facts.
    calls = openai_server.chat_requests()
    assert len(calls) == 4
    systems = {call.body["messages"][0]["content"] for call in calls}
    assert len(systems) == 1
    system = systems.pop()
    assert "R$ 18.500,00" in system and "há 5 dias" in system and "[m101]" in system
    assert all(call.body["response_format"]["type"] == "json_schema" for call in calls)


def test_invalid_json_gets_one_repair_attempt(
    openai_server: ScriptedOpenAIServer,
    remote_llm: OpenAICompatibleLLM,
    prompt_book: PromptBook,
    facts: ClientFacts,
    history: list[Evidence],
) -> None:
    script_brief(openai_server, broken_summary=True)
    brief = generator(remote_llm, prompt_book).brief(facts=facts, history=history)
    assert brief.last_conversation.message_ids == [102, 103]
    summary_calls = [c for c in openai_server.chat_requests() if "TAREFA: RESUMO" in c.text]
    assert len(summary_calls) == 2
    repair = summary_calls[1].body["messages"]
    assert repair[-2] == {"role": "assistant", "content": '{"summary": "cortado'}
    assert "não é um JSON válido" in repair[-1]["content"]


def test_second_invalid_answer_raises(
    openai_server: ScriptedOpenAIServer, remote_llm: OpenAICompatibleLLM
) -> None:
    openai_server.on("x", '{"replies": []}')  # valid JSON, but fails min_length
    with pytest.raises(StructuredOutputError) as error:
        complete_structured(remote_llm, [{"role": "user", "content": "x"}], ReplySetOutput)
    assert "replies" in str(error.value)
    assert len(openai_server.chat_requests()) == 2


def test_replies_pick_the_situation_from_facts(
    openai_server: ScriptedOpenAIServer,
    remote_llm: OpenAICompatibleLLM,
    prompt_book: PromptBook,
    facts: ClientFacts,
    history: list[Evidence],
) -> None:
    openai_server.on("TAREFA: SUGESTÕES DE FOLLOW-UP", json.dumps(REPLIES))
    quiet = facts.model_copy(update={"last_message_from": "seller"})
    assert choose_situation(quiet) == "follow_up"
    replies = generator(remote_llm, prompt_book).replies(
        facts=quiet, history=history, tones=("formal", "direto")
    )
    assert [r.situation for r in replies] == ["follow_up", "follow_up"]
    assert [r.tone for r in replies] == ["formal", "direto"]
    sent = openai_server.chat_requests()[0].text
    assert "nesta ordem: formal, direto" in sent
    # the newest message is repeated next to the task, so a small model answers it
    assert "Última mensagem da conversa: [m103] 12/03/2025 17:38 — Ana: Vou verificar" in sent
    assert choose_situation(facts.model_copy(update={"stage": "lost"})) == "reopen"
    assert choose_situation(ClientFacts(name="Novo", stage="new")) == "new_lead"


def test_streamed_answer_is_checked_before_it_is_shown(
    openai_server: ScriptedOpenAIServer,
    remote_llm: OpenAICompatibleLLM,
    prompt_book: PromptBook,
    facts: ClientFacts,
    history: list[Evidence],
) -> None:
    # Chunks split a price, a date and a citation marker across pieces on purpose.
    chunks = [
        "A proposta é de R$ 18.",
        "500,00 [m1",
        "01] e a entrega ",
        "fica para 2",
        "8 de mar",
        "ço [m77]. Ela pediu 10x",
        " [m102].",
    ]
    openai_server.on("TAREFA: PERGUNTA DO VENDEDOR", ScriptedReply("".join(chunks), chunks=chunks))
    stream = generator(remote_llm, prompt_book).stream_answer(
        question="Qual o valor da proposta?", facts=facts, evidence=history
    )
    shown = list(stream)
    assert len(shown) > 1  # it streamed
    for piece in shown:  # no piece shows the invented date unmarked, or the invented citation
        assert "28 de março" not in piece.replace("⚠️[28 de março]", "")
        assert "m77" not in piece
    answer = stream.answer
    assert "".join(shown).strip() == answer.text
    assert answer.text == (
        "A proposta é de R$ 18.500,00 [m101] e a entrega fica para ⚠️[28 de março]. "
        "Ela pediu 10x [m102]."
    )
    assert answer.message_ids == [101, 102]
    assert answer.dropped_citations == [77]
    assert [(f.kind, f.text) for f in answer.flags] == [("date", "28 de março")]
    assert openai_server.chat_requests()[0].body["stream"] is True


def test_answer_without_client_uses_question_as_context(
    openai_server: ScriptedOpenAIServer, remote_llm: OpenAICompatibleLLM, prompt_book: PromptBook
) -> None:
    openai_server.on("Quantos clientes pediram 10x", "Dois clientes pediram 10x [m5].")
    evidence = [make_evidence(5, "Dá pra fazer em 10x?"), make_evidence(6, "Aceita 10x?")]
    answer = generator(remote_llm, prompt_book).answer(
        question="Quantos clientes pediram 10x?", facts=None, evidence=evidence
    )
    assert answer.text == "Dois clientes pediram 10x [m5]."
    assert answer.flags == [] and answer.message_ids == [5]


def test_context_budget_cuts_long_evidence_and_keeps_facts(
    openai_server: ScriptedOpenAIServer,
    remote_llm: OpenAICompatibleLLM,
    prompt_book: PromptBook,
    facts: ClientFacts,
) -> None:
    openai_server.on("TAREFA: SUGESTÕES DE RESPOSTA", json.dumps(REPLIES))
    long_text = "O telhado tem inclinação e sombra de tarde. " * 400  # ~4k tokens
    history = [make_evidence(200 + i, f"mensagem antiga {i}", minute=i) for i in range(10)] + [
        Evidence(
            node_id="n300",
            text=long_text,
            kind="message",
            client_id=1,
            message_ids=[300],
            time=datetime(2025, 3, 12, 17, 59, tzinfo=UTC),
            author="Marina",
        )
    ]
    gen = generator(remote_llm, prompt_book, window=2000)
    context = gen.build_context(facts=facts, history=history, similar=[], tasks=("reply",))
    assert context.tokens <= gen.context_budget(("reply",))
    assert "Propostas em aberto: R$ 18.500,00" in context.text  # facts kept whole
    assert (
        context.truncated == 1 and "…" in context.text
    )  # the newest, long message is cut, not dropped
    assert 300 in context.message_ids
    assert context.dropped >= 1  # older short ones no longer fit
    gen.replies(facts=facts, history=history)
    sent = openai_server.chat_requests()[0].text
    assert len(sent) < len(long_text)
    # the whole request (context, instructions, repeated last message) plus the answer fits
    assert count_tokens(sent) + prompt_book["reply"].max_tokens <= 2000


def test_backend_errors_surface_as_llm_error(
    openai_server: ScriptedOpenAIServer, remote_llm: OpenAICompatibleLLM
) -> None:
    openai_server.on("boom", ScriptedReply("upstream exploded", status=500))
    with pytest.raises(LLMError, match="upstream exploded"):
        remote_llm.chat([{"role": "user", "content": "boom"}])
    with pytest.raises(LLMError):
        list(remote_llm.stream([{"role": "user", "content": "unscripted"}]))


def test_a_stuck_negotiation_gets_unblocking_replies_with_its_reasons(
    openai_server: ScriptedOpenAIServer,
    remote_llm: OpenAICompatibleLLM,
    prompt_book: PromptBook,
    facts: ClientFacts,
    history: list[Evidence],
) -> None:
    openai_server.on("TAREFA: SUGESTÕES PARA DESTRAVAR", json.dumps(REPLIES))
    stuck = facts.model_copy(
        update={"stage": "negotiating", "stuck": ["2 objeções seguidas sem resolução"]}
    )
    assert choose_situation(stuck) == "unblock"
    assert choose_situation(stuck.model_copy(update={"stage": "won"})) != "unblock"
    replies = generator(remote_llm, prompt_book).replies(
        facts=stuck, history=history, tones=("formal",)
    )
    assert {r.situation for r in replies} == {"unblock"}
    sent = openai_server.chat_requests()[0].text
    assert "Negociação travada: 2 objeções seguidas sem resolução" in sent


def test_a_streamed_suggestion_shows_its_text_as_written_and_ends_checked(
    openai_server: ScriptedOpenAIServer,
    remote_llm: OpenAICompatibleLLM,
    prompt_book: PromptBook,
    facts: ClientFacts,
    history: list[Evidence],
) -> None:
    answer = {
        "replies": [
            {"tone": "empático", "text": "Marina, entendo! Faço R$ 17.000,00 hoje [m102] [m999]."}
        ]
    }
    openai_server.on("TAREFA: SUGESTÕES DE RESPOSTA", json.dumps(answer, ensure_ascii=False))

    stream = generator(remote_llm, prompt_book).stream_reply(
        facts=facts, history=history, tone="empático"
    )
    pieces = list(stream)
    suggestion = stream.suggestion

    request = openai_server.chat_requests()[-1]
    assert request.body["stream"] is True
    assert request.body["response_format"]["type"] == "json_schema"  # same schema as `replies`
    assert request.text.rstrip().endswith("nesta ordem: empático.")
    shown = "".join(pieces)
    assert len(pieces) > 2 and shown.startswith("Marina, entendo!")  # text only, no JSON
    assert "⚠️" in shown and "[m999]" not in shown  # invented figure marked, bad citation dropped
    assert suggestion.tone == "empático" and suggestion.situation == "reply"
    assert suggestion.message_ids == [102] and suggestion.flagged
    assert "[m102]" not in suggestion.text and "17.000,00" in suggestion.text
