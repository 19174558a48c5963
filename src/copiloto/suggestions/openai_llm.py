"""OpenAI-compatible backend (OpenAI, vLLM, llama-server, Ollama, LM Studio…) through the `openai` SDK."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any, Literal

from copiloto.suggestions.llm import ContextTooLongError, LLMError, Message

log = logging.getLogger(__name__)

JsonMode = Literal["json_schema", "json_object", "none"]


class OpenAICompatibleLLM:
    """Chat completions over HTTP.

    `json_mode` says how a schema is asked for: `json_schema` (OpenAI structured outputs, also
    understood by llama-server and vLLM), `json_object` (older servers) or `none` (the prompt
    alone asks for JSON; validation and the repair attempt still apply).
    """

    def __init__(
        self,
        *,
        base_url: str,
        model: str,
        api_key: str | None = None,
        timeout_s: float = 120.0,
        max_retries: int = 1,
        json_mode: JsonMode = "json_schema",
    ) -> None:
        from openai import OpenAI

        self.name = model
        self.model = model
        self.json_mode = json_mode
        # Local servers ignore the key, but the SDK refuses to start without one.
        self._client = OpenAI(
            base_url=base_url,
            api_key=api_key or "not-needed",
            timeout=timeout_s,
            max_retries=max_retries,
        )

    def _response_format(self, json_schema: dict[str, Any] | None) -> dict[str, Any] | None:
        if json_schema is None or self.json_mode == "none":
            return None
        if self.json_mode == "json_object":
            return {"type": "json_object"}
        name = str(json_schema.get("title") or "output")[:64]
        return {"type": "json_schema", "json_schema": {"name": name, "schema": json_schema}}

    def chat(
        self,
        messages: list[Message],
        *,
        json_schema: dict[str, Any] | None = None,
        max_tokens: int = 512,
        temperature: float = 0.2,
    ) -> str:
        import openai

        extra: dict[str, Any] = {}
        response_format = self._response_format(json_schema)
        if response_format is not None:
            extra["response_format"] = response_format
        try:
            response = self._client.chat.completions.create(
                model=self.model,
                messages=messages,  # type: ignore[arg-type]
                max_tokens=max_tokens,
                temperature=temperature,
                **extra,
            )
        except openai.BadRequestError as error:
            if "context" in str(error).lower():
                raise ContextTooLongError(str(error)) from error
            raise LLMError(f"{self.model}: {error}") from error
        except openai.OpenAIError as error:
            raise LLMError(f"{self.model}: {error}") from error
        if not response.choices:
            raise LLMError(f"{self.model}: answer without choices")
        return response.choices[0].message.content or ""

    def stream(
        self,
        messages: list[Message],
        *,
        json_schema: dict[str, Any] | None = None,
        max_tokens: int = 512,
        temperature: float = 0.2,
    ) -> Iterator[str]:
        import openai

        extra: dict[str, Any] = {}
        response_format = self._response_format(json_schema)
        if response_format is not None:
            extra["response_format"] = response_format
        try:
            events = self._client.chat.completions.create(
                model=self.model,
                messages=messages,  # type: ignore[arg-type]
                max_tokens=max_tokens,
                temperature=temperature,
                stream=True,
                **extra,
            )
            with events:
                for event in events:
                    for choice in event.choices:
                        if choice.delta and choice.delta.content:
                            yield choice.delta.content
        except openai.OpenAIError as error:
            raise LLMError(f"{self.model}: {error}") from error
