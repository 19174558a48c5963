"""Finding exports on disk: .txt files, zips with media, folders, encodings and chat names."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from copiloto.domain.enums import MessageKind
from copiloto.ingest.whatsapp.archive import (
    chat_name_from_filename,
    decode_chat_bytes,
    discover_exports,
)
from copiloto.ingest.whatsapp.parser import parse_export

CHAT = (
    "22/09/2023 13:30 - As mensagens e as chamadas são protegidas com a criptografia de ponta a "
    "ponta.\n"
    "22/09/2023 13:33 - Fulano: \u200eIMG-20230922-WA0006.jpg (arquivo anexado)\n"
    "Esse é o modelo\n"
    "22/09/2023 13:34 - Fulano: \u200ePTT-20230922-WA0007.opus (arquivo anexado)\n"
    "22/09/2023 13:35 - Vendedor: Perfeito, te mando o orçamento\n"
)
JPEG = b"\xff\xd8\xff\xe0fake-jpeg"
OPUS = b"OggSfake-opus"


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_zip_with_media(tmp_path: Path) -> None:
    path = _zip(
        tmp_path / "WhatsApp Chat - Fulano.zip",
        {
            "_chat.txt": CHAT.encode("utf-8"),
            "IMG-20230922-WA0006.jpg": JPEG,
            "PTT-20230922-WA0007.opus": OPUS,
            "__MACOSX/._IMG-20230922-WA0006.jpg": b"resource fork",
        },
    )
    [source] = discover_exports([path])
    assert source.path == path
    assert source.chat_name == "Fulano"
    assert source.raw == path.read_bytes()
    assert source.text == CHAT
    assert source.attachments == {
        "IMG-20230922-WA0006.jpg": JPEG,
        "PTT-20230922-WA0007.opus": OPUS,
    }
    export = parse_export(source.text)
    named = [m.attachment for m in export.messages if m.attachment]
    assert named == ["IMG-20230922-WA0006.jpg", "PTT-20230922-WA0007.opus"]
    assert all(name in source.attachments for name in named)
    assert [m.kind for m in export.messages] == [
        MessageKind.IMAGE,
        MessageKind.AUDIO,
        MessageKind.TEXT,
    ]


def test_zip_names_the_chat_from_the_text_inside(tmp_path: Path) -> None:
    path = _zip(tmp_path / "export.zip", {"Conversa do WhatsApp com Beltrano.txt": CHAT.encode()})
    [source] = discover_exports([path])
    assert source.chat_name == "Beltrano"
    assert source.attachments == {}


def test_zip_with_an_oddly_named_chat_is_found_by_its_content(tmp_path: Path) -> None:
    path = _zip(tmp_path / "x.zip", {"conversa.txt": CHAT.encode(), "notas.txt": b"nada aqui"})
    [source] = discover_exports([path])
    assert source.text == CHAT
    assert source.attachments == {"notas.txt": b"nada aqui"}  # a document sent in the chat


def test_zip_without_chat_text_is_an_error(tmp_path: Path) -> None:
    path = _zip(tmp_path / "fotos.zip", {"IMG-1.jpg": JPEG, "leia.txt": b"sem conversa"})
    with pytest.raises(ValueError, match="no WhatsApp chat text"):
        list(discover_exports([path]))


def test_broken_zip_and_missing_path_are_errors(tmp_path: Path) -> None:
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"not a zip at all")
    with pytest.raises(ValueError, match="not a zip"):
        list(discover_exports([broken]))
    with pytest.raises(ValueError, match="no such file or folder"):
        list(discover_exports([tmp_path / "missing.txt"]))


def test_txt_with_media_beside_it(tmp_path: Path) -> None:
    chat = tmp_path / "WhatsApp Chat with Fulano.txt"
    chat.write_text(CHAT, encoding="utf-8")
    (tmp_path / "IMG-20230922-WA0006.jpg").write_bytes(JPEG)
    (tmp_path / "unrelated.pdf").write_bytes(b"%PDF")  # not named in the chat: left alone
    [source] = discover_exports([chat])
    assert source.chat_name == "Fulano"
    assert source.attachments == {"IMG-20230922-WA0006.jpg": JPEG}


def test_folder_with_one_chat_reads_like_a_zip_and_recurses(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    one = folder / "Fulano"
    one.mkdir(parents=True)
    (one / "_chat.txt").write_text(CHAT, encoding="utf-8")
    (one / "IMG-20230922-WA0006.jpg").write_bytes(JPEG)
    (one / "PTT-20230922-WA0007.opus").write_bytes(OPUS)
    (one / ".DS_Store").write_bytes(b"mac")
    nested = folder / "antigos" / "2022"
    nested.mkdir(parents=True)
    _zip(nested / "WhatsApp Chat - Ciclana.zip", {"_chat.txt": CHAT.encode()})
    (folder / "notas.md").write_text("not a chat", encoding="utf-8")

    sources = list(discover_exports([folder]))
    assert sorted(s.chat_name for s in sources) == ["", "Ciclana"]
    unzipped = next(s for s in sources if s.path.name == "_chat.txt")
    assert set(unzipped.attachments) == {"IMG-20230922-WA0006.jpg", "PTT-20230922-WA0007.opus"}


def test_folder_with_two_chats_gives_each_only_its_media(tmp_path: Path) -> None:
    (tmp_path / "WhatsApp Chat with A.txt").write_text(CHAT, encoding="utf-8")
    other = CHAT.replace("IMG-20230922-WA0006.jpg", "IMG-20230923-WA0001.jpg")
    (tmp_path / "WhatsApp Chat with B.txt").write_text(other, encoding="utf-8")
    (tmp_path / "IMG-20230922-WA0006.jpg").write_bytes(JPEG)
    (tmp_path / "IMG-20230923-WA0001.jpg").write_bytes(b"other")
    (tmp_path / "lista de compras.txt").write_text("arroz\nfeijão\n", encoding="utf-8")
    sources = {s.chat_name: s for s in discover_exports([tmp_path])}
    assert set(sources) == {"A", "B"}
    assert set(sources["A"].attachments) == {"IMG-20230922-WA0006.jpg"}
    assert set(sources["B"].attachments) == {"IMG-20230923-WA0001.jpg"}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_encodings(tmp_path: Path, encoding: str) -> None:
    data = CHAT.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):  # with the BOM a Windows editor writes
        data = "\ufeff".encode(encoding) + data
    path = tmp_path / "WhatsApp Chat with Fulano.txt"
    path.write_bytes(data)
    [source] = discover_exports([path])
    assert source.text == CHAT
    assert source.raw == data
    assert len(parse_export(source.text).messages) == 3


def test_cp1252_file_is_read_rather_than_rejected() -> None:
    assert decode_chat_bytes("12/05/2024 14:30 - Ana: ação".encode("cp1252")).endswith("ação")


@pytest.mark.parametrize(
    ("name", "chat"),
    [
        ("Conversa do WhatsApp com Fulano.txt", "Fulano"),
        ("WhatsApp Chat with X.txt", "X"),
        ("WhatsApp Chat - X.zip", "X"),
        ("WhatsApp-Chat mit Oma.txt", "Oma"),
        ("Conversa do WhatsApp com Loja Centro (1).txt", "Loja Centro"),
        ("_chat.txt", ""),
        ("cliente.txt", "cliente"),
    ],
)
def test_chat_name_from_filename(name: str, chat: str) -> None:
    assert chat_name_from_filename(name) == chat
