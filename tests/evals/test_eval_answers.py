"""`copiloto eval answers` end to end on one sample chat, with a scripted LLM over loopback HTTP."""

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from copiloto.cli import app
from copiloto.evals.answers import fact_recall, is_portuguese, normalize
from support.openai_server import ScriptedOpenAIServer

SAMPLE = Path(__file__).resolve().parents[2] / "ingest" / "sample"
CHAT = SAMPLE / "exports" / "rafael" / "Conversa do WhatsApp com Marcos Vieira.txt"


def test_normalize_and_fact_recall() -> None:
    assert normalize("À vista no PIX: R$ 21.400,00") == "a vista no pix: r$ 21400,00"
    assert (
        fact_recall("Ele pagou R$ 21400,00 à vista no pix.", ["R$ 21.400,00", "à vista no pix"])
        == 1.0
    )
    assert fact_recall("Ele pagou no cartão.", ["R$ 21.400,00", "à vista no pix"]) == 0.0
    assert is_portuguese("Ele pagou o kit à vista, com desconto, no pix.")
    assert not is_portuguese("He paid for the kit in cash with the discount.")


def test_eval_answers_json(tmp_path: Path) -> None:
    exports = tmp_path / "exports"
    (exports / "rafael").mkdir(parents=True)
    shutil.copy(CHAT, exports / "rafael" / CHAT.name)
    shutil.copy(SAMPLE / "sellers.json", exports / "sellers.json")
    questions = tmp_path / "questions.jsonl"
    questions.write_text(
        json.dumps(
            {
                "id": "c01",
                "client": "Marcos Vieira",
                "scope": "client",
                "question": "quanto o Marcos pagou no kit de 5 kWp?",
                "gold": ["À vista no pix consigo fazer por R$ 21.400,00"],
                "answer_facts": ["R$ 21.400,00", "à vista no pix"],
            },
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    with ScriptedOpenAIServer() as llm:
        llm.on(
            lambda body: True,
            "O Marcos pagou R$ 21.400,00 à vista no pix, e eu inventei R$ 99.999,00 [m999999].",
        )
        env = {
            "COPILOTO_LLM_BASE_URL": llm.base_url,
            "COPILOTO_LLM_MODEL": "roteiro",
            "COPILOTO_DATA_DIR": str(tmp_path / "ignored"),
        }
        result = CliRunner().invoke(
            app,
            ["eval", "answers", "--exports", str(exports), "--questions", str(questions), "--json"],
            env=env,
        )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["n"] == 1
    assert summary["fact_recall"] == 1.0
    assert summary["pt_br_rate"] == 1.0
    assert summary["unsupported_numbers"] == 1  # R$ 99.999,00 is in no message
    # the invented citation was dropped; the message holding R$ 21.400,00 was then found by code
    assert summary["citation_precision"] == 1.0
