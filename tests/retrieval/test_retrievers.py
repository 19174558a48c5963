"""The two retrievers over a real index: scoping, seller isolation, recency, won-first, grouping."""
# ruff: noqa: F811  (fixtures imported from retrieval_support are parameters here)

from dataclasses import replace
from datetime import timedelta

import pytest
from retrieval_support import (  # noqa: F401  (fixtures)
    T0,
    ChatBuilder,
    HashingEmbedder,
    chats,
    embedder,
    session,
    vector_store,
)
from sqlmodel import Session

from copiloto.domain.enums import Outcome
from copiloto.retrieval.chunking import ChunkingOptions
from copiloto.retrieval.indexing import Indexer
from copiloto.retrieval.retrievers import (
    ClientHistoryRetriever,
    Evidence,
    RetrievalOptions,
    SimilarNegotiationsRetriever,
    _discount_canned,
    drop_covered,
    prepare_query,
    within_budget,
)


@pytest.fixture
def world(session: Session, chats: ChatBuilder, embedder: HashingEmbedder, vector_store):
    carla = chats.client("Carla Mendes")
    chats.say(
        chats.conversation(carla),
        [
            ("c", "Quanto fica o frete para Campinas?"),
            ("v", "O frete para Campinas fica R$ 25,00"),
            ("c", "Achei o frete caro, vou pensar"),
        ],
    )
    carla_late = chats.conversation(carla)
    chats.say(
        carla_late,
        [("c", "Quanto fica o frete para Campinas?")],  # the same question, 90 days later
        start=T0 + timedelta(days=90),
    )
    won = chats.client("João Silva")
    chats.say(
        chats.conversation(won, outcome=Outcome.WON),
        [("c", "o frete ficou caro demais"), ("v", "consigo frete grátis acima de R$ 300")],
    )
    lost = chats.client("Marta Souza")
    chats.say(
        chats.conversation(lost, outcome=Outcome.LOST),
        [("c", "o frete ficou caro demais"), ("v", "infelizmente o frete é fixo")],
    )
    chatty = chats.client("Pedro Lima")
    chatty_chat = chats.conversation(chatty)
    for day in range(4):
        chats.say(
            chatty_chat,
            [("c", f"achei o frete caro de novo, dia {day}")],
            start=T0 + timedelta(days=day),
        )
    other_seller = chats.client("Carla Mendes", seller="Vendedor Rui")
    chats.say(chats.conversation(other_seller), [("c", "o frete do Rui é caro")])
    options = ChunkingOptions(message_nodes=True)  # single messages too, for the recency test
    Indexer(embedder=embedder, vector_store=vector_store, options=options).index_pending(session)
    return {
        "carla": carla,
        "won": won,
        "lost": lost,
        "chatty": chatty,
        "other_seller": other_seller,
        "seller_id": carla.seller_id,
        "embedder": embedder,
        "store": vector_store,
    }


def test_history_stays_within_the_client_and_cites_messages(world) -> None:
    retriever = ClientHistoryRetriever(embedder=world["embedder"], vector_store=world["store"])
    found = retriever.retrieve(
        "o que a Carla achou do frete?",
        client_id=world["carla"].id,
        seller_id=world["seller_id"],
        k=5,
        names=["Carla Mendes"],
    )
    assert found
    assert {e.client_id for e in found} == {world["carla"].id}
    assert retriever.last_query == "o que achou do frete?"
    top = found[0]
    assert isinstance(top, Evidence) and top.message_ids and top.conversation_id
    assert any("Achei o frete caro" in e.text for e in found)
    # no piece repeats messages of a better-ranked piece
    seen: set[int] = set()
    for e in found:
        if e.kind in {"message", "window"}:
            assert not set(e.message_ids) <= seen
            seen |= set(e.message_ids)


def test_history_prefers_recent_talk_when_similarity_ties(world) -> None:
    options = RetrievalOptions(recency_weight=0.5, kinds=("message",))
    retriever = ClientHistoryRetriever(
        embedder=world["embedder"], vector_store=world["store"], options=options
    )
    found = retriever.retrieve(
        "frete para Campinas", client_id=world["carla"].id, seller_id=world["seller_id"], k=3
    )
    assert found[0].text == "Carla: Quanto fica o frete para Campinas?"
    assert found[0].time == T0 + timedelta(days=90)
    assert found[0].text not in [e.text for e in found[1:]]  # the older repeat is dropped


def test_similar_negotiations_exclude_the_client_prefer_won_and_group_by_chat(world) -> None:
    retriever = SimilarNegotiationsRetriever(
        embedder=world["embedder"], vector_store=world["store"]
    )
    found = retriever.retrieve(
        "o frete ficou caro demais",
        client_id=world["carla"].id,
        seller_id=world["seller_id"],
        k=5,
    )
    clients = [e.client_id for e in found]
    assert world["carla"].id not in clients
    assert world["other_seller"].id not in clients  # another seller's client is never seen
    assert clients.count(world["chatty"].id) == 1  # one piece per conversation
    assert clients.index(world["won"].id) < clients.index(world["lost"].id)
    assert found[0].outcome == "won"


def test_seller_isolation_in_history(world) -> None:
    retriever = ClientHistoryRetriever(embedder=world["embedder"], vector_store=world["store"])
    found = retriever.retrieve("frete", client_id=None, seller_id=world["seller_id"], k=20)
    assert found and world["other_seller"].id not in {e.client_id for e in found}


def test_dense_only_mode_also_answers(world) -> None:
    retriever = ClientHistoryRetriever(
        embedder=world["embedder"],
        vector_store=world["store"],
        options=RetrievalOptions(mode="dense"),
    )
    found = retriever.retrieve("frete caro", client_id=world["carla"].id, k=2)
    assert found and all(e.client_id == world["carla"].id for e in found)


def _ev(node_id: str, ids: list[int], kind: str = "message", text: str = "") -> Evidence:
    return Evidence(
        node_id=node_id,
        text=text or f"{node_id:x<10}",
        score=1.0,
        kind=kind,
        client_id=1,
        conversation_id=1,
        message_ids=ids,
        time=T0,
        author=None,
        filename=None,
        page=None,
    )


def test_drop_covered_and_budget() -> None:
    items = [
        _ev("w", [1, 2, 3], kind="window"),
        _ev("m2", [2]),
        _ev("m4", [4]),
        _ev("t", [2], kind="transcript"),
        _ev("again", [9], text="W" + "x" * 9),  # the same text as "w", another message
    ]
    assert [e.node_id for e in drop_covered(items)] == ["w", "m4", "t"]
    assert [e.node_id for e in within_budget(items, 25)] == ["w", "m2"]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("o que a Carla achou do frete?", "o que achou do frete?"),
        ("Qual o endereço da carla mendes?", "Qual o endereço?"),
        ("Carla", "Carla"),
        ("O Joao pediu desconto?", "pediu desconto?"),
    ],
)
def test_prepare_query_removes_the_clients_name(question: str, expected: str) -> None:
    assert prepare_query(question, names=["Carla Mendes", "João"]) == expected


def test_canned_pieces_lose_to_the_negotiation() -> None:
    canned = replace(_ev("canned", [1], kind="window"), score=1.0, canned=1.0)
    mixed = replace(_ev("mixed", [2], kind="window"), score=0.8, canned=0.5)
    specific = replace(_ev("specific", [3], kind="window"), score=0.5)
    found = _discount_canned([canned, mixed, specific], 0.9)
    assert [e.node_id for e in found] == ["specific", "mixed", "canned"]
    assert _discount_canned([canned, specific], 0.0) == [canned, specific]


def test_a_voice_note_is_not_paid_twice() -> None:
    spoken = "achei o frete caro, vou pensar"
    transcript = _ev("t", [5], kind="transcript", text=f"Carla (áudio): {spoken}")
    window = _ev("w", [4, 5, 6], kind="window", text=f"Ana: frete R$ 25\nCarla: (áudio) {spoken}")
    other = _ev("o", [9], kind="window", text="Ana: bom dia")
    # the window takes the transcript's place; a transcript after its window is dropped
    assert [e.node_id for e in drop_covered([transcript, other, window])] == ["w", "o"]
    assert [e.node_id for e in drop_covered([window, transcript, other])] == ["w", "o"]
