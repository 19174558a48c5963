"""`copiloto`: the command line. Commands are thin: they parse options, call the container's
services, and print a rich table (or one JSON object with `--json`, and nothing else on stdout)."""

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from copiloto.container import Container
from copiloto.logs import configure_logging, offline_environment

if TYPE_CHECKING:
    from copiloto.pipeline import Pipeline, PipelineReport
    from copiloto.storage.tables import Seller

app = typer.Typer(
    name="copiloto",
    help="Copiloto: a sales copilot for sellers who work over WhatsApp.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
ingest_app = typer.Typer(
    help="Load histories: WhatsApp exports and purchase lists.", no_args_is_help=True
)
seller_app = typer.Typer(help="Manage sellers (the people who log in).", no_args_is_help=True)
eval_app = typer.Typer(
    help="Score quality and speed; `--json` prints one JSON object.", no_args_is_help=True
)
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
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Parse and report; write nothing")
    ] = False,
    process: Annotated[
        bool, typer.Option("--process/--no-process", help="Then run media, analysis and index")
    ] = True,
    as_json: JsonFlag = False,
) -> None:
    """Parse WhatsApp exports and store their messages (idempotent: re-runs add only new ones),
    then process what is new: voice notes and documents, analysis, and the index."""
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
    if process and not dry_run and report.new_messages:
        from copiloto.pipeline import Pipeline

        _run_pipeline(Pipeline(container), quiet=as_json)
    if as_json:
        print_json(report.to_json())
        return
    table = Table(title="Conversas importadas" + (" (simulação)" if dry_run else ""))
    for column in (
        "arquivo",
        "cliente",
        "plataforma",
        "mensagens",
        "mídia",
        "sistema",
        "erros",
        "novas",
    ):
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
        out.print(
            f"{report.new} compras novas, {report.duplicates} já existentes, {len(report.errors)} erros"
        )
        for error in report.errors:
            out.print(f"  linha {error.row}: {error.reason}")
    if report.errors:
        raise typer.Exit(1)


client_app = typer.Typer(help="Manage clients.", no_args_is_help=True)
app.add_typer(client_app, name="client")


@client_app.command("delete")
def client_delete_command(
    client: Annotated[str, typer.Argument(help="Nome ou telefone do cliente")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation")] = False,
) -> None:
    """Delete a client, their history and their points in the vector index."""
    from copiloto.retrieval.clients import UnknownClient, resolve_client
    from copiloto.workspace.deletion import delete_client

    container = Container()
    with container.session() as session:
        try:
            found = resolve_client(session, client)
        except UnknownClient as error:
            err.print(f"[red]{error}[/red]")
            raise typer.Exit(2) from None
        if not yes:
            typer.confirm(f"Apagar {found.name} e todo o histórico?", abort=True)
        removed = delete_client(session, found.id, indexer=container.indexer)  # type: ignore[arg-type]
    out.print(f"{found.name} apagado: " + ", ".join(f"{v} {k}" for k, v in removed.items()))


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
        table.add_row(
            key, json.dumps(value, ensure_ascii=False) if not isinstance(value, int) else str(value)
        )
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


@app.command("process")
def process_command(
    briefs: Annotated[int, typer.Option(help="Also compute up to N stale client briefs")] = 0,
    as_json: JsonFlag = False,
) -> None:
    """Run what is pending: media (transcription, documents), analysis, index, and briefs."""
    from dataclasses import asdict

    from copiloto.pipeline import Pipeline

    report = _run_pipeline(Pipeline(Container()), briefs=briefs, quiet=as_json)
    if as_json:
        print_json(asdict(report))
        return
    out.print(
        f"mídias: {report.media_done} processadas, {report.media_failed} com erro · "
        f"mensagens analisadas: {report.classified} · trechos indexados: {report.indexed} · "
        f"resumos: {report.briefs}"
    )
    for error in report.errors:
        out.print(f"  [yellow]⚠ {error}[/yellow]")


def _run_pipeline(
    pipeline: "Pipeline", *, briefs: int = 0, quiet: bool = False
) -> "PipelineReport":
    with _progress(quiet) as progress:
        tasks: dict[str, Any] = {}

        def on_progress(label: str, done: int, total: int) -> None:
            if label not in tasks:
                tasks[label] = progress.add_task(label, total=total)
            progress.update(tasks[label], completed=done, total=total)

        return pipeline.run(briefs=briefs, progress=on_progress)


@app.command("ask")
def ask_command(
    question: Annotated[str, typer.Argument(help="A pergunta, em português")],
    client: Annotated[str | None, typer.Option(help="Nome ou telefone do cliente")] = None,
    seller: Annotated[str | None, typer.Option(help="Login do vendedor (padrão: todos)")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Answer a question from the history, in pt-BR, citing the messages it rests on."""
    from copiloto.retrieval.clients import UnknownClient, resolve_client

    container = Container()
    workspace = container.workspace
    acting = _acting_seller(container, seller)
    client_id = None
    if client:
        with container.session() as session:
            try:
                client_id = resolve_client(
                    session, client, seller_id=None if acting.is_admin else acting.id
                ).id
            except UnknownClient as error:
                err.print(f"[red]{error}[/red]")
                raise typer.Exit(2) from None
    stream, evidence = workspace.stream_answer(acting, question, client_id)
    if as_json:
        "".join(stream)
    else:
        for piece in stream:
            out.print(piece, end="", soft_wrap=True, markup=False, highlight=False)
        out.print()
    answer = stream.answer
    cited = workspace.messages(acting, answer.message_ids)
    citations = [
        {
            "id": m.id,
            "author": m.author,
            "sent_at": m.sent_at.astimezone(container.settings.tz).isoformat(),
            "text": m.text,
        }
        for m in cited
    ]
    if as_json:
        print_json(
            {
                "answer": answer.text,
                "citations": citations,
                "flags": [f.model_dump() for f in answer.flags],
                "evidence": len(evidence),
            }
        )
        return
    if citations:
        table = Table(title="Fontes")
        for column in ("id", "quando", "autor", "mensagem"):
            table.add_column(column, overflow="fold")
        for c in citations:
            table.add_row(
                f"m{c['id']}", c["sent_at"][:16].replace("T", " "), c["author"] or "", c["text"]
            )
        out.print(table)


@app.command("brief")
def brief_command(
    client: Annotated[str, typer.Option(help="Nome ou telefone do cliente")],
    seller: Annotated[str | None, typer.Option(help="Login do vendedor (padrão: todos)")] = None,
    refresh: Annotated[bool, typer.Option("--refresh", help="Recompute even if cached")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Profile, last-conversation summary, points of attention, follow-up and 3 reply suggestions."""
    from copiloto.retrieval.clients import UnknownClient, resolve_client
    from copiloto.ui import render

    container = Container()
    workspace = container.workspace
    acting = _acting_seller(container, seller)
    with container.session() as session:
        try:
            found = resolve_client(
                session, client, seller_id=None if acting.is_admin else acting.id
            )
        except UnknownClient as error:
            err.print(f"[red]{error}[/red]")
            raise typer.Exit(2) from None
    card = workspace.card(acting, found.id)  # type: ignore[arg-type]
    cached = workspace.cached_brief(acting, found.id)  # type: ignore[arg-type]
    result = cached.result
    if result is None or cached.stale or refresh:
        with err.status("Gerando o resumo com o modelo…"):
            result = workspace.compute_brief(found.id)  # type: ignore[arg-type]
    if as_json:
        print_json(
            {
                "client": found.name,
                "facts": card.facts.model_dump(mode="json"),
                "brief": result.model_dump(mode="json"),
            }
        )
        return
    tz = container.settings.tz
    from rich.markdown import Markdown

    out.print(Markdown(render.card_markdown(card, tz)))
    out.print(Markdown(render.brief_markdown(result, stale=False)))
    for reply in result.replies:
        out.print(f"[bold]{reply.tone}[/bold]: {reply.text}")


def _acting_seller(container: Container, login: str | None) -> "Seller":
    """The seller a CLI command acts as: `--seller`, else an all-seeing operator."""
    from copiloto.storage.tables import Seller

    if login:
        seller = container.workspace.seller(login)
        if seller is None:
            err.print(f"[red]vendedor {login!r} não existe[/red]")
            raise typer.Exit(2)
        return seller
    return Seller(name="operador", login="", is_admin=True)


@app.command("worker")
def worker_command(
    once: Annotated[bool, typer.Option("--once", help="Do what is due, then exit")] = False,
    briefs: Annotated[int, typer.Option(help="Stale briefs to compute per round")] = 1,
) -> None:
    """Run the background work alone: webhook inbox, media downloads, pipeline, briefs."""
    from copiloto.pipeline import BackgroundLoop

    loop = BackgroundLoop(Container(), briefs_per_round=briefs)
    if once:
        jobs = loop.worker.run_until_idle()
        report = loop.pipeline.run(briefs=briefs)
        out.print(
            f"{jobs} tarefas; {report.classified} mensagens analisadas; {report.indexed} trechos indexados"
        )
        return
    loop.run_forever()


@app.command("serve")
def serve_command(
    host: Annotated[str | None, typer.Option(help="Default: COPILOTO_HOST (127.0.0.1)")] = None,
    port: Annotated[int | None, typer.Option(help="Default: COPILOTO_PORT (8000)")] = None,
    worker: Annotated[
        bool, typer.Option("--worker/--no-worker", help="Run the background worker")
    ] = True,
) -> None:
    """Serve the UI at /, the API at /api, webhooks at /webhooks and /healthz."""
    import uvicorn

    from copiloto.server.app import create_app

    container = Container()
    settings = container.settings
    application = create_app(container, background=worker and settings.run_worker)
    uvicorn.run(
        application,
        host=host or settings.host,
        port=port or settings.port,
        log_level="warning",
    )


@app.command("demo")
def demo_command(
    serve: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Start the server afterwards")
    ] = True,
    host: Annotated[str | None, typer.Option()] = None,
    port: Annotated[int | None, typer.Option()] = None,
) -> None:
    """The main job on the embedded defaults: load the sample data, process it, start Copiloto."""
    from copiloto.demo import load_sample

    container = Container()
    credentials = load_sample(container, console=out, progress=_progress(False))
    if serve:
        settings = container.settings
        url = f"http://{host or settings.host}:{port or settings.port}/"
        out.print(f"\n[bold green]Copiloto pronto em {url}[/bold green]")
        for login, password, role in credentials:
            out.print(f"  login [bold]{login}[/bold] senha [bold]{password}[/bold] ({role})")
        serve_command(host=host, port=port, worker=True)


def _register_commands() -> None:
    """Commands that live in their own packages (imports inside them stay lazy)."""
    from copiloto.analysis.training import train_command
    from copiloto.evals.answers import answers_command
    from copiloto.evals.asr import asr_command
    from copiloto.evals.classification import intent_command, sentiment_command
    from copiloto.evals.ingest import ingest_command
    from copiloto.evals.reply_latency import reply_latency_command
    from copiloto.evals.retrieval import retrieval_command
    from copiloto.evals.vectorstore import embed_speed_command, vectorstore_command
    from copiloto.evals.webhooks import webhooks_command
    from copiloto.media.commands import transcribe_command
    from copiloto.retrieval.indexing import index_command
    from copiloto.suggestions.commands import chat_command

    app.command("index")(index_command)
    app.command("transcribe")(transcribe_command)
    llm_app = typer.Typer(help="Talk to the configured LLM directly.", no_args_is_help=True)
    llm_app.command("chat")(chat_command)
    app.add_typer(llm_app, name="llm")
    analysis_app = typer.Typer(help="The pt-BR classifiers.", no_args_is_help=True)
    analysis_app.command("train")(train_command)
    app.add_typer(analysis_app, name="analysis")
    eval_app.command("asr")(asr_command)
    eval_app.command("answers")(answers_command)
    eval_app.command("retrieval")(retrieval_command)
    eval_app.command("sentiment")(sentiment_command)
    eval_app.command("intent")(intent_command)
    eval_app.command("ingest")(ingest_command)
    eval_app.command("vectorstore")(vectorstore_command)
    eval_app.command("embed-speed")(embed_speed_command)
    eval_app.command("webhooks")(webhooks_command)
    eval_app.command("reply-latency")(reply_latency_command)


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


_register_commands()

if __name__ == "__main__":  # pragma: no cover
    app()
