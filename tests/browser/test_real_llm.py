"""The full offline path in the browser: packaged embedder and the packaged local LLM (llama.cpp),
no loopback stand-ins. Slow: the demo data is embedded for real and every answer is generated on
the CPU. Timings go to test-artifacts/browser/timings-real-llm.json.
"""

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import ServerProcess, offline_env, prepare_demo
from test_workspace_browser import (
    cited_ids,
    login,
    new_page,
    say,
    shot,
    wait_for_text,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CLIENT = "Marcos Vieira"
GENERATION_TIMEOUT_MS = 600_000


@pytest.fixture(scope="module")
def real_server(
    tmp_path_factory: pytest.TempPathFactory, artifacts: Path
) -> Iterator[ServerProcess]:
    env = offline_env()
    env.update(
        COPILOTO_DATA_DIR=str(tmp_path_factory.mktemp("browser-real") / "data"),
        COPILOTO_AUTH_SECRET="browser-test-secret-0123456789-0123456789-0123456789",
    )
    Path(env["COPILOTO_DATA_DIR"]).mkdir(parents=True)
    prepare_demo(env, artifacts / "demo-real.log", timeout_s=1800)
    process = ServerProcess(env, artifacts / "server-real.log").start(timeout_s=300)
    yield process
    process.stop()


def test_real_local_llm_writes_the_brief_and_answers(
    browser: Any, real_server: ServerProcess, artifacts: Path
) -> None:
    timings: dict[str, float] = {}
    page = new_page(browser)
    login(page, real_server.url, "rafael")
    wait_for_text(page, "Quem você quer atender agora?")
    started = time.monotonic()
    page.get_by_role("button", name=f"⚠️ {CLIENT}", exact=True).click()
    wait_for_text(page, "Resumo da última conversa", timeout_ms=GENERATION_TIMEOUT_MS)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.reply-box textarea')]"
        ".filter(t => t.value.length > 0).length >= 3",
        timeout=GENERATION_TIMEOUT_MS,
    )
    timings["open_client_first_s"] = time.monotonic() - started
    texts = [t.input_value() for t in page.locator(".reply-box textarea").all()]
    assert all(len(t) > 10 for t in texts)
    shot(page, artifacts, "real-01-brief")

    say(page, "O que ele disse por último sobre a limpeza das placas?")
    started = time.monotonic()
    page.wait_for_function(
        "n => document.querySelectorAll(\"[data-step-type='assistant_message']\").length > n",
        arg=page.locator("[data-step-type='assistant_message']").count(),
        timeout=GENERATION_TIMEOUT_MS,
    )
    answer = page.locator("[data-step-type='assistant_message']").last
    page.wait_for_function(
        "e => e.innerText.trim().length > 0", arg=answer.element_handle(), timeout=300_000
    )
    timings["answer_first_token_s"] = time.monotonic() - started
    answer.locator("button:has(svg.lucide-thumbs-down)").wait_for(timeout=GENERATION_TIMEOUT_MS)
    timings["answer_complete_s"] = time.monotonic() - started
    shot(page, artifacts, "real-02-answer")
    assert len(answer.inner_text().strip()) > 20
    assert cited_ids(answer), "no source linked to the answer"
    page.context.close()

    page = new_page(browser)
    login(page, real_server.url, "rafael")
    wait_for_text(page, "Quem você quer atender agora?")
    started = time.monotonic()
    page.get_by_role("button", name=f"⚠️ {CLIENT}", exact=True).click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.reply-box textarea')]"
        ".filter(t => t.value.length > 0).length >= 3",
        timeout=GENERATION_TIMEOUT_MS,
    )
    timings["open_client_cached_s"] = time.monotonic() - started
    shot(page, artifacts, "real-03-cached")
    page.context.close()
    (artifacts / "timings-real-llm.json").write_text(json.dumps(timings, indent=2))
