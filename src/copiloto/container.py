"""The composition root: builds every adapter from the one `Settings` object, lazily.

Nothing else in the code base reads settings to decide which adapter to use; commands, the server
and tests ask the container. Properties are built on first use so a CLI command pays only for the
components it touches (the local LLM or Whisper are never loaded by `copiloto stats`).
Tests pass real test doubles (a loopback LLM, a small embedder) through `overrides`.
"""

import logging
import threading
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from copiloto.settings import Settings
from copiloto.storage.db import make_engine, migrate

if TYPE_CHECKING:
    from llama_index.core.vector_stores.types import BasePydanticVectorStore

    from copiloto.analysis.classify import MessageClassifier
    from copiloto.channels.send import Sender
    from copiloto.media.asr import Transcriber
    from copiloto.media.documents import DocumentExtractor
    from copiloto.retrieval.embeddings import Embedder
    from copiloto.retrieval.indexing import Indexer
    from copiloto.retrieval.retrievers import ClientHistoryRetriever, SimilarNegotiationsRetriever
    from copiloto.suggestions.generation import Generator
    from copiloto.suggestions.llm import LLM
    from copiloto.worker.foreground import Foreground
    from copiloto.workspace.service import Workspace

log = logging.getLogger(__name__)


class Container:
    def __init__(self, settings: Settings | None = None, **overrides: Any) -> None:
        self.settings = settings or Settings()
        self._lock = threading.RLock()
        for name, value in overrides.items():
            if name not in type(self).__dict__:
                raise TypeError(f"unknown component {name!r}")
            self.__dict__[name] = value  # pre-fills the cached_property

    @cached_property
    def engine(self) -> Engine:
        """The database, migrated to the newest schema on first use."""
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = make_engine(self.settings.resolved_database_url)
        migrate(engine)
        return engine

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    # --- retrieval ---------------------------------------------------------------------------
    @cached_property
    def embedder(self) -> "Embedder":
        from copiloto.retrieval.embeddings import build_embedder

        return build_embedder(self.settings)

    @cached_property
    def vector_store(self) -> "BasePydanticVectorStore":
        from copiloto.retrieval.vector_store import build_vector_store

        return build_vector_store(self.settings, dim=self.embedder.dim)

    @cached_property
    def indexer(self) -> "Indexer":
        from copiloto.retrieval.indexing import Indexer

        return Indexer(embedder=self.embedder, vector_store=self.vector_store)

    @cached_property
    def history_retriever(self) -> "ClientHistoryRetriever":
        from copiloto.retrieval.retrievers import ClientHistoryRetriever

        return ClientHistoryRetriever(embedder=self.embedder, vector_store=self.vector_store)

    @cached_property
    def similar_retriever(self) -> "SimilarNegotiationsRetriever":
        from copiloto.retrieval.retrievers import SimilarNegotiationsRetriever

        return SimilarNegotiationsRetriever(embedder=self.embedder, vector_store=self.vector_store)

    # --- generation --------------------------------------------------------------------------
    @cached_property
    def llm(self) -> "LLM":
        from copiloto.suggestions.llm import build_llm

        return build_llm(self.settings)

    @cached_property
    def generator(self) -> "Generator":
        from copiloto.suggestions.generation import Generator
        from copiloto.suggestions.prompts import load_prompts

        return Generator(
            llm=self.llm,
            prompts=load_prompts(self.settings.prompts_dir),
            context_window=self.settings.llm_context_window,
            timezone=self.settings.tz,
        )

    # --- analysis and media ------------------------------------------------------------------
    @cached_property
    def classifier(self) -> "MessageClassifier":
        from copiloto.analysis.classify import build_classifier

        return build_classifier(self.settings)

    @cached_property
    def transcriber(self) -> "Transcriber":
        from copiloto.media.asr import build_transcriber

        return build_transcriber(self.settings)

    @cached_property
    def extractor(self) -> "DocumentExtractor":
        from copiloto.media.documents import build_extractor

        return build_extractor(self.settings)

    # --- channels ------------------------------------------------------------------------------
    @cached_property
    def sender(self) -> "Sender | None":
        from copiloto.channels.send import build_sender

        return build_sender(self.settings)

    @cached_property
    def foreground(self) -> "Foreground":
        """Webhook acks in flight, which the in-process worker steps aside for."""
        from copiloto.worker.foreground import Foreground

        return Foreground()

    # --- the seller's workspace ----------------------------------------------------------------
    @cached_property
    def workspace(self) -> "Workspace":
        from copiloto.workspace.service import Workspace

        return Workspace(self)
