"""Logging for the CLI and the server: rich, on stderr, so stdout stays clean for `--json`."""

import logging
import os

from rich.console import Console
from rich.logging import RichHandler


def configure_logging(*, verbose: bool = False) -> None:
    level = (
        logging.DEBUG if verbose else logging.getLevelName(os.getenv("COPILOTO_LOG_LEVEL", "INFO"))
    )
    handler = RichHandler(console=Console(stderr=True), show_path=False, rich_tracebacks=True)
    logging.basicConfig(level=level, format="%(message)s", handlers=[handler], force=True)
    for noisy in (
        "httpx",
        "httpcore",
        "alembic",
        "urllib3",
        "asyncio",
        "multipart",
        "faster_whisper",
    ):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def offline_environment() -> None:
    """Tell libraries that like to phone home (HF hub, telemetry, tiktoken) that we are offline."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("DO_NOT_TRACK", "true")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "false")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    if "TIKTOKEN_CACHE_DIR" not in os.environ:
        try:
            import importlib.util
            from pathlib import Path

            spec = importlib.util.find_spec("llama_index.core")
            if spec and spec.origin:
                cache = Path(spec.origin).parent / "_static" / "tiktoken_cache"
                if cache.is_dir():
                    os.environ["TIKTOKEN_CACHE_DIR"] = str(cache)
        except ImportError:
            pass
