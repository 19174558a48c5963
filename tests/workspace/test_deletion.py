"""Deleting a client removes their rows and their points, and leaves everyone else alone."""

from llama_index.core.vector_stores.types import MetadataFilter, MetadataFilters, VectorStoreQuery
from sqlmodel import func, select

from copiloto.storage.tables import Client, Message, Purchase
from copiloto.workspace.deletion import delete_client


def points(container, client_id: int) -> int:
    query = VectorStoreQuery(
        query_embedding=[
            float(x) for x in container.embedder.embed(["kit solar"], kind="query")[0]
        ],
        similarity_top_k=100,
        filters=MetadataFilters(filters=[MetadataFilter(key="client_id", value=client_id)]),
    )
    return len(container.vector_store.query(query).nodes or [])


def test_delete_client_removes_rows_and_points(book) -> None:
    container, ids = book
    with container.session() as session:
        report = container.indexer.index_pending(session)
        session.commit()
    assert points(container, ids["marcos"]) > 0 and points(container, ids["carla"]) > 0
    del report

    with container.session() as session:
        removed = delete_client(session, ids["marcos"], indexer=container.indexer)
    assert removed["messages"] == 3 and removed["purchases"] == 1 and removed["conversations"] == 1

    assert points(container, ids["marcos"]) == 0
    assert points(container, ids["carla"]) > 0
    with container.session() as session:
        assert session.get(Client, ids["marcos"]) is None
        assert session.exec(select(func.count()).select_from(Purchase)).one() == 0
        left = session.exec(select(Message.client_id).distinct()).all()
        assert sorted(left) == sorted([ids["carla"], ids["bruno"]])
