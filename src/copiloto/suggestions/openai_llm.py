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

    def _format_options(self, json_schema: dict[str, Any] | None) -> dict[str, Any]:
        """The `response_format` argument for `json_schema`, or none (per `json_mode`)."""
        if json_schema is None or self.json_mode == "none":
            return {}
        if self.json_mode == "json_object":
            return {"response_format": {"type": "json_object"}}
        name = str(json_schema.get("title") or "output")[:64]
        schema = {"name": name, "schema": json_schema}
        return {"response_format": {"type": "json_schema", "json_schema": schema}}

    def chat(
        self,
        messages: list[Message],
        *,
        json_schema: dict[str, Any] | None = None,
        max_tokens: int = 512,
        temperature: float = 0.2,
    ) -> str:
        import openai

        try:
            response = self._client.chat.completions.create(
                model=self.model,
                messages=messages,  # type: ignore[arg-type]
                max_tokens=max_tokens,
                temperature=temperature,
                **self._format_options(json_schema),
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

        try:
            events = self._client.chat.completions.create(
                model=self.model,
                messages=messages,  # type: ignore[arg-type]
                max_tokens=max_tokens,
                temperature=temperature,
                stream=True,
                **self._format_options(json_schema),
            )
            with events:
                for event in events:
                    for choice in event.choices:
                        if choice.delta and choice.delta.content:
                            yield choice.delta.content
        except openai.OpenAIError as error:
            raise LLMError(f"{self.model}: {error}") from error
