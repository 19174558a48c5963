"""The two retrievers an answer is grounded on: the client's own history, and similar negotiations.

Both search the same index (dense + BM25 fused in the vector store) with payload filters, then
re-rank in Python with rules a vector store cannot express:
- the client's history favours recent talk slightly (what the client said last week outweighs an
  equally similar line from last year, but does not bury an exact answer);
- similar negotiations exclude the client, favour conversations that were won, and keep one piece
  per conversation so one chatty client cannot fill the list.
Both drop pieces whose messages are already covered by a better-ranked piece (a message inside a
window that was already chosen), since a prompt budget is counted in characters.

Sellers name the client inside the question ("o que a Carla achou do frete?"); once the search is
filtered on that client the name only adds noise to both the dense and the BM25 query, so
`prepare_query` removes it.
"""

import logging
import math
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

from copiloto.retrieval.clients import fold

if TYPE_CHECKING:
    from llama_index.core.vector_stores.types import BasePydanticVectorStore, MetadataFilters

    from copiloto.retrieval.indexing import Embedder

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Evidence:
    """One retrieved piece, with what a citation needs (message ids, date, author)."""

    node_id: str
    text: str
    score: float
    kind: str
    client_id: int
    conversation_id: int | None
    message_ids: list[int]
    time: datetime
    author: str | None
    filename: str | None
    page: int | None
    outcome: str | None = None
    seller_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class RetrievalOptions:
    """Knobs measured by `copiloto eval retrieval` (see evals/retrieval/RESULTS.md)."""

    mode: Literal["hybrid", "dense"] = "hybrid"
    alpha: float | None = None  # dense weight, for stores that fuse by weight instead of RRF
    candidates: int = 30  # pieces fetched from the store before re-ranking
    strip_names: bool = True
    recency_weight: float = 0.1
    recency_half_life_days: float = 60.0
    won_boost: float = 0.15
    per_conversation: int = 1  # similar negotiations: pieces kept per conversation
    kinds: tuple[str, ...] = ()  # restrict to these piece kinds; empty = all


_WORD = re.compile(r"\w+", re.UNICODE)


_GLUE = frozenset({"a", "o", "as", "os", "da", "do", "das", "dos", "na", "no", "à", "ao", "de"})


def prepare_query(question: str, *, names: Sequence[str] = ()) -> str:
    """The question without the client's name and the article glued to it ("da Carla").

    Keeps the question intact when removing the names would leave nothing.
    """
    name_words = {fold(word) for name in names for word in _WORD.findall(name) if len(word) > 1}
    if not name_words:
        return question.strip()
    kept: list[str] = []
    for token in re.split(r"(\W+)", question):
        if token and _WORD.fullmatch(token) and fold(token) in name_words:
            # drop the separator and an article right before the name: "o que a Carla" → "o que"
            if kept and not _WORD.fullmatch(kept[-1]) and kept[-1].isspace():
                kept.pop()
                if kept and fold(kept[-1]) in _GLUE:
                    kept.pop()
            continue
        kept.append(token)
    cleaned = " ".join("".join(kept).split())
    cleaned = re.sub(r"\s+([?.!,;:])", r"\1", cleaned)
    return cleaned if _WORD.search(cleaned) else question.strip()


def _filters(
    *,
    client_id: int | None = None,
    exclude_client_id: int | None = None,
    seller_id: int | None = None,
    kinds: Sequence[str] = (),
) -> "MetadataFilters | None":
    from llama_index.core.vector_stores.types import (
        FilterOperator,
        MetadataFilter,
        MetadataFilters,
    )

    conditions = []
    if client_id is not None:
        conditions.append(MetadataFilter(key="client_id", value=client_id))
    if exclude_client_id is not None:
        conditions.append(
            MetadataFilter(key="client_id", value=exclude_client_id, operator=FilterOperator.NE)
        )
    if seller_id is not None:
        conditions.append(MetadataFilter(key="seller_id", value=seller_id))
    if kinds:
        conditions.append(MetadataFilter(key="kind", value=list(kinds), operator=FilterOperator.IN))
    return MetadataFilters(filters=conditions) if conditions else None


def _to_evidence(node: Any, score: float) -> Evidence:
    metadata = node.metadata or {}
    stamp = metadata.get("time")
    when = datetime.fromtimestamp(float(stamp), UTC) if stamp is not None else datetime.now(UTC)
    return Evidence(
        node_id=node.node_id,
        text=node.get_content(),
        score=float(score),
        kind=str(metadata.get("kind", "")),
        client_id=int(metadata.get("client_id", 0)),
        conversation_id=metadata.get("conversation_id"),
        message_ids=[int(x) for x in metadata.get("message_ids") or []],
        time=when,
        author=metadata.get("author"),
        filename=metadata.get("filename"),
        page=metadata.get("page"),
        outcome=metadata.get("outcome"),
        seller_id=metadata.get("seller_id"),
    )


def drop_covered(evidence: Sequence[Evidence]) -> list[Evidence]:
    """Drop pieces whose messages all appear in a better-ranked piece (same text, twice)."""
    seen: set[int] = set()
    kept: list[Evidence] = []
    for item in evidence:
        ids = set(item.message_ids)
        if item.kind in {"message", "window"} and ids and ids <= seen:
            continue
        kept.append(item)
        if item.kind in {"message", "window"}:
            seen |= ids
    return kept


def within_budget(evidence: Sequence[Evidence], budget_chars: int) -> list[Evidence]:
    """The leading pieces whose texts together fit `budget_chars` (what a prompt can hold)."""
    kept: list[Evidence] = []
    used = 0
    for item in evidence:
        used += len(item.text)
        if used > budget_chars:
            break
        kept.append(item)
    return kept


class _IndexSearch:
    """Shared search: embed the query, ask the store (hybrid when it can), wrap as Evidence."""

    def __init__(
        self,
        *,
        embedder: "Embedder",
        vector_store: "BasePydanticVectorStore",
        options: RetrievalOptions | None = None,
    ) -> None:
        self.embedder = embedder
        self.vector_store = vector_store
        self.options = options or RetrievalOptions()
        self.last_query: str | None = None

    def _search(self, text: str, filters: "MetadataFilters | None", top_k: int) -> list[Evidence]:
        from llama_index.core.vector_stores.types import VectorStoreQuery, VectorStoreQueryMode

        started = time.perf_counter()
        vector = self.embedder.embed([text], kind="query")[0]
        hybrid = self.options.mode == "hybrid"
        query = VectorStoreQuery(
            query_embedding=[float(x) for x in vector],
            query_str=text,
            similarity_top_k=top_k,
            sparse_top_k=top_k if hybrid else None,
            hybrid_top_k=top_k if hybrid else None,
            filters=filters,
            alpha=self.options.alpha,
            mode=VectorStoreQueryMode.HYBRID if hybrid else VectorStoreQueryMode.DEFAULT,
        )
        result = self.vector_store.query(query)
        nodes = result.nodes or []
        scores = result.similarities or [0.0] * len(nodes)
        found = [_to_evidence(node, score) for node, score in zip(nodes, scores, strict=False)]
        log.debug("search %r → %d pieces in %.0f ms", text, len(found), _ms(started))
        return found

    def _query_text(self, query: str, names: Sequence[str]) -> str:
        text = prepare_query(query, names=names) if self.options.strip_names else query
        self.last_query = text
        return text


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def _rank_scores(evidence: Sequence[Evidence]) -> list[float]:
    """Scores relative to the best one: raw scales differ by store and fusion (cosine, RRF), and
    the boosts below are multiplicative, so only ratios matter."""
    if not evidence:
        return []
    top = max(item.score for item in evidence) or 1.0
    return [item.score / top for item in evidence]


class ClientHistoryRetriever(_IndexSearch):
    """What this client said and was told: filtered on the client (and seller), recency-aware."""

    def retrieve(
        self,
        query: str,
        *,
        client_id: int | None,
        seller_id: int | None = None,
        k: int = 5,
        names: Sequence[str] = (),
    ) -> list[Evidence]:
        """Top `k` pieces of the client's history; `client_id=None` searches all the seller's
        clients. `names` are the client's names to remove from the query."""
        options = self.options
        text = self._query_text(query, names)
        filters = _filters(client_id=client_id, seller_id=seller_id, kinds=options.kinds)
        found = self._search(text, filters, max(options.candidates, k))
        if not found:
            return []
        newest = max(item.time for item in found)
        base = _rank_scores(found)
        rescored = []
        for item, score in zip(found, base, strict=True):
            age_days = max((newest - item.time).total_seconds(), 0.0) / 86400
            recency = math.pow(0.5, age_days / options.recency_half_life_days)
            rescored.append((score * (1 + options.recency_weight * recency), item))
        rescored.sort(key=lambda pair: -pair[0])
        ranked = [_replace_score(item, score) for score, item in rescored]
        return drop_covered(ranked)[:k]


class SimilarNegotiationsRetriever(_IndexSearch):
    """How other clients' negotiations on the same subject went: won ones first, one per chat."""

    def retrieve(
        self,
        query: str,
        *,
        client_id: int | None,
        seller_id: int | None = None,
        k: int = 5,
        names: Sequence[str] = (),
    ) -> list[Evidence]:
        options = self.options
        text = self._query_text(query, names)
        filters = _filters(exclude_client_id=client_id, seller_id=seller_id, kinds=options.kinds)
        found = self._search(text, filters, max(options.candidates, k * 6))
        base = _rank_scores(found)
        rescored = []
        for item, score in zip(found, base, strict=True):
            boost = 1 + options.won_boost if item.outcome == "won" else 1.0
            rescored.append((score * boost, item))
        rescored.sort(key=lambda pair: -pair[0])
        per_conversation: dict[Any, int] = {}
        kept: list[Evidence] = []
        for score, item in rescored:
            group = item.conversation_id if item.conversation_id is not None else item.node_id
            if per_conversation.get(group, 0) >= options.per_conversation:
                continue
            per_conversation[group] = per_conversation.get(group, 0) + 1
            kept.append(_replace_score(item, score))
        return drop_covered(kept)[:k]


def _replace_score(item: Evidence, score: float) -> Evidence:
    from dataclasses import replace

    return replace(item, score=score)
