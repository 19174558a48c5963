"""Exports into the store: the JSON contract, idempotency, overlapping exports, media, bad files."""

import io
import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select
from typer.testing import CliRunner

from copiloto.cli import app
from copiloto.domain.enums import Direction, ProcessingState
from copiloto.ingest.exports import ingest_exports
from copiloto.ingest.purchases import ingest_purchases
from copiloto.settings import Settings
from copiloto.storage.tables import Client, ImportIssue, MediaAsset, Message, Purchase, RawImport

SAMPLE = Path(__file__).resolve().parents[2] / "ingest" / "sample"
ANDROID_PREFIX = "Conversa do WhatsApp com "
CAMILA = sorted((SAMPLE / "exports" / "juliana").glob(ANDROID_PREFIX + "*.txt"))[0]
MARINA = next(
    path
    for path in sorted((SAMPLE / "exports").glob("*/WhatsApp Chat - *.zip"))
    if any(name.endswith(".opus") for name in zipfile.ZipFile(path).namelist())
)


def count(session: Session, model, *where) -> int:
    return session.exec(select(func.count()).select_from(model).where(*where)).one()


def test_cli_json_contract(tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"COPILOTO_DATA_DIR": str(tmp_path / "data")}
    result = runner.invoke(
        app,
        ["ingest", "exports", str(CAMILA), "--seller", "juliana", "--no-process", "--json"],
        env=env,
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    [row] = report["files"]
    lines = CAMILA.read_text(encoding="utf-8").splitlines()
    headers = [line for line in lines if line[:2].isdigit() and " - " in line[:22]]
    system = [line for line in headers if ": " not in line.split(" - ", 1)[1]]
    assert set(row) == {
        "file",
        "platform",
        "client",
        "messages",
        "media",
        "system",
        "errors",
        "first",
        "last",
    }
    assert row["platform"] == "android"
    assert row["client"] == CAMILA.stem.removeprefix(ANDROID_PREFIX)
    assert row["system"] == len(system) == 1
    assert row["messages"] == len(headers) - len(system)
    assert row["errors"] == 0
    first_day, first_time = (headers[1] if system else headers[0]).split(" - ")[0].split(" ")
    day, month, year = first_day.split("/")
    assert row["first"].startswith(f"{year}-{month}-{day}T{first_time}:00")
    assert row["first"][-6:] in {"-03:00", "-02:00"}  # São Paulo, stored zone-aware
    assert report["new_messages"] == row["messages"] and report["duplicates"] == 0

    again = json.loads(
        runner.invoke(
            app,
            ["ingest", "exports", str(CAMILA), "--seller", "juliana", "--no-process", "--json"],
            env=env,
        ).stdout
    )
    assert again["new_messages"] == 0 and again["duplicates"] == row["messages"]


def test_dry_run_writes_nothing(settings: Settings, engine: Engine) -> None:
    with Session(engine) as session:
        report = ingest_exports(
            session, [CAMILA], settings=settings, seller="juliana", dry_run=True
        )
        assert report.new_messages > 0
    with Session(engine) as session:
        assert count(session, Message) == 0 and count(session, RawImport) == 0


def test_overlapping_longer_export_adds_only_the_new_messages(
    any_engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    lines = CAMILA.read_text(encoding="utf-8").splitlines(keepends=True)
    head = tmp_path / "Conversa do WhatsApp com Camila Ribeiro.txt"
    head.write_text("".join(lines[: len(lines) // 2]), encoding="utf-8")
    with Session(any_engine) as session:
        first = ingest_exports(session, [head], settings=settings, seller="juliana")
        full = ingest_exports(session, [CAMILA], settings=settings, seller="juliana")
        total = count(session, Message, Message.kind != "system")
        assert full.duplicates == first.new_messages
        assert first.new_messages + full.new_messages == total == full.files[0].messages
        assert count(session, Client) == 1
        directions = session.exec(select(Message.direction).distinct()).all()
        assert set(directions) == {Direction.IN, Direction.OUT, Direction.NONE}


def test_zip_attachments_become_pending_media(settings: Settings, engine: Engine) -> None:
    with Session(engine) as session:
        report = ingest_exports(session, [MARINA], settings=settings, seller=MARINA.parent.name)
        assert report.files[0].platform == "ios"
        assets = session.exec(select(MediaAsset)).all()
        in_zip = [n for n in zipfile.ZipFile(MARINA).namelist() if not n.endswith(".txt")]
        assert len(assets) == len(in_zip)
        assert {a.state for a in assets} == {ProcessingState.PENDING}
        audio = [a for a in assets if a.filename.endswith(".opus")]
        assert audio and all(
            (settings.data_dir / a.blob_path).read_bytes()[:4] == b"OggS" for a in audio
        )
        linked = session.exec(select(Message).where(Message.media_asset_id.is_not(None))).all()
        assert len(linked) == len(in_zip)


def test_missing_attachment_is_marked_missing(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    chat = (
        "12/01/2026 12:55 - Ana Paula: PTT-20260112-WA0001.opus (arquivo anexado)\n"
        "12/01/2026 12:56 - Rafael Souza: Recebi!\n"
    )
    archive = tmp_path / "Conversa do WhatsApp com Ana Paula.zip"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("Conversa do WhatsApp com Ana Paula.txt", chat)
    archive.write_bytes(buffer.getvalue())
    with Session(engine) as session:
        ingest_exports(session, [archive], settings=settings, seller="Rafael Souza")
        [asset] = session.exec(select(MediaAsset)).all()
        assert (
            asset.state == ProcessingState.MISSING and asset.filename == "PTT-20260112-WA0001.opus"
        )


def test_a_file_without_a_known_seller_is_reported_and_the_batch_goes_on(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    group = tmp_path / "grupo.txt"
    group.write_text(
        "12/01/2026 12:55 - Ana: oi\n12/01/2026 12:56 - Bia: oi\n12/01/2026 12:57 - Caio: oi\n",
        encoding="utf-8",
    )
    with Session(engine) as session:
        report = ingest_exports(session, [group, CAMILA], settings=settings, seller="juliana")
    problems = [f for f in report.files if f.problem]
    assert len(problems) == 1 and "seller" in problems[0].problem
    assert report.files[1].new_messages > 0


def test_broken_lines_are_reported_with_file_and_line(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    chat = tmp_path / (ANDROID_PREFIX + "Ana.txt")
    chat.write_text(
        "linha solta antes de tudo\n12/01/2026 12:55 - Ana: oi\n12/01/2026 12:56 - Rafael Souza: olá\n",
        encoding="utf-8",
    )
    with Session(engine) as session:
        report = ingest_exports(session, [chat], settings=settings, seller="Rafael Souza")
        assert report.files[0].errors == 1
        [issue] = session.exec(select(ImportIssue)).all()
        assert issue.line_no == 1 and issue.line == "linha solta antes de tudo"
        assert issue.file.endswith("Conversa do WhatsApp com Ana.txt")


def test_every_shared_fixture_is_stored_line_for_line(shared_data: Path, tmp_path: Path) -> None:
    """Each real export into its own database, its first author taken as the seller: every message
    and system line of the parse becomes a row, and re-importing adds nothing."""
    from copiloto.ingest.whatsapp.parser import parse_export
    from copiloto.storage.db import make_engine, migrate

    files = sorted((shared_data / "whatsapp_exports").rglob("*.txt"))
    assert len(files) == 18
    for number, path in enumerate(files):
        settings = Settings(data_dir=tmp_path / str(number), _env_file=None)  # type: ignore[call-arg]
        engine = make_engine(settings.resolved_database_url)
        migrate(engine)
        parsed = parse_export(path.read_text(encoding="utf-8-sig"))
        with Session(engine) as session:
            report = ingest_exports(session, [path], settings=settings, seller=parsed.authors[0])
            [row] = report.files
            assert row.problem is None, row.problem
            assert count(session, Message) == len(parsed.messages) + len(parsed.system), path
            assert row.errors == len(parsed.problems) == count(session, ImportIssue)
            again = ingest_exports(session, [path], settings=settings, seller=parsed.authors[0])
            assert again.new_messages == 0 and again.duplicates == len(parsed.messages)
        engine.dispose()


def test_the_same_chat_exported_in_another_format_is_not_duplicated(
    shared_data: Path, settings: Settings, engine: Engine
) -> None:
    """WhatsR ships one group chat exported from Android and iOS, 24 h and AM/PM."""
    variants = sorted((shared_data / "whatsapp_exports" / "WhatsR").glob("english*.txt"))
    assert len(variants) == 4
    with Session(engine) as session:
        reports = [
            ingest_exports(session, [v], settings=settings, seller="Mallory") for v in variants
        ]
        assert reports[0].new_messages > 0
        assert [r.new_messages for r in reports[1:]] == [0, 0, 0]


def test_purchases_csv_with_row_errors(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    with Session(engine) as session:
        ingest_exports(session, [CAMILA], settings=settings, seller="juliana")
    csv = tmp_path / "compras.csv"
    csv.write_text(
        "client,product,quantity,value,date\n"
        'Camila Ribeiro,Home office planejado,1,"R$ 7.890,00",2026-10-02\n'
        "Fulano de Tal,Armário,1,100,2026-10-02\n"
        "Camila Ribeiro,Estante,dois,100,2026-10-02\n"
        "Camila Ribeiro,Estante,1,caro,2026-10-02\n"
        "Camila Ribeiro,Estante,1,100,02/10/2026\n",
        encoding="utf-8",
    )
    with Session(engine) as session:
        report = ingest_purchases(session, csv, settings=settings)
        assert report.new == 2
        assert [(e.row, e.reason.split(" ")[0]) for e in report.errors] == [
            (3, "unknown"),
            (4, "quantity"),
            (5, "value"),
        ]
        again = ingest_purchases(session, csv, settings=settings)
        assert again.new == 0 and again.duplicates == 2
        values = sorted(str(v) for v in session.exec(select(Purchase.value)).all())
        assert values == ["100.00", "7890.00"]


def test_sample_purchases_all_resolve(settings: Settings, engine: Engine) -> None:
    with Session(engine) as session:
        for folder in sorted((SAMPLE / "exports").iterdir()):
            ingest_exports(session, [folder], settings=settings, seller=folder.name)
        report = ingest_purchases(session, SAMPLE / "purchases.csv", settings=settings)
    assert report.errors == [] and report.new == report.rows


@pytest.mark.parametrize("folder", ["rafael", "juliana", "anderson"])
def test_sample_exports_load_cleanly(folder: str, settings: Settings, engine: Engine) -> None:
    with Session(engine) as session:
        report = ingest_exports(
            session, [SAMPLE / "exports" / folder], settings=settings, seller=folder
        )
    assert all(f.problem is None and f.errors == 0 for f in report.files)
    assert {f.platform for f in report.files} <= {"android", "ios"}
