"""The shipped classifier on sentences it never saw (not in the training file, not in the dev set)."""

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from copiloto.analysis.classify import (
    SHIPPED_WEIGHTS,
    MessageClassifier,
    ModelWeights,
    Prediction,
    build_classifier,
)
from copiloto.analysis.training import TRAIN_DATA, file_digest, load_examples
from copiloto.settings import Settings

UNSEEN = [
    # (text, intent, sentiment) written for this test only
    ("Quanto custa a revisão de 10 mil km do HB20?", "pergunta", "neutro"),
    ("não sei se o plano de 200 mega aguenta dois gamers em casa", "duvida", "neutro"),
    ("Amei a proposta!! quero agendar a visita no salão pro sábado 😍", "interesse", "positivo"),
    ("Tá muito caro, na outra loja é bem mais barato", "objecao", "negativo"),
    ("Fechado! já fiz o pix, obrigada 😊", "encerramento", "positivo"),
    ("tô no ônibus, te respondo quando chegar em casa", "outro", "neutro"),
    ("já é a terceira vez que reclamo e ninguém resolve, que absurdo", "pergunta", "negativo"),
]


@pytest.fixture(scope="module")
def classifier() -> MessageClassifier:
    return build_classifier(Settings())


class ZeroEncoder:
    """A real TextEncoder that carries no information: the sparse features must still work."""

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return np.zeros((len(texts), 512), dtype=np.float32)


def test_training_file_never_contains_the_unseen_sentences() -> None:
    trained = {e.text.lower() for e in load_examples()}
    assert not {t.lower() for t, _, _ in UNSEEN} & trained


@pytest.mark.slow  # loads the USE embedder (~6 s on a busy 2-core machine)
def test_unseen_sentences(classifier: MessageClassifier) -> None:
    results = classifier.classify([t for t, _, _ in UNSEEN])
    intents = [i.label for _, i in results]
    sentiments = [s.label for s, _ in results]
    # A small model: one miss per task is tolerated, more means the model or features broke.
    assert sum(p == g for p, (_, g, _) in zip(intents, UNSEEN, strict=True)) >= 6, results
    assert sum(p == g for p, (_, _, g) in zip(sentiments, UNSEEN, strict=True)) >= 6, results
    # The unambiguous ones must all be right.
    assert intents[2:5] == ["interesse", "objecao", "encerramento"]
    assert sentiments[2:5] == ["positivo", "negativo", "positivo"]


@pytest.mark.slow
def test_predictions_carry_confidences_in_order(classifier: MessageClassifier) -> None:
    texts = ["vou pensar e te falo", "kkkkkkk", "qual o prazo de entrega?"]
    results = classifier.classify(texts)
    assert len(results) == 3
    for sentiment, intent in results:
        assert sentiment.label in {"positivo", "neutro", "negativo"}
        assert 0.0 < sentiment.confidence <= 1.0 and 0.0 < intent.confidence <= 1.0
    # one message alone gets the same answer as inside a batch
    assert classifier.classify([texts[2]])[0] == results[2]
    assert classifier.classify([]) == []
    probs = classifier.probabilities(texts)
    np.testing.assert_allclose(probs["intent"].sum(axis=1), 1.0, rtol=1e-5)


class RecordingRefiner:
    """A refiner that answers 'outro' for everything and records what it was asked."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, str]] = []

    def refine(self, text: str, *, task: str, prediction: Prediction) -> Prediction | None:
        self.asked.append((text, task))
        return Prediction("outro", 0.99) if task == "intent" else Prediction("inexistente", 1.0)


def test_refiner_only_sees_low_confidence_and_only_valid_labels_win() -> None:
    refiner = RecordingRefiner()
    weights = ModelWeights.load(SHIPPED_WEIGHTS)
    everything = MessageClassifier(
        weights, encoder=ZeroEncoder(), refiner=refiner, refine_below=1.01
    )
    texts = ["qual o valor da diária?"]
    sentiment, intent = everything.classify(texts)[0]
    assert intent == Prediction("outro", 0.99)
    assert sentiment.label == "neutro"  # an unknown label from the refiner is ignored
    assert sorted(task for _, task in refiner.asked) == ["intent", "sentiment"]

    nothing = RecordingRefiner()
    MessageClassifier(weights, encoder=ZeroEncoder(), refiner=nothing, refine_below=0.0).classify(
        texts
    )
    assert nothing.asked == []


def test_sparse_features_alone_still_classify_obvious_messages() -> None:
    model = MessageClassifier(ModelWeights.load(SHIPPED_WEIGHTS), encoder=ZeroEncoder())
    ((_, intent),) = model.classify(["fechado, pode mandar o pix"])
    assert intent.label == "encerramento"


def test_shipped_weights_match_the_shipped_training_file() -> None:
    """Editing the examples without retraining would ship a model that no file describes."""
    assert ModelWeights.load(SHIPPED_WEIGHTS).train_digest == file_digest(TRAIN_DATA)
    assert SHIPPED_WEIGHTS.stat().st_size < 3_000_000


def test_settings_can_point_to_other_weights(tmp_path: Path) -> None:
    copy = tmp_path / "w.npz"
    copy.write_bytes(SHIPPED_WEIGHTS.read_bytes())
    model = build_classifier(Settings(classifier_weights=copy, data_dir=tmp_path))
    assert model.weights.classes["intent"] == sorted(
        ["pergunta", "duvida", "interesse", "objecao", "encerramento", "outro"]
    )
    broken = tmp_path / "broken.npz"
    np.savez(broken, format_version=np.array(99), hash_bits=np.array(18))
    with pytest.raises(ValueError, match="incompatible"):
        build_classifier(Settings(classifier_weights=broken, data_dir=tmp_path))


class CountingEncoder(ZeroEncoder):
    def __init__(self) -> None:
        self.seen: list[str] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.seen.extend(texts)
        return super().encode(texts)


def test_cascade_embeds_only_unsure_messages() -> None:
    weights = ModelWeights.load(SHIPPED_WEIGHTS)
    assert weights.has_fast
    texts = [
        "fechado, pode mandar o pix",
        "hmm sei la talvez quem sabe",
        "qual o prazo de entrega?",
    ]

    never = CountingEncoder()
    MessageClassifier(weights, encoder=never, escalate_below=0.0).classify(texts)
    assert never.seen == []

    always = CountingEncoder()
    model = MessageClassifier(weights, encoder=always, escalate_below=1.01)
    model.classify(texts)
    assert always.seen == texts and model.last_escalated == 3

    some = CountingEncoder()
    model = MessageClassifier(weights, encoder=some, escalate_below=0.7)
    fast = MessageClassifier(weights, encoder=some, escalate_below=0.0).probabilities(texts)
    unsure = [
        t
        for i, t in enumerate(texts)
        if min(fast["sentiment"][i].max(), fast["intent"][i].max()) < 0.7
    ]
    model.classify(texts)
    assert some.seen == unsure and model.last_escalated == len(unsure)
