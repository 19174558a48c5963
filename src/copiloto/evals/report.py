"""How an eval prints its figures: one JSON object with `--json`, a rich table otherwise."""

import json
import sys
from collections.abc import Mapping
from typing import Any


def print_figures(figures: Mapping[str, Any], *, as_json: bool, title: str) -> None:
    """`--json` prints one line (what scripts and the held-out runs parse); else a table."""
    if as_json:
        sys.stdout.write(json.dumps(figures, ensure_ascii=False) + "\n")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    table.add_column("métrica")
    table.add_column("valor", justify="right")
    for key, value in figures.items():
        shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        table.add_row(key, shown)
    Console().print(table)
