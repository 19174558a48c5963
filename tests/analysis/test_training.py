"""The training pipeline scores only on text it did not train on, and reproduces the shipped model."""

import csv
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import f1_score

from copiloto.analysis.classify import SHIPPED_WEIGHTS, MessageClassifier, ModelWeights
from copiloto.analysis.preprocess import normalize
from copiloto.analysis.training import (
    TRAIN_DATA,
    Example,
    cross_validate,
    fit_weights,
    load_examples,
    train,
)


class ZeroEncoder:
    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return np.zeros((len(texts), 512), dtype=np.float32)


def test_training_examples_are_well_formed() -> None:
    examples = load_examples()
    assert len(examples) >= 600
    assert {e.intent for e in examples} == {
        "pergunta", "duvida", "interesse", "objecao", "encerramento", "outro",
    }  # fmt: skip
    assert {e.sentiment for e in examples} == {"positivo", "neutro", "negativo"}
    assert len({e.text.lower() for e in examples}) == len(examples)


def test_no_evaluation_text_is_in_the_training_data(shared_data: Path) -> None:
    trained = {normalize(e.text) for e in load_examples()}
    dev = shared_data / "eval" / "sales" / "labelled_messages_dev.csv"
    with dev.open(encoding="utf-8") as fh:
        dev_texts = {normalize(r["text"]) for r in csv.DictReader(fh)}
    tweets = shared_data / "eval" / "sentiment" / "tweets_mg.csv"
    with tweets.open(encoding="utf-8") as fh:
        tweet_texts = {normalize(r["Text"]) for r in csv.DictReader(fh)}
    assert not trained & dev_texts
    assert not trained & tweet_texts


def test_cross_validation_scores_held_out_folds_only() -> None:
    """Resubstitution (scoring on the training set) is near perfect; k-fold must be clearly
    lower, yet far above chance (1/6 for intent). A pipeline that leaked training rows into its
    test folds would score like resubstitution."""
    examples = load_examples()[::2]  # every other row: all labels, half the time
    encoder = ZeroEncoder()
    model = MessageClassifier(fit_weights(examples, encoder=encoder), encoder=encoder)
    predicted = [i.label for _, i in model.classify([e.text for e in examples])]
    resubstitution = f1_score([e.intent for e in examples], predicted, average="macro")
    held_out = cross_validate(examples, encoder=encoder, folds=3)
    assert resubstitution > 0.97
    assert 0.6 < held_out["intent"] < resubstitution - 0.03
    assert 0.5 < held_out["sentiment"] < 0.97


def test_cross_validation_refuses_overlapping_folds() -> None:
    duplicated = [Example("mesma mensagem", "outro", "neutro")] * 10 + load_examples()[:60]
    with pytest.raises(AssertionError, match="shares texts"):
        cross_validate(duplicated, encoder=ZeroEncoder(), folds=2)


@pytest.mark.slow  # encodes ~700 texts with the USE embedder
def test_retraining_reproduces_the_shipped_model(tmp_path: Path) -> None:
    retrained = train(data=TRAIN_DATA, output=tmp_path / "w.npz")
    shipped = ModelWeights.load(SHIPPED_WEIGHTS)
    assert retrained.train_digest == shipped.train_digest
    np.testing.assert_array_equal(retrained.word_active, shipped.word_active)
    np.testing.assert_array_equal(retrained.char_active, shipped.char_active)
    texts = [
        "quanto fica o frete pra Recife?",
        "vou pensar, achei caro",
        "fechado, manda o boleto",
        "não sei se o tamanho P serve",
        "quero agendar pra amanhã",
        "kkkkk bom dia",
    ]
    a = MessageClassifier(ModelWeights.load(tmp_path / "w.npz")).probabilities(texts)
    b = MessageClassifier(shipped).probabilities(texts)
    for task in a:
        np.testing.assert_allclose(a[task], b[task], atol=1e-3)
