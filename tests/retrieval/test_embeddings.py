"""Embedders: packaged models, the OpenAI-compatible adapter over loopback HTTP, and the cache."""

import hashlib
import json
import threading
from collections.abc import Iterator, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest

from copiloto.retrieval.embeddings import (
    CachedEmbedder,
    E5Embedder,
    EmbeddingCache,
    LlamaIndexEmbedding,
    OpenAIEmbedder,
    UseEmbedder,
    build_embedder,
)
from copiloto.settings import Settings

FAKE_DIM = 16


def fake_vector(text: str, dim: int = FAKE_DIM) -> list[float]:
    """Deterministic, text-dependent, not normalised (the adapter must normalise)."""
    seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "little")
    return (np.random.default_rng(seed).normal(size=dim) * 3.0).tolist()


class CountingEmbedder:
    """A real Embedder that records every text it is asked to embed."""

    name = "counting-test-model"
    dim = FAKE_DIM

    def __init__(self) -> None:
        self.calls: list[tuple[list[str], str]] = []

    def embed(self, texts: Sequence[str], *, kind: str = "passage") -> np.ndarray:
        self.calls.append((list(texts), kind))
        rows = [fake_vector(f"{kind}:{t}") for t in texts]
        out = np.asarray(rows, dtype=np.float32)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


# --- OpenAI-compatible server on loopback ------------------------------------------------------


class _EmbeddingsHandler(BaseHTTPRequestHandler):
    requests: ClassVar[list[dict]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append(
            {"path": self.path, "auth": self.headers.get("Authorization"), "body": body}
        )
        inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
        # Answer out of order: the adapter must sort by `index`.
        data = [
            {"object": "embedding", "index": i, "embedding": fake_vector(text)}
            for i, text in reversed(list(enumerate(inputs)))
        ]
        payload = json.dumps(
            {
                "object": "list",
                "data": data,
                "model": body["model"],
                "usage": {"prompt_tokens": 1, "total_tokens": 1},
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def embeddings_server() -> Iterator[tuple[str, list[dict]]]:
    handler = type("Handler", (_EmbeddingsHandler,), {"requests": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1", handler.requests
    server.shutdown()
    server.server_close()


def test_openai_adapter_batches_normalises_and_keeps_order(embeddings_server) -> None:
    base_url, requests = embeddings_server
    embedder = OpenAIEmbedder("test-embed", base_url=base_url, api_key="sk-test", batch_size=3)
    texts = [f"mensagem {i}" for i in range(7)]

    vectors = embedder.embed(texts)

    assert vectors.shape == (7, FAKE_DIM) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)
    expected = np.asarray([fake_vector(t) for t in texts])
    expected /= np.linalg.norm(expected, axis=1, keepdims=True)
    np.testing.assert_allclose(vectors, expected, rtol=1e-5, atol=1e-6)
    assert [len(r["body"]["input"]) for r in requests] == [3, 3, 1]
    assert all(r["path"] == "/v1/embeddings" for r in requests)
    assert requests[0]["auth"] == "Bearer sk-test"
    assert requests[0]["body"]["model"] == "test-embed"
    assert embedder.dim == FAKE_DIM and len(requests) == 3  # dim learnt, no probe needed


def test_openai_adapter_probes_dimension_once(embeddings_server) -> None:
    base_url, requests = embeddings_server
    embedder = OpenAIEmbedder("test-embed", base_url=base_url)
    assert embedder.dim == FAKE_DIM
    assert embedder.dim == FAKE_DIM
    assert len(requests) == 1


def test_build_embedder_openai_from_settings(tmp_path: Path, embeddings_server) -> None:
    base_url, requests = embeddings_server
    settings = Settings(
        data_dir=tmp_path,
        embedder="openai",
        embedding_model="remote-model",
        embedding_base_url=base_url,
        embedding_api_key="sk-abc",
        _env_file=None,
    )  # type: ignore[call-arg]
    embedder = build_embedder(settings)
    assert isinstance(embedder, CachedEmbedder)
    first = embedder.embed(["olá", "tudo bem?"], kind="query")
    second = embedder.embed(["tudo bem?", "olá"], kind="query")
    np.testing.assert_allclose(first[::-1], second)
    assert len(requests) == 1  # the second call came from the cache
    assert (tmp_path / "embeddings.db").exists()
    assert requests[0]["auth"] == "Bearer sk-abc"


# --- cache ---------------------------------------------------------------------------------------


def test_cache_skips_known_texts_and_survives_reopen(tmp_path: Path) -> None:
    inner = CountingEmbedder()
    db = tmp_path / "cache" / "embeddings.db"
    embedder = CachedEmbedder(inner, EmbeddingCache(db))

    first = embedder.embed(["a", "b", "a"])
    assert inner.calls == [(["a", "b"], "passage")]  # duplicates embedded once
    np.testing.assert_array_equal(first[0], first[2])

    second = embedder.embed(["b", "c", "a"])
    assert inner.calls[-1] == (["c"], "passage")
    np.testing.assert_array_equal(second[0], first[1])
    np.testing.assert_array_equal(second[2], first[0])

    embedder.cache.close()
    reopened = CachedEmbedder(inner, EmbeddingCache(db))
    calls_before = len(inner.calls)
    third = reopened.embed(["a", "b", "c"])
    assert len(inner.calls) == calls_before
    np.testing.assert_array_equal(third[2], second[1])


def test_cache_keys_by_model_and_kind(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path / "e.db")
    inner = CountingEmbedder()
    embedder = CachedEmbedder(inner, cache)
    passage = embedder.embed(["preço do tênis"], kind="passage")
    query = embedder.embed(["preço do tênis"], kind="query")
    assert [kind for _, kind in inner.calls] == ["passage", "query"]
    assert not np.allclose(passage, query)

    other = CountingEmbedder()
    other.name = "another-model"
    CachedEmbedder(other, cache).embed(["preço do tênis"])
    assert len(other.calls) == 1
    assert cache.count("counting-test-model") == 2 and cache.count() == 3


def test_empty_input_does_not_call_model(tmp_path: Path) -> None:
    inner = CountingEmbedder()
    out = CachedEmbedder(inner, EmbeddingCache(tmp_path / "e.db")).embed([])
    assert out.shape == (0, FAKE_DIM) and inner.calls == []


def test_llamaindex_bridge_maps_query_and_passage(tmp_path: Path) -> None:
    inner = CountingEmbedder()
    bridge = LlamaIndexEmbedding(inner, embed_batch_size=2)
    q = bridge.get_query_embedding("quanto custa?")
    docs = bridge.get_text_embedding_batch(["um", "dois", "três"])
    assert len(q) == FAKE_DIM and len(docs) == 3
    assert inner.calls[0] == (["quanto custa?"], "query")
    assert [c for c, _ in inner.calls[1:]] == [["um", "dois"], ["três"]]
    assert bridge.model_name == "counting-test-model"


async def test_llamaindex_bridge_async_batches() -> None:
    inner = CountingEmbedder()
    bridge = LlamaIndexEmbedding(inner, embed_batch_size=10)
    docs = await bridge.aget_text_embedding_batch(["um", "dois", "três"])
    q = await bridge.aget_query_embedding("quanto custa?")
    assert len(docs) == 3 and len(q) == FAKE_DIM
    assert inner.calls == [(["um", "dois", "três"], "passage"), (["quanto custa?"], "query")]


# --- packaged models -------------------------------------------------------------------------------

PT_PAIRS = [
    (
        "Quanto custa o frete para Belo Horizonte?",
        "O envio para BH sai por R$ 25 e chega em 3 dias.",
    ),
    ("Vocês aceitam pagamento no Pix?", "Sim, aceitamos Pix, cartão e boleto."),
    ("Tem esse vestido no tamanho M?", "O vestido floral temos nos tamanhos P, M e G."),
]


@pytest.mark.parametrize("factory", [UseEmbedder, E5Embedder], ids=["use", "e5"])
def test_packaged_models_rank_the_matching_answer_first(factory) -> None:
    embedder = factory()
    questions = embedder.embed([q for q, _ in PT_PAIRS], kind="query")
    answers = embedder.embed([a for _, a in PT_PAIRS], kind="passage")
    assert questions.shape == (3, embedder.dim) and questions.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(answers, axis=1), 1.0, rtol=1e-4)
    scores = questions @ answers.T
    assert list(scores.argmax(axis=1)) == [0, 1, 2]


def test_build_embedder_default_is_packaged_use(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, _env_file=None)  # type: ignore[call-arg]
    embedder = build_embedder(settings)
    assert embedder.name == "use-multilingual-v3" and embedder.dim == 512
    e5 = build_embedder(Settings(data_dir=tmp_path, embedder="e5", _env_file=None), cache=False)  # type: ignore[call-arg]
    assert isinstance(e5, E5Embedder) and e5.dim == 384


def test_e5_query_and_passage_differ() -> None:
    embedder = E5Embedder()
    q = embedder.embed(["preço do tênis"], kind="query")
    p = embedder.embed(["preço do tênis"], kind="passage")
    assert not np.allclose(q, p)
