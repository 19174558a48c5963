"""Generate Copiloto's bundled pt-BR sample: WhatsApp exports of three sellers and their clients.

Run from the repository root:  .venv/bin/python ingest/sample/generate.py

Deterministic (seeded per client): re-running rewrites the same bytes. Needs the Debian packages
espeak-ng and ffmpeg for the voice notes; the generated files are committed so users need neither.
The conversations are fictional, written by the Copiloto team (CC0).
"""

from __future__ import annotations

import csv
import io
import json
import logging
import random
import shutil
import sys
import tempfile
import zipfile
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import story_clima  # noqa: E402
import story_moveis  # noqa: E402
import story_solar  # noqa: E402
from filler import make_filler  # noqa: E402
from model import Client, Media, Seller  # noqa: E402
from render import PATTERN_DESCRIPTIONS, Msg, render  # noqa: E402

import media as media_files  # noqa: E402

log = logging.getLogger("generate")

SEED = "copiloto-sample-v1"
FILL_FACTOR = 5.0  # everyday exchanges per scripted "~N" (see filler.py)
STORIES = (story_solar, story_moveis, story_clima)
SEGMENT_KEY = {"energia solar": "solar", "móveis planejados": "moveis", "climatização": "clima"}
LRM = "\u200e"
ANDROID_E2E = (
    "As mensagens e as chamadas são protegidas com a criptografia de ponta a ponta e ficam somente "
    "entre você e os participantes desta conversa. Nem mesmo o WhatsApp pode ler ou ouvi-las. "
    "Toque para saber mais."
)
IOS_E2E = (
    "As mensagens e as ligações são protegidas com a criptografia de ponta a ponta e ficam somente "
    "entre você e os participantes desta conversa. Nem mesmo o WhatsApp pode ler ou ouvi-las."
)
NUMBER_CHANGED = (
    "{name} mudou o número de telefone para um novo número. Toque para enviar uma "
    "mensagem ou adicionar o novo número."
)
IOS_NUMBER_CHANGED = (
    "{name} mudou para um novo número. Toque para enviar uma mensagem ou adicionar o novo número."
)


class Export:
    """Builds one chat's text and collects the media members that go into its zip."""

    def __init__(
        self, seller: Seller, client: Client, media: dict[str, Media], counters: dict
    ) -> None:
        self.seller, self.client, self.media = seller, client, media
        self.author = seller.aliases[client.alias]
        self.counters = counters  # (seller login, day) -> next WhatsApp "WA" number (Android)
        self.ios_n = 0
        self.lines: list[str] = []
        self.members: list[tuple[str, str]] = []  # (member name in zip, media key)

    def build(self, msgs: list[Msg], rng: random.Random) -> str:
        first = msgs[0].at - timedelta(minutes=rng.randrange(0, 3), seconds=rng.randrange(5, 50))
        self.ios_n = rng.randrange(2, 30)
        if self.client.platform == "android":
            self.lines.append(f"{first:%d/%m/%Y %H:%M} - {ANDROID_E2E}")
        else:
            self.lines.append(f"[{first:%d/%m/%Y, %H:%M:%S}] {self.client.name}: {LRM}{IOS_E2E}")
        for m in msgs:
            self._line(m)
        return "\n".join(self.lines) + "\n"

    def _line(self, m: Msg) -> None:
        android = self.client.platform == "android"
        name = self.client.name
        author = name if m.who in ("c", "sys") else self.author
        head = f"{m.at:%d/%m/%Y %H:%M} - " if android else f"[{m.at:%d/%m/%Y, %H:%M:%S}] "
        if m.who == "sys":
            if android:
                self.lines.append(head + NUMBER_CHANGED.format(name=name))
            else:
                self.lines.append(f"{LRM}{head}{name}: {LRM}{IOS_NUMBER_CHANGED.format(name=name)}")
            return
        if m.deleted:
            if android:
                self.lines.append(f"{head}{author}: Esta mensagem foi apagada")
            else:
                self.lines.append(f"{LRM}{head}{author}: {LRM}Esta mensagem foi apagada.")
            return
        if m.media:
            member = self._member_name(m)
            self.members.append((member, m.media))
            if android:
                line = f"{head}{author}: {LRM}{member} (arquivo anexado)"
            else:
                line = f"{LRM}{head}{author}: {LRM}<anexado: {member}>"
            self.lines.append(line + (f"\n{m.text}" if m.text else ""))
            return
        self.lines.append(f"{head}{author}: {m.text}")

    def _member_name(self, m: Msg) -> str:
        spec = self.media[m.media]
        if self.client.platform == "android":
            if spec.kind in ("audio", "photo"):
                key = (self.seller.login, m.at.date())
                n = self.counters.get(key, 0) + 1
                self.counters[key] = n
                prefix, ext = ("PTT", "opus") if spec.kind == "audio" else ("IMG", "jpg")
                return f"{prefix}-{m.at:%Y%m%d}-WA{n:04d}.{ext}"
            return spec.filename
        self.ios_n += 1
        if spec.kind in ("audio", "photo"):
            label, ext = ("AUDIO", "opus") if spec.kind == "audio" else ("PHOTO", "jpg")
            return f"{self.ios_n:08d}-{label}-{m.at:%Y-%m-%d-%H-%M-%S}.{ext}"
        return f"{self.ios_n:08d}-{spec.filename}"


def _zip(dest: Path, files: list[tuple[str, bytes]]) -> None:
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=media_files.FIXED_ZIP_TIME)
            info.compress_type = (
                zipfile.ZIP_STORED if name.endswith((".opus", ".jpg")) else zipfile.ZIP_DEFLATED
            )
            zf.writestr(info, data)


def generate(out: Path) -> dict[str, int]:
    exports = out / "exports"
    if exports.exists():
        shutil.rmtree(exports)
    exports.mkdir(parents=True)
    sellers, clients, manifest, purchases = [], [], {}, []
    counts = {
        "sellers": 0,
        "clients": 0,
        "messages": 0,
        "android": 0,
        "ios": 0,
        "audio": 0,
        "documents": 0,
    }
    media_cache = Path(tempfile.mkdtemp(prefix="copiloto-sample-"))
    try:
        for story in STORIES:
            seller: Seller = story.SELLER
            sellers.append(
                {
                    "name": seller.name,
                    "login": seller.login,
                    "phone": seller.phone,
                    "aliases": list(seller.aliases),
                    "segment": seller.segment,
                    "company": seller.company,
                }
            )
            counts["sellers"] += 1
            (exports / seller.login).mkdir()
            counters: dict = {}
            for client in story.CLIENTS:
                rng = random.Random(f"{SEED}/{seller.login}/{client.name}")
                filler = make_filler(
                    segment=SEGMENT_KEY[seller.segment],
                    style=client.style,
                    female=client.female,
                    call=client.call or "",
                    seller_first=seller.name.split()[0],
                )
                msgs = render(
                    client.script,
                    pattern=client.pattern,
                    rng=rng,
                    filler=filler,
                    fill_factor=FILL_FACTOR,
                )
                export = Export(seller, client, story.MEDIA, counters)
                text = export.build(msgs, rng)
                n_msgs = sum(1 for m in msgs if m.who != "sys")
                counts["messages"] += n_msgs
                counts[client.platform] += n_msgs
                counts["clients"] += 1
                archive = _write_chat(
                    exports / seller.login, client, text, export, story.MEDIA, media_cache
                )
                for member, key in export.members:
                    spec = story.MEDIA[key]
                    manifest[f"{seller.login}/{archive}/{member}"] = {
                        "kind": spec.kind,
                        "client": client.name,
                        "seller": seller.login,
                        "text": media_files.full_text(spec),
                    }
                    counts["audio" if spec.kind == "audio" else "documents"] += 1
                clients.append(
                    {
                        "name": client.name,
                        "phone": client.phone,
                        "seller": seller.login,
                        "platform": client.platform,
                        "style": client.style,
                        "contact_pattern": client.pattern,
                        "contact_hours": PATTERN_DESCRIPTIONS[client.pattern],
                        "outcome": client.outcome,
                        "trend": client.trend,
                        "export": f"{seller.login}/{archive}",
                        "messages": n_msgs,
                        "first_message": f"{msgs[0].at:%Y-%m-%dT%H:%M}",
                        "last_message": f"{msgs[-1].at:%Y-%m-%dT%H:%M}",
                        "notes": client.notes,
                    }
                )
            purchases.extend(story.PURCHASES)
    finally:
        shutil.rmtree(media_cache, ignore_errors=True)
    _json(out / "sellers.json", sellers)
    _json(out / "clients.json", clients)
    _json(out / "media_manifest.json", manifest)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["client", "product", "quantity", "value", "date"])
    writer.writerows(sorted(purchases, key=lambda r: (r[4], r[0])))
    (out / "purchases.csv").write_text(buf.getvalue(), encoding="utf-8")
    return counts


def _write_chat(
    folder: Path, client: Client, text: str, export: Export, media: dict[str, Media], cache: Path
) -> str:
    files = []
    for member, key in export.members:
        made = cache / f"{key}{Path(member).suffix}"
        if not made.exists():
            media_files.make(media[key], made, seed=f"{SEED}/{key}")
        files.append((member, made.read_bytes()))
    if client.platform == "android":
        txt = f"Conversa do WhatsApp com {client.name}.txt"
        if not files:
            (folder / txt).write_text(text, encoding="utf-8")
            return txt
        archive = f"Conversa do WhatsApp com {client.name}.zip"
        _zip(folder / archive, [(txt, text.encode()), *files])
        return archive
    archive = f"WhatsApp Chat - {client.name}.zip"
    _zip(folder / archive, [("_chat.txt", text.encode()), *files])
    return archive


def _json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    counts = generate(HERE)
    log.info(json.dumps(counts))


if __name__ == "__main__":
    main()
