"""Incremental, idempotent indexing from the store into a real (in-process Qdrant) vector store."""
# ruff: noqa: F811  (fixtures imported from retrieval_support are parameters here)

from datetime import timedelta
from decimal import Decimal

from llama_index.core.vector_stores.types import MetadataFilter, MetadataFilters
from retrieval_support import (  # noqa: F401  (fixtures)
    T0,
    ChatBuilder,
    HashingEmbedder,
    chats,
    embedder,
    session,
    vector_store,
)
from sqlmodel import Session, select

from copiloto.domain.enums import MessageKind, Outcome, ProcessingState
from copiloto.retrieval.indexing import Indexer
from copiloto.storage.tables import (
    Conversation,
    DocumentChunk,
    IndexEntry,
    MediaAsset,
    Message,
    Purchase,
)


def nodes_of(store, client_id: int):
    return store.get_nodes(
        filters=MetadataFilters(filters=[MetadataFilter(key="client_id", value=client_id)])
    )


def carla_chat(chats: ChatBuilder):
    carla = chats.client("Carla Mendes", phone="+5511987654321")
    conversation = chats.conversation(carla)
    chats.say(
        conversation,
        [
            ("c", "Oi, quanto fica o frete para Campinas?"),
            ("v", "O frete para Campinas fica R$ 25,00"),
            ("c", "Achei caro o frete, vou pensar e te aviso"),
        ],
    )
    return carla, conversation


def test_second_run_embeds_nothing_and_records_what_it_indexed(
    session: Session, chats: ChatBuilder, embedder: HashingEmbedder, vector_store
) -> None:
    carla, _ = carla_chat(chats)
    indexer = Indexer(embedder=embedder, vector_store=vector_store)
    seen: list[tuple[int, int]] = []
    first = indexer.index_pending(session, progress=lambda done, total: seen.append((done, total)))
    assert first.added == first.chunks > 0 and first.updated == first.deleted == 0
    assert seen[-1] == (first.chunks, first.chunks)
    assert len(nodes_of(vector_store, carla.id)) == first.chunks
    entries = session.exec(select(IndexEntry)).all()
    assert {e.node_id for e in entries} == {n.node_id for n in nodes_of(vector_store, carla.id)}
    assert all(e.embedder == "hashing-test" for e in entries)
    assert all(m.indexed_at is not None for m in session.exec(select(Message)).all())

    calls = len(embedder.calls)
    second = indexer.index_pending(session)
    assert second.unchanged == first.chunks
    assert second.added == second.updated == second.deleted == 0
    assert len(embedder.calls) == calls  # nothing embedded again


def test_new_messages_reindex_only_the_tail_and_drop_replaced_windows(
    session: Session, chats: ChatBuilder, embedder: HashingEmbedder, vector_store
) -> None:
    carla, conversation = carla_chat(chats)
    other = chats.client("João Silva")
    chats.say(chats.conversation(other), [("c", "Bom dia, vocês entregam em Santos amanhã?")])
    indexer = Indexer(embedder=embedder, vector_store=vector_store)
    indexer.index_pending(session)
    before = {n.node_id for n in nodes_of(vector_store, carla.id)}

    chats.say(
        conversation,
        [("c", "Pensei melhor: fecho se o frete sair por R$ 15")],
        start=T0 + timedelta(minutes=10),
    )
    report = indexer.index_pending(session)
    assert (report.added, report.updated) == (0, 1)  # only the window the message joined
    assert report.unchanged == 1  # João's window
    texts = [n.get_content() for n in nodes_of(vector_store, carla.id)]
    assert any("fecho se o frete sair por R$ 15" in t and "Campinas" in t for t in texts)
    assert len(texts) == len(set(texts))  # the replaced window is gone, not duplicated
    entries = session.exec(select(IndexEntry).where(IndexEntry.client_id == carla.id)).all()
    now = {n.node_id for n in nodes_of(vector_store, carla.id)}
    assert now == {e.node_id for e in entries}
    assert before <= now  # the window that grew kept its id and was overwritten in place


def test_outcome_change_rewrites_the_payload(
    session: Session, chats: ChatBuilder, embedder: HashingEmbedder, vector_store
) -> None:
    carla, conversation = carla_chat(chats)
    indexer = Indexer(embedder=embedder, vector_store=vector_store)
    first = indexer.index_pending(session)
    conversation.outcome = Outcome.WON
    session.add(conversation)
    session.flush()
    report = indexer.index_pending(session)
    assert report.updated == first.chunks
    assert {n.metadata["outcome"] for n in nodes_of(vector_store, carla.id)} == {"won"}


def test_pieces_carry_the_sellers_products_and_can_be_filtered_on_them(
    session: Session, chats: ChatBuilder, embedder: HashingEmbedder, vector_store
) -> None:
    carla, _ = carla_chat(chats)
    other = chats.client("Bruno Dias", phone="+5511987650000")
    chats.say(chats.conversation(other), [("c", "Quero o Kit Frete Grátis Campinas completo")])

    def sold(product: str) -> None:  # to Bruno: the seller's catalogue is what was sold
        session.add(
            Purchase(
                client_id=other.id,
                seller_id=other.seller_id,
                product=product,
                quantity=1,
                value=Decimal("90.00"),
                purchased_at=T0,
            )
        )
        session.flush()

    sold("Frete Expresso Campinas")
    Indexer(embedder=embedder, vector_store=vector_store).index_pending(session)
    # "frete expresso" is not in Carla's words, "frete para Campinas" is not the product: only
    # whole names or their first two words count
    assert {tuple(n.metadata["products"]) for n in nodes_of(vector_store, carla.id)} == {()}
    sold("Frete para Campinas")
    report = Indexer(embedder=embedder, vector_store=vector_store).index_pending(session)
    assert report.updated > 0  # the payload changed with the catalogue
    tagged = vector_store.get_nodes(
        filters=MetadataFilters(
            filters=[MetadataFilter(key="products", value="Frete para Campinas")]
        )
    )
    assert tagged and {n.metadata["client_id"] for n in tagged} == {carla.id}


def test_deleted_messages_lose_their_points(
    session: Session, chats: ChatBuilder, embedder: HashingEmbedder, vector_store
) -> None:
    carla, _ = carla_chat(chats)
    indexer = Indexer(embedder=embedder, vector_store=vector_store)
    indexer.index_pending(session)
    last = session.exec(select(Message).order_by(Message.id.desc())).first()  # type: ignore[union-attr]
    session.delete(last)
    session.flush()
    report = indexer.index_pending(session)
    assert report.updated == 1  # the window that held it
    assert not any("Achei caro" in n.get_content() for n in nodes_of(vector_store, carla.id))
    for message in session.exec(select(Message)).all():
        session.delete(message)
    session.flush()
    session.delete(session.exec(select(Conversation)).first())
    session.flush()
    report = indexer.index_pending(session)
    assert report.deleted >= 1 and nodes_of(vector_store, carla.id) == []


def test_delete_client_removes_only_its_points_and_entries(
    session: Session, chats: ChatBuilder, embedder: HashingEmbedder, vector_store
) -> None:
    carla, _ = carla_chat(chats)
    joao = chats.client("João Silva")
    chats.say(chats.conversation(joao), [("c", "Bom dia, vocês entregam em Santos amanhã?")])
    indexer = Indexer(embedder=embedder, vector_store=vector_store)
    indexer.index_pending(session)
    indexer.delete_client(session, carla.id)
    assert nodes_of(vector_store, carla.id) == []
    assert len(nodes_of(vector_store, joao.id)) > 0
    assert {e.client_id for e in session.exec(select(IndexEntry)).all()} == {joao.id}


def test_changing_the_embedder_reembeds_everything(
    session: Session, chats: ChatBuilder, embedder: HashingEmbedder, vector_store
) -> None:
    carla_chat(chats)
    first = Indexer(embedder=embedder, vector_store=vector_store).index_pending(session)

    class OtherEmbedder(HashingEmbedder):
        name = "hashing-test-v2"

    report = Indexer(embedder=OtherEmbedder(), vector_store=vector_store).index_pending(session)
    assert report.updated == first.chunks


def test_transcripts_and_document_chunks_are_indexed_with_their_message(
    session: Session, chats: ChatBuilder, embedder: HashingEmbedder, vector_store
) -> None:
    carla, conversation = carla_chat(chats)
    audio = MediaAsset(
        filename="PTT-001.opus",
        kind=MessageKind.AUDIO,
        state=ProcessingState.DONE,
        extracted_text="Prefiro receber na sexta-feira de manhã, depois das nove",
    )
    pdf = MediaAsset(filename="orcamento.pdf", kind=MessageKind.DOCUMENT, extracted_text="x")
    session.add_all([audio, pdf])
    session.flush()
    session.add(
        DocumentChunk(
            media_asset_id=pdf.id, position=0, page=3, title="Prazo", text="Entrega em 5 dias úteis"
        )
    )
    voice, document = chats.say(
        conversation, [("c", ""), ("v", "")], start=T0 + timedelta(minutes=30)
    )
    voice.kind, voice.media_asset_id = MessageKind.AUDIO, audio.id
    document.kind, document.media_asset_id = MessageKind.DOCUMENT, pdf.id
    session.add_all([voice, document])
    session.flush()

    Indexer(embedder=embedder, vector_store=vector_store).index_pending(session)
    by_kind = {}
    for node in nodes_of(vector_store, carla.id):
        by_kind.setdefault(node.metadata["kind"], []).append(node)
    (transcript,) = by_kind["transcript"]
    assert transcript.metadata["message_ids"] == [voice.id]
    assert "sexta-feira de manhã" in transcript.get_content()
    (doc,) = by_kind["document"]
    assert doc.metadata["message_ids"] == [document.id]
    assert doc.metadata["filename"] == "orcamento.pdf" and doc.metadata["page"] == 3
    assert "Entrega em 5 dias úteis" in doc.get_content()


def test_index_command_reports_json(tmp_path, monkeypatch) -> None:
    import json

    import typer
    from typer.testing import CliRunner

    from copiloto.retrieval.indexing import index_command

    monkeypatch.setenv("COPILOTO_DATA_DIR", str(tmp_path / "data"))
    app = typer.Typer()
    app.command()(index_command)
    result = CliRunner().invoke(app, ["--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["conversations"] == 0 and report["added"] == 0
    assert report["embedder"].startswith("use")
    unknown = CliRunner().invoke(app, ["--client", "Ninguém"])
    assert unknown.exit_code == 1


def test_a_follow_up_sent_to_three_clients_is_canned(
    session: Session, chats: ChatBuilder, embedder: HashingEmbedder, vector_store
) -> None:
    clients = []
    replies = {
        "Carla Mendes": "achei caro o frete para Campinas, vou pensar",
        "Bruno Lima": "a porta do armário de cima chegou riscada",
        "Diana Souza": "quero saber se vocês instalam no sábado de manhã",
    }
    for name, reply in replies.items():
        client = chats.client(name)
        first = name.split()[0]
        chats.say(
            chats.conversation(client),
            [
                ("v", f"{first}, tudo bem? Qualquer dúvida sobre a garantia é só chamar."),
                ("c", reply),
            ],
        )
        clients.append(client)
    Indexer(embedder=embedder, vector_store=vector_store).index_pending(session)
    for client in clients:
        (window,) = nodes_of(vector_store, client.id)
        assert 0.4 < window.metadata["canned"] < 0.8  # the follow-up, not the client's reply
