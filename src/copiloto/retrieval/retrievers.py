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
    canned: float = 0.0  # share of the text in canned messages (chunking.canned_key)


@dataclass(frozen=True, kw_only=True)
class RetrievalOptions:
    """Knobs measured by `copiloto eval retrieval` (see evals/retrieval/RESULTS.md)."""

    # hybrid: dense + BM25 fused by RRF in the store; weighted: the same two lists fused here with
    # `sparse_weight` (RRF with weights); dense / sparse: one list only (for measurements)
    mode: Literal["hybrid", "weighted", "dense", "sparse"] = "weighted"
    alpha: float | None = None  # dense weight, for stores that fuse by weight instead of RRF
    sparse_weight: float = 3.0  # weighted mode: BM25's weight against dense's 1.0
    # weighted mode: RRF's k. Small, so the top of a list counts much more than its middle: an
    # exact BM25 match at rank 1 is not outranked by pieces both lists hold at ranks 5–10
    rrf_k: int = 5
    # a piece made only of canned messages keeps 1 - canned_penalty of its score (measured)
    canned_penalty: float = 0.9
    expand: bool = True  # add chat vocabulary to the BM25 query (see `expand_query`)
    candidates: int = 30  # pieces fetched from the store before re-ranking
    strip_names: bool = True
    recency_weight: float = 0.02  # a tie-breaker: measured, more costs MRR (RESULTS.md)
    recency_half_life_days: float = 60.0
    won_boost: float = 0.15
    per_conversation: int = 2  # similar negotiations: pieces kept per conversation
    kinds: tuple[str, ...] = ()  # restrict to these piece kinds; empty = all


_WORD = re.compile(r"\w+", re.UNICODE)


_GLUE = frozenset(
    {"a", "o", "as", "os", "da", "do", "das", "dos", "na", "no", "à", "ao", "de", "pro", "pra"}
    | {"sr", "sra", "srta", "dr", "dra", "dona", "seu", "arq", "prof", "profa"}  # titles
)


_TITLE_DOT = re.compile(r"\b(Sr|Sra|Srta|Dr|Dra|Arq|Prof|Profa)\.", re.IGNORECASE)


def prepare_query(question: str, *, names: Sequence[str] = ()) -> str:
    """The question without the client's name and the article glued to it ("da Carla").

    Keeps the question intact when removing the names would leave nothing.
    """
    name_words = {fold(word) for name in names for word in _WORD.findall(name) if len(word) > 1}
    if not name_words:
        return question.strip()
    kept: list[str] = []
    question = _TITLE_DOT.sub(lambda m: m.group(1), question)  # "Sr. Paulo" → "Sr Paulo"
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


# How sellers ask (left) and how clients and sellers actually write in chats (right). BM25 only
# matches words, so the sparse query gets the chat words for the seller's; the dense query keeps
# the question as asked. Written from pt-BR sales chats; extend it as new misses show up.
_CHAT_VOCABULARY: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), words)
    for pattern, words in (
        (r"\bpag(ou|ar|ou|amento|aram|ando|a)\b", "pix boleto cartão parcelas vista transferência"),
        (r"\b(caro|pre[çc]o|valor)\b", "caro salgado desconto preço valor barato"),
        (r"\bobje[çc]", "caro salgado concorrente barato ofereceram pensar sócio"),
        (
            r"\b(problema|defeito|errad|reclam|falha)",
            "atrasou atraso defeito quebrou riscada "
            "apitando parou não apareceu não apareceram problema",
        ),
        (r"\bconcorr", "concorrente outra empresa loja mais barato me passou ofereceram"),
        (r"\b(fechou|fechar|fechamento|fechad)", "fechado fechar fecha fechamos"),
        (
            r"\b(perde|perdemos|perdeu|não fechou|desist)",
            "adiar desistir preferiu outra empresa sócio",
        ),
        (r"\b(montagem|instala)", "montadores montagem instalação instaladores equipe"),
        (r"\bamea[çc]", "estorno procon reclame cancelar advogado"),
        (r"\b(sumiu|sumid|voltou|retom)", "retomando lembra voltando ano passado"),
        (r"\b(compens|cortesia|brinde)", "desconto cortesia brinde abater grátis abato"),
        (r"\bargument", "economia parcela financiamento garantia desconto se paga"),
        (r"\b(hesit|pensar)", "pensar caro vou ver"),
        (r"\bprazo", "prazo dias entrega expressa urgente"),
        (r"\bfinanci", "financiamento banco parcelas"),
        (r"\bcondi[çc]", "só fecho se condição"),
        (r"\batras", "atrasou atraso reagendei não apareceu"),
    )
)


def expand_query(text: str) -> str:
    """The question plus the chat words for the seller's words it uses (for BM25)."""
    extra = [words for pattern, words in _CHAT_VOCABULARY if pattern.search(text)]
    return " ".join([text, *extra])


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
        canned=float(metadata.get("canned") or 0.0),
    )


def _spoken(item: Evidence) -> str | None:
    """A transcript piece's words, without the "Carla (áudio): " its text starts with."""
    return item.text.split("): ", 1)[-1] if item.kind == "transcript" else None


def drop_covered(evidence: Sequence[Evidence]) -> list[Evidence]:
    """Drop pieces whose messages all appear in a better-ranked piece, and repeated texts (a
    seller's canned follow-up sent to the same client twice).

    A voice note's transcript is also inside the window of its message ("Carla: (áudio) …"):
    a transcript after that window is dropped, and a window after the transcript takes the
    transcript's place (same words, plus what was said around them), so the budget does not pay
    for the same words twice.
    """
    seen: set[int] = set()
    texts: set[str] = set()
    kept: list[Evidence] = []
    for item in evidence:
        ids = set(item.message_ids)
        if item.kind in {"message", "window"} and ids and ids <= seen:
            continue
        spoken = _spoken(item)
        if spoken and ids <= seen and any(spoken in other.text for other in kept):
            continue
        text = " ".join(item.text.casefold().split())
        if text in texts:
            continue
        texts.add(text)
        place = len(kept)
        if item.kind == "window":
            for position, other in enumerate(kept):
                words = _spoken(other)
                if words and set(other.message_ids) <= ids and words in item.text:
                    place = position
                    break
        if place < len(kept):
            kept[place] = item
            kept = [  # another voice note of the same window
                other
                for other in kept
                if other is item
                or not (
                    (words := _spoken(other))
                    and set(other.message_ids) <= ids
                    and words in item.text
                )
            ]
        else:
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
        from llama_index.core.vector_stores.types import VectorStoreQueryMode as Mode

        started = time.perf_counter()
        mode = self.options.mode
        vector = [float(x) for x in self.embedder.embed([text], kind="query")[0]]
        words = expand_query(text) if self.options.expand else text  # only BM25 reads it
        if mode == "weighted":
            dense = self._query(vector, words, filters, top_k, Mode.DEFAULT)
            sparse = self._query(vector, words, filters, top_k, Mode.SPARSE)
            found = _weighted_rrf(
                [(dense, 1.0), (sparse, self.options.sparse_weight)], k=self.options.rrf_k
            )
        else:
            store_mode = {"hybrid": Mode.HYBRID, "dense": Mode.DEFAULT, "sparse": Mode.SPARSE}
            found = self._query(vector, words, filters, top_k, store_mode[mode])
        found = _discount_canned(found, self.options.canned_penalty)
        log.debug("search %r → %d pieces in %.0f ms", text, len(found), _ms(started))
        return found[:top_k]

    def _query(
        self,
        vector: list[float],
        text: str,
        filters: "MetadataFilters | None",
        top_k: int,
        mode: Any,
    ) -> list[Evidence]:
        from llama_index.core.vector_stores.types import VectorStoreQuery

        query = VectorStoreQuery(
            query_embedding=vector,
            query_str=text,
            similarity_top_k=top_k,
            sparse_top_k=top_k,
            hybrid_top_k=top_k,
            filters=filters,
            alpha=self.options.alpha,
            mode=mode,
        )
        result = self.vector_store.query(query)
        nodes = result.nodes or []
        scores = result.similarities or [0.0] * len(nodes)
        return [_to_evidence(node, score) for node, score in zip(nodes, scores, strict=False)]

    def _query_text(self, query: str, names: Sequence[str]) -> str:
        text = prepare_query(query, names=names) if self.options.strip_names else query
        self.last_query = text
        return text


def _weighted_rrf(ranked: Sequence[tuple[list[Evidence], float]], k: int = 60) -> list[Evidence]:
    """Reciprocal-rank fusion with a weight per list (what the store's RRF does, unweighted)."""
    scores: dict[str, float] = {}
    items: dict[str, Evidence] = {}
    for found, weight in ranked:
        for rank, item in enumerate(found):
            scores[item.node_id] = scores.get(item.node_id, 0.0) + weight / (k + rank + 1)
            items.setdefault(item.node_id, item)
    order = sorted(scores, key=lambda node_id: -scores[node_id])
    return [_replace_score(items[node_id], scores[node_id]) for node_id in order]


def _discount_canned(found: Sequence[Evidence], penalty: float) -> list[Evidence]:
    """Scale each score down by the piece's share of canned messages, and re-sort.

    Follow-up templates and the stock answers to them match a little of every question, in both
    BM25 and dense search, and would fill the budget with "Qualquer dúvida é só chamar"; the
    negotiation a seller asks about is what the client and seller wrote only once.
    """
    if not penalty or not any(item.canned for item in found):
        return list(found)
    scored = [  # abs(): a negative cosine must go down too
        _replace_score(item, item.score - abs(item.score) * penalty * item.canned) for item in found
    ]
    return sorted(scored, key=lambda item: -item.score)


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
