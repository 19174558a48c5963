"""Prompt templates as files under `prompts/`, validated when loaded.

A prompt file is Markdown with a TOML front matter block between `+++` lines:

    +++
    description = "Sugestões de resposta quando o cliente escreveu por último"
    inputs = ["tones", "n_replies"]
    output = "ReplySetOutput"      # a model in suggestions/schemas.py, or "text"
    max_tokens = 450
    +++
    === user ===
    Escreva {n_replies} mensagens…

Placeholders are `{name}` (a Python identifier in braces); any other brace, such as a JSON example,
is literal, and `{{name}}` writes a literal `{name}`. Loading checks that every declared input is
used, every placeholder is declared and the output model exists, so a broken template stops the
application at start instead of failing at a seller's first request. Errors name the file.

The system message comes from the shared `_system.md` unless the file has its own
`=== system ===` section. Sharing it on purpose: the system message carries the client's context
(facts and messages), so all the calls of one brief start with the same tokens and llama.cpp
reuses their KV cache instead of reading the context again.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from copiloto.suggestions.schemas import OUTPUT_MODELS

TASKS: tuple[str, ...] = (
    "profile",
    "summary",
    "warnings",
    "reply",
    "follow_up",
    "new_lead",
    "reopen",
    "unblock",
    "answer",
)
SHARED_SYSTEM = "_system"
TEXT_OUTPUT = "text"

_FRONT_MATTER = re.compile(r"\A\+\+\+[ \t]*\n(?P<toml>.*?)\n\+\+\+[ \t]*\n(?P<body>.*)\Z", re.S)
_SECTION = re.compile(r"(?m)^===[ \t]*(?P<name>[a-z]+)[ \t]*===[ \t]*$")
_PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_]\w*)\}(?!\})")
_ESCAPED = re.compile(r"\{\{([A-Za-z_]\w*)\}\}")
_ALLOWED_KEYS = {"description", "inputs", "output", "max_tokens", "temperature", "system"}


class PromptError(ValueError):
    """A template file is malformed or a render call lacks a value; the message names the file."""


@dataclass(frozen=True)
class Template:
    """A `{name}` template with its declared inputs."""

    source: str
    inputs: tuple[str, ...]
    origin: str

    @property
    def placeholders(self) -> set[str]:
        return set(_PLACEHOLDER.findall(self.source))

    def render(self, values: Mapping[str, Any]) -> str:
        missing = [name for name in self.inputs if name not in values]
        if missing:
            raise PromptError(f"{self.origin}: missing value for {', '.join(missing)}")
        text = _PLACEHOLDER.sub(lambda match: str(values[match.group(1)]), self.source)
        return _ESCAPED.sub(lambda match: "{" + match.group(1) + "}", text)


@dataclass(frozen=True)
class Prompt:
    name: str
    path: Path
    description: str
    system: Template
    user: Template
    output: str
    max_tokens: int = 512
    temperature: float = 0.2

    @property
    def inputs(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*self.system.inputs, *self.user.inputs)))

    @property
    def output_model(self) -> type[BaseModel] | None:
        """None for plain-text output (streamed answers)."""
        return None if self.output == TEXT_OUTPUT else OUTPUT_MODELS[self.output]

    def render(self, **values: Any) -> list[dict[str, str]]:
        unknown = sorted(set(values) - set(self.inputs))
        if unknown:
            raise PromptError(f"{self.path.name}: undeclared value(s) {', '.join(unknown)}")
        return [
            {"role": "system", "content": self.system.render(values).strip()},
            {"role": "user", "content": self.user.render(values).strip()},
        ]


@dataclass(frozen=True)
class PromptBook:
    directory: Path
    prompts: Mapping[str, Prompt]

    def __getitem__(self, name: str) -> Prompt:
        try:
            return self.prompts[name]
        except KeyError:
            raise PromptError(f"no prompt named {name!r} in {self.directory}") from None

    def __contains__(self, name: object) -> bool:
        return name in self.prompts

    @property
    def names(self) -> list[str]:
        return sorted(self.prompts)

    def render(self, name: str, **values: Any) -> list[dict[str, str]]:
        return self[name].render(**values)


def _split(path: Path) -> tuple[dict[str, Any], dict[str, str]]:
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    match = _FRONT_MATTER.match(text)
    if not match:
        raise PromptError(f"{path.name}: missing +++ TOML front matter +++ block at the top")
    try:
        meta = tomllib.loads(match.group("toml"))
    except tomllib.TOMLDecodeError as error:
        raise PromptError(f"{path.name}: invalid front matter: {error}") from error
    unknown = sorted(set(meta) - _ALLOWED_KEYS)
    if unknown:
        raise PromptError(f"{path.name}: unknown front matter key(s) {', '.join(unknown)}")
    body = match.group("body")
    markers = list(_SECTION.finditer(body))
    sections: dict[str, str] = {}
    if not markers:
        sections["user"] = body
    else:
        if body[: markers[0].start()].strip():
            raise PromptError(f"{path.name}: text before the first === section ===")
        for index, marker in enumerate(markers):
            name = marker.group("name")
            if name not in ("system", "user") or name in sections:
                raise PromptError(f"{path.name}: unexpected or repeated section '{name}'")
            end = markers[index + 1].start() if index + 1 < len(markers) else len(body)
            sections[name] = body[marker.end() : end].strip("\n")
    return meta, sections


def _inputs(path: Path, meta: dict[str, Any]) -> tuple[str, ...]:
    inputs = meta.get("inputs", [])
    if not isinstance(inputs, list) or not all(isinstance(item, str) for item in inputs):
        raise PromptError(f"{path.name}: 'inputs' must be a list of names")
    if len(set(inputs)) != len(inputs):
        raise PromptError(f"{path.name}: 'inputs' lists a name twice")
    return tuple(inputs)


def _check_template(path: Path, template: Template, *, section: str) -> None:
    used = template.placeholders
    undeclared = sorted(used - set(template.inputs))
    if undeclared:
        raise PromptError(
            f"{path.name}: {section} uses undeclared variable(s) {', '.join(undeclared)}"
        )


def _load_shared(path: Path) -> Template:
    meta, sections = _split(path)
    inputs = _inputs(path, meta)
    template = Template(sections.get("system", sections.get("user", "")), inputs, path.name)
    _check_template(path, template, section="system")
    unused = sorted(set(inputs) - template.placeholders)
    if unused:
        raise PromptError(f"{path.name}: declared input(s) never used: {', '.join(unused)}")
    return template


def _load_prompt(path: Path, shared: Mapping[str, Template]) -> Prompt:
    meta, sections = _split(path)
    inputs = _inputs(path, meta)
    output = meta.get("output")
    if not isinstance(output, str) or not output:
        raise PromptError(f"{path.name}: 'output' (a schema name or \"text\") is required")
    if output != TEXT_OUTPUT and output not in OUTPUT_MODELS:
        raise PromptError(
            f"{path.name}: output model {output!r} does not exist; "
            f"known: {', '.join(sorted(OUTPUT_MODELS))}, text"
        )
    user_source = sections.get("user", "")
    if not user_source.strip():
        raise PromptError(f"{path.name}: empty user template")
    if "system" in sections:
        system = Template(sections["system"], (), path.name)
    else:
        system_name = meta.get("system", SHARED_SYSTEM)
        if system_name not in shared:
            raise PromptError(f"{path.name}: shared system prompt {system_name!r} not found")
        system = shared[system_name]
    own_inputs = tuple(name for name in inputs if name not in system.inputs)
    # The file's placeholders (user section and own system section) must match its own inputs.
    own_text = user_source + ("\n" + sections["system"] if "system" in sections else "")
    own = Template(own_text, own_inputs, path.name)
    _check_template(path, own, section="template")
    unused = sorted(set(own_inputs) - own.placeholders)
    if unused:
        raise PromptError(f"{path.name}: declared input(s) never used: {', '.join(unused)}")
    max_tokens = meta.get("max_tokens", 512)
    temperature = meta.get("temperature", 0.2)
    if not isinstance(max_tokens, int) or max_tokens <= 0:
        raise PromptError(f"{path.name}: 'max_tokens' must be a positive integer")
    if not isinstance(temperature, int | float) or not 0 <= temperature <= 2:
        raise PromptError(f"{path.name}: 'temperature' must be between 0 and 2")
    if "system" in sections:
        system = Template(sections["system"], own_inputs, path.name)
    return Prompt(
        name=path.stem,
        path=path,
        description=str(meta.get("description", "")),
        system=system,
        user=Template(user_source, own_inputs, path.name),
        output=output,
        max_tokens=max_tokens,
        temperature=float(temperature),
    )


def load_prompts(directory: Path, *, required: Iterable[str] = TASKS) -> PromptBook:
    """Load and validate every `*.md` in `directory` (but README.md); `_name.md` files are shared
    system parts."""
    directory = Path(directory)
    if not directory.is_dir():
        raise PromptError(f"prompt directory not found: {directory}")
    files = sorted(path for path in directory.glob("*.md") if path.name != "README.md")
    shared = {path.stem: _load_shared(path) for path in files if path.stem.startswith("_")}
    prompts = {
        path.stem: _load_prompt(path, shared) for path in files if not path.stem.startswith("_")
    }
    missing = [name for name in required if name not in prompts]
    if missing:
        raise PromptError(
            f"{directory}: missing prompt file(s) {', '.join(f'{n}.md' for n in missing)}"
        )
    return PromptBook(directory=directory, prompts=prompts)
