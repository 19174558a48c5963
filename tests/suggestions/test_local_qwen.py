"""The packaged Qwen2.5-1.5B through llama.cpp: Portuguese generation, latency figures (slow).

Writes its measurements to test-artifacts/llm_latency.json; the README quotes them.
"""

from __future__ import annotations

import json
import logging
import os
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from copiloto.settings import Settings
from copiloto.suggestions.generation import BRIEF_TASKS, Generator, last_message
from copiloto.suggestions.local_llm import LocalLLM, assemble_model
from copiloto.suggestions.prompts import PromptBook
from copiloto.suggestions.schemas import ClientFacts, Evidence
from support.evidence import make_evidence

log = logging.getLogger(__name__)
REPO_ROOT = Path(__file__).resolve().parents[2]
WINDOW = 4096

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def qwen() -> LocalLLM:
    # Assembled once into the project's data dir (or COPILOTO_DATA_DIR) and reused across runs.
    data_dir = Path(os.environ.get("COPILOTO_DATA_DIR", REPO_ROOT / "data"))
    settings = Settings(data_dir=data_dir, _env_file=None)  # type: ignore[call-arg]
    started = time.perf_counter()
    path = assemble_model(settings)
    log.info("model ready in %.1f s", time.perf_counter() - started)
    llm = LocalLLM(model_path=path, context_window=WINDOW, threads=settings.llm_threads)
    started = time.perf_counter()
    llm.load()
    log.info("model loaded in %.1f s", time.perf_counter() - started)
    return llm


def conversation() -> list[Evidence]:
    lines = [
        (201, "Marina", "Boa tarde! Vi o anúncio de energia solar, queria um orçamento."),
        (202, "Ana", "Boa tarde, Marina! Qual o valor médio da sua conta de luz?"),
        (203, "Marina", "Uns 450 reais por mês. A casa tem telhado de cerâmica."),
        (204, "Ana", "Perfeito. Enviei a proposta do kit de 5 kWp: R$ 18.500,00 instalado."),
        (205, "Marina", "Recebi. Achei um pouco caro, consegue parcelar em 10x sem juros?"),
        (206, "Marina", "E quanto tempo demora a instalação?"),
    ]
    return [
        make_evidence(i, text, minute=n * 3, author=author)
        for n, (i, author, text) in enumerate(lines)
    ]


def facts() -> ClientFacts:
    return ClientFacts(
        name="Marina Souza",
        stage="proposal_sent",
        last_contact=datetime(2025, 3, 12, 17, 15, tzinfo=UTC),
        days_since_last_contact=2,
        last_message_from="client",
        open_proposals=["18500.00"],
        contact_hours="fim da tarde",
    )


def test_qwen_reply_latency_and_grounded_replies(qwen: LocalLLM, prompt_book: PromptBook) -> None:
    """First token of a reply suggestion, cold and with the context already cached, then one
    real structured call (JSON schema constrained) through the generator's checks."""
    generator = Generator(llm=qwen, prompts=prompt_book, context_window=WINDOW)
    history = conversation()
    context = generator.build_context(
        facts=facts(), history=history, similar=[], tasks=(*BRIEF_TASKS[:-1], "reply")
    )
    figures: dict[str, float | int | str] = {
        "model": qwen.name,
        "threads": qwen.threads,
        "context_tokens_estimate": context.tokens,
        "load_average_1min": round(os.getloadavg()[0], 1),
    }
    out = REPO_ROOT / "test-artifacts"
    out.mkdir(exist_ok=True)

    def timed_stream(label: str, task: str, **values: str) -> str:
        messages = prompt_book[task].render(context=context.text, **values)
        started = time.perf_counter()
        first = None
        pieces = []
        for piece in qwen.stream(messages, max_tokens=48, temperature=0.0):
            if first is None:
                first = time.perf_counter() - started
            pieces.append(piece)
        total = time.perf_counter() - started
        assert first is not None
        figures[f"{label}_first_token_s"] = round(first, 2)
        figures[f"{label}_pieces_per_s"] = round((len(pieces) - 1) / max(total - first, 1e-6), 1)
        # written after every step: on a loaded box the test may be stopped half-way
        (out / "llm_latency.json").write_text(json.dumps(figures, indent=1, ensure_ascii=False))
        log.info("%s: %s", label, figures)
        return "".join(pieces)

    tones = {
        "tones": "formal, descontraído, direto",
        "n_replies": "3",
        "last_message": last_message(context),
    }
    # 1. nothing cached: the whole context is read
    assert timed_stream("summary_cold", "summary").strip()
    # 2. the brief's usual case: shared context cached, only the reply instructions are new
    assert timed_stream("reply_prefix_cached", "reply", **tones).strip()
    # 3. the same reply prompt again (the seller asks for other suggestions)
    assert timed_stream("reply_fully_cached", "reply", **tones).strip()

    started = time.perf_counter()
    replies = generator.replies(facts=facts(), history=history, situation="reply")
    figures["structured_replies_s"] = round(time.perf_counter() - started, 1)
    (out / "llm_latency.json").write_text(json.dumps(figures, indent=1, ensure_ascii=False))
    (out / "qwen_replies.json").write_text(
        json.dumps([r.model_dump() for r in replies], indent=1, ensure_ascii=False)
    )
    log.info("replies: %s", [r.text for r in replies])
    assert 1 <= len(replies) <= 3 and all(r.text.strip() for r in replies)
    assert all(set(r.message_ids) <= {201, 202, 203, 204, 205, 206} for r in replies)
    # Load-independent checks that the shared-prefix design works: cached context is not re-read.
    cold = figures["summary_cold_first_token_s"]
    assert figures["reply_prefix_cached_first_token_s"] < cold  # type: ignore[operator]
    assert figures["reply_fully_cached_first_token_s"] < cold  # type: ignore[operator]
