"""The Qdrant collection schema shared by both stores, the server store, and the factory.

Two LlamaIndex vector stores hold the same points:

- `EdgeVectorStore` (default, `retrieval/edge_store.py`): Qdrant Edge, Qdrant's engine in-process,
  in a folder under `data_dir/qdrant`. No server to run.
- `QdrantServerVectorStore` (here): LlamaIndex's `QdrantVectorStore` over `qdrant-client`, used when
  `COPILOTO_QDRANT_URL` is set (and, in tests, over qdrant-client's local mode).

Both use the same vector names as LlamaIndex's store (`text-dense`, cosine; `text-sparse-new`, BM25
term frequencies with the IDF modifier), the same payload (LlamaIndex's `node_to_metadata_dict`: the
node's metadata at the top level for filters, the whole node in `_node_content`), the same point ids,
and the same payload indexes. Hybrid queries are one request: a dense and a sparse prefetch fused
with RRF inside the engine, so both stores rank the same way.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from llama_index.core.schema import BaseNode, MetadataMode
from llama_index.core.vector_stores.types import (
    MetadataFilters,
    VectorStoreQuery,
    VectorStoreQueryMode,
    VectorStoreQueryResult,
)
from llama_index.core.vector_stores.utils import metadata_dict_to_node, node_to_metadata_dict
from llama_index.vector_stores.qdrant import QdrantVectorStore

from copiloto.retrieval.sparse import sparse_documents, sparse_queries

if TYPE_CHECKING:
    from llama_index.core.vector_stores.types import BasePydanticVectorStore
    from qdrant_client import QdrantClient

    from copiloto.settings import Settings

log = logging.getLogger(__name__)

DENSE_VECTOR = "text-dense"
SPARSE_VECTOR = "text-sparse-new"
DOC_ID_KEY = "doc_id"
RRF_K = 60
"""RRF's k: 60 is the value of the original paper; it flattens the weight of the top ranks."""
HYBRID_OVERSAMPLE = 3
"""Each prefetch of a hybrid query fetches this many times the final top-k before fusion."""

_ID_NAMESPACE = uuid.UUID("5b0f7d52-8f0c-4bb8-9d0a-4f0e4a1c0c11")


class PayloadType(StrEnum):
    KEYWORD = "keyword"
    INTEGER = "integer"
    FLOAT = "float"
    DATETIME = "datetime"


PAYLOAD_INDEXES: dict[str, PayloadType] = {
    DOC_ID_KEY: PayloadType.KEYWORD,  # delete(ref_doc_id)
    "client_id": PayloadType.INTEGER,
    "seller_id": PayloadType.INTEGER,
    "conversation_id": PayloadType.INTEGER,
    "message_ids": PayloadType.INTEGER,
    "kind": PayloadType.KEYWORD,
    "direction": PayloadType.KEYWORD,
    "time": PayloadType.FLOAT,  # epoch seconds
    "sentiment": PayloadType.KEYWORD,
    "intent": PayloadType.KEYWORD,
    "outcome": PayloadType.KEYWORD,
    "products": PayloadType.KEYWORD,
}
"""Payload fields filtered on, and the index type each gets in both stores."""


def point_id(node_id: str) -> str:
    """The Qdrant point id of a node: its id when it is a UUID, else a UUID5 of it.

    Qdrant accepts only UUIDs and unsigned integers; the indexer may use readable ids
    ("msg-42"). The node id itself travels in the payload, so results give it back unchanged.
    """
    try:
        return str(uuid.UUID(node_id))
    except ValueError:
        return str(uuid.uuid5(_ID_NAMESPACE, node_id))


def node_payload(node: BaseNode) -> dict[str, Any]:
    """Payload stored with a node: same layout as LlamaIndex's QdrantVectorStore."""
    return node_to_metadata_dict(node, remove_text=False, flat_metadata=False)


def payload_node(payload: dict[str, Any]) -> BaseNode:
    return metadata_dict_to_node(payload)


def sparse_text(node: BaseNode) -> str:
    """The words BM25 indexes: the node's text plus its product names.

    Not LlamaIndex's EMBED rendering, which prefixes every metadata field ("client_id: 3"):
    ids, times and labels are filters, not words a seller would search for.
    """
    text = node.get_content(metadata_mode=MetadataMode.NONE)
    products = node.metadata.get("products") or []
    if isinstance(products, list) and products:
        text = f"{text}\n{' '.join(str(p) for p in products)}"
    return text


def require_embedding(node: BaseNode) -> list[float]:
    embedding = node.get_embedding()
    if not embedding:
        raise ValueError(f"node {node.node_id} has no embedding")
    return embedding


def result_from_hits(hits: Sequence[Any]) -> VectorStoreQueryResult:
    """Scored points (from either engine) to LlamaIndex's result, ids being node ids."""
    nodes: list[BaseNode] = []
    scores: list[float] = []
    for hit in hits:
        nodes.append(payload_node(dict(hit.payload or {})))
        scores.append(float(getattr(hit, "score", 1.0) or 0.0))
    return VectorStoreQueryResult(
        nodes=nodes, similarities=scores, ids=[node.node_id for node in nodes]
    )


def query_limits(query: VectorStoreQuery) -> tuple[int, int]:
    """(final limit, prefetch limit) for a query, the same for both stores."""
    final = query.hybrid_top_k or query.similarity_top_k
    if query.mode == VectorStoreQueryMode.SPARSE:
        final = query.sparse_top_k or query.similarity_top_k
    widest = max(query.similarity_top_k, query.sparse_top_k or 0, final)
    return final, widest * HYBRID_OVERSAMPLE


def mmr_lambda(query: VectorStoreQuery) -> float:
    """MMR's relevance weight (LlamaIndex's `mmr_threshold`; 1 = pure relevance), default 0.5.

    Edge takes it as `lambda_`; the server API takes `diversity = 1 - lambda` (checked equal).
    """
    value = query.mmr_threshold if query.mmr_threshold is not None else 0.5
    return min(1.0, max(0.0, float(value)))


@dataclass(frozen=True, kw_only=True)
class Recency:
    """Boost recent points: score x (1 - weight + weight x decay(age)), decay = 0.5 at half_life.

    Multiplicative, so it works the same on cosine, BM25 and RRF scores, whose scales differ.
    Computed by the engine (Qdrant's formula query with an exponential decay on `time`), over the
    candidates the base query found. Points without `time` count as very old. Qdrant Edge reads
    the variable as float32 inside formulas, so at today's epoch `time` is resolved to 128 s:
    use half-lives of hours or days, not seconds.
    """

    half_life_s: float
    weight: float = 0.3
    now: float | None = None

    def _now(self) -> float:
        return self.now if self.now is not None else time.time()

    def server_formula(self) -> Any:
        from qdrant_client import models

        decay = models.ExpDecayExpression(
            exp_decay=models.DecayParamsExpression(
                x="time", target=self._now(), scale=self.half_life_s, midpoint=0.5
            )
        )
        boost = models.SumExpression(
            sum=[1.0 - self.weight, models.MultExpression(mult=[self.weight, decay])]
        )
        return models.FormulaQuery(
            formula=models.MultExpression(mult=["$score", boost]), defaults={"time": 0.0}
        )

    def edge_formula(self) -> Any:
        import qdrant_edge as qe

        e = qe.Expression
        decay = e.Decay(
            qe.DecayKind.Exp,
            e.Variable("time"),
            target=e.Constant(self._now()),
            midpoint=0.5,
            scale=self.half_life_s,
        )
        boost = e.Sum([e.Constant(1.0 - self.weight), e.Mult([e.Constant(self.weight), decay])])
        return qe.Formula(e.Mult([e.Variable("$score"), boost]), defaults={"time": 0.0})


class ThreadedAsync:
    """LlamaIndex's async store methods as the sync ones run off the event loop.

    Both stores' engines are synchronous (Qdrant Edge in-process, qdrant-client's sync client), so
    one bridge serves both; put it first in the bases so it wins over a parent's own async code.
    """

    async def async_add(self, nodes: Sequence[BaseNode], **kwargs: Any) -> list[str]:
        return await asyncio.to_thread(self.add, list(nodes), **kwargs)  # type: ignore[attr-defined]

    async def aquery(self, query: VectorStoreQuery, **kwargs: Any) -> VectorStoreQueryResult:
        return await asyncio.to_thread(self.query, query, **kwargs)  # type: ignore[attr-defined]

    async def adelete(self, ref_doc_id: str, **delete_kwargs: Any) -> None:
        await asyncio.to_thread(self.delete, ref_doc_id, **delete_kwargs)  # type: ignore[attr-defined]

    async def adelete_nodes(
        self,
        node_ids: list[str] | None = None,
        filters: MetadataFilters | None = None,
        **delete_kwargs: Any,
    ) -> None:
        await asyncio.to_thread(self.delete_nodes, node_ids, filters)  # type: ignore[attr-defined]

    async def aget_nodes(
        self,
        node_ids: list[str] | None = None,
        filters: MetadataFilters | None = None,
        limit: int | None = None,
        **kwargs: Any,
    ) -> list[BaseNode]:
        return await asyncio.to_thread(self.get_nodes, node_ids, filters, limit)  # type: ignore[attr-defined]

    async def aclear(self) -> None:
        await asyncio.to_thread(self.clear)  # type: ignore[attr-defined]


class QdrantServerVectorStore(ThreadedAsync, QdrantVectorStore):
    """LlamaIndex's `QdrantVectorStore` with the Copiloto schema and engine-side hybrid search.

    Overrides: points built by the shared schema (ids, payload, BM25 sparse vector); queries run as
    one `query_points` (hybrid: dense + sparse prefetch fused by RRF in Qdrant, not LlamaIndex's
    client-side relative-score fusion); deletes and gets map node ids to point ids; the collection
    is created eagerly so that queries work before the first add. Async methods run the sync ones
    in a thread so both stores behave the same under ChainLit's event loop.
    """

    def __init__(
        self, *, client: QdrantClient, collection_name: str, dim: int, batch_size: int = 256
    ) -> None:
        from qdrant_client import models

        super().__init__(
            collection_name=collection_name,
            client=client,
            batch_size=batch_size,
            enable_hybrid=True,
            sparse_doc_fn=sparse_documents,
            sparse_query_fn=sparse_queries,
            dense_config=models.VectorParams(size=dim, distance=models.Distance.COSINE),
            sparse_config=models.SparseVectorParams(modifier=models.Modifier.IDF),
            index_doc_id=False,  # doc_id is in PAYLOAD_INDEXES
            payload_indexes=[
                {"field_name": name, "field_schema": models.PayloadSchemaType(kind.value)}
                for name, kind in PAYLOAD_INDEXES.items()
            ],
            dense_vector_name=DENSE_VECTOR,
            sparse_vector_name=SPARSE_VECTOR,
        )
        if not self._collection_initialized:
            self._create_collection(collection_name=collection_name, vector_size=dim)

    @classmethod
    def class_name(cls) -> str:
        return "QdrantServerVectorStore"

    # --- writes ----------------------------------------------------------------------------------

    def _build_points(self, nodes: list[BaseNode], sparse_vector_name: str) -> tuple[list, list]:
        from qdrant_client import models

        indices, values = sparse_documents([sparse_text(node) for node in nodes])
        points = [
            models.PointStruct(
                id=point_id(node.node_id),
                vector={
                    DENSE_VECTOR: require_embedding(node),
                    SPARSE_VECTOR: models.SparseVector(indices=idx, values=val),
                },
                payload=node_payload(node),
            )
            for node, idx, val in zip(nodes, indices, values, strict=True)
        ]
        return points, [node.node_id for node in nodes]

    def delete_nodes(
        self,
        node_ids: list[str] | None = None,
        filters: MetadataFilters | None = None,
        **delete_kwargs: Any,
    ) -> None:
        """Delete the given nodes, or every node matching `filters` (e.g. one client's)."""
        from qdrant_client import models

        if node_ids is None and filters is None:
            return
        must: list[Any] = []
        if node_ids is not None:
            must.append(models.HasIdCondition(has_id=[point_id(i) for i in node_ids]))
        if filters is not None and filters.filters:
            must.append(self._build_subfilter(filters))
        self._client.delete(
            collection_name=self.collection_name,
            points_selector=models.FilterSelector(filter=models.Filter(must=must)),
            wait=True,
        )

    def delete_by_filter(self, filters: MetadataFilters) -> None:
        self.delete_nodes(filters=filters)

    def clear(self) -> None:
        dim = self._dense_config.size if self._dense_config else None
        super().clear()
        if dim:
            self._create_collection(collection_name=self.collection_name, vector_size=dim)

    # --- reads -----------------------------------------------------------------------------------

    def get_nodes(
        self,
        node_ids: list[str] | None = None,
        filters: MetadataFilters | None = None,
        limit: int | None = None,
        **kwargs: Any,
    ) -> list[BaseNode]:
        from qdrant_client import models

        must: list[Any] = []
        if node_ids is not None:
            must.append(models.HasIdCondition(has_id=[point_id(i) for i in node_ids]))
        if filters is not None and filters.filters:
            must.append(self._build_subfilter(filters))
        records, _ = self._client.scroll(
            collection_name=self.collection_name,
            scroll_filter=models.Filter(must=must) if must else None,
            limit=limit or 10_000,
            with_payload=True,
        )
        return [payload_node(dict(r.payload or {})) for r in records]

    def _query_filter(self, query: VectorStoreQuery) -> Any:
        from qdrant_client import models

        must: list[Any] = []
        if query.doc_ids:
            must.append(
                models.FieldCondition(key=DOC_ID_KEY, match=models.MatchAny(any=query.doc_ids))
            )
        if query.node_ids:
            must.append(models.HasIdCondition(has_id=[point_id(i) for i in query.node_ids]))
        if query.filters and query.filters.filters:
            must.append(self._build_subfilter(query.filters))
        return models.Filter(must=must) if must else None

    def query(self, query: VectorStoreQuery, **kwargs: Any) -> VectorStoreQueryResult:
        """Dense (DEFAULT), SPARSE, HYBRID (RRF in the engine) or MMR; `recency=Recency(...)`
        in kwargs re-scores the candidates with a time decay inside the engine."""
        from qdrant_client import models

        flt = self._query_filter(query)
        final, wide = query_limits(query)
        dense = query.query_embedding
        sparse = None
        if query.query_str and query.mode in (
            VectorStoreQueryMode.SPARSE,
            VectorStoreQueryMode.HYBRID,
        ):
            idx, val = sparse_queries([query.query_str])
            sparse = models.SparseVector(indices=idx[0], values=val[0])

        # The plan: a scoring query, the vector it uses, and its prefetches.
        using: str | None = None
        prefetch: list[Any] | None = None
        if query.mode == VectorStoreQueryMode.HYBRID and dense is not None and sparse is not None:
            prefetch = [
                models.Prefetch(query=dense, using=DENSE_VECTOR, limit=wide, filter=flt),
                models.Prefetch(query=sparse, using=SPARSE_VECTOR, limit=wide, filter=flt),
            ]
            scoring: Any = models.RrfQuery(rrf=models.Rrf(k=RRF_K))
        elif query.mode in (VectorStoreQueryMode.SPARSE, VectorStoreQueryMode.HYBRID) and (
            sparse is not None
        ):
            scoring, using = sparse, SPARSE_VECTOR
        elif query.mode == VectorStoreQueryMode.MMR and dense is not None:
            mmr = models.Mmr(diversity=1.0 - mmr_lambda(query), candidates_limit=wide)
            scoring, using = models.NearestQuery(nearest=dense, mmr=mmr), DENSE_VECTOR
        elif dense is not None:
            scoring, using = dense, DENSE_VECTOR
        else:
            raise ValueError("query needs query_embedding (dense) or query_str (sparse/hybrid)")

        recency: Recency | None = kwargs.get("recency")
        if recency is not None:
            inner = models.Prefetch(
                query=scoring, using=using, prefetch=prefetch, limit=wide, filter=flt
            )
            scoring, using, prefetch = recency.server_formula(), None, [inner]
        response = self._client.query_points(
            collection_name=self.collection_name,
            query=scoring,
            using=using,
            prefetch=prefetch,
            query_filter=flt,
            limit=final,
            with_payload=True,
        )
        return result_from_hits(response.points)


def build_vector_store(settings: Settings, *, dim: int) -> BasePydanticVectorStore:
    """Qdrant Edge under `data_dir/qdrant` by default; the Qdrant server at `qdrant_url` if set.

    `dim` is the embedder's dimension; a collection made for another dimension is an error (change
    the collection name, or re-index into a fresh folder, when switching embedders).
    """
    if settings.qdrant_url:
        from qdrant_client import QdrantClient

        key = settings.qdrant_api_key
        client = QdrantClient(
            url=settings.qdrant_url, api_key=key.get_secret_value() if key else None
        )
        return QdrantServerVectorStore(
            client=client, collection_name=settings.qdrant_collection, dim=dim
        )
    from copiloto.retrieval.edge_store import EdgeVectorStore

    return EdgeVectorStore.open(settings.data_dir / "qdrant" / settings.qdrant_collection, dim=dim)
