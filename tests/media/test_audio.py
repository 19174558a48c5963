"""Decoding voice-note formats with ffmpeg, silence detection, and cutting long notes."""

from __future__ import annotations

import io
import wave
from pathlib import Path

import numpy as np
import pytest
from media_helpers import need

from copiloto.media import audio
from copiloto.media.errors import MediaError


@pytest.mark.parametrize("suffix", ["opus", "ogg", "oga", "m4a", "aac", "mp3", "wav"])
def test_every_voice_note_format_decodes_to_16k_mono(speech_formats, speech_wav, suffix) -> None:
    expected = audio.duration_s(audio.decode_audio(speech_wav))
    samples = audio.decode_audio(speech_formats[suffix])
    assert samples.dtype == np.float32
    assert abs(audio.duration_s(samples) - expected) < 0.15  # encoder padding only
    assert not audio.is_silent(samples)


def test_amr_decodes_when_available(speech_formats) -> None:
    if "amr" not in speech_formats:
        pytest.skip("this ffmpeg has no AMR encoder to make a test file (decoding is built in)")
    assert audio.duration_s(audio.decode_audio(speech_formats["amr"])) > 2


def test_silence_and_faint_hiss_are_silent(silence_opus, quiet_noise_wav) -> None:
    silence = audio.decode_audio(silence_opus)
    assert abs(audio.duration_s(silence) - 3.0) < 0.1
    assert audio.is_silent(silence)
    assert audio.is_silent(audio.decode_audio(quiet_noise_wav))


def test_band_limit_removes_high_frequencies(speech_wav) -> None:
    full = audio.decode_audio(speech_wav)
    narrow = audio.decode_audio(speech_wav, band_limit_hz=8000)

    def high_band_energy(x: np.ndarray) -> float:
        power = np.abs(np.fft.rfft(x)) ** 2
        return float(power[np.fft.rfftfreq(x.size, 1 / 16000) > 4200].sum())

    assert high_band_energy(narrow) < 0.01 * high_band_energy(full)
    assert abs(audio.duration_s(narrow) - audio.duration_s(full)) < 0.01


def test_garbage_is_corrupt(tmp_path: Path) -> None:
    need("ffmpeg")
    bad = tmp_path / "nota.opus"
    bad.write_bytes(b"OggS" + bytes(range(256)) * 4)
    with pytest.raises(MediaError) as caught:
        audio.decode_audio(bad)
    assert caught.value.reason == "corrupt"


def test_picture_has_no_audio(text_png: Path) -> None:
    need("ffmpeg")
    with pytest.raises(MediaError) as caught:
        audio.decode_audio(text_png)
    assert caught.value.reason == "no_audio"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(MediaError) as caught:
        audio.decode_audio(tmp_path / "nada.opus")
    assert caught.value.reason == "missing"


def test_long_note_is_cut_in_a_pause() -> None:
    rate = audio.SAMPLE_RATE
    rng = np.random.default_rng(0)
    samples = (rng.standard_normal(25 * rate) * 0.2).astype(np.float32)
    samples[int(8.0 * rate) : int(8.6 * rate)] = 0.0  # a pause 8.0–8.6 s into the note
    pieces = audio.split_long(samples, max_s=10, search_s=4)
    assert 7.9 < pieces[1].offset_s < 8.7  # cut inside the pause, not at 10 s mid-word
    assert all(piece.samples.size <= 10 * rate for piece in pieces)
    assert np.array_equal(np.concatenate([p.samples for p in pieces]), samples)
    assert audio.split_long(samples[: 5 * rate], max_s=10)[0].samples.size == 5 * rate


def test_wav_bytes_round_trip() -> None:
    samples = np.sin(np.linspace(0, 100, 16000)).astype(np.float32) * 0.5
    with wave.open(io.BytesIO(audio.wav_bytes(samples))) as wav:
        assert (wav.getframerate(), wav.getnchannels(), wav.getnframes()) == (16000, 1, 16000)
        decoded = np.frombuffer(wav.readframes(16000), "<i2") / 32767
    assert np.max(np.abs(decoded - samples)) < 1e-3


def test_pyav_fallback_decodes_opus(speech_formats) -> None:
    """Without the ffmpeg binary the bundled PyAV decoder is used."""
    samples = audio._decode_with_pyav(speech_formats["opus"], sample_rate=16000, band_limit_hz=None)
    assert audio.duration_s(samples) > 2 and not audio.is_silent(samples)
