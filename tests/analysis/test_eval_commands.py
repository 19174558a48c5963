"""`copiloto eval sentiment|intent`: data loading, JSON shape, CLI wiring."""

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from copiloto.analysis.classify import SHIPPED_WEIGHTS, MessageClassifier, ModelWeights
from copiloto.evals.classification import (
    intent_command,
    load_labelled,
    run_eval,
    sentiment_command,
)

ROWS = [
    ("Quanto custa a entrega pra Contagem?", "pergunta", "neutro"),
    ("achei caríssimo, no concorrente é a metade", "objecao", "negativo"),
    ("Fechado! pode mandar o pix 😍", "encerramento", "positivo"),
    ("quero agendar a instalação pra segunda", "interesse", "positivo"),
    ("boa tarde", "outro", "neutro"),
]


def _write(path: Path, header: str, rows: list[str]) -> Path:
    path.write_text(header + "\r\n" + "\r\n".join(rows) + "\r\n", encoding="utf-8")
    return path


@pytest.fixture
def sales_csv(tmp_path: Path) -> Path:
    return _write(
        tmp_path / "sales.csv", "text,intent,sentiment", [f'"{t}",{i},{s}' for t, i, s in ROWS]
    )


class ZeroEncoder:
    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return np.zeros((len(texts), 512), dtype=np.float32)


def test_load_picks_the_task_column_and_dedups(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "t.csv",
        "text,intent,sentiment",
        ["oi,outro,neutro", "oi,outro,neutro", "caro,objecao,negativo", "caro,pergunta,negativo"],
    )
    assert load_labelled(path, task="sentiment") == [("oi", "neutro"), ("caro", "negativo")]
    # "caro" has two different intents: no single answer can be right, so it is dropped
    assert load_labelled(path, task="intent") == [("oi", "outro")]
    assert load_labelled(path, task="sentiment", limit=1) == [("oi", "neutro")]


def test_load_accepts_text_label_and_tweets_layouts(tmp_path: Path) -> None:
    plain = _write(tmp_path / "p.csv", "text,label", ["adorei,Positivo", "odiei,NEGATIVO"])
    assert load_labelled(plain, task="sentiment") == [("adorei", "positivo"), ("odiei", "negativo")]
    tweets = _write(
        tmp_path / "tw.csv",
        ",Created At,Text,Classificacao,Observação",
        [
            "0,x,Governo entrega obra,Positivo,",
            "1,y,Governo entrega obra,Positivo,",
            "2,z,Atraso,Negativo,",
        ],
    )
    assert load_labelled(tweets, task="sentiment") == [
        ("Governo entrega obra", "positivo"),
        ("Atraso", "negativo"),
    ]


def test_run_eval_json_shape(sales_csv: Path) -> None:
    model = MessageClassifier(ModelWeights.load(SHIPPED_WEIGHTS), encoder=ZeroEncoder())
    result = run_eval(sales_csv, task="intent", classifier=model)
    json.dumps(result)  # serializable
    assert result["n"] == 5
    assert {"n", "macro_f1", "accuracy", "per_class", "confusion", "messages_per_s"} <= set(result)
    per_class = result["per_class"]
    assert sum(m["support"] for m in per_class.values()) == 5
    assert set(per_class["pergunta"]) == {"precision", "recall", "f1", "support"}
    confusion = result["confusion"]
    assert sum(sum(row.values()) for row in confusion.values()) == 5
    correct = sum(confusion[label].get(label, 0) for label in confusion)
    assert result["accuracy"] == pytest.approx(correct / 5)


@pytest.mark.slow  # the command builds the real classifier (USE embedder)
def test_cli_commands_print_one_json_object(sales_csv: Path) -> None:
    app = typer.Typer()
    app.command("sentiment")(sentiment_command)
    app.command("intent")(intent_command)
    runner = CliRunner()
    for task in ("sentiment", "intent"):
        out = runner.invoke(app, [task, "--data", str(sales_csv), "--json"])
        assert out.exit_code == 0, out.output
        result = json.loads(out.stdout)
        assert result["task"] == task and result["n"] == 5
        assert result["macro_f1"] >= 0.6  # five easy messages
        assert result["messages_per_s"] > 0
    table = runner.invoke(app, ["intent", "--data", str(sales_csv), "--limit", "2"])
    assert table.exit_code == 0 and "macro-F1" in table.stdout
    missing = runner.invoke(app, ["intent", "--data", str(sales_csv.with_name("nope.csv"))])
    assert missing.exit_code != 0
