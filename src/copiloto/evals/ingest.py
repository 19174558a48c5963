"""`copiloto eval ingest`: export ingestion throughput on a generated pt-BR export.

Generates a two-person Android export of N messages (multi-line messages, media placeholders,
system lines) into a temporary folder, then parses and stores it into a fresh database (SQLite in
a temporary data dir unless `--database-url` names another), and prints messages per second.
"""

import random
import resource
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer

from copiloto.evals.report import print_figures

PHRASES = (
    "Bom dia! Conseguiu ver a proposta?",
    "Quanto fica o kit de 5 kWp instalado?",
    "Fica R$ 18.990,00 à vista ou 10x sem juros no cartão.",
    "Achei o frete caro, vou pensar 🤔",
    "Consigo tirar o frete se fecharmos até sexta.",
    "blz, vou falar com meu marido e te aviso kkk",
    "Segue o orçamento atualizado com a instalação.",
    "Fechado! Pode mandar o pix.",
)


def generate_export(path: Path, *, messages: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    moment = datetime(2024, 1, 2, 9, 0)
    lines = [
        f"{moment:%d/%m/%Y %H:%M} - As mensagens e as chamadas são protegidas com a criptografia de "
        "ponta a ponta e ficam somente entre você e os participantes desta conversa."
    ]
    for index in range(messages):
        moment += timedelta(seconds=rng.randint(20, 3600))
        author = "Carla Mendes" if index % 2 else "Rafael Souza"
        roll = rng.random()
        if roll < 0.03:
            text = f"PTT-{moment:%Y%m%d}-WA{index % 10000:04d}.opus (arquivo anexado)"
        elif roll < 0.10:
            text = rng.choice(PHRASES) + "\n" + rng.choice(PHRASES)
        else:
            text = rng.choice(PHRASES)
        lines.append(f"{moment:%d/%m/%Y %H:%M} - {author}: {text}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def ingest_command(
    messages: Annotated[int, typer.Option(help="Messages in the generated export")] = 200_000,
    database_url: Annotated[
        str | None, typer.Option(help="Database to load into (default: temporary SQLite)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Parse and store a generated export; print throughput."""
    from sqlmodel import Session

    from copiloto.ingest.exports import ingest_exports
    from copiloto.ingest.whatsapp.parser import parse_export
    from copiloto.settings import Settings
    from copiloto.storage.db import make_engine, migrate

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        export = root / "Conversa do WhatsApp com Carla Mendes.txt"
        generate_export(export, messages=messages)
        started = time.perf_counter()
        parsed = parse_export(export.read_text(encoding="utf-8"))
        parse_s = time.perf_counter() - started
        settings = Settings(data_dir=root / "data", database_url=database_url, _env_file=None)  # type: ignore[call-arg]
        engine = make_engine(settings.resolved_database_url)
        migrate(engine)
        started = time.perf_counter()
        with Session(engine) as session:
            report = ingest_exports(session, [export], settings=settings, seller="Rafael Souza")
        total_s = time.perf_counter() - started
        started = time.perf_counter()
        with Session(engine) as session:
            again = ingest_exports(session, [export], settings=settings, seller="Rafael Souza")
        reingest_s = time.perf_counter() - started
        engine.dispose()
    result = {
        "messages": len(parsed.messages),
        "stored": report.new_messages,
        "parse_s": round(parse_s, 2),
        "parse_messages_per_s": round(len(parsed.messages) / parse_s),
        "ingest_s": round(total_s, 2),
        "messages_per_s": round(report.new_messages / total_s),
        "reingest_s": round(reingest_s, 2),
        "reingest_duplicates": again.duplicates,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "database": "sqlite" if database_url is None else database_url.split(":", 1)[0],
    }
    print_figures(result, as_json=as_json, title="Vazão da ingestão")
