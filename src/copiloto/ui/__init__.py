"""The seller's workspace in ChainLit."""

import os
from pathlib import Path

CHAINLIT_ROOT = Path(__file__).resolve().parent / "chainlit_root"


def use_project_chainlit_root() -> None:
    """Point ChainLit at the project's own folder before it is first imported.

    ChainLit reads, and creates when missing, `.chainlit/` and `chainlit.md` in its app root, which
    defaults to the working directory: without this, any directory the user starts from gets them.
    """
    os.environ["CHAINLIT_APP_ROOT"] = str(CHAINLIT_ROOT)
