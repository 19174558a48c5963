"""Build-time training of the message classifier from the project's own labelled examples.

`train_command` (registered by the lead as `copiloto analysis train`) rebuilds
`analysis/models/message_classifier.npz` from `analysis/data/train_messages.csv`. Training is
deterministic (L-BFGS on fixed data), so retraining reproduces the shipped predictions; a test
checks it. Evaluation data (the sales dev set, tweets, reviews) is never read here.
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import numpy as np
import typer

from copiloto.analysis.classify import (
    DENSE_DIM,
    FAST_SUFFIX,
    SHIPPED_WEIGHTS,
    TASKS,
    BlockWeights,
    ModelWeights,
    featurize,
)
from copiloto.analysis.features import TextEncoder, UseEncoder, fit_idf, hashed_counts, prepare

log = logging.getLogger(__name__)

TRAIN_DATA = Path(__file__).parent / "data" / "train_messages.csv"
DEFAULT_C = {"sentiment": 4.0, "intent": 8.0}
DEFAULT_BLOCKS = BlockWeights()


@dataclass(frozen=True)
class Example:
    text: str
    intent: str
    sentiment: str

    def label(self, task: str) -> str:
        return self.intent if task == "intent" else self.sentiment


def load_examples(path: Path = TRAIN_DATA) -> list[Example]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [Example(r["text"], r["intent"], r["sentiment"]) for r in csv.DictReader(fh)]


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class CachedEncoder:
    """Memoizes embeddings by text: cross-validation re-encodes the same texts many times."""

    def __init__(self, inner: TextEncoder) -> None:
        self._inner = inner
        self._cache: dict[str, np.ndarray] = {}

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            for text, row in zip(missing, self._inner.encode(missing), strict=True):
                self._cache[text] = row
        return np.vstack([self._cache[t] for t in texts]) if texts else np.zeros((0, 512))


def fit_weights(
    examples: Sequence[Example],
    *,
    encoder: TextEncoder,
    blocks: BlockWeights = DEFAULT_BLOCKS,
    c_by_task: dict[str, float] | None = None,
    tasks: Sequence[str] = TASKS,
) -> ModelWeights:
    """Fit the hashed-vocabulary IDF and one multinomial logistic regression per task."""
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    c_by_task = {**DEFAULT_C, **(c_by_task or {})}
    texts = [e.text for e in examples]
    words, chars = hashed_counts(prepare(texts))
    word_active, word_idf = fit_idf(words)
    char_active, char_idf = fit_idf(chars)
    weights = ModelWeights(
        word_active=word_active,
        word_idf=word_idf,
        char_active=char_active,
        char_idf=char_idf,
        blocks=blocks,
    )
    features = featurize(
        texts,
        encoder=encoder,
        word_active=word_active,
        word_idf=word_idf,
        char_active=char_active,
        char_idf=char_idf,
        blocks=blocks,
    )
    # The fast model sees the same features with the dense block zeroed out.
    fast_features = features.tolil(copy=True)
    fast_features[:, :DENSE_DIM] = 0
    fast_features = fast_features.tocsr()
    fast_features.eliminate_zeros()
    for task in tasks:
        labels = [e.label(task) for e in examples]
        for key, x in ((task, features), (f"{task}{FAST_SUFFIX}", fast_features)):
            model = LogisticRegression(C=c_by_task[task], max_iter=5000, class_weight="balanced")
            # One BLAS thread: L-BFGS on this small problem is ~10x slower with threads
            # fighting over 2 busy cores, and single-threaded sums keep retraining reproducible.
            with threadpool_limits(limits=1):
                model.fit(x, labels)
            weights.classes[key] = [str(c) for c in model.classes_]
            weights.coef[key] = model.coef_.astype(np.float32)
            weights.intercept[key] = model.intercept_.astype(np.float32)
    return weights


def cross_validate(
    examples: Sequence[Example],
    *,
    encoder: TextEncoder,
    folds: int = 5,
    blocks: BlockWeights = DEFAULT_BLOCKS,
    c_by_task: dict[str, float] | None = None,
    seed: int = 0,
) -> dict[str, float]:
    """Macro-F1 per task on held-out folds: each fold is scored by a model that never saw it."""
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold

    from copiloto.analysis.classify import MessageClassifier

    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    strata = [f"{e.intent}/{e.sentiment}" for e in examples]
    # Rare intent/sentiment pairs cannot be stratified over every fold; fall back to intent.
    counts = {s: strata.count(s) for s in strata}
    strata = [s if counts[s] >= folds else s.split("/")[0] for s in strata]
    gold: dict[str, list[str]] = {t: [] for t in TASKS}
    pred: dict[str, list[str]] = {t: [] for t in TASKS}
    for train_idx, test_idx in splitter.split(np.zeros(len(examples)), strata):
        train = [examples[i] for i in train_idx]
        test = [examples[i] for i in test_idx]
        overlap = {e.text for e in train} & {e.text for e in test}
        assert not overlap, "a held-out fold shares texts with its training folds"
        model = MessageClassifier(
            fit_weights(train, encoder=encoder, blocks=blocks, c_by_task=c_by_task),
            encoder=encoder,
        )
        for (sentiment, intent), example in zip(
            model.classify([e.text for e in test]), test, strict=True
        ):
            gold["sentiment"].append(example.sentiment)
            pred["sentiment"].append(sentiment.label)
            gold["intent"].append(example.intent)
            pred["intent"].append(intent.label)
    return {t: float(f1_score(gold[t], pred[t], average="macro")) for t in TASKS}


def train(
    *, data: Path = TRAIN_DATA, output: Path = SHIPPED_WEIGHTS, encoder: TextEncoder | None = None
) -> ModelWeights:
    examples = load_examples(data)
    weights = fit_weights(examples, encoder=encoder or UseEncoder())
    weights.train_digest = file_digest(data)
    weights.save(output)
    log.info("trained on %d examples from %s -> %s", len(examples), data, output)
    return weights


def train_command(
    data: Annotated[
        Path, typer.Option(help="Labelled CSV with columns text,intent,sentiment.")
    ] = TRAIN_DATA,
    output: Annotated[
        Path, typer.Option(help="Where to write the .npz weights.")
    ] = SHIPPED_WEIGHTS,
    cv: Annotated[
        int, typer.Option(help="Also report k-fold macro-F1 on the training data (0: skip).")
    ] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Train the sentiment and intent classifier from the project's labelled examples."""
    encoder = CachedEncoder(UseEncoder())
    weights = train(data=data, output=output, encoder=encoder)
    report: dict[str, object] = {
        "examples": len(load_examples(data)),
        "output": str(output),
        "bytes": output.stat().st_size,
        "train_sha256": weights.train_digest,
    }
    if cv:
        report["cv_macro_f1"] = cross_validate(load_examples(data), encoder=encoder, folds=cv)
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False))
    else:
        from rich.console import Console

        Console().print(report)
