"""Element files of ChainLit's data layer: stored on disk, served only through signed URLs; resumed
threads get their custom elements' props back; the client's name wins the thread-naming race."""

import asyncio
import json
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from copiloto.settings import Settings
from copiloto.storage.db import make_engine, migrate
from copiloto.ui.storage import build_data_layer, build_storage_client, files_router

SECRET = "test-secret"


def run(coroutine: Coroutine[Any, Any, Any]) -> Any:
    """Its own thread and loop: the browser tests' Playwright may hold this thread's loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


@pytest.fixture
def served(tmp_path: Path) -> tuple[object, TestClient]:
    app = FastAPI()
    app.include_router(files_router(tmp_path, SECRET))
    return build_storage_client(tmp_path, SECRET), TestClient(app)


def test_uploaded_file_is_served_with_its_mime_to_a_signed_url(served) -> None:
    storage, client = served
    stored = run(storage.upload_file("user/el-1/m12", "**Carla** — oi", mime="text/plain"))
    assert stored["object_key"] == "user/el-1/m12"
    response = client.get(stored["url"])
    assert response.status_code == 200
    assert response.text == "**Carla** — oi"
    assert response.headers["content-type"].startswith("text/plain")


def test_unsigned_forged_or_deleted_files_are_not_served(served) -> None:
    storage, client = served
    stored = run(storage.upload_file("user/el-2/m13", b"segredo", mime="text/plain"))
    path = unquote(stored["url"].split("?")[0])
    assert client.get(path).status_code == 404
    assert client.get(path + "?sig=0000").status_code == 404
    other = stored["url"].replace("m13", "m14")
    assert client.get(other).status_code == 404
    assert run(storage.delete_file("user/el-2/m13"))
    assert client.get(stored["url"]).status_code == 404


def test_keys_outside_the_folder_are_refused(served) -> None:
    storage, _ = served
    with pytest.raises(ValueError):
        run(storage.upload_file("../escape", b"x"))


@pytest.fixture
def layer(tmp_path: Path):
    settings = Settings(data_dir=tmp_path / "data", _env_file=None)  # type: ignore[call-arg]
    engine = make_engine(settings.resolved_database_url)
    migrate(engine)
    engine.dispose()
    url = settings.resolved_database_url.replace("sqlite:", "sqlite+aiosqlite:", 1)
    return build_data_layer(settings, database_url=url)


def test_client_name_survives_chainlit_naming_the_thread_after_an_action(layer) -> None:
    async def scenario() -> tuple[Any, Any]:
        await layer.update_thread("t1", name="Cliente: Carla Mendes", metadata={"client_id": 3})
        await layer.update_thread("t1", name="open_client")  # ChainLit's first-interaction name
        await layer.update_thread("t1", name="carla")  # or the first message's text
        await layer.update_thread("t2", name="new_lead")
        return (
            await layer.execute_sql(
                'SELECT "name", "metadata" FROM threads WHERE "id" = \'t1\'', {}
            ),
            await layer.execute_sql('SELECT "name" FROM threads WHERE "id" = \'t2\'', {}),
        )

    first, second = run(scenario())
    assert first[0]["name"] == "Cliente: Carla Mendes"
    assert json.loads(first[0]["metadata"])["client_id"] == 3
    assert second[0]["name"] is None  # an action's id is no name for a seller's thread
