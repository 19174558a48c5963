"""Real Whisper models on short synthetic Portuguese speech (slow: each loads a model)."""

from __future__ import annotations

from pathlib import Path

import pytest
from media_helpers import SPEECH_TEXT

from copiloto.evals.asr import edit_distance, normalize_text
from copiloto.media import asr, whisper_models

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def packaged(tmp_path_factory: pytest.TempPathFactory) -> asr.FasterWhisperTranscriber:
    models_dir = tmp_path_factory.mktemp("models")
    return asr.FasterWhisperTranscriber(
        whisper_models.packaged_whisper_dir(models_dir), label="faster-whisper:base-int8"
    )


def word_error_rate(reference: str, hypothesis: str) -> float:
    ref, hyp = normalize_text(reference).split(), normalize_text(hypothesis).split()
    return edit_distance(ref, hyp) / len(ref)


def test_packaged_base_model_transcribes_a_whatsapp_voice_note(packaged, speech_formats) -> None:
    transcript = packaged.transcribe(speech_formats["opus"])
    assert word_error_rate(SPEECH_TEXT, transcript.text) <= 0.35, transcript.text
    assert {"quero", "comprar", "casa"} <= set(normalize_text(transcript.text).split())
    assert transcript.language == "pt" and not transcript.is_silence
    assert transcript.avg_logprob is not None and -2.0 < transcript.avg_logprob < 0
    assert 3 < transcript.duration_s < 7


def test_language_is_detected_and_silence_reported(packaged, shared_data, silence_opus) -> None:
    # a real speaker: detection on espeak's robotic voice says Latin
    clip = shared_data / "eval/speech/lapsbm/LapsBM_0385.wav"
    assert packaged.transcribe(clip, language=None).language == "pt"
    assert packaged.transcribe(silence_opus).is_silence


def test_openai_whisper_adapter_loads_weights_from_disk(tmp_path: Path, speech_wav) -> None:
    """A tiny randomly initialised checkpoint in openai-whisper's format: proves the loading and
    decoding code path offline (the words are nonsense, so only the shape is checked)."""
    torch = pytest.importorskip("torch")
    whisper_model = pytest.importorskip("whisper.model")
    dims = whisper_model.ModelDimensions(
        n_mels=80, n_audio_ctx=1500, n_audio_state=64, n_audio_head=2, n_audio_layer=1,
        n_vocab=51865, n_text_ctx=448, n_text_state=64, n_text_head=2, n_text_layer=1,
    )  # fmt: skip
    torch.manual_seed(0)
    model = whisper_model.Whisper(dims)
    checkpoint = tmp_path / "tiny-random.pt"
    torch.save({"dims": dims.__dict__, "model_state_dict": model.state_dict()}, checkpoint)
    transcriber = asr.OpenAIWhisperTranscriber(str(checkpoint))
    transcript = transcriber.transcribe(speech_wav, language="pt")
    assert transcript.model == "openai-whisper:tiny-random"
    assert transcript.language == "pt" and isinstance(transcript.text, str)
    assert 3 < transcript.duration_s < 7
