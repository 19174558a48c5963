"""Decoding voice notes into 16 kHz mono samples, and the cheap signal checks around ASR.

WhatsApp voice notes arrive as Opus in Ogg (`.opus`/`.ogg`/`.oga`), iPhone shares as `.m4a`/`.aac`,
older phones as `.amr`. The `ffmpeg` binary decodes all of them; PyAV (a faster-whisper dependency
that bundles its own FFmpeg libraries) is the fallback when the binary is missing.
"""

from __future__ import annotations

import io
import logging
import shutil
import subprocess
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from copiloto.media.errors import MediaError

log = logging.getLogger(__name__)

SAMPLE_RATE = 16_000
AUDIO_SUFFIXES = frozenset(
    {".opus", ".ogg", ".oga", ".m4a", ".aac", ".mp3", ".wav", ".amr", ".flac", ".webm", ".3gp"}
)
VIDEO_SUFFIXES = frozenset({".mp4", ".mov", ".mkv", ".avi"})
# Below this level (dBFS, loudest 30 ms frame) a note holds no speech worth sending to a model;
# Whisper tends to hallucinate ("Obrigado.") on pure silence, so it never sees it.
SILENCE_DBFS = -50.0


@dataclass(frozen=True)
class AudioPiece:
    """A slice of a long note, with where it starts in the original (seconds)."""

    offset_s: float
    samples: np.ndarray


def decode_audio(
    path: Path, *, sample_rate: int = SAMPLE_RATE, band_limit_hz: int | None = None
) -> np.ndarray:
    """Decode any audio (or the audio track of a video) to mono float32 in [-1, 1].

    `band_limit_hz` first resamples to that rate and back, which is what an 8 kHz phone note
    sounds like to the model (used by the ASR eval's `--resample`).
    """
    if not path.is_file():
        raise MediaError("missing", str(path))
    if shutil.which("ffmpeg"):
        return _decode_with_ffmpeg(path, sample_rate=sample_rate, band_limit_hz=band_limit_hz)
    log.warning("ffmpeg not found; decoding %s with PyAV", path.name)
    return _decode_with_pyav(path, sample_rate=sample_rate, band_limit_hz=band_limit_hz)


def _decode_with_ffmpeg(path: Path, *, sample_rate: int, band_limit_hz: int | None) -> np.ndarray:
    filters = f"aresample={band_limit_hz},aresample={sample_rate}" if band_limit_hz else None
    cmd = ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-i", str(path), "-vn"]
    if filters:
        cmd += ["-af", filters]
    cmd += ["-f", "s16le", "-ac", "1", "-acodec", "pcm_s16le", "-ar", str(sample_rate), "-"]
    proc = subprocess.run(cmd, capture_output=True, check=False)
    stderr = proc.stderr.decode("utf-8", "replace").strip()
    if proc.returncode != 0:
        raise _classify_ffmpeg_error(stderr)
    if not proc.stdout:
        raise MediaError("no_audio", stderr[-200:] if stderr else "no audio samples decoded")
    return np.frombuffer(proc.stdout, np.int16).astype(np.float32) / 32768.0


def _classify_ffmpeg_error(stderr: str) -> MediaError:
    lowered = stderr.lower()
    detail = stderr.splitlines()[-1][:200] if stderr else "ffmpeg failed"
    if "does not contain any stream" in lowered or "matches no streams" in lowered:
        return MediaError("no_audio", detail)
    if "decoder" in lowered and "not found" in lowered:
        return MediaError("decoder_missing", detail)
    if "invalid data" in lowered or "could not find codec" in lowered or "moov atom" in lowered:
        return MediaError("corrupt", detail)
    return MediaError("corrupt", detail)


def _decode_with_pyav(path: Path, *, sample_rate: int, band_limit_hz: int | None) -> np.ndarray:
    from faster_whisper.audio import decode_audio as fw_decode

    try:
        if band_limit_hz:
            low = fw_decode(str(path), sampling_rate=band_limit_hz)
            return resample_linear(low, from_rate=band_limit_hz, to_rate=sample_rate)
        samples = fw_decode(str(path), sampling_rate=sample_rate)
    except Exception as exc:  # PyAV raises its own error family per container
        raise MediaError("corrupt", f"{type(exc).__name__}: {exc}"[:200]) from exc
    if samples.size == 0:
        raise MediaError("no_audio", "no audio samples decoded")
    return samples.astype(np.float32)


def resample_linear(samples: np.ndarray, *, from_rate: int, to_rate: int) -> np.ndarray:
    """Linear-interpolation resampling; only for the PyAV fallback of band limiting."""
    if from_rate == to_rate or samples.size == 0:
        return samples
    n_out = round(samples.size * to_rate / from_rate)
    positions = np.linspace(0, samples.size - 1, n_out)
    return np.interp(positions, np.arange(samples.size), samples).astype(np.float32)


def duration_s(samples: np.ndarray, *, sample_rate: int = SAMPLE_RATE) -> float:
    return samples.size / sample_rate


def loudest_frame_dbfs(samples: np.ndarray, *, sample_rate: int = SAMPLE_RATE) -> float:
    """Level of the loudest 30 ms frame, in dBFS (−inf for digital silence)."""
    frame = max(1, int(0.03 * sample_rate))
    usable = samples[: samples.size - samples.size % frame] if samples.size >= frame else samples
    if usable.size == 0:
        return float("-inf")
    frames = usable.reshape(-1, min(frame, usable.size)).astype(np.float64)
    rms = np.sqrt((frames**2).mean(axis=1)).max()
    return float(20 * np.log10(rms)) if rms > 0 else float("-inf")


def is_silent(samples: np.ndarray, *, sample_rate: int = SAMPLE_RATE) -> bool:
    return loudest_frame_dbfs(samples, sample_rate=sample_rate) < SILENCE_DBFS


def split_long(
    samples: np.ndarray,
    *,
    max_s: float,
    sample_rate: int = SAMPLE_RATE,
    search_s: float = 10.0,
) -> list[AudioPiece]:
    """Cut a long note into pieces of at most `max_s`, each cut at the quietest 100 ms found in the
    last `search_s` seconds before the limit, so that words are rarely split in two."""
    limit = int(max_s * sample_rate)
    if samples.size <= limit:
        return [AudioPiece(0.0, samples)]
    window = int(0.1 * sample_rate)
    search = min(int(search_s * sample_rate), limit // 2)
    pieces: list[AudioPiece] = []
    start = 0
    while samples.size - start > limit:
        region_start = start + limit - search
        region = samples[region_start : start + limit]
        n = region.size // window
        energy = (region[: n * window].reshape(n, window) ** 2).mean(axis=1)
        cut = region_start + int(np.argmin(energy)) * window + window // 2
        pieces.append(AudioPiece(start / sample_rate, samples[start:cut]))
        start = cut
    pieces.append(AudioPiece(start / sample_rate, samples[start:]))
    return pieces


def wav_bytes(samples: np.ndarray, *, sample_rate: int = SAMPLE_RATE) -> bytes:
    """16-bit PCM WAV in memory (what a remote ASR API gets, one piece at a time)."""
    pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2").tobytes()
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(sample_rate)
        out.writeframes(pcm)
    return buffer.getvalue()
