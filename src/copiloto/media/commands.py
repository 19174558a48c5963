"""CLI functions of the media package (registered by the lead's `copiloto.cli`).

Top-level imports stay light: models and unstructured load only when a command runs.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Annotated

import typer

log = logging.getLogger(__name__)


def transcribe_command(
    files: Annotated[
        list[Path], typer.Argument(help="Voice notes (.opus, .ogg, .m4a, .mp3, .wav, .amr…).")
    ],
    language: Annotated[str, typer.Option(help="Language code, or 'auto' to detect.")] = "pt",
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """Transcreve notas de voz e imprime o texto (uses the ASR chosen by COPILOTO_ASR)."""
    from copiloto.media.asr import build_transcriber
    from copiloto.media.errors import MediaError
    from copiloto.settings import Settings

    transcriber = build_transcriber(Settings())
    failed = 0
    for path in files:
        try:
            transcript = transcriber.transcribe(
                path, language=None if language == "auto" else language
            )
        except MediaError as exc:
            failed += 1
            typer.echo(f"{path}: {exc.user_message}", err=True)
            continue
        if as_json:
            record = {"file": str(path), **transcript.__dict__}
            typer.echo(json.dumps(record, ensure_ascii=False))
            continue
        if len(files) > 1:
            typer.echo(f"# {path}")
        typer.echo("[silêncio]" if transcript.is_silence else transcript.text)
    if failed:
        raise typer.Exit(code=1)
