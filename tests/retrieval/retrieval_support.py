"""Shared by the retrieval tests (imported, not a conftest, so other conftests cannot clash).

A real store, a small embedder and a real vector store.

`HashingEmbedder` is a genuine (if weak) implementation of the embedder port: character trigrams
hashed into a fixed number of dimensions, so texts that share words are close. It keeps these
tests fast and deterministic; the packaged models are measured by `copiloto eval retrieval`.
"""

import hashlib
import itertools
import unicodedata
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Literal

import numpy as np
import pytest
from sqlmodel import Session

from copiloto.domain.enums import Direction, MessageKind, Outcome, Provider
from copiloto.storage.tables import Client, Conversation, Message, Seller

_counter = itertools.count(1)


class HashingEmbedder:
    name = "hashing-test"

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim
        self.calls: list[int] = []

    def embed(
        self, texts: Sequence[str], *, kind: Literal["query", "passage"] = "passage"
    ) -> np.ndarray:
        self.calls.append(len(texts))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            plain = unicodedata.normalize("NFKD", text.casefold())
            plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
            for word in plain.split():
                word = "".join(ch for ch in word if ch.isalnum())
                padded = f"#{word}#"
                for i in range(len(padded) - 2):
                    digest = hashlib.md5(padded[i : i + 3].encode()).digest()
                    out[row, int.from_bytes(digest[:4], "little") % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1
        return out / norms


def make_store(kind: str, dim: int, folder):
    """The project's two stores: Qdrant Edge in a folder (default) and the server adapter over
    qdrant-client's in-process mode (same API as a Qdrant server)."""
    if kind == "edge":
        from copiloto.retrieval.edge_store import EdgeVectorStore

        return EdgeVectorStore(folder / f"edge{next(_counter)}", dim=dim)
    import qdrant_client

    from copiloto.retrieval.vector_store import QdrantServerVectorStore

    return QdrantServerVectorStore(
        client=qdrant_client.QdrantClient(":memory:"),
        collection_name=f"test{next(_counter)}",
        dim=dim,
    )


@pytest.fixture
def embedder() -> HashingEmbedder:
    return HashingEmbedder()


@pytest.fixture(params=["edge", "qdrant-local"])
def vector_store(request, embedder: HashingEmbedder, tmp_path):
    store = make_store(request.param, embedder.dim, tmp_path)
    yield store
    if hasattr(store, "close"):
        store.close()


@pytest.fixture
def session(engine):
    """A session on the migrated SQLite database of `tests/conftest.py`."""
    with Session(engine, expire_on_commit=False) as session:
        yield session


T0 = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)


class ChatBuilder:
    """Writes sellers, clients, conversations and messages straight into the store."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._sellers: dict[str, Seller] = {}

    def seller(self, name: str = "Vendedora Ana") -> Seller:
        if name not in self._sellers:
            seller = Seller(name=name, login=name.lower().replace(" ", "."))
            self.session.add(seller)
            self.session.flush()
            self._sellers[name] = seller
        return self._sellers[name]

    def client(
        self, name: str, *, phone: str | None = None, seller: str = "Vendedora Ana"
    ) -> Client:
        client = Client(seller_id=self.seller(seller).id, name=name, phone=phone)
        self.session.add(client)
        self.session.flush()
        return client

    def conversation(
        self, client: Client, *, outcome: Outcome = Outcome.OPEN, key: str | None = None
    ) -> Conversation:
        conversation = Conversation(
            seller_id=client.seller_id,
            client_id=client.id,
            chat_key=key or f"chat-{client.id}-{next(_counter)}",
            outcome=outcome,
        )
        self.session.add(conversation)
        self.session.flush()
        return conversation

    def say(
        self,
        conversation: Conversation,
        lines: Sequence[tuple[str, str]],
        *,
        start: datetime = T0,
        step: timedelta = timedelta(minutes=2),
        seller_name: str = "Vendedora Ana",
    ) -> list[Message]:
        """lines: (who, text) with who = "c" (client) or "v" (seller)."""
        client = self.session.get(Client, conversation.client_id)
        assert client is not None
        messages = []
        for offset, (who, text) in enumerate(lines):
            message = Message(
                conversation_id=conversation.id,
                client_id=client.id,
                seller_id=conversation.seller_id,
                provider=Provider.EXPORT,
                provider_message_id=f"k{next(_counter)}",
                direction=Direction.IN if who == "c" else Direction.OUT,
                author=client.name if who == "c" else seller_name,
                sent_at=start + offset * step,
                kind=MessageKind.TEXT,
                text=text,
            )
            self.session.add(message)
            messages.append(message)
        self.session.flush()
        return messages


@pytest.fixture
def chats(session: Session) -> ChatBuilder:
    return ChatBuilder(session)
