"""The LLM port: the one interface generation code talks to, and the factory that picks a backend.

Two backends sit behind it: any OpenAI-compatible API (`COPILOTO_LLM_BASE_URL`) and, as the
offline default, the packaged Qwen2.5-1.5B GGUF served in-process by llama.cpp (`xllamacpp`).
Generation code never imports either; the composition root calls `build_llm(settings)` once and
keeps the result, because loading the local model takes seconds.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from copiloto.settings import Settings

log = logging.getLogger(__name__)

Message = dict[str, Any]


class LLMError(RuntimeError):
    """The backend failed or refused the request (network, HTTP error, llama.cpp error)."""


class ContextTooLongError(LLMError):
    """The prompt does not fit the model's window; budget the context before calling."""


@runtime_checkable
class LLM(Protocol):
    """Chat completion, whole or streamed. `json_schema` asks for constrained JSON output."""

    name: str

    def chat(
        self,
        messages: list[Message],
        *,
        json_schema: dict[str, Any] | None = None,
        max_tokens: int = 512,
        temperature: float = 0.2,
    ) -> str: ...

    def stream(
        self,
        messages: list[Message],
        *,
        json_schema: dict[str, Any] | None = None,
        max_tokens: int = 512,
        temperature: float = 0.2,
    ) -> Iterator[str]: ...


def build_llm(settings: Settings) -> LLM:
    """`llm_base_url` set → OpenAI-compatible API; otherwise the local llama.cpp model."""
    if settings.llm_base_url:
        from copiloto.suggestions.openai_llm import OpenAICompatibleLLM

        api_key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
        log.info("LLM: OpenAI-compatible %s at %s", settings.llm_model, settings.llm_base_url)
        return OpenAICompatibleLLM(
            base_url=settings.llm_base_url,
            model=settings.llm_model,
            api_key=api_key,
            timeout_s=settings.llm_timeout_s,
        )
    from copiloto.suggestions.local_llm import LocalLLM, assemble_model

    model_path = settings.llm_model_path or assemble_model(settings)
    log.info("LLM: local llama.cpp model %s", model_path)
    return LocalLLM(
        model_path=model_path,
        context_window=settings.llm_context_window,
        threads=settings.llm_threads,
        prompt_cache_mib=settings.llm_prompt_cache_mib,
        name=settings.llm_model if settings.llm_model_path is None else model_path.stem,
    )
