"""`copiloto`: the command line. Commands are thin: they parse options, call the container's
services, and print a rich table (or one JSON object with `--json`, and nothing else on stdout)."""

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from copiloto.container import Container
from copiloto.logs import configure_logging, offline_environment

app = typer.Typer(
    name="copiloto",
    help="Copiloto: a sales copilot for sellers who work over WhatsApp.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
ingest_app = typer.Typer(help="Load histories: WhatsApp exports and purchase lists.", no_args_is_help=True)
seller_app = typer.Typer(help="Manage sellers (the people who log in).", no_args_is_help=True)
eval_app = typer.Typer(help="Score quality and speed; `--json` prints one JSON object.", no_args_is_help=True)
app.add_typer(ingest_app, name="ingest")
app.add_typer(seller_app, name="seller")
app.add_typer(eval_app, name="eval")

err = Console(stderr=True)
out = Console()

JsonFlag = Annotated[bool, typer.Option("--json", help="Print one JSON object on stdout.")]


@app.callback()
def main(verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False) -> None:
    offline_environment()
    configure_logging(verbose=verbose)


def print_json(payload: Any) -> None:
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, default=str) + "\n")


@ingest_app.command("exports")
def ingest_exports_command(
    paths: Annotated[list[Path], typer.Argument(help=".txt, .zip or folders of them", exists=True)],
    seller: Annotated[
        str | None, typer.Option(help="Export author (or seller login) who is the seller")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Parse and report; write nothing")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Parse WhatsApp exports and store their messages (idempotent: re-runs add only new ones)."""
    from copiloto.ingest.exports import ingest_exports

    container = Container()
    with container.session() as session, _progress(as_json) as progress:
        task = progress.add_task("Importando conversas", total=None)
        report = ingest_exports(
            session,
            paths,
            settings=container.settings,
            seller=seller,
            dry_run=dry_run,
            on_file=lambda f: progress.update(task, advance=1, description=Path(f.file).name[:40]),
        )
    if as_json:
        print_json(report.to_json())
        return
    table = Table(title="Conversas importadas" + (" (simulação)" if dry_run else ""))
    for column in ("arquivo", "cliente", "plataforma", "mensagens", "mídia", "sistema", "erros", "novas"):
        table.add_column(column, overflow="fold")
    for f in report.files:
        table.add_row(
            Path(f.file).name,
            f.client or f"[red]{f.problem}[/red]",
            f.platform,
            str(f.messages),
            str(f.media),
            str(f.system),
            str(f.errors),
            str(f.new_messages),
        )
    out.print(table)
    out.print(f"{report.new_messages} novas mensagens, {report.duplicates} já existentes")
    if any(f.problem for f in report.files):
        raise typer.Exit(1)


@ingest_app.command("purchases")
def ingest_purchases_command(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False)],
    as_json: JsonFlag = False,
) -> None:
    """Load purchases from a CSV with columns client,product,quantity,value,date."""
    from copiloto.ingest.purchases import ingest_purchases

    container = Container()
    with container.session() as session:
        report = ingest_purchases(session, file, settings=container.settings)
    if as_json:
        print_json(report.to_json())
    else:
        out.print(f"{report.new} compras novas, {report.duplicates} já existentes, {len(report.errors)} erros")
        for error in report.errors:
            out.print(f"  linha {error.row}: {error.reason}")
    if report.errors:
        raise typer.Exit(1)


@app.command("stats")
def stats_command(as_json: JsonFlag = False) -> None:
    """What is stored, waiting and failed."""
    from copiloto.storage.stats import collect_stats

    with Container().session() as session:
        stats = collect_stats(session)
    if as_json:
        print_json(stats)
        return
    table = Table(title="Copiloto: estado do armazenamento")
    table.add_column("item")
    table.add_column("valor", overflow="fold")
    for key, value in stats.items():
        table.add_row(key, json.dumps(value, ensure_ascii=False) if not isinstance(value, int) else str(value))
    out.print(table)


@seller_app.command("create")
def seller_create_command(
    name: Annotated[str, typer.Option(help="Full name, as shown to clients")],
    login: Annotated[str, typer.Option(help="What the seller types to log in")],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
    admin: Annotated[bool, typer.Option("--admin", help="Sees every seller's clients")] = False,
    alias: Annotated[list[str] | None, typer.Option(help="Name used in WhatsApp exports")] = None,
) -> None:
    """Create a seller (or reset their password)."""
    from copiloto.auth import set_password
    from copiloto.storage.repository import get_or_create_seller

    container = Container()
    with container.session() as session:
        seller = get_or_create_seller(session, name=name, login=login, aliases=alias or [name])
        seller.is_admin = admin or seller.is_admin
        set_password(seller, password)
        session.add(seller)
        session.commit()
    out.print(f"Vendedor [bold]{login}[/bold] pronto.")


def _progress(quiet: bool) -> Progress:
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        disable=quiet or not err.is_terminal,
        transient=True,
    )


if __name__ == "__main__":  # pragma: no cover
    app()
