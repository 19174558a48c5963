"""pt-BR sentiment and intent classification of client messages.

No Portuguese classifier ships in any installable package, so the project owns one: a logistic
regression over dense sentence embeddings (USE multilingual), hashed TF-IDF n-grams of the
normalized text and chat cue features, trained on the labelled examples in
`analysis/data/train_messages.csv` (see `copiloto.analysis.training`). The trained weights ship as
a small `.npz` file (no pickle), so loading needs no training and no download.

Labels follow `shared/data/eval/sales/LABELS.md`: sentiment positivo/neutro/negativo, intent
pergunta/duvida/interesse/objecao/encerramento/outro. Every prediction carries a confidence (the
model's probability for the chosen label); callers can send low-confidence messages to a
`Refiner` (an LLM) when one is configured.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np
from scipy import sparse

from copiloto.analysis.features import (
    CUE_NAMES,
    HASH_BITS,
    TextEncoder,
    UseEncoder,
    cue_features,
    hashed_counts,
    prepare,
    tfidf_block,
)

if TYPE_CHECKING:
    from copiloto.settings import Settings

log = logging.getLogger(__name__)

TASKS: tuple[str, str] = ("sentiment", "intent")
FAST_SUFFIX = "_fast"  # the same tasks trained without the dense embedding block
DENSE_DIM = 512
SHIPPED_WEIGHTS = Path(__file__).parent / "models" / "message_classifier.npz"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Prediction:
    label: str
    confidence: float


class Refiner(Protocol):
    """Second opinion for low-confidence predictions (e.g. an LLM). Returns None to keep the
    model's prediction."""

    def refine(self, text: str, *, task: str, prediction: Prediction) -> Prediction | None: ...


@dataclass(frozen=True)
class BlockWeights:
    """How much each feature family weighs before the linear model (tuned by cross-validation on
    the training examples only)."""

    dense: float = 1.0
    cues: float = 1.0
    words: float = 1.0
    chars: float = 1.0


@dataclass
class ModelWeights:
    """Everything needed to classify: hashed-column vocabularies, IDF, and per-task linear
    models. Stored as a compressed `.npz` of plain arrays."""

    word_active: np.ndarray
    word_idf: np.ndarray
    char_active: np.ndarray
    char_idf: np.ndarray
    blocks: BlockWeights
    classes: dict[str, list[str]] = field(default_factory=dict)
    coef: dict[str, np.ndarray] = field(default_factory=dict)
    intercept: dict[str, np.ndarray] = field(default_factory=dict)
    train_digest: str = ""

    @property
    def has_fast(self) -> bool:
        return all(f"{task}{FAST_SUFFIX}" in self.coef for task in TASKS)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        arrays: dict[str, np.ndarray] = {
            "format_version": np.array(FORMAT_VERSION),
            "hash_bits": np.array(HASH_BITS),
            "cue_names": np.array(CUE_NAMES),
            "word_active": self.word_active,
            "word_idf": self.word_idf,
            "char_active": self.char_active,
            "char_idf": self.char_idf,
            "blocks": np.array(
                [self.blocks.dense, self.blocks.cues, self.blocks.words, self.blocks.chars],
                dtype=np.float32,
            ),
            "train_digest": np.array(self.train_digest),
        }
        for task in self.classes:
            arrays[f"{task}_classes"] = np.array(self.classes[task])
            arrays[f"{task}_coef"] = self.coef[task].astype(np.float32)
            arrays[f"{task}_intercept"] = self.intercept[task].astype(np.float32)
        with path.open("wb") as fh:
            np.savez_compressed(fh, **arrays)

    @classmethod
    def load(cls, path: Path) -> ModelWeights:
        with np.load(path, allow_pickle=False) as data:
            if int(data["format_version"]) != FORMAT_VERSION or int(data["hash_bits"]) != HASH_BITS:
                raise ValueError(f"{path}: incompatible classifier weights; retrain them")
            if tuple(str(n) for n in data["cue_names"]) != CUE_NAMES:
                raise ValueError(f"{path}: cue features changed since training; retrain them")
            blocks = BlockWeights(*(float(v) for v in data["blocks"]))
            weights = cls(
                word_active=data["word_active"],
                word_idf=data["word_idf"],
                char_active=data["char_active"],
                char_idf=data["char_idf"],
                blocks=blocks,
                train_digest=str(data["train_digest"]),
            )
            for task in (*TASKS, *(f"{t}{FAST_SUFFIX}" for t in TASKS)):
                if f"{task}_classes" in data:
                    weights.classes[task] = [str(c) for c in data[f"{task}_classes"]]
                    weights.coef[task] = data[f"{task}_coef"]
                    weights.intercept[task] = data[f"{task}_intercept"]
        return weights


def sparse_features(
    texts: Sequence[str],
    *,
    word_active: np.ndarray,
    word_idf: np.ndarray,
    char_active: np.ndarray,
    char_idf: np.ndarray,
    blocks: BlockWeights,
) -> sparse.csr_matrix:
    """Cue, word and character features: everything except the dense embedding (cheap)."""
    normalized = prepare(texts)
    words, chars = hashed_counts(normalized)
    return sparse.hstack(
        [
            sparse.csr_matrix(cue_features(texts, normalized) * blocks.cues),
            tfidf_block(words, word_active, word_idf) * blocks.words,
            tfidf_block(chars, char_active, char_idf) * blocks.chars,
        ],
        format="csr",
    )


def with_dense(
    rest: sparse.csr_matrix,
    texts: Sequence[str],
    *,
    encoder: TextEncoder | None,
    blocks: BlockWeights,
) -> sparse.csr_matrix:
    """Prepend the dense embedding block (zeros without an encoder: the fast model's layout)."""
    if encoder is None:
        dense = sparse.csr_matrix((len(texts), DENSE_DIM), dtype=np.float32)
    else:
        dense = sparse.csr_matrix(encoder.encode([t.strip() or "." for t in texts]) * blocks.dense)
    return sparse.hstack([dense, rest], format="csr")


def featurize(
    texts: Sequence[str],
    *,
    encoder: TextEncoder | None,
    word_active: np.ndarray,
    word_idf: np.ndarray,
    char_active: np.ndarray,
    char_idf: np.ndarray,
    blocks: BlockWeights,
) -> sparse.csr_matrix:
    """The one feature pipeline, shared by training and inference so that they cannot drift."""
    rest = sparse_features(
        texts,
        word_active=word_active,
        word_idf=word_idf,
        char_active=char_active,
        char_idf=char_idf,
        blocks=blocks,
    )
    return with_dense(rest, texts, encoder=encoder, blocks=blocks)


def _softmax(scores: np.ndarray) -> np.ndarray:
    scores = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(scores)
    return exp / exp.sum(axis=1, keepdims=True)


class MessageClassifier:
    """Batch classifier of client messages: (sentiment, intent) with confidences.

    Classify many messages per call: the embedder is ~70x faster batched than one by one."""

    def __init__(
        self,
        weights: ModelWeights,
        *,
        encoder: TextEncoder | None = None,
        refiner: Refiner | None = None,
        refine_below: float = 0.5,
        escalate_below: float = 0.7,
    ) -> None:
        missing = [t for t in TASKS if t not in weights.classes]
        if missing:
            raise ValueError(f"classifier weights lack tasks: {missing}")
        self.weights = weights
        self._encoder = encoder or UseEncoder()
        self._refiner = refiner
        self._refine_below = refine_below
        self._escalate_below = escalate_below
        self.last_escalated = 0  # how many messages of the last batch needed the embedder

    @classmethod
    def from_file(cls, path: Path = SHIPPED_WEIGHTS, **kwargs: object) -> MessageClassifier:
        return cls(ModelWeights.load(path), **kwargs)  # type: ignore[arg-type]

    def warm_up(self) -> None:
        """Load the embedder and the n-gram machinery now rather than in the first (timed) batch."""
        self._encoder.encode(["oi"])
        self.probabilities(["oi, tudo bem? quanto custa?"])

    def probabilities(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """Per-task class probabilities, rows in `texts` order, columns in `weights.classes`.

        Cascade: the fast model (no embedding) scores every message; only messages where it is
        unsure (confidence below `escalate_below` on either task) are embedded and re-scored by
        the full model. The embedder costs ~30x more than everything else."""
        w = self.weights
        rest = sparse_features(
            texts,
            word_active=w.word_active,
            word_idf=w.word_idf,
            char_active=w.char_active,
            char_idf=w.char_idf,
            blocks=w.blocks,
        )
        n = len(texts)
        probs: dict[str, np.ndarray] = {}
        escalate = np.ones(n, dtype=bool)
        if w.has_fast and self._escalate_below <= 1.0:
            fast_x = with_dense(rest, texts, encoder=None, blocks=w.blocks)
            confidence = np.ones(n)
            for task in TASKS:
                key = f"{task}{FAST_SUFFIX}"
                probs[task] = _softmax(np.asarray(fast_x @ w.coef[key].T) + w.intercept[key])
                confidence = np.minimum(confidence, probs[task].max(axis=1))
            escalate = confidence < self._escalate_below
        rows = np.flatnonzero(escalate)
        self.last_escalated = len(rows)
        if len(rows):
            subset = [texts[i] for i in rows]
            full_x = with_dense(rest[rows], subset, encoder=self._encoder, blocks=w.blocks)
            for task in TASKS:
                full = _softmax(np.asarray(full_x @ w.coef[task].T) + w.intercept[task])
                if task in probs:
                    probs[task][rows] = full
                else:
                    probs[task] = full
        return probs

    def predict(self, texts: Sequence[str], *, task: str) -> list[Prediction]:
        """Predictions for one task (used by the evals)."""
        return [pair[TASKS.index(task)] for pair in self.classify(texts)]

    def classify(self, texts: Sequence[str]) -> list[tuple[Prediction, Prediction]]:
        """(sentiment, intent) for every text, in order."""
        if not texts:
            return []
        probs = self.probabilities(texts)
        per_task: dict[str, list[Prediction]] = {}
        for task in TASKS:
            classes = self.weights.classes[task]
            best = probs[task].argmax(axis=1)
            per_task[task] = [
                Prediction(classes[j], round(float(probs[task][i, j]), 4))
                for i, j in enumerate(best)
            ]
        if self._refiner is not None:
            self._refine(texts, per_task)
        return list(zip(per_task["sentiment"], per_task["intent"], strict=True))

    def _refine(self, texts: Sequence[str], per_task: dict[str, list[Prediction]]) -> None:
        assert self._refiner is not None
        for task, predictions in per_task.items():
            allowed = set(self.weights.classes[task])
            for i, prediction in enumerate(predictions):
                if prediction.confidence >= self._refine_below:
                    continue
                try:
                    better = self._refiner.refine(texts[i], task=task, prediction=prediction)
                except Exception:  # a refiner is optional: never lose the model's answer
                    log.warning("refiner failed on a %s prediction", task, exc_info=True)
                    continue
                if better is not None and better.label in allowed:
                    predictions[i] = better


def build_classifier(
    settings: Settings,
    *,
    encoder: TextEncoder | None = None,
    refiner: Refiner | None = None,
) -> MessageClassifier:
    """Factory for the composition root: the shipped weights unless `classifier_weights` points
    elsewhere. Pass the product's shared encoder to avoid loading the embedder twice, and an LLM
    refiner (when an LLM is configured) for predictions below `classifier_refine_below`."""
    path = settings.classifier_weights or SHIPPED_WEIGHTS
    return MessageClassifier(
        ModelWeights.load(Path(path)),
        encoder=encoder,
        refiner=refiner,
        refine_below=settings.classifier_refine_below,
        escalate_below=settings.classifier_escalate_below,
    )
