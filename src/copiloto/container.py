"""The composition root: builds every adapter from the one `Settings` object, lazily.

Nothing else in the code base reads settings to decide which adapter to use; commands, the server
and tests ask the container. Properties are built on first use so a CLI command pays only for the
components it touches (the local LLM or Whisper are never loaded by `copiloto stats`).
"""

import logging
from functools import cached_property

from sqlalchemy.engine import Engine
from sqlmodel import Session

from copiloto.settings import Settings
from copiloto.storage.db import make_engine, migrate

log = logging.getLogger(__name__)


class Container:
    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()

    @cached_property
    def engine(self) -> Engine:
        """The database, migrated to the newest schema on first use."""
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = make_engine(self.settings.resolved_database_url)
        migrate(engine)
        return engine

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)
