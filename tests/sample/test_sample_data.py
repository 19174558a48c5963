"""The bundled sample dataset and the retrieval question set agree with each other and with the brief.

Reads the committed files only (no generation, no models), so it runs in a couple of seconds.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import zipfile
from collections import Counter
from datetime import date, datetime
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "ingest" / "sample"
EXPORTS = SAMPLE / "exports"
QUESTIONS = ROOT / "evals" / "retrieval" / "questions.jsonl"

ANDROID_HEAD = re.compile(r"^(\d{2}/\d{2}/\d{4}) (\d{2}:\d{2}) - (.*)$")
IOS_HEAD = re.compile(r"^\u200e?\[(\d{2}/\d{2}/\d{4}), (\d{2}:\d{2}:\d{2})\] (.*)$")
ANDROID_ATTACH = re.compile(r"\u200e(.+) \(arquivo anexado\)$")
IOS_ATTACH = re.compile(r"\u200e<anexado: (.+)>$")


class Chat:
    def __init__(self, seller: str, path: Path) -> None:
        self.seller, self.path = seller, path
        self.members: dict[str, bytes] = {}
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as zf:
                self.members = {n: zf.read(n) for n in zf.namelist()}
            txt = next(n for n in self.members if n.endswith(".txt"))
            self.txt_name, self.text = txt, self.members.pop(txt).decode("utf-8")
        else:
            self.txt_name, self.text = path.name, path.read_text(encoding="utf-8")
        self.platform = "ios" if self.txt_name == "_chat.txt" else "android"
        head = IOS_HEAD if self.platform == "ios" else ANDROID_HEAD
        self.messages: list[tuple[datetime, str, str]] = []  # (when, author, first line of text)
        self.system: list[str] = []
        for line in self.text.splitlines():
            m = head.match(line)
            if not m:
                continue
            fmt = "%d/%m/%Y %H:%M:%S" if self.platform == "ios" else "%d/%m/%Y %H:%M"
            when = datetime.strptime(f"{m.group(1)} {m.group(2)}", fmt)
            rest = m.group(3)
            if ": " not in rest:  # Android system line
                self.system.append(rest)
                continue
            author, body = rest.split(": ", 1)
            ios_system = (
                body.startswith("\u200e") and "<anexado:" not in body and "apagada" not in body
            )
            if self.platform == "ios" and ios_system:
                self.system.append(body)  # iOS system line, shown under the chat's name
                continue
            self.messages.append((when, author, body))

    @property
    def authors(self) -> set[str]:
        return {a for _, a, _ in self.messages}


@cache
def chats() -> tuple[Chat, ...]:
    out = []
    for seller_dir in sorted(p for p in EXPORTS.iterdir() if p.is_dir()):
        for path in sorted(seller_dir.iterdir()):
            out.append(Chat(seller_dir.name, path))
    return tuple(out)


@cache
def sellers() -> list[dict]:
    return json.loads((SAMPLE / "sellers.json").read_text(encoding="utf-8"))


@cache
def clients() -> list[dict]:
    return json.loads((SAMPLE / "clients.json").read_text(encoding="utf-8"))


@cache
def manifest() -> dict[str, dict]:
    return json.loads((SAMPLE / "media_manifest.json").read_text(encoding="utf-8"))


@cache
def questions() -> list[dict]:
    return [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line]


def client_of(chat: Chat) -> str:
    aliases = {a for s in sellers() for a in s["aliases"]}
    (name,) = chat.authors - aliases
    return name


def chat_of(client: str) -> Chat:
    return next(c for c in chats() if client_of(c) == client)


def test_three_sellers_in_different_segments_with_br_phones() -> None:
    import phonenumbers

    assert len(sellers()) == 3
    assert len({s["segment"] for s in sellers()}) == 3
    for s in sellers():
        assert set(s) >= {"name", "login", "phone", "aliases", "segment"}
        number = phonenumbers.parse(s["phone"])
        assert s["phone"].startswith("+55") and phonenumbers.is_valid_number(number), s["phone"]
        assert (EXPORTS / s["login"]).is_dir()
        used = set().union(*(c.authors for c in chats() if c.seller == s["login"]))
        assert set(s["aliases"]) & used, f"no alias of {s['name']} appears as an author"
        assert used & set(s["aliases"]) <= set(s["aliases"])


def test_every_client_has_one_chat_named_as_whatsapp_names_it() -> None:
    per_seller = Counter(c.seller for c in chats())
    assert len(chats()) >= 30
    assert all(n >= 10 for n in per_seller.values()), per_seller
    names = [client_of(c) for c in chats()]
    assert len(names) == len(set(names)), "one chat per client"
    for chat, name in zip(chats(), names, strict=True):
        if chat.platform == "android":
            assert chat.path.name in (
                f"Conversa do WhatsApp com {name}.txt",
                f"Conversa do WhatsApp com {name}.zip",
            )
            assert chat.txt_name == f"Conversa do WhatsApp com {name}.txt"
            assert (chat.path.suffix == ".zip") == bool(chat.members), (
                "Android zips only when media exist"
            )
        else:
            assert chat.path.name == f"WhatsApp Chat - {name}.zip"
    assert {c["name"] for c in clients()} == set(names)


def test_volume_platform_mix_and_time_range() -> None:
    total = sum(len(c.messages) for c in chats())
    ios = sum(len(c.messages) for c in chats() if c.platform == "ios")
    assert total >= 2000
    assert 0.3 <= ios / total <= 0.5, ios / total
    for chat in chats():
        times = [t for t, _, _ in chat.messages]
        assert times == sorted(times), chat.path.name
        assert datetime(2025, 1, 1) <= times[0] and times[-1] <= datetime(2026, 11, 20, 23, 59)
        assert len(chat.authors) == 2, (chat.path.name, chat.authors)
    assert sum(c["messages"] for c in clients()) == total


def test_first_line_is_the_encryption_notice_and_system_lines_exist() -> None:
    for chat in chats():
        first = chat.text.splitlines()[0]
        assert "protegidas com a criptografia de ponta a ponta" in first, chat.path.name
    system = [line for c in chats() for line in c.system]
    assert any("mudou" in line and "novo número" in line for line in system)


def test_attachment_lines_match_archive_members_and_the_manifest() -> None:
    referenced = 0
    for chat in chats():
        pattern = IOS_ATTACH if chat.platform == "ios" else ANDROID_ATTACH
        names = {m.group(1) for _, _, body in chat.messages if (m := pattern.search(body))}
        assert names == set(chat.members), chat.path.name
        for name in names:
            key = f"{chat.seller}/{chat.path.name}/{name}"
            assert key in manifest(), key
            assert manifest()[key]["text"].strip()
            referenced += 1
        if chat.platform == "ios":
            assert all(
                line.startswith("\u200e[") for line in chat.text.splitlines() if "<anexado:" in line
            )
    assert referenced == len(manifest())
    kinds = Counter(v["kind"] for v in manifest().values())
    assert kinds["audio"] >= 8
    assert sum(n for k, n in kinds.items() if k != "audio") >= 6
    assert {"pdf", "scan_pdf", "xlsx", "docx"} <= set(kinds) and {"photo", "png"} & set(kinds)


def _media(kind: str) -> list[tuple[str, bytes]]:
    out = []
    for chat in chats():
        for name, data in chat.members.items():
            if manifest()[f"{chat.seller}/{chat.path.name}/{name}"]["kind"] == kind:
                out.append((name, data))
    return out


def test_voice_notes_are_short_ogg_opus(tmp_path: Path) -> None:
    notes = _media("audio")
    assert len(notes) >= 8
    for name, data in notes:
        assert name.endswith(".opus") and (name.startswith("PTT-") or "-AUDIO-" in name)
        assert data[:4] == b"OggS" and b"OpusHead" in data[:200], name
        assert 2 < _ogg_seconds(data) < 30, name
    if shutil.which("ffmpeg"):  # decode every note in one process: each must be valid Opus audio
        args = ["ffmpeg", "-nostdin", "-v", "error"]
        for i, (_name, data) in enumerate(notes):
            path = tmp_path / f"{i}.opus"
            path.write_bytes(data)
            args += ["-i", str(path)]
        for i in range(len(notes)):
            args += ["-map", f"{i}:a", "-f", "null", "-"]
        out = subprocess.run(args, capture_output=True, text=True)
        assert out.returncode == 0 and not out.stderr.strip(), out.stderr


def _ogg_seconds(data: bytes) -> float:
    """Duration from the last Ogg page's granule position (Opus always counts at 48 kHz)."""
    last = data.rfind(b"OggS")
    granule = int.from_bytes(data[last + 6 : last + 14], "little")
    return granule / 48000


def test_documents_open_and_hold_their_manifest_text() -> None:
    from pypdf import PdfReader

    pdfs = _media("pdf")
    assert len(pdfs) >= 3
    for name, data in pdfs:
        reader = PdfReader(io.BytesIO(data))
        text = "\n".join(p.extract_text() for p in reader.pages)
        assert "R$" in text, name
        if name.endswith("Proposta_Solar.pdf"):
            assert len(reader.pages) == 2
            assert (
                "kWp" in reader.pages[1].extract_text() and "R$" in reader.pages[1].extract_text()
            )
    (scan,) = _media("scan_pdf")
    reader = PdfReader(io.BytesIO(scan[1]))
    assert not reader.pages[0].extract_text().strip(), "a scan has no text layer: OCR is needed"
    assert reader.pages[0].images, "the scanned page is an image"

    from PIL import Image

    for _, data in _media("photo") + _media("png"):
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            assert img.width >= 800
    # Office files are zips of XML; reading the XML keeps this test free of slow imports.
    (xlsx,) = _media("xlsx")
    with zipfile.ZipFile(io.BytesIO(xlsx[1])) as zf:
        strings = zf.read("xl/worksheets/sheet1.xml").decode()
    assert "Modelo" in strings and "Midea Xtreme Save Inverter" in strings
    (docx,) = _media("docx")
    with zipfile.ZipFile(io.BytesIO(docx[1])) as zf:
        body = zf.read("word/document.xml").decode()
    assert "40 (quarenta) dias úteis" in body


def test_questions_are_well_formed_and_mixed() -> None:
    qs = questions()
    assert len(qs) >= 45
    assert len({q["id"] for q in qs}) == len(qs)
    scopes = Counter(q["scope"] for q in qs)
    assert scopes["client"] >= 30 and scopes["similar"] >= 15, scopes
    assert sum(q.get("needs_media", False) for q in qs) >= 8
    for q in qs:
        assert set(q) >= {"id", "client", "scope", "question", "gold", "answer_facts"}
        assert q["gold"] and all(isinstance(g, str) and len(g) >= 5 for g in q["gold"]), q["id"]
        assert q["answer_facts"], q["id"]


def test_question_clients_are_export_authors() -> None:
    authors = {client_of(c) for c in chats()}
    for q in questions():
        assert q["client"] in authors, q["id"]


def test_gold_occurs_verbatim_where_the_scope_says() -> None:
    media_by_client: dict[str, str] = {}
    for item in manifest().values():
        media_by_client[item["client"]] = (
            media_by_client.get(item["client"], "") + "\n" + item["text"]
        )
    for q in questions():
        own = chat_of(q["client"]).text
        others = "\n".join(c.text for c in chats() if client_of(c) != q["client"])
        for gold in q["gold"]:
            if q["scope"] == "similar":
                assert gold in others, (q["id"], gold)
                assert gold not in own, (q["id"], "similar-scope gold must come from other clients")
            elif q.get("needs_media"):
                assert gold in media_by_client.get(q["client"], ""), (q["id"], gold)
                assert gold not in own, (q["id"], "needs_media gold must not be typed in the chat")
            else:
                assert gold in own, (q["id"], gold)


def test_purchases_reference_known_clients_and_are_well_formed() -> None:
    rows = list(csv.DictReader((SAMPLE / "purchases.csv").open(encoding="utf-8")))
    assert rows and list(rows[0]) == ["client", "product", "quantity", "value", "date"]
    known = {c["name"] for c in clients()} | {c["phone"] for c in clients()}
    for row in rows:
        assert row["client"] in known, row
        assert re.fullmatch(r"\d+\.\d{2}", row["value"]), row
        assert int(row["quantity"]) >= 1
        assert date.fromisoformat(row["date"]) <= date(2026, 11, 20)
    buyers = {r["client"] for r in rows}
    assert {c["name"] for c in clients() if c["outcome"] == "won"} <= buyers
    assert any(date.fromisoformat(r["date"]) < date(2025, 1, 1) for r in rows), (
        "older purchases too"
    )


def test_contact_patterns_show_in_the_timestamps() -> None:
    night = chat_of("Priscila Souza")
    mine = [t for t, a, _ in night.messages if a == "Priscila Souza"]
    assert all(t.hour >= 20 or t.hour == 0 for t in mine)
    morning = chat_of("Sr. Paulo Andrade")
    mine = [t for t, a, _ in morning.messages if a == "Sr. Paulo Andrade"]
    assert all(t.weekday() < 5 and 7 <= t.hour < 12 for t in mine)


@pytest.mark.parametrize("limit_mb", [20])
def test_total_size_is_small(limit_mb: int) -> None:
    size = sum(
        p.stat().st_size for p in SAMPLE.rglob("*") if p.is_file() and "__pycache__" not in p.parts
    )
    assert size < limit_mb * 1024 * 1024
