"""What the browser tests stand on: a loopback LLM that answers from the prompt it gets, a loopback
Meta Cloud API, the prepared demo data dir, and `copiloto serve` as a real subprocess.

ChainLit keeps process-wide state (one app per process), so the server always runs in its own
process; a "restart" is stopping that process and starting another on the same data dir.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

from support.openai_server import ScriptedOpenAIServer, ScriptedReply, _messages_text

SEND_CLIENT = "Luciana Martins"  # gets a phone and a fresh inbound message: inside the 24 h window
SEND_PHONE = "+5511987651234"
FRESH_TEXT = "Oi Rafael! Ainda tem horário para a visita técnica essa semana?"

REPO_ROOT = Path(__file__).resolve().parents[2]
COPILOTO = REPO_ROOT / ".venv" / "bin" / "copiloto"
ARTIFACTS = REPO_ROOT / "test-artifacts" / "browser"
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "copiloto123"
_CITED = re.compile(r"\[(m\d+(?:,\s*m\d+)*)\]")  # the context groups codes: [m12, m13]
_TONES = re.compile(r"nesta ordem: ([^\n]+)\.")  # the tones close the reply prompts
_QUESTION = re.compile(r"Pergunta: (.+)")

# Words the loopback LLM puts in its answers, so tests can find them on the page.
SUMMARY_MARK = "Resumo roteirizado"
WARNING_MARK = "Objeção roteirizada"
ANSWER_MARK = "Resposta roteirizada"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def offline_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COPILOTO_")}
    env.update(
        DO_NOT_TRACK="true",
        HF_HUB_OFFLINE="1",
        ANONYMIZED_TELEMETRY="false",
        OMP_NUM_THREADS="2",
        PYTHONUNBUFFERED="1",
    )
    return env


# --- the loopback LLM ------------------------------------------------------------------------------


class PromptAwareLLM(ScriptedOpenAIServer):
    """Answers each prompt task with valid JSON (or streamed text) citing message codes that are in
    that very prompt, so the answers survive the citation filter like a good model's would.

    `answer_delay_s` slows the streamed answer down so streaming is visible in the browser.
    """

    answer_delay_s: float = 0.05

    def _match(self, body: dict[str, Any]) -> ScriptedReply | None:
        scripted = super()._match(body)  # explicit rules (`on`) win
        if scripted is not None:
            return scripted
        text = _messages_text(body)
        # the prompts' own example code is [m123]; real codes come from the context
        codes = [int(n) for group in _CITED.findall(text) for n in re.findall(r"\d+", group)]
        cited = [i for i in dict.fromkeys(codes) if i != 123]
        first = f" [m{cited[-1]}]" if cited else ""
        second = f" [m{cited[-2]}]" if len(cited) > 1 else first
        name = _client_name(text)
        if "TAREFA: PERFIL" in text:
            return _json(
                {
                    "summary": f"{name} conversa de forma direta.{first}",
                    "communication_style": "informal, mensagens curtas",
                    "interests": ["orçamento"],
                }
            )
        if "TAREFA: RESUMO" in text:
            return _json(
                {
                    "summary": f"{SUMMARY_MARK}: {name} pediu retorno sobre a proposta.{first}",
                    "open_questions": ["Qual o prazo de entrega?"],
                    "follow_up": {
                        "when": "no próximo horário de costume",
                        "why": f"ficou pendente a resposta do cliente{second}",
                    },
                }
            )
        if "TAREFA: PONTOS DE ATENÇÃO" in text:
            return _json(
                {
                    "points": [
                        {
                            "point": WARNING_MARK,
                            "reason": f"o cliente comentou o preço{second}",
                        }
                    ]
                }
            )
        if "TAREFA: SUGESTÕES" in text:
            match = _TONES.search(text)
            tones = [t.strip() for t in match.group(1).split(",")] if match else ["formal"]
            return _json(
                {
                    "replies": [
                        {"tone": tone, "text": f"Olá {name}, tudo bem? Sugestão em tom {tone}."}
                        for tone in tones
                    ]
                }
            )
        if "TAREFA: PERGUNTA DO VENDEDOR" in text:
            question = _QUESTION.search(text)
            asked = question.group(1).strip() if question else ""
            content = f"{ANSWER_MARK} sobre “{asked}”: veja a mensagem citada.{first}"
            return ScriptedReply(content, delay_s=self.answer_delay_s)
        return None


def _json(payload: dict[str, Any]) -> ScriptedReply:
    return ScriptedReply(json.dumps(payload, ensure_ascii=False))


def _client_name(text: str) -> str:
    match = re.search(r"(?:Cliente|Nome|cliente):\s*([^\n(]+)", text)
    return match.group(1).strip().split()[0] if match else "cliente"


# --- the loopback Meta Cloud API --------------------------------------------------------------------


@dataclass
class MetaStandIn:
    """Records what the app sends to `POST /{phone_number_id}/messages` and answers like Meta."""

    sent: list[dict[str, Any]] = field(default_factory=list)
    _httpd: ThreadingHTTPServer | None = None

    @property
    def api_url(self) -> str:
        assert self._httpd is not None
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v21.0"

    def start(self) -> MetaStandIn:
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                body["_path"] = self.path
                body["_auth"] = self.headers.get("Authorization")
                stand_in.sent.append(body)
                data = json.dumps({"messages": [{"id": f"wamid.test{len(stand_in.sent)}"}]})
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data.encode())

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()


# --- data dir and server process --------------------------------------------------------------------


def prepare_demo(env: Mapping[str, str], log_file: Path, *, timeout_s: float = 900) -> float:
    """`copiloto demo --no-serve` into the data dir of `env`; returns the seconds it took."""
    started = time.monotonic()
    with log_file.open("w") as log:
        subprocess.run(
            [str(COPILOTO), "demo", "--no-serve"],
            env=dict(env),
            cwd=REPO_ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            check=True,
            timeout=timeout_s,
        )
    return time.monotonic() - started


class ServerProcess:
    """`copiloto serve` on a free loopback port, in its own process group."""

    def __init__(self, env: Mapping[str, str], log_file: Path, *, worker: bool = False) -> None:
        self.env = dict(env)
        self.log_file = log_file
        self.worker = worker
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, *, timeout_s: float = 120) -> ServerProcess:
        command = [str(COPILOTO), "serve", "--host", "127.0.0.1", "--port", str(self.port)]
        command.append("--worker" if self.worker else "--no-worker")
        log = self.log_file.open("ab")
        self.process = subprocess.Popen(
            command,
            env=self.env,
            cwd=REPO_ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"copiloto serve exited; see {self.log_file}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"copiloto serve did not answer in {timeout_s}s; see {self.log_file}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


def python() -> str:
    return sys.executable
