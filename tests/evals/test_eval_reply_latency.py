"""`copiloto eval reply-latency` end to end on three sample chats, with a scripted LLM on loopback."""

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from copiloto.cli import app
from support.openai_server import ScriptedOpenAIServer

SAMPLE = Path(__file__).resolve().parents[2] / "ingest" / "sample"
CHATS = ["Marcos Vieira", "Aline Costa", "Roberto Almeida"]


def test_eval_reply_latency_json(tmp_path: Path) -> None:
    exports = tmp_path / "exports"
    (exports / "rafael").mkdir(parents=True)
    for name in CHATS:
        chat = SAMPLE / "exports" / "rafael" / f"Conversa do WhatsApp com {name}.txt"
        shutil.copy(chat, exports / "rafael" / chat.name)
    shutil.copy(SAMPLE / "sellers.json", exports / "sellers.json")
    with ScriptedOpenAIServer() as llm:
        llm.on(
            "TAREFA: PERFIL",
            json.dumps({"summary": "Cliente direto.", "communication_style": "direto"}),
        )
        llm.on(
            "TAREFA: RESUMO",
            json.dumps(
                {
                    "summary": "Pediu orçamento.",
                    "open_questions": [],
                    "follow_up": {"when": "amanhã", "why": "retomar"},
                },
                ensure_ascii=False,
            ),
        )
        llm.on("TAREFA: PONTOS", json.dumps({"points": []}))
        llm.on(
            "TAREFA: SUGESTÕES",
            json.dumps({"replies": [{"tone": "t", "text": "Olá! Posso ajudar?"}]}),
        )
        env = {"COPILOTO_LLM_BASE_URL": llm.base_url, "COPILOTO_LLM_MODEL": "roteiro"}
        result = CliRunner().invoke(
            app, ["eval", "reply-latency", "--exports", str(exports), "--json"], env=env
        )
        assert result.exit_code == 0, result.output
        figures = json.loads(result.stdout.strip().splitlines()[-1])
        requests = llm.chat_requests()
    assert figures["n"] == 2 and len(figures["first_token_s"]) == 2
    assert 0 < figures["inputs_p50_s"] <= figures["first_token_max_s"]
    assert figures["model"] == "roteiro"
    assert 0 < figures["first_token_p50_s"] <= figures["first_token_max_s"]
    assert figures["prompt_tokens_p50"] > 100  # the brief's whole context went with the request
    # 1 cold first token, 2 briefs of 4 calls, then per client a first token and a suggestion
    assert len(requests) == 1 + 2 * 4 + 2 * 2
    assert sum(1 for r in requests if r.body.get("stream")) == 5  # first tokens and "Outro tom"
    assert 0 < figures["first_text_p50_s"] <= figures["suggestion_max_s"]
