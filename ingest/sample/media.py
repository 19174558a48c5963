"""Make the sample's media files: voice notes (espeak-ng + ffmpeg), PDFs, a scan, photos, XLSX, DOCX.

Every writer is deterministic (fixed metadata, fixed zip timestamps) so that re-running the
generator leaves git clean unless a story changed.
"""

from __future__ import annotations

import io
import random
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from model import Media

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
FIXED_ZIP_TIME = (2026, 11, 20, 12, 0, 0)


def make(media: Media, dest: Path, *, seed: str) -> None:
    writer = {
        "audio": _audio,
        "pdf": _pdf,
        "scan_pdf": _scan_pdf,
        "photo": _photo,
        "png": _png,
        "xlsx": _xlsx,
        "docx": _docx,
    }[media.kind]
    writer(media, dest, random.Random(seed))


def full_text(media: Media) -> str:
    return "\f".join(media.pages) if media.pages else media.text


# Chosen by sweeping espeak-ng voices, rates, word gaps, pitch and ffmpeg filters against the
# packaged Whisper base model (README → "Voice notes"): the m8 variant, slower than the default
# 175 wpm, with 80 ms between words.
VOICE = ("-v", "pt-br+m8", "-s", "120", "-g", "8")
_CLAUSE = re.compile(r"([^,.?!;:]+)([,.?!;:]*)")


def _phonemes(text: str) -> str:
    """The text as espeak-ng phonemes, clause by clause (punctuation kept for the pauses), with one
    fix: espeak's pt-br rules put a vowel after a syllable-final r ("porta" → "pór-a-ta"), which
    Whisper hears as an extra syllable ("podata"); the r is kept as a tap without that vowel."""
    out = []
    for match in _CLAUSE.finditer(text):
        words, punct = match.group(1).strip(), match.group(2)
        if not words:
            continue
        phonemes = subprocess.run(
            ["espeak-ng", "-v", "pt-br", "-q", "-x", words],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        out.append(f"[[{' '.join(phonemes.split()).replace('*@-', '*')}]]{punct}")
    return " ".join(out)


def _audio(media: Media, dest: Path, rng: random.Random) -> None:
    for tool in ("espeak-ng", "ffmpeg"):
        if not shutil.which(tool):
            raise RuntimeError(
                f"{tool} is needed to make voice notes: apt-get install -y espeak-ng ffmpeg"
            )
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "voice.wav"
        subprocess.run(
            ["espeak-ng", *VOICE, "-w", str(wav), _phonemes(media.text)],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [
                "ffmpeg",
                "-nostdin",
                "-loglevel",
                "error",
                "-y",
                "-i",
                str(wav),
                "-ac",
                "1",
                "-ar",
                "16000",
                "-c:a",
                "libopus",
                "-b:a",
                "24k",
                "-application",
                "voip",
                "-map_metadata",
                "-1",
                "-fflags",
                "+bitexact",
                "-flags:a",
                "+bitexact",
                str(dest),
            ],
            check=True,
            capture_output=True,
        )


def _pdf(media: Media, dest: Path, rng: random.Random) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(dest), pagesize=A4, invariant=1)
    c.setTitle(media.filename)
    _width, height = A4
    for page in media.pages:
        lines = page.split("\n")
        c.setFont("Helvetica-Bold", 16)
        c.drawString(56, height - 72, lines[0])
        c.setFont("Helvetica", 11)
        y = height - 104
        for line in lines[1:]:
            for chunk in _wrap(line, 92):
                c.drawString(56, y, chunk)
                y -= 18
        c.showPage()
    c.save()


def _wrap(line: str, width: int) -> list[str]:
    words, out, cur = line.split(), [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            out.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}".strip()
    return [*out, cur] if cur else out or [""]


def _draw_lines(text: str, size: tuple[int, int], *, bg: int | tuple[int, int, int], scale: int):
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("RGB", size, bg if isinstance(bg, tuple) else (bg, bg, bg))
    draw = ImageDraw.Draw(img)
    bold = ImageFont.truetype(FONT_BOLD, 30 * scale // 10)
    body = ImageFont.truetype(FONT, 24 * scale // 10)
    y = 60
    for i, line in enumerate(text.split("\n")):
        for chunk in _wrap(line, 60) if line else [""]:
            draw.text((60, y), chunk, fill=(25, 25, 30), font=bold if i == 0 else body)
            y += (44 if i == 0 else 38) * scale // 10
    return img


def _scan_pdf(media: Media, dest: Path, rng: random.Random) -> None:
    """A page rendered to pixels, tilted and speckled like a office scanner, saved as image-only PDF."""
    from PIL import ImageFilter

    img = _draw_lines(media.text, (1240, 1754), bg=246, scale=12).convert("L")
    px = img.load()
    for _ in range(2500):
        x, y = rng.randrange(img.width), rng.randrange(img.height)
        px[x, y] = rng.randrange(150, 230)
    img = img.rotate(0.8, expand=False, fillcolor=240).filter(ImageFilter.GaussianBlur(0.6))
    img.save(dest, "PDF", resolution=150.0, title="scan", creationDate=None, modDate=None)


def _photo(media: Media, dest: Path, rng: random.Random) -> None:
    """A phone photo of a paper quote: warm paper colour, slight tilt, JPEG like WhatsApp sends."""
    img = _draw_lines(media.text, (1080, 1350), bg=(238, 232, 214), scale=11)
    img = img.rotate(-1.5, expand=False, fillcolor=(120, 110, 95))
    img.save(dest, "JPEG", quality=88)


def _png(media: Media, dest: Path, rng: random.Random) -> None:
    img = _draw_lines(media.text, (1080, 1080), bg=(255, 255, 255), scale=11)
    img.save(dest, "PNG", optimize=True)


def _xlsx(media: Media, dest: Path, rng: random.Random) -> None:
    from datetime import datetime

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Tabela 2026"
    for row in media.text.split("\n"):
        ws.append([_cell(v) for v in row.split(";")])
    ws.column_dimensions["A"].width = 44
    wb.properties.created = wb.properties.modified = datetime(2026, 1, 5, 9, 0)
    wb.properties.creator = "ClimaTec"
    buf = io.BytesIO()
    wb.save(buf)
    _normalize_zip(buf.getvalue(), dest)


def _cell(value: str) -> object:
    try:
        return float(value) if "." in value else int(value)
    except ValueError:
        return value


def _docx(media: Media, dest: Path, rng: random.Random) -> None:
    from datetime import datetime

    from docx import Document

    doc = Document()
    lines = media.text.split("\n")
    doc.add_heading(lines[0], level=1)
    for line in lines[1:]:
        doc.add_paragraph(line)
    props = doc.core_properties
    props.author = props.last_modified_by = "Casa Bella Planejados"
    props.created = props.modified = datetime(2025, 6, 2, 10, 0)
    props.revision = 1
    buf = io.BytesIO()
    doc.save(buf)
    _normalize_zip(buf.getvalue(), dest)


def _normalize_zip(data: bytes, dest: Path) -> None:
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # writers stamp "now" here on save
                data = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)",
                    rb"\g<1>2026-01-05T09:00:00Z\2",
                    data,
                )
            out.writestr(fixed, data)
