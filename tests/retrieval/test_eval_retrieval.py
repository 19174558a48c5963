"""The retrieval eval: budget-aware hit rule, and a full run over a small export folder."""

import json
from pathlib import Path

import pytest
import typer
from retrieval_support import HashingEmbedder
from typer.testing import CliRunner

from copiloto.evals.retrieval import (
    QuestionResult,
    first_hit_rank,
    load_questions,
    retrieval_command,
    run_retrieval_eval,
    summarize,
)
from copiloto.settings import Settings

EXPORT = """\
06/05/2025 06:12 - Carla Mendes: bom dia, quanto fica o sofá retrátil de 3 lugares?
06/05/2025 07:49 - Ana Souza: Bom dia, Carla! O sofá retrátil de 3 lugares sai por R$ 3.490,00.
06/05/2025 07:50 - Ana Souza: O frete para Campinas é grátis.
07/05/2025 05:47 - Carla Mendes: achei caro, vou pensar
08/05/2025 09:00 - Carla Mendes: pode ser na cor cinza chumbo?
08/05/2025 09:10 - Ana Souza: Pode sim, temos cinza chumbo em estoque.
"""
OTHER = """\
01/04/2025 10:00 - Bruno Dias: oi, tem mesa de jantar de 6 lugares?
01/04/2025 10:05 - Ana Souza: Temos sim, Bruno: mesa de 6 lugares em madeira maciça por R$ 2.800,00.
01/04/2025 10:20 - Bruno Dias: achei caro também
01/04/2025 10:25 - Ana Souza: Consigo 10% de desconto no pix, fica R$ 2.520,00.
01/04/2025 10:30 - Bruno Dias: fechado então
"""
QUESTIONS = [
    {"id": "q1", "client": "Carla Mendes", "scope": "client",
     "question": "Qual o preço do sofá que a Carla quer?", "gold": ["R$ 3.490,00"]},
    {"id": "q2", "client": "Carla Mendes", "scope": "client",
     "question": "Que cor a Carla pediu?", "gold": ["cinza   CHUMBO"]},
    {"id": "q3", "client": "Carla Mendes", "scope": "similar",
     "question": "Como contornar a objeção de preço da Carla?", "gold": ["10% de desconto no pix"]},
]  # fmt: skip


@pytest.fixture
def exports(tmp_path: Path) -> Path:
    folder = tmp_path / "exports" / "ana"
    folder.mkdir(parents=True)
    (folder / "Conversa do WhatsApp com Carla Mendes.txt").write_text(EXPORT, encoding="utf-8")
    (folder / "Conversa do WhatsApp com Bruno Dias.txt").write_text(OTHER, encoding="utf-8")
    return folder.parent


@pytest.fixture
def questions_file(tmp_path: Path) -> Path:
    path = tmp_path / "questions.jsonl"
    path.write_text("\n".join(json.dumps(q, ensure_ascii=False) for q in QUESTIONS) + "\n")
    return path


def test_hit_rule_counts_only_pieces_inside_the_budget() -> None:
    texts = ["a" * 100, "b" * 100, "the Answer is here"]
    assert first_hit_rank(texts, ["answer  IS"], k=5, budget_chars=300) == 3
    assert first_hit_rank(texts, ["answer is"], k=5, budget_chars=210) is None  # over budget
    assert first_hit_rank(texts, ["answer is"], k=2, budget_chars=1000) is None  # beyond k
    assert first_hit_rank(["x" * 2000, "answer"], ["answer"], k=5, budget_chars=1500) is None


def test_summary_figures() -> None:
    results = [
        QuestionResult(id="1", scope="client", rank=1, ms=10, chars=[100, 200]),
        QuestionResult(id="2", scope="client", rank=2, ms=20, chars=[300]),
        QuestionResult(id="3", scope="similar", rank=None, ms=30, chars=[]),
        QuestionResult(id="4", scope="client", rank=4, ms=40, chars=[]),
    ]
    summary = summarize(results, embedder="x")
    assert summary["n"] == 4
    assert summary["hit_at_k"] == 0.75
    assert summary["mrr"] == round((1 + 0.5 + 0.25) / 4, 4)
    assert summary["avg_node_chars"] == 200.0
    assert summary["p50_ms"] in (20, 30)
    assert summary["p95_ms"] == 40


def test_full_run_over_a_small_export_folder(
    exports: Path, questions_file: Path, tmp_path: Path
) -> None:
    settings = Settings(data_dir=tmp_path / "data", _env_file=None)  # type: ignore[call-arg]
    summary, results, index_report = run_retrieval_eval(
        exports=exports,
        questions=load_questions(questions_file),
        settings=settings,
        k=5,
        budget_chars=1500,
        embedder=HashingEmbedder(),
    )
    assert index_report.conversations == 2
    assert summary["n"] == 3 and summary["embedder"] == "hashing-test"
    by_id = {r.id: r for r in results}
    assert by_id["q1"].rank is not None and by_id["q2"].rank is not None
    assert by_id["q1"].query == "Qual o preço do sofá que quer?"  # the client's name removed
    assert by_id["q3"].rank is not None  # found in Bruno's chat, not Carla's
    assert summary["hit_at_k"] == 1.0


@pytest.mark.slow
def test_command_prints_one_json_object_with_the_packaged_embedder(
    exports: Path, questions_file: Path
) -> None:
    app = typer.Typer()
    app.command()(retrieval_command)
    result = CliRunner().invoke(
        app,
        ["--exports", str(exports), "--questions", str(questions_file), "--json", "--k", "3"],
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert {"n", "hit_at_k", "mrr", "avg_node_chars", "p50_ms", "p95_ms", "embedder"} <= set(
        summary
    )
    assert summary["n"] == 3 and summary["embedder"].startswith("use")
    assert summary["hit_at_k"] >= 2 / 3
