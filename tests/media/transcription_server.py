"""A real OpenAI-style `/v1/audio/transcriptions` server on 127.0.0.1 (FastAPI + uvicorn thread).

It records every upload (form fields and the WAV's length) and answers `verbose_json` with the
scripted text, so the OpenAI adapter is exercised through the real SDK and real HTTP.
"""

from __future__ import annotations

import io
import socket
import threading
import time
import wave
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from fastapi import FastAPI, Form, UploadFile
from fastapi.responses import JSONResponse


@dataclass
class Upload:
    model: str
    language: str | None
    response_format: str | None
    filename: str
    duration_s: float


@dataclass
class TranscriptionServer:
    text: str = "quero comprar um painel solar"
    language_name: str = "portuguese"
    status: int = 200
    uploads: list[Upload] = field(default_factory=list)

    def __post_init__(self) -> None:
        app = FastAPI()

        @app.post("/v1/audio/transcriptions")
        async def transcribe(
            file: UploadFile,
            model: str = Form(...),
            language: str | None = Form(None),
            response_format: str | None = Form(None),
        ) -> Any:
            data = await file.read()
            with wave.open(io.BytesIO(data)) as wav:
                duration = wav.getnframes() / wav.getframerate()
            self.uploads.append(
                Upload(model, language, response_format, file.filename or "", duration)
            )
            if self.status != 200:
                return JSONResponse(
                    {"error": {"message": "modelo indisponível", "type": "invalid_request"}},
                    status_code=self.status,
                )
            if response_format != "verbose_json":
                return {"text": self.text}
            return {
                "task": "transcribe",
                "language": self.language_name,
                "duration": duration,
                "text": self.text,
                "segments": [
                    {
                        "id": 0,
                        "seek": 0,
                        "start": 0.0,
                        "end": duration,
                        "text": self.text,
                        "tokens": [1, 2, 3, 4],
                        "temperature": 0.0,
                        "avg_logprob": -0.25,
                        "compression_ratio": 1.0,
                        "no_speech_prob": 0.01,
                    }
                ],
            }

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def __enter__(self) -> TranscriptionServer:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("transcription test server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
