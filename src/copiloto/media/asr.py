"""Speech to text: one small port and three adapters (faster-whisper, openai-whisper, OpenAI API).

The offline default is faster-whisper with the packaged Whisper *base* model (int8 on CPU). Every
adapter decodes with the same `audio` helpers, answers silence without calling a model (Whisper
invents words on silence), and cuts long notes into pieces so memory and request sizes stay bounded.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from copiloto.media import audio
from copiloto.media.errors import MediaError

if TYPE_CHECKING:
    from copiloto.settings import Settings

log = logging.getLogger(__name__)

DEFAULT_PIECE_S = 600.0


@dataclass(frozen=True)
class Transcript:
    text: str
    language: str | None
    avg_logprob: float | None
    duration_s: float
    model: str
    is_silence: bool


class Transcriber(Protocol):
    def transcribe(self, path: Path, *, language: str | None = "pt") -> Transcript:
        """Text of a voice note; `language=None` detects it. Raises `MediaError` for bad files."""
        ...


@dataclass(frozen=True)
class _PieceResult:
    text: str
    language: str | None
    logprob_sum: float
    logprob_weight: float


def _silence(duration: float, model: str, language: str | None) -> Transcript:
    return Transcript("", language, None, duration, model, True)


def _join(pieces: list[_PieceResult], *, duration: float, model: str, language: str | None):
    text = " ".join(p.text.strip() for p in pieces if p.text.strip()).strip()
    weight = sum(p.logprob_weight for p in pieces)
    avg = sum(p.logprob_sum for p in pieces) / weight if weight else None
    detected = next((p.language for p in pieces if p.language), language)
    return Transcript(text, detected, avg, duration, model, is_silence=not text)


class _PieceTranscriber:
    """Shared flow: decode → silence check → pieces → join. Subclasses transcribe one piece."""

    model_label: str = "asr"

    def __init__(self, *, max_piece_s: float = DEFAULT_PIECE_S) -> None:
        self.max_piece_s = max_piece_s

    def transcribe(self, path: Path, *, language: str | None = "pt") -> Transcript:
        samples = audio.decode_audio(path)
        return self.transcribe_samples(samples, language=language)

    def transcribe_samples(self, samples: np.ndarray, *, language: str | None = "pt") -> Transcript:
        duration = audio.duration_s(samples)
        if audio.is_silent(samples):
            return _silence(duration, self.model_label, language)
        results: list[_PieceResult] = []
        current = language
        for piece in audio.split_long(samples, max_s=self.max_piece_s):
            if audio.is_silent(piece.samples):
                continue
            result = self._transcribe_piece(piece.samples, language=current)
            current = current or result.language  # later pieces keep the detected language
            results.append(result)
        return _join(results, duration=duration, model=self.model_label, language=current)

    def _transcribe_piece(self, samples: np.ndarray, *, language: str | None) -> _PieceResult:
        raise NotImplementedError


class FasterWhisperTranscriber(_PieceTranscriber):
    """CTranslate2 Whisper on CPU. The model loads on first use (seconds), never at import."""

    def __init__(
        self,
        model: str | Path,
        *,
        label: str | None = None,
        threads: int = 2,
        compute_type: str = "int8",
        beam_size: int = 5,
        vad_filter: bool = True,
        vad_parameters: dict[str, float] | None = None,
        download_root: Path | None = None,
        max_piece_s: float = DEFAULT_PIECE_S,
    ) -> None:
        super().__init__(max_piece_s=max_piece_s)
        self.model = str(model)
        self.model_label = label or f"faster-whisper:{Path(self.model).name}"
        self.threads = threads
        self.compute_type = compute_type
        self.beam_size = beam_size
        self.vad_filter = vad_filter
        # Softer than Silero's defaults (0.5 / 400 ms), which clipped first words of short notes
        # ("Vote se…" → "e se…") on the shared speech set.
        self.vad_parameters = vad_parameters or {"threshold": 0.3, "speech_pad_ms": 800}
        self.download_root = download_root
        self._whisper: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._whisper is None:
                from faster_whisper import WhisperModel

                try:
                    self._whisper = WhisperModel(
                        self.model,
                        device="cpu",
                        compute_type=self.compute_type,
                        cpu_threads=self.threads,
                        download_root=str(self.download_root) if self.download_root else None,
                        local_files_only=True,  # never download at run time
                    )
                except Exception as exc:
                    raise MediaError("model_unavailable", f"{self.model}: {exc}"[:300]) from exc
            return self._whisper

    def _transcribe_piece(self, samples: np.ndarray, *, language: str | None) -> _PieceResult:
        whisper = self._load()
        segments, info = whisper.transcribe(
            samples,
            language=language,
            beam_size=self.beam_size,
            temperature=0.0,
            vad_filter=self.vad_filter,
            vad_parameters=self.vad_parameters if self.vad_filter else None,
            condition_on_previous_text=False,
        )
        texts: list[str] = []
        logprob_sum = 0.0
        weight = 0.0
        for segment in segments:  # a generator: decoding happens while iterating
            texts.append(segment.text.strip())
            n_tokens = max(1, len(segment.tokens))
            logprob_sum += segment.avg_logprob * n_tokens
            weight += n_tokens
        return _PieceResult(" ".join(t for t in texts if t), info.language, logprob_sum, weight)


class OpenAIWhisperTranscriber(_PieceTranscriber):
    """The reference `openai-whisper` (PyTorch) package, used only when its weights are on disk."""

    def __init__(
        self,
        checkpoint: str,
        *,
        label: str | None = None,
        threads: int = 2,
        max_piece_s: float = DEFAULT_PIECE_S,
    ) -> None:
        super().__init__(max_piece_s=max_piece_s)
        self.checkpoint = checkpoint
        self.model_label = label or f"openai-whisper:{Path(checkpoint).stem}"
        self.threads = threads
        self._whisper: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._whisper is None:
                import torch
                import whisper

                torch.set_num_threads(self.threads)
                self._whisper = whisper.load_model(self.checkpoint, device="cpu")
            return self._whisper

    def _transcribe_piece(self, samples: np.ndarray, *, language: str | None) -> _PieceResult:
        model = self._load()
        result = model.transcribe(
            samples,
            language=language,
            temperature=0.0,
            fp16=False,
            condition_on_previous_text=False,
            verbose=None,
        )
        logprob_sum = 0.0
        weight = 0.0
        for segment in result.get("segments", []):
            n_tokens = max(1, len(segment.get("tokens", [])))
            logprob_sum += float(segment["avg_logprob"]) * n_tokens
            weight += n_tokens
        return _PieceResult(
            str(result.get("text", "")), result.get("language"), logprob_sum, weight
        )


# OpenAI's verbose_json answers with language names; the store keeps ISO 639-1 codes.
_LANGUAGE_CODES = {
    "portuguese": "pt",
    "english": "en",
    "spanish": "es",
    "french": "fr",
    "german": "de",
    "italian": "it",
}


class OpenAIApiTranscriber(_PieceTranscriber):
    """OpenAI's (or a compatible server's) `/audio/transcriptions`, one ≤10-minute WAV per request
    so every request stays under the API's 25 MB upload limit."""

    def __init__(
        self,
        *,
        base_url: str | None,
        api_key: str | None,
        model: str = "whisper-1",
        timeout_s: float = 120.0,
        max_piece_s: float = DEFAULT_PIECE_S,
    ) -> None:
        super().__init__(max_piece_s=max_piece_s)
        self.base_url = base_url
        self.api_key = api_key
        self.model = model
        self.model_label = f"openai:{model}"
        self.timeout_s = timeout_s
        self._client: Any = None

    def _get_client(self) -> Any:
        if self._client is None:
            from openai import OpenAI

            self._client = OpenAI(
                base_url=self.base_url,
                api_key=self.api_key or "not-needed",
                timeout=self.timeout_s,
                max_retries=2,
            )
        return self._client

    def _transcribe_piece(self, samples: np.ndarray, *, language: str | None) -> _PieceResult:
        import openai

        verbose = self.model.startswith("whisper")  # the gpt-4o transcribers answer json only
        options: dict[str, Any] = {"response_format": "verbose_json" if verbose else "json"}
        if language:
            options["language"] = language
        try:
            response = self._get_client().audio.transcriptions.create(
                model=self.model,
                file=("note.wav", audio.wav_bytes(samples), "audio/wav"),
                temperature=0.0,
                **options,
            )
        except openai.APIStatusError as exc:
            raise MediaError(
                "backend_error", f"HTTP {exc.status_code}: {exc.message}"[:300]
            ) from exc
        except openai.APIError as exc:
            raise MediaError("backend_error", f"{type(exc).__name__}: {exc}"[:300]) from exc
        data = response.model_dump() if hasattr(response, "model_dump") else dict(response)
        logprob_sum = 0.0
        weight = 0.0
        for segment in data.get("segments") or []:
            if segment.get("avg_logprob") is None:
                continue
            n_tokens = max(1, len(segment.get("tokens") or []))
            logprob_sum += float(segment["avg_logprob"]) * n_tokens
            weight += n_tokens
        raw_language = data.get("language")
        detected = (
            _LANGUAGE_CODES.get(str(raw_language).lower(), raw_language) if raw_language else None
        )
        return _PieceResult(str(data.get("text") or ""), detected, logprob_sum, weight)


def build_transcriber(settings: Settings) -> Transcriber:
    """The transcriber chosen by `COPILOTO_ASR` (faster-whisper | openai-whisper | openai)."""
    from copiloto.media import whisper_models

    if settings.asr == "faster-whisper":
        if settings.asr_model:
            # a model folder, or a name already cached under models_dir (never downloaded)
            return FasterWhisperTranscriber(
                settings.asr_model, download_root=settings.models_dir / "faster-whisper"
            )
        model_dir = whisper_models.packaged_whisper_dir(settings.models_dir)
        return FasterWhisperTranscriber(model_dir, label="faster-whisper:base-int8")
    if settings.asr == "openai-whisper":
        checkpoint = whisper_models.openai_whisper_checkpoint(
            settings.asr_model or "base", download_root=settings.models_dir / "openai-whisper"
        )
        return OpenAIWhisperTranscriber(checkpoint)
    if settings.asr == "openai":
        key = settings.asr_api_key or settings.llm_api_key
        return OpenAIApiTranscriber(
            base_url=settings.asr_base_url,
            api_key=key.get_secret_value() if key else None,
            model=settings.asr_model or "whisper-1",
        )
    raise ValueError(f"unknown ASR backend {settings.asr!r}")
