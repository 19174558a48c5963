"""A webhook request counts itself in the app's Foreground from its first byte to its answer."""

import json
import socket
import time

from channel_support import META_SECRET, LiveServer
from fastapi import FastAPI

from copiloto.channels.meta import sign
from copiloto.channels.webhooks import build_webhook_router
from copiloto.worker.foreground import Foreground


def _wait_for(condition, timeout_s: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


def test_meta_webhook_is_in_flight_until_answered(channel_settings, engine) -> None:
    foreground = Foreground()
    app = FastAPI()
    app.include_router(
        build_webhook_router(settings=channel_settings, engine=engine, foreground=foreground)
    )
    body = json.dumps({"object": "whatsapp_business_account", "entry": []}).encode()
    signature = sign(META_SECRET, body)
    head = (
        f"POST /webhooks/meta HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"X-Hub-Signature-256: {signature}\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode()
    with LiveServer(app) as server, socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(head + body[:10])  # the request has begun; its body is still arriving
        assert _wait_for(lambda: foreground.in_flight == 1)
        sock.sendall(body[10:])
        answer = sock.recv(4096)
        assert answer.startswith(b"HTTP/1.1 200")
        assert _wait_for(lambda: foreground.in_flight == 0)
