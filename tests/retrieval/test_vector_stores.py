"""One behaviour suite for both vector stores: Qdrant Edge (in tmp_path) and the server store over
qdrant-client's local mode (the same API a Qdrant server answers)."""

import uuid
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode
from llama_index.core.vector_stores.types import (
    FilterCondition,
    FilterOperator,
    MetadataFilter,
    MetadataFilters,
    VectorStoreQuery,
    VectorStoreQueryMode,
)

from copiloto.retrieval.edge_store import EdgeVectorStore
from copiloto.retrieval.vector_store import (
    PAYLOAD_INDEXES,
    QdrantServerVectorStore,
    Recency,
    build_vector_store,
    point_id,
)
from copiloto.settings import Settings

DIM = 8
BASE_TIME = 1_750_000_000.0
DAY = 86_400.0


def unit(*weights: float) -> list[float]:
    v = np.zeros(DIM, dtype=np.float64)
    v[: len(weights)] = weights
    return (v / np.linalg.norm(v)).tolist()


# Dense axis 0 = "shipping / delivery", axis 1 = "payment", axis 2 = "products / prices".
CORPUS = [
    # node id, text, embedding, metadata
    (
        "msg-1",
        "O frete para BH fica R$ 25, chega em 3 dias.",
        unit(1, 0.1),
        {
            "client_id": 1,
            "seller_id": 10,
            "conversation_id": 100,
            "message_ids": [1],
            "kind": "message",
            "direction": "out",
            "time": BASE_TIME + 1 * DAY,
            "sentiment": "neutro",
            "intent": "informacao",
            "products": [],
        },
    ),
    (
        "msg-2",
        "Vocês entregam no sábado?",
        unit(0.9, 0.2),
        {
            "client_id": 1,
            "seller_id": 10,
            "conversation_id": 100,
            "message_ids": [2],
            "kind": "message",
            "direction": "in",
            "time": BASE_TIME + 2 * DAY,
            "sentiment": "neutro",
            "intent": "pergunta",
            "products": [],
        },
    ),
    (
        "msg-3",
        "Pago no Pix ou cartão em 3x?",
        unit(0.1, 1),
        {
            "client_id": 2,
            "seller_id": 10,
            "conversation_id": 200,
            "message_ids": [3],
            "kind": "message",
            "direction": "in",
            "time": BASE_TIME + 3 * DAY,
            "sentiment": "positivo",
            "intent": "pergunta",
            "products": [],
        },
    ),
    (
        "msg-4",
        "Tênis Runner Pro código SKU-7781 sai por R$ 349,90",
        unit(0.2, 0.2, 1),
        {
            "client_id": 2,
            "seller_id": 10,
            "conversation_id": 200,
            "message_ids": [4],
            "kind": "message",
            "direction": "out",
            "time": BASE_TIME + 4 * DAY,
            "sentiment": "neutro",
            "intent": "oferta",
            "products": ["Tênis Runner Pro"],
        },
    ),
    (
        str(uuid.UUID(int=5)),
        "Janela: cliente reclamou do atraso na entrega.",
        unit(1, 0, 0.3),
        {
            "client_id": 3,
            "seller_id": 11,
            "conversation_id": 300,
            "message_ids": [5, 6, 7],
            "kind": "window",
            "direction": "in",
            "time": BASE_TIME + 5 * DAY,
            "sentiment": "negativo",
            "intent": "reclamacao",
            "outcome": "lost",
            "products": [],
        },
    ),
    (
        "doc-1-p1",
        "Catálogo: mochila escolar azul, código MOC-220, R$ 129",
        unit(0.3, 0, 0.9),
        {
            "client_id": 3,
            "seller_id": 11,
            "conversation_id": 300,
            "message_ids": [],
            "kind": "document",
            "direction": "in",
            "time": BASE_TIME + 6 * DAY,
            "filename": "catalogo.pdf",
            "page": 1,
            "products": ["mochila escolar"],
        },
    ),
]


def make_nodes() -> list[TextNode]:
    nodes = []
    for node_id, text, embedding, metadata in CORPUS:
        node = TextNode(id_=node_id, text=text, embedding=embedding, metadata=dict(metadata))
        node.relationships[NodeRelationship.SOURCE] = RelatedNodeInfo(
            node_id=f"client:{metadata['client_id']}"
        )
        nodes.append(node)
    return nodes


def _edge(tmp_path: Path) -> EdgeVectorStore:
    return EdgeVectorStore(tmp_path / "qdrant" / "copiloto", dim=DIM)


def _local(tmp_path: Path) -> QdrantServerVectorStore:
    from qdrant_client import QdrantClient

    return QdrantServerVectorStore(
        client=QdrantClient(path=str(tmp_path / "local")), collection_name="copiloto", dim=DIM
    )


STORES = {"edge": _edge, "local": _local}


@pytest.fixture(params=list(STORES))
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator:
    s = STORES[request.param](tmp_path)
    s.add(make_nodes())
    yield s
    if isinstance(s, EdgeVectorStore):
        s.close()
    else:
        s.client.close()


def eq(key: str, value: object, op: FilterOperator = FilterOperator.EQ) -> MetadataFilter:
    return MetadataFilter(key=key, value=value, operator=op)


def ids(result) -> list[str]:
    return list(result.ids)


def test_dense_query_returns_text_and_metadata(store) -> None:
    result = store.query(VectorStoreQuery(query_embedding=unit(1, 0.12), similarity_top_k=2))
    assert ids(result) == ["msg-1", "msg-2"]
    node = result.nodes[0]
    assert node.get_content() == CORPUS[0][1]
    assert node.metadata["client_id"] == 1 and node.metadata["message_ids"] == [1]
    assert node.ref_doc_id == "client:1"
    assert result.similarities[0] == pytest.approx(1.0, abs=0.01)
    assert result.similarities[0] >= result.similarities[1]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (MetadataFilters(filters=[eq("client_id", 2)]), {"msg-3", "msg-4"}),
        (
            MetadataFilters(filters=[eq("kind", ["window", "document"], FilterOperator.IN)]),
            {str(uuid.UUID(int=5)), "doc-1-p1"},
        ),
        (
            MetadataFilters(
                filters=[
                    eq("time", BASE_TIME + 2 * DAY, FilterOperator.GTE),
                    eq("time", BASE_TIME + 4 * DAY, FilterOperator.LTE),
                ]
            ),
            {"msg-2", "msg-3", "msg-4"},
        ),
        (
            MetadataFilters(filters=[eq("client_id", 1), eq("direction", "in", FilterOperator.NE)]),
            {"msg-1"},
        ),
        (
            MetadataFilters(
                filters=[eq("client_id", 1), eq("client_id", 3)], condition=FilterCondition.OR
            ),
            {"msg-1", "msg-2", str(uuid.UUID(int=5)), "doc-1-p1"},
        ),
        (
            MetadataFilters(
                filters=[
                    eq("seller_id", 10),
                    MetadataFilters(
                        filters=[eq("intent", "oferta"), eq("sentiment", "positivo")],
                        condition=FilterCondition.OR,
                    ),
                ]
            ),
            {"msg-3", "msg-4"},
        ),
        (MetadataFilters(filters=[eq("message_ids", 6)]), {str(uuid.UUID(int=5))}),
        (MetadataFilters(filters=[eq("products", "mochila escolar")]), {"doc-1-p1"}),
        (MetadataFilters(filters=[eq("outcome", "lost")]), {str(uuid.UUID(int=5))}),
    ],
    ids=["eq", "in", "range", "ne", "or", "nested", "array-int", "array-keyword", "eq-str"],
)
def test_filters(store, filters: MetadataFilters, expected: set[str]) -> None:
    result = store.query(
        VectorStoreQuery(query_embedding=unit(1, 1, 1), similarity_top_k=10, filters=filters)
    )
    assert set(ids(result)) == expected


def test_sparse_finds_codes_and_products_by_their_words(store) -> None:
    result = store.query(
        VectorStoreQuery(query_str="sku-7781", similarity_top_k=3, mode=VectorStoreQueryMode.SPARSE)
    )
    assert ids(result)[0] == "msg-4"
    # Portuguese stemming and accent folding: "mochilas" ~ "mochila", "catalogo" ~ "Catálogo".
    result = store.query(
        VectorStoreQuery(
            query_str="mochilas do catalogo", similarity_top_k=3, mode=VectorStoreQueryMode.SPARSE
        )
    )
    assert ids(result)[0] == "doc-1-p1"


def test_hybrid_fuses_dense_and_sparse(store) -> None:
    # Dense alone ranks the shipping messages first; the code only matches msg-4's words.
    query_vec = unit(1, 0.15)
    dense = store.query(VectorStoreQuery(query_embedding=query_vec, similarity_top_k=2))
    assert "msg-4" not in ids(dense)
    hybrid = store.query(
        VectorStoreQuery(
            query_embedding=query_vec,
            query_str="SKU-7781",
            similarity_top_k=2,
            mode=VectorStoreQueryMode.HYBRID,
        )
    )
    assert len(hybrid.nodes) == 2
    assert "msg-4" in ids(hybrid)
    assert ids(hybrid)[0] in {"msg-1", "msg-4"}
    assert all(0 < s < 1 for s in hybrid.similarities)  # RRF scores, not cosines


def test_hybrid_respects_filters(store) -> None:
    result = store.query(
        VectorStoreQuery(
            query_embedding=unit(1, 0.1),
            query_str="SKU-7781 frete",
            similarity_top_k=5,
            mode=VectorStoreQueryMode.HYBRID,
            filters=MetadataFilters(filters=[eq("client_id", 1)]),
        )
    )
    assert set(ids(result)) == {"msg-1", "msg-2"}


def test_mmr_diversifies(store) -> None:
    near_shipping = unit(1, 0.12)
    plain = store.query(VectorStoreQuery(query_embedding=near_shipping, similarity_top_k=2))
    assert ids(plain) == ["msg-1", "msg-2"]
    diverse = store.query(
        VectorStoreQuery(
            query_embedding=near_shipping,
            similarity_top_k=2,
            mode=VectorStoreQueryMode.MMR,
            mmr_threshold=0.2,
        )
    )
    assert ids(diverse)[0] == "msg-1" and ids(diverse)[1] != "msg-2"


@pytest.mark.parametrize(
    "mode", [VectorStoreQueryMode.DEFAULT, VectorStoreQueryMode.HYBRID], ids=["dense", "hybrid"]
)
def test_recency_boost_reorders_in_the_engine(store, mode) -> None:
    q = VectorStoreQuery(
        query_embedding=unit(1, 0.12), query_str="frete entrega", similarity_top_k=2, mode=mode
    )
    assert ids(store.query(q)) == ["msg-1", "msg-2"]
    recent = Recency(half_life_s=DAY / 2, weight=0.9, now=BASE_TIME + 2 * DAY)
    boosted = store.query(q, recency=recent)
    assert ids(boosted) == ["msg-2", "msg-1"]
    # msg-1 is two half-lives old: factor 0.1 + 0.9 * 0.25
    plain = store.query(q)
    assert boosted.similarities[1] == pytest.approx(plain.similarities[0] * 0.325, rel=1e-3)


def test_delete_by_ref_doc_node_ids_and_filter(store) -> None:
    store.delete("client:1")
    everything = VectorStoreQuery(query_embedding=unit(1, 1, 1), similarity_top_k=10)
    assert set(ids(store.query(everything))) == {
        "msg-3",
        "msg-4",
        str(uuid.UUID(int=5)),
        "doc-1-p1",
    }
    store.delete_nodes(node_ids=["msg-3"])
    assert "msg-3" not in ids(store.query(everything))
    store.delete_nodes(filters=MetadataFilters(filters=[eq("client_id", 3)]))
    assert ids(store.query(everything)) == ["msg-4"]


def test_get_nodes_and_upsert_replaces(store) -> None:
    got = store.get_nodes(node_ids=["msg-4", "doc-1-p1"])
    assert {n.node_id for n in got} == {"msg-4", "doc-1-p1"}
    by_filter = store.get_nodes(filters=MetadataFilters(filters=[eq("kind", "document")]))
    assert [n.node_id for n in by_filter] == ["doc-1-p1"]
    assert by_filter[0].metadata["filename"] == "catalogo.pdf"

    changed = make_nodes()[0]
    changed.text = "O frete para BH agora é grátis."
    store.add([changed])
    again = store.get_nodes(node_ids=["msg-1"])
    assert len(again) == 1 and again[0].get_content() == "O frete para BH agora é grátis."
    assert len(store.get_nodes()) == len(CORPUS)


def test_node_ids_restrict_query(store) -> None:
    result = store.query(
        VectorStoreQuery(
            query_embedding=unit(1, 0.1), similarity_top_k=5, node_ids=["msg-3", "doc-1-p1"]
        )
    )
    assert set(ids(result)) == {"msg-3", "doc-1-p1"}


async def test_async_paths(store) -> None:
    result = await store.aquery(VectorStoreQuery(query_embedding=unit(0, 1), similarity_top_k=1))
    assert ids(result) == ["msg-3"]
    await store.adelete_nodes(node_ids=["msg-3"])
    result = await store.aquery(VectorStoreQuery(query_embedding=unit(0, 1), similarity_top_k=1))
    assert ids(result) != ["msg-3"]


def test_both_stores_rank_identically(tmp_path: Path) -> None:
    edge, local = _edge(tmp_path), _local(tmp_path)
    for s in (edge, local):
        s.add(make_nodes())
    rng = np.random.default_rng(7)
    queries = ["frete sábado", "pix cartão", "tênis runner", "mochila azul R$ 129", "atraso"]
    for text in queries:
        vec = rng.normal(size=DIM)
        for mode in (
            VectorStoreQueryMode.DEFAULT,
            VectorStoreQueryMode.HYBRID,
            VectorStoreQueryMode.MMR,
        ):
            q = VectorStoreQuery(
                query_embedding=(vec / np.linalg.norm(vec)).tolist(),
                query_str=text,
                similarity_top_k=4,
                mode=mode,
            )
            for extra in ({}, {"recency": Recency(half_life_s=2 * DAY, now=BASE_TIME + 6 * DAY)}):
                a, b = edge.query(q, **extra), local.query(q, **extra)
                assert ids(a) == ids(b), (text, mode, extra)
                np.testing.assert_allclose(a.similarities, b.similarities, rtol=1e-4, atol=1e-5)
    edge.close()
    local.client.close()


def test_edge_persists_and_indexes_payload(tmp_path: Path) -> None:
    store = _edge(tmp_path)
    store.add(make_nodes())
    store.close()
    reopened = _edge(tmp_path)
    assert reopened.count() == len(CORPUS)
    assert reopened.count(MetadataFilters(filters=[eq("client_id", 2)])) == 2
    schema = reopened.client.info().payload_schema
    assert set(PAYLOAD_INDEXES) <= set(schema)
    result = reopened.query(
        VectorStoreQuery(query_str="pix", similarity_top_k=1, mode=VectorStoreQueryMode.SPARSE)
    )
    assert ids(result) == ["msg-3"]
    reopened.clear()
    assert reopened.count() == 0
    reopened.close()


def test_edge_rejects_other_dimension(tmp_path: Path) -> None:
    _edge(tmp_path).close()
    with pytest.raises(Exception):  # noqa: B017 - the engine's own error type
        EdgeVectorStore(tmp_path / "qdrant" / "copiloto", dim=DIM + 1)


def test_point_ids_are_stable_uuids() -> None:
    u = str(uuid.uuid4())
    assert point_id(u) == u
    assert point_id("msg-1") == point_id("msg-1") != point_id("msg-2")
    uuid.UUID(point_id("msg-1"))


def test_factory_defaults_to_edge_under_data_dir(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", _env_file=None)  # type: ignore[call-arg]
    store = build_vector_store(settings, dim=DIM)
    assert isinstance(store, EdgeVectorStore)
    assert Path(store.path) == tmp_path / "data" / "qdrant" / "copiloto"
    store.close()


def test_factory_shares_one_open_edge_store_per_folder(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", _env_file=None)  # type: ignore[call-arg]
    first = build_vector_store(settings, dim=DIM)
    second = build_vector_store(settings, dim=DIM)
    assert first is second  # the engine locks its WAL: a second handle would fail
    first.add(make_nodes())
    with pytest.raises(ValueError):
        build_vector_store(settings, dim=DIM + 1)
    first.close()
    reopened = build_vector_store(settings, dim=DIM)
    assert reopened is not first and reopened.count() == len(CORPUS)
    reopened.close()
