"""`copiloto llm chat`: streams from the configured LLM (here the scripted OpenAI-compatible server)."""

from __future__ import annotations

import typer
from typer.testing import CliRunner

from copiloto.suggestions.commands import chat_command
from support.openai_server import ScriptedOpenAIServer, ScriptedReply


def app() -> typer.Typer:
    cli = typer.Typer()
    cli.command("chat")(chat_command)
    cli.command("other")(lambda: None)  # two commands: typer keeps "chat" as a subcommand
    return cli


def test_chat_command_streams_the_answer(openai_server: ScriptedOpenAIServer) -> None:
    openai_server.on("Diga oi", ScriptedReply("Oi, tudo bem?", chunks=["Oi", ", tudo", " bem?"]))
    result = CliRunner().invoke(
        app(),
        ["chat", "Diga oi", "--system", "Seja breve", "--max-tokens", "20"],
        env={"COPILOTO_LLM_BASE_URL": openai_server.base_url, "COPILOTO_LLM_MODEL": "m"},
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "Oi, tudo bem?"
    body = openai_server.chat_requests()[0].body
    assert body["stream"] is True and body["max_tokens"] == 20 and body["model"] == "m"
    assert body["messages"][0] == {"role": "system", "content": "Seja breve"}


def test_chat_command_reports_backend_errors(openai_server: ScriptedOpenAIServer) -> None:
    result = CliRunner().invoke(
        app(), ["chat", "sem roteiro"], env={"COPILOTO_LLM_BASE_URL": openai_server.base_url}
    )
    assert result.exit_code == 1
    assert "Erro no modelo de linguagem" in result.output
