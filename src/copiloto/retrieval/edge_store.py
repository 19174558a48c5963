"""LlamaIndex vector store over Qdrant Edge: Qdrant's own engine, in-process, in a folder.

Why not qdrant-client's local mode: it is a pure-Python stand-in (seconds per filtered search at
100k points); Edge is the real engine (HNSW, payload indexes, BM25 with IDF, RRF fusion) with no
server to run. The schema, payload and query plans are the ones in `vector_store.py`, shared with
the server store, so moving to a Qdrant server later is a re-index, not a rewrite.

The engine allows one open handle per folder (its WAL is locked): `EdgeVectorStore.open` hands out
the instance already open for a folder, so the indexer and the retrievers share it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from llama_index.core.schema import BaseNode
from llama_index.core.vector_stores.types import (
    BasePydanticVectorStore,
    FilterCondition,
    FilterOperator,
    MetadataFilter,
    MetadataFilters,
    VectorStoreQuery,
    VectorStoreQueryMode,
    VectorStoreQueryResult,
)
from pydantic import PrivateAttr

from copiloto.retrieval.sparse import sparse_documents, sparse_queries
from copiloto.retrieval.vector_store import (
    DENSE_VECTOR,
    DOC_ID_KEY,
    PAYLOAD_INDEXES,
    RRF_K,
    SPARSE_VECTOR,
    PayloadType,
    Recency,
    ThreadedAsync,
    mmr_lambda,
    node_payload,
    payload_node,
    point_id,
    query_limits,
    require_embedding,
    result_from_hits,
    sparse_text,
)

log = logging.getLogger(__name__)

_open_stores: dict[str, EdgeVectorStore] = {}
_open_lock = threading.Lock()


def _schema(kind: PayloadType) -> Any:
    import qdrant_edge as qe

    return {
        PayloadType.KEYWORD: qe.PayloadSchemaType.Keyword,
        PayloadType.INTEGER: qe.PayloadSchemaType.Integer,
        PayloadType.FLOAT: qe.PayloadSchemaType.Float,
        PayloadType.DATETIME: qe.PayloadSchemaType.Datetime,
    }[kind]


def _values(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple | set) else str(value).split(",")


def _condition(f: MetadataFilter) -> Any:
    """One LlamaIndex filter as an Edge condition, with the semantics of LlamaIndex's Qdrant store."""
    import qdrant_edge as qe

    op, key, value = f.operator, f.key, f.value
    if op == FilterOperator.EQ:
        if isinstance(value, float):
            return qe.FieldCondition(key, range=qe.RangeFloat(gte=value, lte=value))
        return qe.FieldCondition(key, match=qe.MatchValue(value))
    if op == FilterOperator.NE:
        return qe.FieldCondition(key, match=qe.MatchExcept([value]))
    if op in (FilterOperator.GT, FilterOperator.GTE, FilterOperator.LT, FilterOperator.LTE):
        bound = {"gt": None, "gte": None, "lt": None, "lte": None}
        bound[op.name.lower()] = float(value)
        return qe.FieldCondition(key, range=qe.RangeFloat(**bound))
    if op == FilterOperator.IN:
        return qe.FieldCondition(key, match=qe.MatchAny(_values(value)))
    if op == FilterOperator.NIN:
        return qe.FieldCondition(key, match=qe.MatchExcept(_values(value)))
    if op in (FilterOperator.TEXT_MATCH, FilterOperator.TEXT_MATCH_INSENSITIVE):
        return qe.FieldCondition(key, match=qe.MatchText(str(value)))
    if op == FilterOperator.IS_EMPTY:
        return qe.IsEmptyCondition(key)
    raise NotImplementedError(f"filter operator {op} is not supported by the Edge store")


def edge_filter(filters: MetadataFilters) -> Any:
    """LlamaIndex `MetadataFilters` (nested, AND/OR/NOT) as a Qdrant Edge `Filter`."""
    import qdrant_edge as qe

    conditions = []
    for item in filters.filters:
        if isinstance(item, MetadataFilters):
            if item.filters:
                conditions.append(edge_filter(item))
        else:
            conditions.append(_condition(item))
    if filters.condition == FilterCondition.OR:
        return qe.Filter(should=conditions)
    if filters.condition == FilterCondition.NOT:
        return qe.Filter(must_not=conditions)
    return qe.Filter(must=conditions)


class EdgeVectorStore(ThreadedAsync, BasePydanticVectorStore):
    """Nodes with dense + BM25 sparse vectors in a Qdrant Edge shard at `path`."""

    stores_text: bool = True
    flat_metadata: bool = False
    path: str
    dim: int
    batch_size: int = 1024

    _shard: Any = PrivateAttr()
    _lock: Any = PrivateAttr()

    def __init__(self, path: str | Path, *, dim: int, batch_size: int = 1024) -> None:
        super().__init__(path=str(path), dim=dim, batch_size=batch_size)
        self._lock = threading.RLock()
        self._shard = self._open()

    @classmethod
    def class_name(cls) -> str:
        return "EdgeVectorStore"

    @classmethod
    def open(cls, path: str | Path, *, dim: int) -> EdgeVectorStore:
        """The store open on `path` in this process, opening it on first use."""
        key = str(Path(path).resolve())
        with _open_lock:
            store = _open_stores.get(key)
            if store is None or store._shard is None:
                store = cls(path, dim=dim)
                _open_stores[key] = store
            elif store.dim != dim:
                raise ValueError(f"{path} is open with dim {store.dim}, not {dim}")
            return store

    def _config(self) -> Any:
        import qdrant_edge as qe

        return qe.EdgeConfig(
            vectors={DENSE_VECTOR: qe.EdgeVectorParams(size=self.dim, distance=qe.Distance.Cosine)},
            sparse_vectors={SPARSE_VECTOR: qe.EdgeSparseVectorParams(modifier=qe.Modifier.Idf)},
        )

    def _open(self) -> Any:
        import qdrant_edge as qe

        folder = Path(self.path)
        if folder.exists() and any(folder.iterdir()):
            shard = qe.EdgeShard.load(str(folder), self._config())
        else:
            folder.mkdir(parents=True, exist_ok=True)
            shard = qe.EdgeShard.create(str(folder), self._config())
        existing = set(shard.info().payload_schema)
        for name, kind in PAYLOAD_INDEXES.items():
            if name not in existing:
                shard.update(qe.UpdateOperation.create_field_index(name, _schema(kind)))
        return shard

    @property
    def client(self) -> Any:
        """The `qdrant_edge.EdgeShard` (facets, formulas, MMR: the engine's full API)."""
        return self._shard

    # --- writes ----------------------------------------------------------------------------------

    def add(self, nodes: Sequence[BaseNode], **add_kwargs: Any) -> list[str]:
        import qdrant_edge as qe

        ids: list[str] = []
        for start in range(0, len(nodes), self.batch_size):
            batch = nodes[start : start + self.batch_size]
            indices, values = sparse_documents([sparse_text(node) for node in batch])
            points = [
                qe.Point(
                    point_id(node.node_id),
                    {
                        DENSE_VECTOR: require_embedding(node),
                        SPARSE_VECTOR: qe.SparseVector(idx, val),
                    },
                    node_payload(node),
                )
                for node, idx, val in zip(batch, indices, values, strict=True)
            ]
            with self._lock:
                self._shard.update(qe.UpdateOperation.upsert_points(points))
            ids.extend(node.node_id for node in batch)
        return ids

    def _delete_where(self, flt: Any) -> None:
        import qdrant_edge as qe

        with self._lock:
            self._shard.update(qe.UpdateOperation.delete_points_by_filter(flt))

    def delete(self, ref_doc_id: str, **delete_kwargs: Any) -> None:
        """Delete every node whose source document is `ref_doc_id`."""
        import qdrant_edge as qe

        self._delete_where(
            qe.Filter(must=[qe.FieldCondition(DOC_ID_KEY, match=qe.MatchValue(ref_doc_id))])
        )

    def delete_nodes(
        self,
        node_ids: list[str] | None = None,
        filters: MetadataFilters | None = None,
        **delete_kwargs: Any,
    ) -> None:
        """Delete the given nodes, or every node matching `filters` (e.g. one client's)."""
        import qdrant_edge as qe

        if node_ids is None and filters is None:
            return
        must: list[Any] = []
        if node_ids is not None:
            must.append(qe.HasIdCondition({point_id(i) for i in node_ids}))
        if filters is not None and filters.filters:
            must.append(edge_filter(filters))
        self._delete_where(qe.Filter(must=must))

    def delete_by_filter(self, filters: MetadataFilters) -> None:
        self.delete_nodes(filters=filters)

    def clear(self) -> None:
        import qdrant_edge as qe

        self._delete_where(qe.Filter())

    def flush(self) -> None:
        with self._lock:
            self._shard.flush()

    def optimize(self) -> bool:
        """Build HNSW / merge segments now instead of on the next writes (after bulk indexing)."""
        with self._lock:
            return bool(self._shard.optimize())

    def close(self) -> None:
        with self._lock:
            if self._shard is None:
                return
            self._shard.flush()
            self._shard.close()
            self._shard = None
        with _open_lock:
            key = str(Path(self.path).resolve())
            if _open_stores.get(key) is self:
                del _open_stores[key]

    # --- reads -----------------------------------------------------------------------------------

    def count(self, filters: MetadataFilters | None = None) -> int:
        import qdrant_edge as qe

        flt = edge_filter(filters) if filters is not None and filters.filters else None
        with self._lock:
            return int(self._shard.count(qe.CountRequest(exact=True, filter=flt)))

    def get_nodes(
        self,
        node_ids: list[str] | None = None,
        filters: MetadataFilters | None = None,
        limit: int | None = None,
        **kwargs: Any,
    ) -> list[BaseNode]:
        import qdrant_edge as qe

        must: list[Any] = []
        if node_ids is not None:
            must.append(qe.HasIdCondition({point_id(i) for i in node_ids}))
        if filters is not None and filters.filters:
            must.append(edge_filter(filters))
        request = qe.ScrollRequest(
            limit=limit or 10_000, filter=qe.Filter(must=must) if must else None, with_payload=True
        )
        with self._lock:
            records, _ = self._shard.scroll(request)
        return [payload_node(dict(r.payload or {})) for r in records]

    def _query_filter(self, query: VectorStoreQuery) -> Any:
        import qdrant_edge as qe

        must: list[Any] = []
        if query.doc_ids:
            must.append(qe.FieldCondition(DOC_ID_KEY, match=qe.MatchAny(list(query.doc_ids))))
        if query.node_ids:
            must.append(qe.HasIdCondition({point_id(i) for i in query.node_ids}))
        if query.filters and query.filters.filters:
            must.append(edge_filter(query.filters))
        return qe.Filter(must=must) if must else None

    def query(self, query: VectorStoreQuery, **kwargs: Any) -> VectorStoreQueryResult:
        """Dense (DEFAULT), SPARSE, HYBRID (RRF in the engine) or MMR; `recency=Recency(...)`
        in kwargs re-scores the candidates with a time decay inside the engine."""
        import qdrant_edge as qe

        flt = self._query_filter(query)
        final, wide = query_limits(query)
        dense = query.query_embedding
        sparse = None
        if query.query_str and query.mode in (
            VectorStoreQueryMode.SPARSE,
            VectorStoreQueryMode.HYBRID,
        ):
            idx, val = sparse_queries([query.query_str])
            sparse = qe.SparseVector(idx[0], val[0])

        prefetches: list[Any] | None = None
        if query.mode == VectorStoreQueryMode.HYBRID and dense is not None and sparse is not None:
            prefetches = [
                qe.Prefetch(wide, qe.Query.Nearest(list(dense), using=DENSE_VECTOR), filter=flt),
                qe.Prefetch(wide, qe.Query.Nearest(sparse, using=SPARSE_VECTOR), filter=flt),
            ]
            scoring: Any = qe.Fusion.Rrf(k=RRF_K)
        elif query.mode in (VectorStoreQueryMode.SPARSE, VectorStoreQueryMode.HYBRID) and (
            sparse is not None
        ):
            scoring = qe.Query.Nearest(sparse, using=SPARSE_VECTOR)
        elif query.mode == VectorStoreQueryMode.MMR and dense is not None:
            scoring = qe.Mmr(list(dense), mmr_lambda(query), wide, using=DENSE_VECTOR)
        elif dense is not None:
            scoring = qe.Query.Nearest(list(dense), using=DENSE_VECTOR)
        else:
            raise ValueError("query needs query_embedding (dense) or query_str (sparse/hybrid)")

        recency: Recency | None = kwargs.get("recency")
        if recency is not None:
            inner = qe.Prefetch(wide, scoring, prefetches=prefetches, filter=flt)
            scoring, prefetches = recency.edge_formula(), [inner]
        request = qe.QueryRequest(
            limit=final, query=scoring, prefetches=prefetches, filter=flt, with_payload=True
        )
        with self._lock:
            hits = self._shard.query(request)
        return result_from_hits(hits)
