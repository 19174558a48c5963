"""The FastAPI application: health, JSON API, webhooks, background work and the ChainLit UI at /."""

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.responses import JSONResponse

from copiloto.container import Container
from copiloto.server.heap import freeze_startup_objects
from copiloto.ui import use_project_chainlit_root

log = logging.getLogger(__name__)

UI_ENTRY = Path(__file__).resolve().parent.parent / "ui" / "chainlit_entry.py"


def async_database_url(url: str) -> str:
    """ChainLit's data layer is async: the same database through an async driver."""
    if url.startswith("sqlite:"):
        return url.replace("sqlite:", "sqlite+aiosqlite:", 1)
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def create_app(container: Container, *, background: bool | None = None, ui: bool = True) -> FastAPI:
    """Build the app. ChainLit keeps process-wide state, so build one app with `ui` per process."""
    settings = container.settings
    run_background = settings.run_worker if background is None else background
    loop_holder: dict[str, object] = {}

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        _ = container.engine  # built and migrated before the first request
        if run_background:
            from copiloto.pipeline import BackgroundLoop

            loop = BackgroundLoop(container)
            loop.start()
            loop_holder["loop"] = loop
        freeze_startup_objects()
        yield
        loop = loop_holder.get("loop")
        if loop is not None:
            loop.close()  # type: ignore[attr-defined]

    app = FastAPI(title="Copiloto", lifespan=lifespan)
    app.state.container = container

    @app.get("/healthz")
    def healthz() -> JSONResponse:
        checks = {"database": "ok", "vector_store": "ok"}
        try:
            with container.engine.connect() as connection:
                connection.execute(sa.text("select 1"))
        except Exception as error:  # reported, not raised: this is the health check
            checks["database"] = f"erro: {error}"
        try:
            _vector_store_ping(container)
        except Exception as error:
            checks["vector_store"] = f"erro: {error}"
        healthy = all(value == "ok" for value in checks.values())
        return JSONResponse(checks, status_code=200 if healthy else 503)

    from copiloto.channels.webhooks import build_webhook_router
    from copiloto.server.api import router as api_router

    app.include_router(api_router)
    app.include_router(
        build_webhook_router(
            settings=settings, engine=container.engine, foreground=container.foreground
        )
    )
    if ui:
        _mount_ui(app, container)
    return app


def _vector_store_ping(container: Container) -> None:
    from llama_index.core.vector_stores.types import VectorStoreQuery

    store = container.vector_store
    store.query(
        VectorStoreQuery(query_embedding=[0.0] * container.embedder.dim, similarity_top_k=1)
    )


def _mount_ui(app: FastAPI, container: Container) -> None:
    settings = container.settings
    # ChainLit reads its folder and secret from the environment when first imported.
    use_project_chainlit_root()
    os.environ.setdefault("CHAINLIT_AUTH_SECRET", settings.auth_secret.get_secret_value())
    import chainlit as cl
    from chainlit.data.sql_alchemy import SQLAlchemyDataLayer
    from chainlit.utils import mount_chainlit

    from copiloto.ui import chainlit_app
    from copiloto.ui.storage import build_data_layer, files_root, files_router

    chainlit_app.configure(container.workspace)
    url = async_database_url(settings.resolved_database_url)
    # Element files (cited messages, reply boxes) so resumed threads keep them; before ChainLit's
    # catch-all route at "/".
    app.include_router(files_router(files_root(settings), settings.auth_secret.get_secret_value()))

    @cl.data_layer
    def _data_layer() -> SQLAlchemyDataLayer:
        return build_data_layer(settings, database_url=url)

    mount_chainlit(app, target=str(UI_ENTRY), path="/")
