"""Fixtures for generation tests: the real prompt files, a scripted OpenAI-compatible server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from copiloto.settings import bundled_path
from copiloto.suggestions.openai_llm import OpenAICompatibleLLM
from copiloto.suggestions.prompts import PromptBook, load_prompts
from copiloto.suggestions.schemas import ClientFacts, Evidence, PurchaseFact
from support.evidence import make_evidence
from support.openai_server import ScriptedOpenAIServer


@pytest.fixture(scope="session")
def prompt_book() -> PromptBook:
    return load_prompts(bundled_path("prompts"))


@pytest.fixture
def openai_server() -> Iterator[ScriptedOpenAIServer]:
    with ScriptedOpenAIServer() as server:
        yield server


@pytest.fixture
def remote_llm(openai_server: ScriptedOpenAIServer) -> OpenAICompatibleLLM:
    return OpenAICompatibleLLM(
        base_url=openai_server.base_url, model="scripted-model", max_retries=0
    )


@pytest.fixture
def facts() -> ClientFacts:
    return ClientFacts(
        name="Marina Souza",
        phone="+55 11 98765-4321",
        seller="ana",
        stage="proposal_sent",
        last_contact=datetime(2025, 3, 12, 17, 40, tzinfo=UTC),
        days_since_last_contact=5,
        last_message_from="client",
        purchases=[
            PurchaseFact(
                product="Kit solar 3 kWp",
                quantity=1,
                value="14900.00",
                purchased_on=datetime(2024, 11, 20).date(),
            )
        ],
        open_proposals=["18500.00"],
        contact_hours="fim da tarde",
    )


@pytest.fixture
def history() -> list[Evidence]:
    return [
        make_evidence(
            101, "Oi Ana, recebi a proposta de R$ 18.500,00 para o kit de 5 kWp.", minute=30
        ),
        make_evidence(102, "Consegue fazer em 10x sem juros? Achei um pouco caro.", minute=35),
        make_evidence(
            103, "Vou verificar com o financeiro e te retorno amanhã.", minute=38, author="Ana"
        ),
    ]


def repo_path(*parts: str) -> Path:
    return Path(__file__).resolve().parents[2].joinpath(*parts)
