"""Real small media files made in the test session: espeak-ng speech, ffmpeg encodings, reportlab
PDFs, Pillow images, python-docx and openpyxl documents."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from media_helpers import SPEECH_TEXT, ffmpeg, need

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="session")
def speech_wav(media_dir: Path) -> Path:
    """About 4 s of Brazilian Portuguese synthetic speech at 16 kHz."""
    need("espeak-ng")
    need("ffmpeg")
    raw = media_dir / "speech_raw.wav"
    subprocess.run(
        ["espeak-ng", "-v", "pt-br", "-s", "140", "-w", str(raw), SPEECH_TEXT], check=True
    )
    out = media_dir / "speech.wav"
    ffmpeg("-i", str(raw), "-ar", "16000", "-ac", "1", str(out))
    return out


@pytest.fixture(scope="session")
def speech_formats(media_dir: Path, speech_wav: Path) -> dict[str, Path]:
    """The same speech as a WhatsApp voice note (Opus in Ogg) and the other common formats."""
    encodings = {
        "opus": ["-c:a", "libopus", "-b:a", "16k"],
        "ogg": ["-c:a", "libopus", "-b:a", "24k"],
        "oga": ["-c:a", "libopus", "-b:a", "24k", "-f", "ogg"],
        "m4a": ["-c:a", "aac", "-b:a", "48k"],
        "aac": ["-c:a", "aac", "-b:a", "48k"],
        "mp3": ["-c:a", "libmp3lame", "-b:a", "32k"],
        "wav": ["-ar", "8000"],
    }
    files: dict[str, Path] = {}
    for suffix, codec in encodings.items():
        target = media_dir / f"note.{suffix}"
        ffmpeg("-i", str(speech_wav), *codec, str(target))
        files[suffix] = target
    encoders = subprocess.run(
        ["ffmpeg", "-hide_banner", "-encoders"], capture_output=True, text=True, check=True
    ).stdout
    if "libopencore_amrnb" in encoders:  # not in Debian's ffmpeg; decoding AMR still works
        target = media_dir / "note.amr"
        ffmpeg("-i", str(speech_wav), "-ar", "8000", "-c:a", "libopencore_amrnb", str(target))
        files["amr"] = target
    return files


@pytest.fixture(scope="session")
def silence_opus(media_dir: Path) -> Path:
    need("ffmpeg")
    target = media_dir / "silence.opus"
    ffmpeg(
        "-f", "lavfi", "-i", "anullsrc=r=16000:cl=mono", "-t", "3", "-c:a", "libopus", str(target)
    )
    return target


@pytest.fixture(scope="session")
def quiet_noise_wav(media_dir: Path) -> Path:
    """Faint hiss, far below speech level: a pocket recording with nothing said."""
    need("ffmpeg")
    target = media_dir / "hiss.wav"
    ffmpeg(
        "-f", "lavfi", "-i", "anoisesrc=a=0.001:c=white:r=16000", "-t", "2", "-ac", "1", str(target)
    )
    return target


# --- documents ----------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def text_pdf(media_dir: Path) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    target = media_dir / "Proposta_Solar.pdf"
    pdf = canvas.Canvas(str(target), pagesize=A4)
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(72, 770, "Proposta Comercial")
    pdf.setFont("Helvetica", 11)
    pdf.drawString(72, 740, "Sistema de energia solar de 5 kWp por R$ 18.900,00 à vista.")
    pdf.drawString(72, 725, "Inclui oito painéis, inversor e estrutura de fixação.")
    pdf.showPage()
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(72, 770, "Condições de Pagamento")
    pdf.setFont("Helvetica", 11)
    pdf.drawString(72, 740, "Parcelamento em até 12 vezes sem juros no cartão de crédito.")
    pdf.save()
    return target


def render_text_image(lines: list[str], *, width: int = 1400) -> object:
    from PIL import Image, ImageDraw, ImageFont

    if not FONT.is_file():
        pytest.skip("fonts-dejavu-core not installed")
    image = Image.new("RGB", (width, 120 + 90 * len(lines)), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), 44)
    for index, line in enumerate(lines):
        draw.text((50, 60 + 90 * index), line, fill="black", font=font)
    return image


@pytest.fixture(scope="session")
def text_png(media_dir: Path) -> Path:
    target = media_dir / "orcamento.png"
    image = render_text_image(
        ["Orçamento válido até sexta-feira", "Instalação grátis em São Paulo"]
    )
    image.save(target)  # type: ignore[attr-defined]
    return target


@pytest.fixture(scope="session")
def scanned_pdf(media_dir: Path) -> Path:
    """A PDF with no text layer, only a picture of text (what a phone scanner app sends)."""
    target = media_dir / "Contrato_Escaneado.pdf"
    image = render_text_image(["Contrato de Instalação", "Garantia de dez anos nos painéis"])
    image.save(target, "PDF", resolution=150)  # type: ignore[attr-defined]
    return target


@pytest.fixture(scope="session")
def docx_file(media_dir: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_heading("Catálogo de Produtos", level=1)
    # sections longer than the chunker's 200-character combining threshold stay separate
    document.add_paragraph(
        "O kit residencial atende casas com consumo de até 400 kWh por mês. " * 4
    )
    document.add_heading("Garantia", level=1)
    document.add_paragraph(
        "Todos os inversores têm garantia de cinco anos contra defeitos de fabricação. " * 3
    )
    target = media_dir / "Catalogo.docx"
    document.save(str(target))
    return target


@pytest.fixture(scope="session")
def xlsx_file(media_dir: Path) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Preços"
    sheet.append(["Produto", "Preço (R$)"])
    sheet.append(["Kit Solar 3 kWp", 12500])
    sheet.append(["Kit Solar 5 kWp", 18900])
    other = workbook.create_sheet("Serviços")
    other.append(["Serviço", "Preço (R$)"])
    other.append(["Limpeza de painéis", 350])
    target = media_dir / "Tabela_Precos.xlsx"
    workbook.save(target)
    return target


@pytest.fixture(scope="session")
def csv_file(media_dir: Path) -> Path:
    target = media_dir / "precos.csv"
    target.write_text("produto,preco\nBateria de lítio,7800\nCarregador veicular,4200\n", "utf-8")
    return target


@pytest.fixture(scope="session")
def encrypted_pdf(media_dir: Path, text_pdf: Path) -> Path:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(text_pdf).pages:
        writer.add_page(page)
    writer.encrypt(user_password="segredo", owner_password="dono", algorithm="AES-128")
    target = media_dir / "Protegido.pdf"
    with target.open("wb") as handle:
        writer.write(handle)
    return target


@pytest.fixture(scope="session")
def corrupt_pdf(media_dir: Path, text_pdf: Path) -> Path:
    target = media_dir / "Quebrado.pdf"
    target.write_bytes(b"%PDF-1.4\n" + b"\x00garbage that is not a PDF object\n" * 20)
    return target


@pytest.fixture(scope="session")
def unsupported_file(media_dir: Path) -> Path:
    target = media_dir / "programa.bin"
    target.write_bytes(bytes(range(256)) * 8)
    return target
