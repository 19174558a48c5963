"""Helpers shared by the media tests (the fixtures live in conftest.py)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

SPEECH_TEXT = "Bom dia. Eu quero comprar um painel solar para a minha casa."


def need(binary: str) -> None:
    """Skip when a Debian tool the media code shells out to is missing."""
    if shutil.which(binary) is None:
        pytest.skip(f"{binary} not installed (Debian package needed by the media tests)")


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-y", *args], check=True)
