"""The job handlers a worker runs, gathered from the packages that own each kind of job."""

from collections.abc import Mapping

from sqlalchemy.engine import Engine

from copiloto.settings import Settings
from copiloto.worker.runner import Handler


def build_handlers(
    *, settings: Settings, engine: Engine, extra: Mapping[str, Handler] | None = None
) -> dict[str, Handler]:
    """Channel handlers (`inbox`, `media_download`) plus whatever the composition root adds
    (e.g. `media` from copiloto.media). A kind without a handler simply waits in the table."""
    from copiloto.channels.inbox import build_channel_handlers

    handlers: dict[str, Handler] = dict(build_channel_handlers(settings))
    handlers.update(extra or {})
    return handlers
