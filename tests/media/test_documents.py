"""The offline document extractor on real PDFs, scans, images, DOCX, XLSX and CSV."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from media_helpers import need

from copiloto.media.documents import (
    Chunk,
    MediaError,
    UnstructuredExtractor,
    build_extractor,
    detect_document_kind,
    pdf_page_count,
)
from copiloto.settings import Settings


@pytest.fixture(scope="module")
def extractor() -> UnstructuredExtractor:
    return UnstructuredExtractor()


def joined(chunks: list[Chunk]) -> str:
    return "\n".join(chunk.text for chunk in chunks)


def test_text_pdf_is_chunked_by_title_with_page_numbers(extractor, text_pdf: Path) -> None:
    chunks = extractor.extract(text_pdf)
    assert [chunk.position for chunk in chunks] == list(range(len(chunks)))
    by_page = {chunk.page: chunk for chunk in chunks}
    assert set(by_page) == {1, 2}
    assert by_page[1].title == "Proposta Comercial"
    assert "R$ 18.900,00" in by_page[1].text
    assert "Condições" not in by_page[1].text  # page 2 is never glued onto page 1
    assert by_page[2].title == "Condições de Pagamento"
    assert "12 vezes sem juros" in by_page[2].text
    assert pdf_page_count(text_pdf) == 2


def test_scanned_pdf_is_ocrd_in_portuguese(extractor, scanned_pdf: Path) -> None:
    need("tesseract")
    need("pdftoppm")
    chunks = extractor.extract(scanned_pdf)
    text = joined(chunks)
    assert "Contrato de Instalação" in text
    assert "Garantia de dez anos nos painéis" in text  # accents survive: the `por` model ran
    assert {chunk.page for chunk in chunks} == {1}


def test_image_is_ocrd(extractor, text_png: Path) -> None:
    need("tesseract")
    text = joined(extractor.extract(text_png, mime="image/png"))
    assert "Orçamento válido até sexta-feira" in text
    assert "São Paulo" in text


def test_docx_keeps_headings_as_titles(extractor, docx_file: Path) -> None:
    chunks = extractor.extract(docx_file)
    titles = [chunk.title for chunk in chunks]
    assert "Catálogo de Produtos" in titles and "Garantia" in titles
    garantia = next(chunk for chunk in chunks if chunk.title == "Garantia")
    assert "cinco anos" in garantia.text


def test_xlsx_price_list_one_chunk_per_sheet(extractor, xlsx_file: Path) -> None:
    chunks = extractor.extract(xlsx_file)
    assert [chunk.page for chunk in chunks] == [1, 2]
    assert "Kit Solar 5 kWp" in chunks[0].text and "18900" in chunks[0].text
    assert chunks[0].title == "Preços"
    assert "Limpeza de painéis" in chunks[1].text and chunks[1].title == "Serviços"


def test_csv_price_list(extractor, csv_file: Path) -> None:
    text = joined(extractor.extract(csv_file))
    assert "Bateria de lítio" in text and "4200" in text


def test_encrypted_pdf_is_reported(extractor, encrypted_pdf: Path) -> None:
    with pytest.raises(MediaError) as caught:
        extractor.extract(encrypted_pdf)
    assert caught.value.reason == "encrypted"
    assert "senha" in caught.value.user_message


def test_corrupt_pdf_is_reported(extractor, corrupt_pdf: Path) -> None:
    with pytest.raises(MediaError) as caught:
        extractor.extract(corrupt_pdf)
    assert caught.value.reason == "corrupt"


def test_truncated_pdf_is_never_silently_empty(extractor, text_pdf: Path, tmp_path) -> None:
    truncated = tmp_path / "cortado.pdf"
    truncated.write_bytes(text_pdf.read_bytes()[:300])
    with pytest.raises(MediaError) as caught:
        extractor.extract(truncated)
    assert caught.value.reason in {"corrupt", "empty"}


def test_unsupported_binary(extractor, unsupported_file: Path) -> None:
    with pytest.raises(MediaError) as caught:
        extractor.extract(unsupported_file)
    assert caught.value.reason == "unsupported"


def test_kind_is_sniffed_from_content_not_name(text_pdf, docx_file, xlsx_file, tmp_path) -> None:
    nameless = tmp_path / "media-3f9a"  # provider media ids come without an extension
    nameless.write_bytes(text_pdf.read_bytes())
    assert detect_document_kind(nameless) == "pdf"
    assert detect_document_kind(docx_file) == "docx"
    assert detect_document_kind(xlsx_file) == "xlsx"
    renamed = tmp_path / "planilha.pdf"
    renamed.write_bytes(xlsx_file.read_bytes())
    assert detect_document_kind(renamed) == "xlsx"


def test_factory_builds_the_offline_extractor(tmp_path) -> None:
    extractor = build_extractor(Settings(data_dir=tmp_path, _env_file=None))  # type: ignore[call-arg]
    assert isinstance(extractor, UnstructuredExtractor)


def test_default_path_never_imports_unstructured_inference(text_pdf: Path, text_png: Path) -> None:
    """The layout-model package (and the torch it needs) must stay optional for documents."""
    need("tesseract")
    script = (
        "import sys; from pathlib import Path\n"
        "from copiloto.media.documents import UnstructuredExtractor\n"
        "x = UnstructuredExtractor()\n"
        f"assert x.extract(Path({str(text_pdf)!r}))\n"
        f"assert x.extract(Path({str(text_png)!r}))\n"
        "print(sorted(m for m in ('unstructured_inference', 'unstructured.partition.pdf')"
        " if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=300
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"
