"""ChainLit's data layer on Copiloto's database, with element files kept on local disk.

ChainLit's SQLAlchemy data layer stores element contents (the cited messages a seller opens, the
reply boxes) through a blob storage client and refuses to persist elements without one; then a
resumed thread loses its sources. A cloud bucket is overkill for one server, so files live under
`data_dir/ui-files` and are served by a small route whose URLs are signed with the app's secret
(the element id in the key is already unguessable; the signature keeps out made-up keys).
"""

import asyncio
import hashlib
import hmac
import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import FileResponse

from copiloto.ui import use_project_chainlit_root

if TYPE_CHECKING:
    from chainlit.data.sql_alchemy import SQLAlchemyDataLayer

    from copiloto.settings import Settings

log = logging.getLogger(__name__)

FILES_PATH = "/ui-files"
THREAD_NAME_PREFIXES = ("Cliente: ", "Lead: ")
ACTION_NAMES = {"open_client", "new_lead", "send_reply", "copy_reply", "other_tone"}


def sign(secret: str, object_key: str) -> str:
    return hmac.new(secret.encode(), object_key.encode(), hashlib.sha256).hexdigest()[:32]


def _safe_path(root: Path, object_key: str) -> Path:
    path = (root / object_key).resolve()
    if not path.is_relative_to(root.resolve()):
        raise ValueError(f"object key outside the storage folder: {object_key!r}")
    return path


def build_storage_client(root: Path, secret: str) -> Any:
    """A `chainlit.data.storage_clients.base.BaseStorageClient` over a local folder."""
    use_project_chainlit_root()
    from chainlit.data.storage_clients.base import BaseStorageClient

    class LocalStorageClient(BaseStorageClient):
        async def upload_file(
            self,
            object_key: str,
            data: bytes | str,
            mime: str = "application/octet-stream",
            overwrite: bool = True,
            content_disposition: str | None = None,
        ) -> dict[str, Any]:
            path = _safe_path(root, object_key)
            if path.exists() and not overwrite:
                return {"object_key": object_key, "url": await self.get_read_url(object_key)}
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
            path.with_name(path.name + ".mime").write_text(mime, encoding="utf-8")
            return {"object_key": object_key, "url": await self.get_read_url(object_key)}

        async def delete_file(self, object_key: str) -> bool:
            path = _safe_path(root, object_key)
            for file in (path, path.with_name(path.name + ".mime")):
                file.unlink(missing_ok=True)
            return True

        async def get_read_url(self, object_key: str) -> str:
            return f"{FILES_PATH}/{quote(object_key)}?sig={sign(secret, object_key)}"

        async def close(self) -> None:
            return None

    return LocalStorageClient()


def files_router(root: Path, secret: str) -> APIRouter:
    """Serves what `LocalStorageClient` stored, to whoever holds a signed URL."""
    router = APIRouter()

    @router.get(FILES_PATH + "/{object_key:path}")
    def read_file(object_key: str, sig: str = Query("")) -> FileResponse:
        if not hmac.compare_digest(sig, sign(secret, object_key)):
            raise HTTPException(status_code=404)
        try:
            path = _safe_path(root, object_key)
        except ValueError:
            raise HTTPException(status_code=404) from None
        if not path.is_file():
            raise HTTPException(status_code=404)
        mime_file = path.with_name(path.name + ".mime")
        mime = mime_file.read_text(encoding="utf-8") if mime_file.exists() else None
        return FileResponse(path, media_type=mime or "application/octet-stream")

    return router


def build_data_layer(settings: "Settings", *, database_url: str) -> "SQLAlchemyDataLayer":
    """ChainLit's SQLAlchemy data layer on `database_url` (async driver), files on local disk."""
    use_project_chainlit_root()
    from chainlit.data.sql_alchemy import SQLAlchemyDataLayer

    class DataLayer(SQLAlchemyDataLayer):
        """ChainLit 2.12 hands a resumed thread's element props over as the stored JSON text, so
        custom elements (the reply boxes) come back empty; decode them here."""

        async def get_thread(self, thread_id: str) -> Any:
            thread = await super().get_thread(thread_id)
            for element in (thread or {}).get("elements") or []:
                props = element.get("props")
                if isinstance(props, str):
                    try:
                        element["props"] = json.loads(props or "{}")
                    except ValueError:
                        log.warning("element %s has unreadable props", element.get("id"))
                        element["props"] = {}
            return thread

        async def update_thread(
            self,
            thread_id: str,
            name: str | None = None,
            user_id: str | None = None,
            metadata: dict | None = None,
            tags: list[str] | None = None,
        ) -> None:
            """ChainLit names a thread after its first interaction (an action's name, or the first
            text), in a task that races with the workspace naming it after the client: the
            client's name wins. A lock makes the read and the write of one naming atomic."""
            if not hasattr(self, "_naming_lock"):
                self._naming_lock = asyncio.Lock()
            async with self._naming_lock:
                if name is not None and metadata is None:
                    rows = await self.execute_sql(
                        'SELECT "name" FROM threads WHERE "id" = :id', {"id": thread_id}
                    )
                    current = rows[0].get("name") if isinstance(rows, list) and rows else None
                    if name in ACTION_NAMES or (
                        current and current.startswith(THREAD_NAME_PREFIXES)
                    ):
                        name = None
                await super().update_thread(
                    thread_id, name=name, user_id=user_id, metadata=metadata, tags=tags
                )

    return DataLayer(
        conninfo=database_url,
        storage_provider=build_storage_client(
            files_root(settings), settings.auth_secret.get_secret_value()
        ),
    )


def files_root(settings: "Settings") -> Path:
    return settings.data_dir / "ui-files"
