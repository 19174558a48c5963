"""Loopback HTTP both ways: the app on a free 127.0.0.1 port, and a stand-in for the providers' APIs."""

import base64
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy.engine import Engine

from copiloto.channels.webhooks import build_webhook_router
from copiloto.settings import Settings

META_SECRET = "meta-app-secret"
TWILIO_TOKEN = "twilio-auth-token"
WEBHOOK_SECRET = "s3cr3t-path"
MEDIA_BYTES = b"\x89PNG fake image bytes for the test"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """uvicorn in a thread, on a free loopback port."""

    def __init__(self, app: Any) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> "LiveServer":
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@dataclass
class ProviderStandIn:
    """Records what the app sent to the 'providers' and serves their media."""

    url: str = ""
    sent: list[dict[str, Any]] = field(default_factory=list)
    media_gets: list[str] = field(default_factory=list)
    expired_urls: set[str] = field(default_factory=set)
    url_counter: int = 0
    fail_next_send: dict[str, Any] | None = None


def build_standin(state: ProviderStandIn) -> FastAPI:
    app = FastAPI()

    def bearer_ok(request: Request) -> bool:
        return request.headers.get("authorization") == "Bearer meta-token"

    @app.get("/meta/v21.0/{media_id}")
    async def meta_media_url(media_id: str, request: Request) -> Response:
        if not bearer_ok(request):
            return JSONResponse({"error": {"code": 190}}, status_code=401)
        state.url_counter += 1
        url = f"{state.url}/meta/cdn/{media_id}/{state.url_counter}"
        if media_id.startswith("expiring") and state.url_counter == 1:
            state.expired_urls.add(url)  # the first URL handed out has expired by download time
        return JSONResponse({"url": url, "mime_type": "image/png", "id": media_id})

    @app.get("/meta/cdn/{media_id}/{n}")
    async def meta_cdn(media_id: str, n: int, request: Request) -> Response:
        state.media_gets.append(str(request.url))
        if not bearer_ok(request):
            return Response(status_code=401)
        if str(request.url) in state.expired_urls:
            return Response(status_code=404)
        return Response(MEDIA_BYTES + media_id.encode(), media_type="image/png")

    @app.post("/meta/v21.0/{phone_number_id}/messages")
    async def meta_send(phone_number_id: str, request: Request) -> Response:
        body = await request.json()
        state.sent.append(
            {"provider": "meta", "auth": request.headers.get("authorization"), **body}
        )
        if state.fail_next_send is not None:
            error, state.fail_next_send = state.fail_next_send, None
            return JSONResponse({"error": error}, status_code=400)
        return JSONResponse({"messages": [{"id": f"wamid.out{len(state.sent)}"}]})

    @app.get("/twilio/media/{sid}")
    async def twilio_media(sid: str, request: Request) -> Response:
        expected = "Basic " + base64.b64encode(f"AC123:{TWILIO_TOKEN}".encode()).decode()
        if request.headers.get("authorization") != expected:
            return Response(status_code=401)
        state.media_gets.append(sid)
        return Response(b"OggS fake audio " + sid.encode(), media_type="audio/ogg")

    @app.post("/twilio/2010-04-01/Accounts/{sid}/Messages.json")
    async def twilio_send(sid: str, request: Request) -> Response:
        form = dict(await request.form())
        state.sent.append({"provider": "twilio", "account": sid, **form})
        if form.get("To") == "whatsapp:+5511900000000":
            return JSONResponse({"code": 21211, "message": "Invalid 'To'"}, status_code=400)
        return JSONResponse({"sid": f"SM{len(state.sent):032d}", "status": "queued"})

    @app.get("/zapi/files/{name}")
    async def zapi_file(name: str) -> Response:
        state.media_gets.append(name)
        return Response(b"%PDF-1.4 fake " + name.encode(), media_type="application/pdf")

    @app.post("/zapi/instances/{instance}/token/{token}/send-text")
    async def zapi_send(instance: str, token: str, request: Request) -> Response:
        body = await request.json()
        state.sent.append(
            {"provider": "zapi", "client_token": request.headers.get("client-token"), **body}
        )
        return JSONResponse({"zaapId": "z1", "messageId": f"ZAPI{len(state.sent)}", "id": "z1"})

    return app


def _secret(value: str) -> Any:
    from pydantic import SecretStr

    return SecretStr(value)


@dataclass
class App:
    url: str
    settings: Settings
    engine: Engine


def start_app(settings: Settings, engine: Engine) -> LiveServer:
    app = FastAPI()
    app.include_router(build_webhook_router(settings=settings, engine=engine))
    return LiveServer(app)
