"""The demo data set up end to end: sellers with demo passwords, sample exports, purchases, and the
pipeline (media, analysis, index). Idempotent: running it again adds nothing and keeps passwords."""

import json
import logging
from pathlib import Path

from rich.console import Console
from rich.progress import Progress
from rich.table import Table
from sqlmodel import select

from copiloto.auth import set_password
from copiloto.container import Container
from copiloto.ingest.exports import ingest_exports
from copiloto.ingest.purchases import ingest_purchases
from copiloto.pipeline import Pipeline
from copiloto.storage.repository import get_or_create_seller
from copiloto.storage.stats import collect_stats
from copiloto.storage.tables import Seller

log = logging.getLogger(__name__)

DEMO_PASSWORD = "copiloto123"
ADMIN_LOGIN = "admin"


def load_sample(
    container: Container, *, console: Console, progress: Progress
) -> list[tuple[str, str, str]]:
    """Load the bundled sample into the configured store; returns (login, password, role) to print."""
    settings = container.settings
    sample = settings.sample_dir
    sellers_file = sample / "sellers.json"
    if not sellers_file.exists():
        raise FileNotFoundError(f"sample data not found at {sample} (COPILOTO_SAMPLE_DIR)")
    credentials: list[tuple[str, str, str]] = []
    with container.session() as session:
        for entry in json.loads(sellers_file.read_text(encoding="utf-8")):
            seller = get_or_create_seller(
                session,
                name=entry["name"],
                login=entry["login"],
                phone=entry.get("phone"),
                aliases=entry.get("aliases", []),
            )
            if seller.password_hash is None:
                set_password(seller, DEMO_PASSWORD)
            session.add(seller)
            credentials.append((seller.login, DEMO_PASSWORD, "vendedor"))
        admin = session.exec(select(Seller).where(Seller.login == ADMIN_LOGIN)).first()
        if admin is None:
            admin = Seller(name="Administrador", login=ADMIN_LOGIN, is_admin=True)
            set_password(admin, DEMO_PASSWORD)
            session.add(admin)
        credentials.append((ADMIN_LOGIN, DEMO_PASSWORD, "administrador: vê todos os clientes"))
        session.commit()

        with progress:
            task = progress.add_task("Importando conversas de exemplo", total=None)
            new = 0
            for folder in sorted(p for p in (sample / "exports").iterdir() if p.is_dir()):
                report = ingest_exports(
                    session,
                    [folder],
                    settings=settings,
                    seller=folder.name,
                    on_file=lambda f: progress.advance(task),
                )
                new += report.new_messages
                for failed in (f for f in report.files if f.problem):
                    console.print(f"[yellow]⚠ {Path(failed.file).name}: {failed.problem}[/yellow]")
            purchases = sample / "purchases.csv"
            if purchases.exists():
                ingest_purchases(session, purchases, settings=settings)
        log.info("sample: %d new messages", new)

    pipeline = Pipeline(container)
    with progress:
        tasks: dict[str, int] = {}

        def on_progress(label: str, done: int, total: int) -> None:
            if label not in tasks:
                tasks[label] = progress.add_task(label, total=total)
            progress.update(tasks[label], completed=done, total=total)

        report = pipeline.run(progress=on_progress)
    for error in report.errors:
        console.print(f"[yellow]⚠ {error}[/yellow]")

    with container.session() as session:
        stats = collect_stats(session)
    table = Table(title="Copiloto: dados de exemplo carregados")
    table.add_column("item")
    table.add_column("quantidade", justify="right")
    for label, key in (
        ("vendedores", "sellers"),
        ("clientes", "clients"),
        ("conversas", "conversations"),
        ("mensagens", "messages"),
        ("compras", "purchases"),
    ):
        table.add_row(label, str(stats[key]))
    for kind, count in stats["messages_by_kind"].items():
        table.add_row(f"  mensagens: {kind}", str(count))
    table.add_row("mídias processadas", str(stats["media_by_state"].get("done", 0)))
    table.add_row("mídias com erro", str(len(stats["media_failed"])))
    console.print(table)
    return credentials
