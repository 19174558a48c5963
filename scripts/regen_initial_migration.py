"""Regenerate the initial Alembic revision from the SQLModel tables.

Until the first production release the schema is one revision, rebuilt from `storage/tables.py`
whenever it changes; after the release, add ordinary revisions with `alembic revision --autogenerate`.
"""

import tempfile
from pathlib import Path

from alembic import command

from copiloto.storage.db import MIGRATIONS_DIR, alembic_config

REV_ID = "0001"


def main() -> None:
    for old in (MIGRATIONS_DIR / "versions").glob(f"{REV_ID}_*.py"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        config = alembic_config(f"sqlite:///{Path(tmp) / 'empty.db'}")
        command.revision(config, message="initial schema", autogenerate=True, rev_id=REV_ID)


if __name__ == "__main__":
    main()
