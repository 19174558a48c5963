"""A real OpenAI-compatible HTTP server on 127.0.0.1 with scripted answers, for tests.

It stands in for a remote LLM API: the code under test talks to it over HTTP through the real
`openai` SDK, so request building, streaming (SSE) and error handling are exercised for real.

    with ScriptedOpenAIServer() as server:
        server.on("TAREFA: PERFIL", '{"summary": "..."}')          # substring of the messages
        server.on("TAREFA: RESUMO", "not json", '{"summary": ...}')  # answers in turn
        server.on(lambda body: body.get("stream"), "Olá, tudo bem?")
        llm = OpenAICompatibleLLM(base_url=server.base_url, model="test")
        ...
        assert server.requests[0].body["messages"][0]["role"] == "system"

Rules: the first rule whose matcher accepts the request answers; each rule gives its replies in
order and then repeats the last one. A request no rule matches gets HTTP 400 with a message
naming the unmatched request (so a test fails loudly instead of hanging). `/v1/embeddings`
answers deterministic vectors (or those of `embed`); `/v1/models` lists `model`.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Matcher = str | Callable[[dict[str, Any]], bool]


@dataclass
class ScriptedReply:
    """One scripted answer; `status` other than 200 answers an OpenAI-style error instead."""

    content: str = ""
    status: int = 200
    chunks: Sequence[str] | None = None  # how to split it when streamed; default: by word
    delay_s: float = 0.0  # pause before each streamed chunk
    finish_reason: str = "stop"


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def text(self) -> str:
        """All message contents joined, for asserting on what the prompt said."""
        return "\n".join(str(m.get("content", "")) for m in self.body.get("messages", []))


@dataclass
class _Rule:
    matcher: Matcher
    replies: list[ScriptedReply]
    used: int = 0

    def accepts(self, body: dict[str, Any]) -> bool:
        if callable(self.matcher):
            return bool(self.matcher(body))
        return self.matcher in _messages_text(body)

    def next_reply(self) -> ScriptedReply:
        reply = self.replies[min(self.used, len(self.replies) - 1)]
        self.used += 1
        return reply


def _messages_text(body: dict[str, Any]) -> str:
    parts = []
    for message in body.get("messages", []):
        content = message.get("content", "")
        if isinstance(content, list):  # content parts
            content = " ".join(str(part.get("text", "")) for part in content)
        parts.append(str(content))
    return "\n".join(parts)


def _default_embedding(text: str, dim: int) -> list[float]:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    values = [(digest[i % len(digest)] - 127.5) / 127.5 for i in range(dim)]
    norm = sum(v * v for v in values) ** 0.5 or 1.0
    return [v / norm for v in values]


@dataclass
class ScriptedOpenAIServer:
    model: str = "scripted-model"
    embedding_dim: int = 8
    embed: Callable[[str], list[float]] | None = None
    requests: list[RecordedRequest] = field(default_factory=list)
    _rules: list[_Rule] = field(default_factory=list)
    _httpd: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # --- scripting -------------------------------------------------------------------------------

    def on(self, matcher: Matcher, *replies: str | ScriptedReply) -> ScriptedOpenAIServer:
        """Answer requests accepted by `matcher` (substring of the messages, or a predicate)."""
        if not replies:
            raise ValueError("give at least one reply")
        scripted = [r if isinstance(r, ScriptedReply) else ScriptedReply(r) for r in replies]
        with self._lock:
            self._rules.append(_Rule(matcher, scripted))
        return self

    def chat_requests(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path.endswith("/chat/completions")]

    # --- lifecycle -------------------------------------------------------------------------------

    @property
    def port(self) -> int:
        assert self._httpd is not None, "server not started"
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> ScriptedOpenAIServer:
        handler = _make_handler(self)
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> ScriptedOpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- answering -------------------------------------------------------------------------------

    def _match(self, body: dict[str, Any]) -> ScriptedReply | None:
        with self._lock:
            for rule in self._rules:
                if rule.accepts(body):
                    return rule.next_reply()
        return None


def _make_handler(server: ScriptedOpenAIServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
            pass

        def _json(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _error(self, status: int, message: str) -> None:
            self._json(
                status,
                {"error": {"message": message, "type": "invalid_request_error", "code": status}},
            )

        def _record(self, body: dict[str, Any]) -> None:
            server.requests.append(
                RecordedRequest(self.command, self.path, dict(self.headers.items()), body)
            )

        def do_GET(self) -> None:
            self._record({})
            if self.path.rstrip("/").endswith("/models"):
                self._json(
                    200,
                    {"object": "list", "data": [{"id": server.model, "object": "model"}]},
                )
            else:
                self._error(404, f"no route {self.path}")

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b"{}"
            try:
                body = json.loads(raw or b"{}")
            except json.JSONDecodeError:
                self._record({"_raw": raw.decode("utf-8", "replace")})
                self._error(400, "body is not JSON")
                return
            self._record(body)
            if self.path.endswith("/chat/completions"):
                self._chat(body)
            elif self.path.endswith("/embeddings"):
                self._embeddings(body)
            else:
                self._error(404, f"no route {self.path}")

        def _chat(self, body: dict[str, Any]) -> None:
            reply = server._match(body)
            if reply is None:
                self._error(400, f"no scripted reply for: {_messages_text(body)[-300:]!r}")
                return
            if reply.status != 200:
                self._error(reply.status, reply.content or "scripted error")
                return
            created = int(time.time())
            if body.get("stream"):
                self._stream(reply, created)
                return
            self._json(
                200,
                {
                    "id": "chatcmpl-scripted",
                    "object": "chat.completion",
                    "created": created,
                    "model": server.model,
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": reply.content},
                            "finish_reason": reply.finish_reason,
                        }
                    ],
                    "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
                },
            )

        def _stream(self, reply: ScriptedReply, created: int) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Connection", "close")
            self.end_headers()
            if reply.chunks is not None:
                chunks = list(reply.chunks)
            else:
                words = reply.content.split(" ")
                chunks = [w + (" " if i < len(words) - 1 else "") for i, w in enumerate(words)]

            def event(delta: dict[str, Any], finish: str | None) -> None:
                payload = {
                    "id": "chatcmpl-scripted",
                    "object": "chat.completion.chunk",
                    "created": created,
                    "model": server.model,
                    "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
                }
                self.wfile.write(f"data: {json.dumps(payload)}\n\n".encode())
                self.wfile.flush()

            try:
                event({"role": "assistant", "content": ""}, None)
                for chunk in chunks:
                    if reply.delay_s:
                        time.sleep(reply.delay_s)
                    event({"content": chunk}, None)
                event({}, reply.finish_reason)
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client stopped reading: fine for a test server
            self.close_connection = True

        def _embeddings(self, body: dict[str, Any]) -> None:
            inputs = body.get("input", [])
            if isinstance(inputs, str):
                inputs = [inputs]
            embed = server.embed or (lambda text: _default_embedding(text, server.embedding_dim))
            self._json(
                200,
                {
                    "object": "list",
                    "model": body.get("model", server.model),
                    "data": [
                        {"object": "embedding", "index": i, "embedding": embed(str(text))}
                        for i, text in enumerate(inputs)
                    ],
                    "usage": {"prompt_tokens": 0, "total_tokens": 0},
                },
            )

    return Handler
