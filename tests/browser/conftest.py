"""Session fixtures: one prepared demo data dir, the loopback LLM and Meta API, one server process,
and headless Debian chromium.

The demo data is prepared once per session by the real command (`copiloto demo --no-serve`, media,
analysis and index included). Embeddings come from the loopback server (deterministic vectors)
so the session does not spend minutes embedding 2,000 messages on a loaded machine; the slow test
in test_real_llm.py runs the packaged embedder and LLM instead.
For quick iterations, COPILOTO_TEST_BROWSER_SEED may name a data dir prepared earlier by this
fixture; it is copied instead of running the demo again.
"""

import os
import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from browser_support import (
    ARTIFACTS,
    CHROMIUM,
    FRESH_TEXT,
    SEND_CLIENT,
    SEND_PHONE,
    MetaStandIn,
    PromptAwareLLM,
    ServerProcess,
    offline_env,
    prepare_demo,
)
from sqlmodel import Session, select

from copiloto.domain.enums import Direction, MessageKind, Provider
from copiloto.storage.db import make_engine
from copiloto.storage.repository import add_message
from copiloto.storage.tables import Client, Message, Seller, utcnow


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath) and not Path(CHROMIUM).exists():
            item.add_marker(pytest.mark.skip(reason=f"{CHROMIUM} not installed (apt chromium)"))


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def llm() -> Iterator[PromptAwareLLM]:
    server = PromptAwareLLM().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def meta() -> Iterator[MetaStandIn]:
    stand_in = MetaStandIn().start()
    yield stand_in
    stand_in.stop()


@pytest.fixture(scope="session")
def app_env(
    tmp_path_factory: pytest.TempPathFactory,
    llm: PromptAwareLLM,
    meta: MetaStandIn,
    artifacts: Path,
) -> dict[str, str]:
    data_dir = tmp_path_factory.mktemp("browser") / "data"
    env = offline_env()
    env.update(
        COPILOTO_DATA_DIR=str(data_dir),
        COPILOTO_LLM_BASE_URL=llm.base_url,
        COPILOTO_LLM_MODEL=llm.model,
        COPILOTO_EMBEDDER="openai",
        COPILOTO_EMBEDDING_MODEL="loopback-hash",
        COPILOTO_EMBEDDING_BASE_URL=llm.base_url,
        COPILOTO_SEND_PROVIDER="meta",
        COPILOTO_META_API_URL=meta.api_url,
        COPILOTO_META_ACCESS_TOKEN="meta-token",
        COPILOTO_META_PHONE_NUMBER_ID="5550001",
        COPILOTO_AUTH_SECRET="browser-test-secret-0123456789-0123456789-0123456789",
    )
    seed = os.environ.get("COPILOTO_TEST_BROWSER_SEED")
    if seed:
        shutil.copytree(seed, data_dir)
    else:
        data_dir.mkdir(parents=True)
        prepare_demo(env, artifacts / "demo.log")
    _fresh_inbound_message(data_dir / "copiloto.db")
    return env


def _fresh_inbound_message(database: Path) -> None:
    """The Cloud API only allows free text within 24 h of the client's last message."""
    engine = make_engine(f"sqlite:///{database}")
    with Session(engine) as session:
        client = session.exec(select(Client).where(Client.name == SEND_CLIENT)).one()
        client.phone = SEND_PHONE
        conversation_id = session.exec(
            select(Message.conversation_id).where(Message.client_id == client.id)
        ).first()
        seller = session.get(Seller, client.seller_id)
        assert seller is not None and conversation_id is not None
        add_message(
            session,
            Message(
                conversation_id=conversation_id,
                client_id=client.id,  # type: ignore[arg-type]
                seller_id=client.seller_id,
                provider=Provider.META,
                provider_message_id=f"wamid.fresh-{utcnow().timestamp()}",
                direction=Direction.IN,
                author=client.name,
                sent_at=utcnow() - timedelta(hours=1),
                kind=MessageKind.TEXT,
                text=FRESH_TEXT,
            ),
        )
        session.add(client)
        session.commit()
    engine.dispose()


@pytest.fixture(scope="session")
def server(app_env: dict[str, str], artifacts: Path) -> Iterator[ServerProcess]:
    process = ServerProcess(app_env, artifacts / "server.log").start()
    yield process
    process.stop()


@pytest.fixture(scope="session")
def database(app_env: dict[str, str]) -> Iterator[Any]:
    engine = make_engine(f"sqlite:///{Path(app_env['COPILOTO_DATA_DIR']) / 'copiloto.db'}")
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")  # not session: Playwright's sync API holds an event loop
def browser() -> Iterator[Any]:  # open, which would break later tests that run their own
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()
