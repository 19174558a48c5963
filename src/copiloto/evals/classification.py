"""Evals of the message classifiers: `copiloto eval sentiment` and `copiloto eval intent`.

The data file is only ever read here, through `--data`: the classifier is trained at build time
on the project's own examples and never sees evaluation files. Accepted CSV layouts:

- `text,label`;
- a column named after the task (the sales dev set's `text,intent,sentiment`);
- the Tweets_Mg layout (`Text`, `Classificacao`), labels `Positivo/Neutro/Negativo`.

Rows are deduplicated by text (retweets repeat the same text many times); texts that appear
with conflicting labels are dropped, since no single answer can be right for them.
"""

from __future__ import annotations

import csv
import json
import time
import unicodedata
from pathlib import Path
from typing import Annotated

import typer

TEXT_COLUMNS = ("text", "texto", "review_text", "content")
LABEL_COLUMNS = {
    "sentiment": ("label", "sentiment", "sentimento", "classificacao", "polarity"),
    "intent": ("label", "intent", "intencao"),
}


def _fold(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value.strip().lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _pick(columns: list[str], wanted: tuple[str, ...], path: Path) -> str:
    folded = {_fold(c): c for c in columns}
    for name in wanted:
        if name in folded:
            return folded[name]
    raise typer.BadParameter(f"{path}: none of the columns {wanted} found in {columns}")


def load_labelled(path: Path, *, task: str, limit: int | None = None) -> list[tuple[str, str]]:
    """(text, label) pairs, deduplicated, labels lowercased and accent-folded."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        columns = list(reader.fieldnames or [])
        text_col = _pick(columns, TEXT_COLUMNS, path)
        # Prefer the column named after the task over a generic `label`.
        wanted = LABEL_COLUMNS[task]
        label_col = _pick(columns, (*wanted[1:], wanted[0]), path)
        labels_by_text: dict[str, set[str]] = {}
        for row in reader:
            text = (row.get(text_col) or "").strip()
            label = _fold(row.get(label_col) or "")
            if text and label:
                labels_by_text.setdefault(text, set()).add(label)
    pairs = [
        (text, next(iter(labels))) for text, labels in labels_by_text.items() if len(labels) == 1
    ]
    return pairs[:limit] if limit else pairs


def score(gold: list[str], predicted: list[str], labels: list[str]) -> dict[str, object]:
    from sklearn.metrics import (
        accuracy_score,
        confusion_matrix,
        f1_score,
        precision_recall_fscore_support,
    )

    present = [label for label in labels if label in set(gold) | set(predicted)]
    precision, recall, f1, support = precision_recall_fscore_support(
        gold, predicted, labels=present, zero_division=0
    )
    matrix = confusion_matrix(gold, predicted, labels=present)
    gold_labels = [label for label in present if label in set(gold)]
    return {
        "n": len(gold),
        "macro_f1": round(
            float(f1_score(gold, predicted, labels=gold_labels, average="macro", zero_division=0)),
            4,
        ),
        "accuracy": round(float(accuracy_score(gold, predicted)), 4),
        "per_class": {
            label: {
                "precision": round(float(p), 4),
                "recall": round(float(r), 4),
                "f1": round(float(f), 4),
                "support": int(s),
            }
            for label, p, r, f, s in zip(present, precision, recall, f1, support, strict=True)
        },
        # confusion[gold][predicted] = count
        "confusion": {
            g: {p: int(matrix[i, j]) for j, p in enumerate(present)} for i, g in enumerate(present)
        },
    }


def run_eval(
    path: Path, *, task: str, limit: int | None = None, classifier: object | None = None
) -> dict[str, object]:
    from copiloto.analysis.classify import MessageClassifier, build_classifier
    from copiloto.settings import Settings

    pairs = load_labelled(path, task=task, limit=limit)
    if not pairs:
        raise typer.BadParameter(f"{path}: no labelled rows")
    model: MessageClassifier = classifier or build_classifier(Settings())  # type: ignore[assignment]
    texts = [t for t, _ in pairs]
    model.warm_up()  # load the embedder outside the timed run
    started, started_cpu = time.perf_counter(), time.process_time()
    predictions = model.predict(texts, task=task)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    gold = [label for _, label in pairs]
    known = model.weights.classes[task]
    unknown = sorted(set(gold) - set(known))
    result = score(gold, [p.label for p in predictions], known + unknown)
    result["task"] = task
    result["data"] = str(path)
    result["unknown_gold_labels"] = unknown
    result["messages_per_s"] = round(len(texts) / elapsed, 1) if elapsed > 0 else None
    # CPU seconds of this process (all threads): a figure that other jobs on the machine do not
    # inflate, unlike the wall-clock rate.
    result["messages_per_cpu_s"] = round(len(texts) / cpu, 1) if cpu > 0 else None
    result["escalated_to_embeddings"] = model.last_escalated
    result["mean_confidence"] = round(sum(p.confidence for p in predictions) / len(predictions), 4)
    return result


def _print(result: dict[str, object], *, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{result['task']} — {result['data']}")
    for column in ("label", "precision", "recall", "f1", "support"):
        table.add_column(column)
    for label, m in result["per_class"].items():  # type: ignore[union-attr]
        table.add_row(
            label,
            f"{m['precision']:.3f}",
            f"{m['recall']:.3f}",
            f"{m['f1']:.3f}",
            str(m["support"]),
        )
    console = Console()
    console.print(table)
    console.print(
        f"n={result['n']}  macro-F1={result['macro_f1']:.3f}  accuracy={result['accuracy']:.3f}  "
        f"{result['messages_per_s']} messages/s"
    )


DataOption = Annotated[
    Path, typer.Option("--data", exists=True, dir_okay=False, help="Labelled CSV.")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]
LimitOption = Annotated[int | None, typer.Option("--limit", min=1, help="Only the first N rows.")]


def sentiment_command(
    data: DataOption, as_json: JsonOption = False, limit: LimitOption = None
) -> None:
    """Sentiment (positivo/neutro/negativo) macro-F1 on a labelled CSV the classifier never saw."""
    _print(run_eval(data, task="sentiment", limit=limit), as_json=as_json)


def intent_command(
    data: DataOption, as_json: JsonOption = False, limit: LimitOption = None
) -> None:
    """Intent (pergunta/duvida/interesse/objecao/encerramento/outro) macro-F1 on a labelled CSV."""
    _print(run_eval(data, task="intent", limit=limit), as_json=as_json)
