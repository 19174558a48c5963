"""BM25 sparse vectors for hybrid search, computed the same way for both Qdrant stores.

Dense embeddings miss exact words: product names, prices ("R$ 89,90"), codes ("SKU-1234"). A sparse
term vector catches them. Qdrant Edge ships the BM25 tokenizer (Portuguese Snowball stemmer,
stopwords, accent folding) in its engine; the Qdrant server computes BM25 only through its inference
service, and qdrant-client's local mode not at all. So both stores get their sparse vectors from this
one module, and the collection's sparse vector uses Qdrant's IDF modifier: documents hold term
frequencies (BM25's TF part) and the engine applies IDF at query time over the live collection.
Identical points in both stores, and the fusion (RRF) runs inside the engine in both.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import cache
from typing import Any

# Chat messages are short; BM25's length normalisation needs a realistic average length in tokens
# (the library default of 256 fits web pages, not WhatsApp messages or message windows).
AVERAGE_TOKENS = 24.0

BatchSparse = tuple[list[list[int]], list[list[float]]]

_lock = threading.Lock()


@cache
def _model() -> Any:
    from qdrant_edge import Bm25, Bm25Config

    return Bm25(Bm25Config(language="portuguese", ascii_folding=True, avg_len=AVERAGE_TOKENS))


def sparse_documents(texts: Sequence[str]) -> BatchSparse:
    """BM25 document vectors as LlamaIndex's `SparseEncoderCallable` shape: (indices, values)."""
    indices: list[list[int]] = []
    values: list[list[float]] = []
    with _lock:
        model = _model()
        for text in texts:
            vec = model.embed_document(text)
            indices.append(list(vec.indices))
            values.append(list(vec.values))
    return indices, values


def sparse_queries(texts: Sequence[str]) -> BatchSparse:
    """BM25 query vectors (each distinct term weighs 1; IDF comes from the engine)."""
    indices: list[list[int]] = []
    values: list[list[float]] = []
    with _lock:
        model = _model()
        for text in texts:
            vec = model.embed_query(text)
            indices.append(list(vec.indices))
            values.append(list(vec.values))
    return indices, values
