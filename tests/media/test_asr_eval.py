"""The ASR eval: normalization, error rates, CSV layouts and the CLI functions (through a real
loopback transcription server, so no model is loaded)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from transcription_server import TranscriptionServer
from typer.testing import CliRunner

from copiloto.evals.asr import asr_command, edit_distance, normalize_text, read_samples
from copiloto.media.commands import transcribe_command
from copiloto.media.pt_numbers import cardinal, numbers_to_words


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (7, "sete"),
        (16, "dezesseis"),
        (50, "cinquenta"),
        (100, "cem"),
        (101, "cento e um"),
        (266, "duzentos e sessenta e seis"),
        (1000, "mil"),
        (1200, "mil e duzentos"),
        (1250, "mil duzentos e cinquenta"),
        (2005, "dois mil e cinco"),
        (18900, "dezoito mil e novecentos"),
        (1_000_000, "um milhão"),
        (3_500_000, "três milhões e quinhentos mil"),
    ],
)
def test_cardinals(number: int, words: str) -> None:
    assert cardinal(number) == words


def test_normalization_makes_digits_and_words_equal() -> None:
    assert normalize_text("Nestor Pestana, 266 - região central.") == normalize_text(
        "nestor pestana duzentos e sessenta e seis região central"
    )
    assert normalize_text("R$ 7,50 cada, 2 ingressos!") == (
        "sete vírgula cinquenta reais cada dois ingressos"
    )
    assert normalize_text("Duas vezes; 10%; 1º lugar") == "dois vezes dez por cento primeiro lugar"
    assert normalize_text("Quinta-feira") == "quinta feira"
    assert normalize_text("É à tarde") == "é à tarde"  # accents are kept
    assert numbers_to_words("12") == " doze "


def test_edit_distance() -> None:
    assert edit_distance(["a", "b", "c"], ["a", "x", "c", "d"]) == 2
    assert edit_distance("", "abc") == 3


def write_set(folder: Path, speech_formats, header: str) -> Path:  # type: ignore[no-untyped-def]
    clips = folder / "clips"
    clips.mkdir()
    for name in ("a.wav", "b.mp3"):
        source = speech_formats["wav" if name.endswith("wav") else "mp3"]
        (clips / name).write_bytes(source.read_bytes())
    csv_path = folder / "set.csv"
    csv_path.write_text(
        f"{header}\n"
        "clips/a.wav,Quero comprar um painel solar,ignored/path.wav\n"
        "clips/b.mp3,quero comprar dois painéis,ignored/path.wav\n",
        encoding="utf-8",
    )
    return csv_path


def test_both_csv_layouts(tmp_path: Path, speech_formats) -> None:
    shared = read_samples(write_set(tmp_path, speech_formats, "file,reference_text,path"))
    assert [s.path.name for s in shared] == ["a.wav", "b.mp3"]  # not the `path` column
    plain = tmp_path / "plain.csv"
    plain.write_text("path,text\nclips/a.wav,olá\n", encoding="utf-8")
    assert read_samples(plain)[0].path == tmp_path / "clips/a.wav"


def cli(command) -> typer.Typer:  # type: ignore[no-untyped-def]
    app = typer.Typer()
    app.command()(command)
    return app


def test_eval_command_prints_one_json_object(tmp_path, speech_formats, monkeypatch) -> None:
    csv_path = write_set(tmp_path, speech_formats, "file,reference_text,path")
    with TranscriptionServer(text="quero comprar um painel solar") as server:
        monkeypatch.setenv("COPILOTO_ASR", "openai")
        monkeypatch.setenv("COPILOTO_ASR_BASE_URL", server.base_url)
        monkeypatch.setenv("COPILOTO_DATA_DIR", str(tmp_path / "data"))
        result = CliRunner().invoke(cli(asr_command), ["--data", str(csv_path), "--json"])
        narrow = CliRunner().invoke(
            cli(asr_command), ["--data", str(csv_path), "--json", "--resample", "8000"]
        )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report) == {"n", "wer", "cer", "rtf", "model"}
    # clip a: exact; clip b "quero comprar dois painéis" vs "... um painel solar": 3 edits / 9 words
    assert report["n"] == 2 and report["wer"] == pytest.approx(3 / 9, abs=1e-4)
    assert report["model"] == "openai:whisper-1" and report["rtf"] > 0
    assert json.loads(narrow.stdout)["model"] == "openai:whisper-1@8000Hz"
    assert len(server.uploads) == 2 * 3  # each run: one warm-up and two clips


def test_transcribe_command(tmp_path, speech_formats, silence_opus, monkeypatch) -> None:
    with TranscriptionServer(text="bom dia") as server:
        monkeypatch.setenv("COPILOTO_ASR", "openai")
        monkeypatch.setenv("COPILOTO_ASR_BASE_URL", server.base_url)
        monkeypatch.setenv("COPILOTO_DATA_DIR", str(tmp_path / "data"))
        ok = CliRunner().invoke(cli(transcribe_command), [str(speech_formats["opus"])])
        many = CliRunner().invoke(
            cli(transcribe_command),
            [str(speech_formats["m4a"]), str(silence_opus), str(tmp_path / "nada.ogg")],
        )
    assert ok.exit_code == 0 and ok.stdout.strip() == "bom dia"
    assert many.exit_code == 1  # one file was missing; the others were still transcribed
    assert "[silêncio]" in many.stdout and "bom dia" in many.stdout
    assert "missing" in many.stderr
