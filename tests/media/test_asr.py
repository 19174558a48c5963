"""The ASR port: shared flow (silence, pieces, language), the OpenAI API adapter over real HTTP,
the packaged model assembly and the factory. Real Whisper runs are in test_asr_models.py (slow)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from transcription_server import TranscriptionServer

from copiloto.media import asr, audio, whisper_models
from copiloto.media.errors import MediaError
from copiloto.settings import Settings


class RecordingTranscriber(asr._PieceTranscriber):
    """A real subclass of the shared flow whose 'model' reports what it was given."""

    model_label = "recording"

    def __init__(self, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(**kwargs)
        self.calls: list[tuple[float, str | None]] = []

    def _transcribe_piece(self, samples, *, language):  # type: ignore[no-untyped-def]
        self.calls.append((audio.duration_s(samples), language))
        return asr._PieceResult(f"parte {len(self.calls)}", language or "pt", -0.5 * 10, 10)


def settings_for(tmp_path: Path, **overrides) -> Settings:  # type: ignore[no-untyped-def]
    return Settings(data_dir=tmp_path / "data", _env_file=None, **overrides)  # type: ignore[call-arg]


def test_silence_never_reaches_the_model(silence_opus) -> None:
    transcriber = RecordingTranscriber()
    transcript = transcriber.transcribe(silence_opus)
    assert transcript.is_silence and transcript.text == ""
    assert abs(transcript.duration_s - 3.0) < 0.1
    assert transcriber.calls == []


def test_long_note_is_transcribed_in_pieces_and_joined(speech_wav) -> None:
    speech = audio.decode_audio(speech_wav)
    long_note = np.concatenate([speech, np.zeros(8000, np.float32)] * 3)  # ~13 s
    transcriber = RecordingTranscriber(max_piece_s=5)
    transcript = transcriber.transcribe_samples(long_note, language=None)
    assert len(transcriber.calls) >= 3
    assert all(duration <= 5.0 for duration, _ in transcriber.calls)
    assert transcriber.calls[0][1] is None  # first piece detects...
    assert {lang for _, lang in transcriber.calls[1:]} == {"pt"}  # ...later pieces reuse it
    assert transcript.text == " ".join(f"parte {i}" for i in range(1, len(transcriber.calls) + 1))
    assert transcript.language == "pt" and transcript.avg_logprob == pytest.approx(-0.5)
    assert transcript.duration_s == pytest.approx(audio.duration_s(long_note))


def test_openai_api_adapter_over_http(speech_formats) -> None:
    with TranscriptionServer(text=" Quero comprar um painel solar. ") as server:
        transcriber = asr.OpenAIApiTranscriber(base_url=server.base_url, api_key="sk-test")
        transcript = transcriber.transcribe(speech_formats["opus"], language="pt")
        detected = transcriber.transcribe(speech_formats["m4a"], language=None)
    assert transcript.text == "Quero comprar um painel solar."
    assert transcript.language == "pt"  # "portuguese" in the API's answer
    assert transcript.avg_logprob == pytest.approx(-0.25)
    assert transcript.model == "openai:whisper-1" and not transcript.is_silence
    first, second = server.uploads
    assert (first.model, first.language, first.response_format) == (
        "whisper-1",
        "pt",
        "verbose_json",
    )
    assert first.filename.endswith(".wav") and 2 < first.duration_s < 6
    assert second.language is None and detected.language == "pt"


def test_openai_api_long_note_is_uploaded_in_pieces(speech_wav) -> None:
    speech = audio.decode_audio(speech_wav)
    long_note = np.concatenate([speech] * 3)
    with TranscriptionServer(text="trecho") as server:
        transcriber = asr.OpenAIApiTranscriber(
            base_url=server.base_url, api_key=None, max_piece_s=5
        )
        transcript = transcriber.transcribe_samples(long_note)
    assert len(server.uploads) >= 3 and all(u.duration_s <= 5 for u in server.uploads)
    assert transcript.text.split() == ["trecho"] * len(server.uploads)


def test_openai_api_error_is_a_media_error(speech_formats) -> None:
    with TranscriptionServer(status=400) as server:
        transcriber = asr.OpenAIApiTranscriber(base_url=server.base_url, api_key="sk-test")
        with pytest.raises(MediaError) as caught:
            transcriber.transcribe(speech_formats["mp3"])
    assert caught.value.reason == "backend_error" and "400" in caught.value.detail


def test_gpt4o_transcribe_models_ask_for_plain_json(speech_formats) -> None:
    with TranscriptionServer(text="olá") as server:
        transcriber = asr.OpenAIApiTranscriber(
            base_url=server.base_url, api_key="k", model="gpt-4o-mini-transcribe"
        )
        transcript = transcriber.transcribe(speech_formats["opus"])
    assert server.uploads[0].response_format == "json"
    assert transcript.text == "olá" and transcript.avg_logprob is None
    assert transcript.language == "pt"  # asked for pt, nothing detected


def test_packaged_model_is_assembled_once(tmp_path: Path) -> None:
    models_dir = tmp_path / "models"
    folder = whisper_models.packaged_whisper_dir(models_dir)
    model_bin = folder / "model.bin"
    assert {p.name for p in folder.iterdir()} == {
        "model.bin",
        "config.json",
        "tokenizer.json",
        "vocabulary.txt",
    }
    assert model_bin.stat().st_size == 2 * 72_608_766
    stamp = model_bin.stat().st_mtime_ns
    assert whisper_models.packaged_whisper_dir(models_dir) == folder
    assert model_bin.stat().st_mtime_ns == stamp  # reused, not rewritten


def test_openai_whisper_needs_weights_on_disk(tmp_path: Path) -> None:
    with pytest.raises(MediaError) as caught:
        whisper_models.openai_whisper_checkpoint("base", download_root=tmp_path)
    assert caught.value.reason == "model_unavailable"
    (tmp_path / "base.pt").write_bytes(b"weights")
    assert whisper_models.openai_whisper_checkpoint("base", download_root=tmp_path) == str(
        tmp_path / "base.pt"
    )
    explicit = tmp_path / "mine.pt"
    explicit.write_bytes(b"weights")
    assert whisper_models.openai_whisper_checkpoint(str(explicit), download_root=tmp_path) == str(
        explicit
    )


def test_factory_picks_the_configured_backend(tmp_path: Path) -> None:
    default = asr.build_transcriber(settings_for(tmp_path))
    assert isinstance(default, asr.FasterWhisperTranscriber)
    assert default.model_label == "faster-whisper:base-int8"
    assert (tmp_path / "data/models/faster-whisper-base/model.bin").is_file()

    remote = asr.build_transcriber(
        settings_for(tmp_path, asr="openai", asr_base_url="http://127.0.0.1:9/v1", asr_api_key="k")
    )
    assert isinstance(remote, asr.OpenAIApiTranscriber) and remote.model == "whisper-1"

    with pytest.raises(MediaError) as caught:
        asr.build_transcriber(settings_for(tmp_path, asr="openai-whisper"))
    assert caught.value.reason == "model_unavailable"

    weights = tmp_path / "data/models/openai-whisper/small.pt"
    weights.parent.mkdir(parents=True)
    weights.write_bytes(b"x")
    local = asr.build_transcriber(settings_for(tmp_path, asr="openai-whisper", asr_model="small"))
    assert isinstance(local, asr.OpenAIWhisperTranscriber)
    assert local.checkpoint == str(weights)


def test_named_faster_whisper_model_is_never_downloaded(tmp_path: Path, speech_wav) -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    transcriber = asr.build_transcriber(settings_for(tmp_path, asr_model="large-v3"))
    with pytest.raises(MediaError) as caught:
        transcriber.transcribe(speech_wav)
    assert caught.value.reason == "model_unavailable"
