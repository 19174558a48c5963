"""Find WhatsApp exports on disk: a chat .txt, the .zip WhatsApp shares, or folders holding them.

A phone shares either the bare .txt ("without media") or a .zip with the .txt and every media file.
Sellers also unzip exports into folders, so a folder holding one chat .txt and media files is read
like a zip. Text encodings seen in exports: UTF-8 (with or without BOM) and UTF-16 with BOM (some
Windows tools re-save it); a file in neither is read as cp1252 rather than rejected.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from copiloto.ingest.whatsapp.parser import is_header_line

log = logging.getLogger(__name__)

_CHAT_NAME_PATTERNS = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"^Conversa do WhatsApp com (?P<name>.+)$",
        r"^Conversa no WhatsApp com (?P<name>.+)$",
        r"^WhatsApp Chat with (?P<name>.+)$",
        r"^WhatsApp Chat - (?P<name>.+)$",
        r"^WhatsApp-Chat mit (?P<name>.+)$",
        r"^Chat de WhatsApp con (?P<name>.+)$",
        r"^Discussion WhatsApp avec (?P<name>.+)$",
        r"^Chat WhatsApp con (?P<name>.+)$",
    )
)
_DUPLICATE_SUFFIX = re.compile(r"\s*\(\d+\)$")  # "… (1).txt" from a second download
_SNIFF_BYTES = 4096


@dataclass(frozen=True, slots=True)
class ExportSource:
    path: Path  # the .txt or .zip (or the .txt inside a folder) as given
    chat_name: str  # from the file name ("Conversa do WhatsApp com Fulano.txt" → "Fulano")
    text: str  # decoded chat text (utf-8, utf-8-sig, utf-16 with BOM)
    raw: bytes  # the original file's bytes (the zip's bytes for a zip)
    attachments: dict[str, bytes] = field(default_factory=dict)  # media files, by base name


def chat_name_from_filename(name: str) -> str:
    """Contact or group name in an export's file name; "" for iOS's "_chat.txt"."""
    stem = PurePosixPath(name).name
    for suffix in (".txt", ".zip"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
    stem = _DUPLICATE_SUFFIX.sub("", stem).strip()
    if stem.lower() == "_chat":
        return ""
    return _name_in_pattern(stem) or stem


def _name_in_pattern(stem: str) -> str:
    for pattern in _CHAT_NAME_PATTERNS:
        match = pattern.match(stem)
        if match:
            return match["name"].strip()
    return ""


def decode_chat_bytes(data: bytes) -> str:
    """Text of an export file: BOM-declared UTF-16/UTF-8 first, then UTF-8, then cp1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        log.warning("export is not UTF-8; reading it as cp1252")
        return data.decode("cp1252", errors="replace")


def looks_like_chat_text(data: bytes) -> bool:
    """True when the first non-empty line of `data` is a WhatsApp message header."""
    head = decode_chat_bytes(data[:_SNIFF_BYTES]) if data else ""
    for line in head.splitlines()[:5]:
        if line.strip():
            return is_header_line(line)
    return False


def _is_chat_name(name: str) -> bool:
    lowered = name.lower()
    return lowered.endswith(".txt") and (lowered == "_chat.txt" or "whatsapp" in lowered)


def discover_exports(paths: Iterable[Path]) -> Iterator[ExportSource]:
    """Every chat export under `paths`: .txt files, .zip files and folders (searched recursively).

    Raises ValueError for a path that does not exist, a zip that is not a zip, or a zip without a
    chat text, so an import stops with a clear message instead of importing nothing.
    """
    for path in paths:
        path = Path(path)
        if not path.exists():
            raise ValueError(f"{path}: no such file or folder")
        if path.is_dir():
            yield from _from_folder(path)
        elif path.suffix.lower() == ".zip":
            yield from _from_zip(path)
        else:
            yield _from_text_file(path, attachments=_referenced_siblings(path))


def _from_zip(path: Path) -> Iterator[ExportSource]:
    raw = path.read_bytes()
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile as error:
        raise ValueError(f"{path}: not a zip file ({error})") from error
    with archive:
        members = [info for info in archive.infolist() if not info.is_dir()]
        names = {info.filename: _member_name(info) for info in members}
        texts = [info for info in members if names[info.filename].lower().endswith(".txt")]
        chats = [info for info in texts if _is_chat_name(PurePosixPath(names[info.filename]).name)]
        if not chats:
            chats = [info for info in texts if looks_like_chat_text(archive.read(info))]
        if not chats:
            raise ValueError(f"{path}: zip has no WhatsApp chat text (.txt)")
        chat_ids = {info.filename for info in chats}
        attachments = {
            PurePosixPath(names[info.filename]).name: archive.read(info)
            for info in members
            if info.filename not in chat_ids and not _is_hidden(names[info.filename])
        }
        # "WhatsApp Chat - Fulano.zip" names the chat; otherwise the .txt inside may.
        zip_name = _name_in_pattern(_DUPLICATE_SUFFIX.sub("", path.stem).strip())
        for info in chats:
            text_name = PurePosixPath(names[info.filename]).name
            yield ExportSource(
                path=path,
                chat_name=zip_name or chat_name_from_filename(text_name),
                text=decode_chat_bytes(archive.read(info)),
                raw=raw,
                attachments=attachments,
            )


def _from_folder(folder: Path) -> Iterator[ExportSource]:
    for directory in sorted([folder, *(p for p in folder.rglob("*") if p.is_dir())]):
        if _is_hidden(directory.relative_to(folder).as_posix()):
            continue
        files = sorted(p for p in directory.iterdir() if p.is_file() and not p.name.startswith("."))
        for zipped in (p for p in files if p.suffix.lower() == ".zip"):
            yield from _from_zip(zipped)
        chats = [p for p in files if p.suffix.lower() == ".txt" and _is_chat_file(p)]
        for chat in chats:
            if len(chats) == 1:  # one chat and its media: read like a zip
                attachments = {
                    p.name: p.read_bytes()
                    for p in files
                    if p != chat and p.suffix.lower() != ".zip"
                }
            else:
                attachments = _referenced_siblings(chat)
            yield _from_text_file(chat, attachments=attachments)


def _from_text_file(path: Path, *, attachments: dict[str, bytes]) -> ExportSource:
    raw = path.read_bytes()
    return ExportSource(
        path=path,
        chat_name=chat_name_from_filename(path.name),
        text=decode_chat_bytes(raw),
        raw=raw,
        attachments=attachments,
    )


def _is_chat_file(path: Path) -> bool:
    if _is_chat_name(path.name):
        return True
    with path.open("rb") as handle:
        return looks_like_chat_text(handle.read(_SNIFF_BYTES))


def _referenced_siblings(chat: Path) -> dict[str, bytes]:
    """Files beside a chat .txt whose names the chat mentions (a .txt given on its own)."""
    text = decode_chat_bytes(chat.read_bytes())
    return {
        p.name: p.read_bytes()
        for p in sorted(chat.parent.iterdir())
        if p.is_file() and p != chat and not p.name.startswith(".") and p.name in text
    }


def _member_name(info: zipfile.ZipInfo) -> str:
    """Member name as the phone wrote it: zips without the UTF-8 flag still carry UTF-8 names."""
    name = info.filename
    if info.flag_bits & 0x800:
        return name
    try:
        return name.encode("cp437").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return name


def _is_hidden(name: str) -> bool:
    """macOS adds __MACOSX/ and ._ files to zips it makes; they are not media."""
    parts = PurePosixPath(name).parts
    return any(part.startswith(".") or part == "__MACOSX" for part in parts)
