"""Structured output: ask for JSON matching a pydantic model, validate, and repair once.

The schema is sent to the backend (llama.cpp constrains decoding to it; OpenAI-compatible servers
use `response_format`), but a server may ignore it and a response may be cut by `max_tokens`, so
every answer is validated. One repair round shows the model its answer and the validation error;
a second failure raises, because a third try rarely helps and doubles the wait.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from copiloto.suggestions.llm import LLM, LLMError, Message

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)

REPAIR_INSTRUCTION = (
    "Sua resposta anterior não é um JSON válido para o formato pedido.\n"
    "Erro: {error}\n"
    "Responda novamente apenas com o JSON corrigido, sem texto antes ou depois."
)
_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.S)


class StructuredOutputError(LLMError):
    """The model did not produce valid JSON for the schema, even after the repair attempt."""

    def __init__(self, message: str, *, raw: str) -> None:
        super().__init__(message)
        self.raw = raw


def output_schema(model: type[BaseModel]) -> dict[str, Any]:
    return model.model_json_schema()


def extract_json(raw: str) -> str:
    """The JSON inside a reply that may wrap it in ``` fences or chatter."""
    fenced = _FENCE.search(raw)
    if fenced:
        return fenced.group(1).strip()
    start = min((i for i in (raw.find("{"), raw.find("[")) if i >= 0), default=-1)
    end = max(raw.rfind("}"), raw.rfind("]"))
    if start >= 0 and end > start:
        return raw[start : end + 1]
    return raw.strip()


def parse_output(raw: str, model: type[M]) -> M:
    """Validate `raw` as `model`; raises ValueError with a short reason."""
    try:
        data = json.loads(extract_json(raw))
    except json.JSONDecodeError as error:
        raise ValueError(f"JSON inválido ({error.msg}, posição {error.pos})") from error
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in item['loc']) or 'raiz'}: {item['msg']}"
            for item in error.errors()[:5]
        )
        raise ValueError(f"campos inválidos: {problems}") from error


def complete_structured(
    llm: LLM,
    messages: list[Message],
    model: type[M],
    *,
    max_tokens: int = 512,
    temperature: float = 0.2,
) -> M:
    schema = output_schema(model)
    raw = llm.chat(messages, json_schema=schema, max_tokens=max_tokens, temperature=temperature)
    try:
        return parse_output(raw, model)
    except ValueError as error:
        log.warning("invalid %s from %s (%s); asking for a repair", model.__name__, llm.name, error)
        repair = [
            *messages,
            {"role": "assistant", "content": raw},
            {"role": "user", "content": REPAIR_INSTRUCTION.format(error=error)},
        ]
    raw_repair = llm.chat(repair, json_schema=schema, max_tokens=max_tokens, temperature=0.0)
    try:
        return parse_output(raw_repair, model)
    except ValueError as error:
        raise StructuredOutputError(
            f"{llm.name} gave no valid {model.__name__} after one repair: {error}", raw=raw_repair
        ) from error
