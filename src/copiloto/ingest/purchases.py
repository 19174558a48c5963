"""Load a purchases CSV (client, product, quantity, value, date) with a clear error per bad row."""

import csv
import io
import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import InvalidOperation
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session, select

from copiloto.domain.money import parse_brl
from copiloto.domain.phones import looks_like_phone, to_e164
from copiloto.settings import Settings
from copiloto.storage.blobs import BlobStore
from copiloto.storage.tables import Client, ImportIssue, Purchase, RawImport

log = logging.getLogger(__name__)

REQUIRED = ("client", "product", "quantity", "value", "date")


@dataclass
class RowError:
    row: int
    reason: str


@dataclass
class PurchasesReport:
    file: str
    rows: int = 0
    new: int = 0
    duplicates: int = 0
    errors: list[RowError] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "rows": self.rows,
            "new": self.new,
            "duplicates": self.duplicates,
            "errors": [{"row": e.row, "reason": e.reason} for e in self.errors],
        }


def ingest_purchases(session: Session, path: Path, *, settings: Settings) -> PurchasesReport:
    """Store every valid row once (client, product, date); report the others by row number."""
    data = path.read_bytes()
    digest, rel = BlobStore(settings.blob_dir, base=settings.data_dir).put(data, suffix=".csv")
    raw = session.exec(select(RawImport).where(RawImport.sha256 == digest)).first()
    if raw is None:
        raw = RawImport(
            kind="purchases_csv", filename=path.name, sha256=digest, size=len(data), blob_path=rel
        )
        session.add(raw)
        session.flush()
    report = PurchasesReport(file=str(path))
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise ValueError(
            f"{path}: missing columns {', '.join(missing)} (need {', '.join(REQUIRED)})"
        )
    session.execute(sa.delete(ImportIssue).where(ImportIssue.raw_import_id == raw.id))
    for number, row in enumerate(reader, start=2):  # row 1 is the header
        report.rows += 1
        try:
            purchase = _purchase(session, row, tz=settings.tz)
        except ValueError as error:
            report.errors.append(RowError(number, str(error)))
            session.add(
                ImportIssue(
                    raw_import_id=raw.id,  # type: ignore[arg-type]
                    file=str(path),
                    line_no=number,
                    line=",".join(str(v) for v in row.values()),
                    reason=str(error),
                )
            )
            continue
        purchase.raw_import_id, purchase.source_row = raw.id, number
        exists = session.exec(
            select(Purchase.id).where(
                Purchase.client_id == purchase.client_id,
                Purchase.product == purchase.product,
                Purchase.purchased_at == purchase.purchased_at,
            )
        ).first()
        if exists:
            report.duplicates += 1
            continue
        session.add(purchase)
        session.flush()
        report.new += 1
    session.commit()
    return report


def _purchase(session: Session, row: dict[str, str], *, tz) -> Purchase:  # type: ignore[no-untyped-def]
    client = _find_client(session, (row.get("client") or "").strip())
    product = (row.get("product") or "").strip()
    if not product:
        raise ValueError("empty product")
    try:
        quantity = int((row.get("quantity") or "1").strip() or 1)
    except ValueError:
        raise ValueError(f"quantity is not a whole number: {row.get('quantity')!r}") from None
    if quantity <= 0:
        raise ValueError(f"quantity must be positive: {quantity}")
    try:
        value = parse_brl(row.get("value") or "")
    except (InvalidOperation, ValueError):
        raise ValueError(f"value is not an amount in BRL: {row.get('value')!r}") from None
    when = _parse_date((row.get("date") or "").strip())
    return Purchase(
        client_id=client.id,  # type: ignore[arg-type]
        seller_id=client.seller_id,
        product=product,
        quantity=quantity,
        value=value,
        purchased_at=datetime.combine(when, time(12, 0), tzinfo=tz),
    )


def _find_client(session: Session, key: str) -> Client:
    if not key:
        raise ValueError("empty client")
    if looks_like_phone(key):
        phone = to_e164(key)
        clients = session.exec(select(Client).where(Client.phone == phone)).all() if phone else []
    else:
        clients = session.exec(
            select(Client).where(sa.func.lower(Client.name) == key.lower())
        ).all()
    if not clients:
        raise ValueError(f"unknown client {key!r}")
    if len(clients) > 1:
        raise ValueError(f"client {key!r} matches {len(clients)} clients; use the phone number")
    return clients[0]


def _parse_date(text: str) -> date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"date is not YYYY-MM-DD or DD/MM/YYYY: {text!r}")
