"""What a message's text means: attachment, media placeholder, deletion, edit, location, system event.

WhatsApp writes these as words in the phone's language, so the vocabularies below hold the pt, en, de
(and a few es/fr) spellings seen in real exports. The checks run once per message on hot paths, so
each regex is guarded by a cheap string test (`endswith`, `in`) that rejects ordinary text first.
"""

from __future__ import annotations

import re

from copiloto.domain.enums import MessageKind

# Invisible marks WhatsApp (or an editor) puts around dates, names and file names.
MARKS = "\u200e\u200f\ufeff\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c"
# Spaces that exports put in times ("10:37 p.\u202fm.") and that read as plain spaces.
ODD_SPACES = "\u202f\u00a0\u2007\u2009"

_EXTENSION_KINDS: dict[str, MessageKind] = {}
for _ext in ("opus", "ogg", "oga", "m4a", "aac", "mp3", "amr", "wav", "flac", "weba"):
    _EXTENSION_KINDS[_ext] = MessageKind.AUDIO
for _ext in ("jpg", "jpeg", "png", "webp", "heic", "heif", "gif", "bmp", "tif", "tiff"):
    _EXTENSION_KINDS[_ext] = MessageKind.IMAGE
for _ext in ("mp4", "3gp", "mov", "m4v", "mkv", "avi", "webm"):
    _EXTENSION_KINDS[_ext] = MessageKind.VIDEO
for _ext in ("vcf",):
    _EXTENSION_KINDS[_ext] = MessageKind.CONTACT


def kind_for_file(name: str) -> MessageKind:
    """Kind of an attachment from its name: extension first; a webp named STICKER-/STK- is a sticker."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = _EXTENSION_KINDS.get(ext, MessageKind.DOCUMENT)
    if ext == "webp" and ("STICKER" in name.upper() or name.upper().startswith("STK-")):
        return MessageKind.STICKER
    return kind


# "IMG-20230922-WA0006.jpg (arquivo anexado)" — Android, any language.
_FILE_ATTACHED = re.compile(
    r"(?P<file>\S.*?\.[A-Za-z0-9]{1,6})\s+\((?:arquivo anexado|file attached|Datei angehängt"
    r"|archivo adjunto|fichier joint|file allegato|bestand bijgevoegd)\)",
    re.IGNORECASE,
)
# "<attached: 00000012-PHOTO-2020-01-01-10-00-00.jpg>" — iOS; may follow a document title.
_ANGLE_ATTACHED = re.compile(
    r"<\s*(?:attached|anexado|anexo|Anhang|adjunto|allegato|pièce jointe|joint)\s*:\s*"
    r"(?P<file>[^<>]+?)\s*>$",
    re.IGNORECASE,
)
# "2015-08-04-PHOTO-00004762.jpg <attached>" — older iOS.
_TRAILING_ATTACHED = re.compile(
    r"(?P<file>\S.*?\.[A-Za-z0-9]{1,6})\s*<(?:attached|anexado|Anhang|adjunto)>$",
    re.IGNORECASE,
)
# "<Mídia oculta>", "<Media omitted>", "<Medien ausgeschlossen>" — Android without media.
_MEDIA_OMITTED = frozenset(
    {
        "<mídia oculta>",
        "<arquivo de mídia oculto>",
        "<media omitted>",
        "<medien ausgeschlossen>",
        "<multimedia omitido>",
        "<archivo omitido>",
        "<médias omis>",
        "<media omessi>",
        "<media weggelaten>",
    }
)
# "image omitted", "Bild weggelassen", "áudio ocultado" — iOS without media; the word says the type.
# iOS documents read "Invoice.pdf • 2 pages document omitted". Parsed by hand, not by a regex: the
# nested lazy patterns a regex needs here backtrack for seconds on a long line.
OMITTED_SUFFIXES = (
    "omitted",
    "omitido",
    "omitida",
    "ocultado",
    "ocultada",
    "oculto",
    "oculta",
    "weggelassen",
    "ausgelassen",
    "omis",
    "omise",
    "omesso",
)
_WORD_KINDS: dict[str, MessageKind] = {
    "image": MessageKind.IMAGE,
    "imagem": MessageKind.IMAGE,
    "imagen": MessageKind.IMAGE,
    "bild": MessageKind.IMAGE,
    "photo": MessageKind.IMAGE,
    "foto": MessageKind.IMAGE,
    "gif": MessageKind.VIDEO,
    "video": MessageKind.VIDEO,
    "vídeo": MessageKind.VIDEO,
    "vidéo": MessageKind.VIDEO,
    "audio": MessageKind.AUDIO,
    "áudio": MessageKind.AUDIO,
    "audio message": MessageKind.AUDIO,
    "sprachnachricht": MessageKind.AUDIO,
    "sticker": MessageKind.STICKER,
    "figurinha": MessageKind.STICKER,
    "document": MessageKind.DOCUMENT,
    "documento": MessageKind.DOCUMENT,
    "dokument": MessageKind.DOCUMENT,
    "contact card": MessageKind.CONTACT,
    "cartão de contato": MessageKind.CONTACT,
    "cartão do contato": MessageKind.CONTACT,
    "kontaktkarte": MessageKind.CONTACT,
    "tarjeta de contacto": MessageKind.CONTACT,
}
_DELETED_MARKERS = (
    "Mensagem apagada",
    "Esta mensagem foi apagada",
    "Você apagou esta mensagem",
    "This message was deleted",
    "You deleted this message",
    "Diese Nachricht wurde gelöscht",
    "Du hast diese Nachricht gelöscht",
    "Se eliminó este mensaje",
    "Eliminaste este mensaje",
    "Ce message a été supprimé",
    "Vous avez supprimé ce message",
)
_EDITED_MARKERS = tuple(
    {
        spelling
        for marker in (
            "<Mensagem editada>",
            "<This message was edited>",
            "<Diese Nachricht wurde bearbeitet>",
            "<Se editó este mensaje.>",
            "<Se editó este mensaje>",
            "<Ce message a été modifié>",
        )
        for spelling in (marker, marker.lower())
    }
)
LOCATION_PREFIXES = (
    "location:",
    "Location:",
    "localização:",
    "Localização:",
    "Standort:",
    "standort:",
    "ubicación:",
    "Ubicación:",
    "localisation:",
    "Localisation:",
)
_LIVE_LOCATION_MARKERS = (
    "live location shared",
    "Localização em tempo real compartilhada",
    "Live-Standort wird geteilt",
    "Ubicación en tiempo real compartida",
)


def _spellings(marker: str) -> set[str]:
    """The case and final-dot variants a marker is seen in, for exact (hash) lookups."""
    forms = {marker, marker.lower(), marker[0].upper() + marker[1:]}
    return forms | {form + "." for form in forms}


# Whole-message markers, looked up exactly: one hash per message instead of lowercasing each.
WHOLE_MARKERS: dict[str, MessageKind] = {}
for _marker in _DELETED_MARKERS:
    WHOLE_MARKERS.update(dict.fromkeys(_spellings(_marker), MessageKind.DELETED))
for _marker in _LIVE_LOCATION_MARKERS:
    WHOLE_MARKERS.update(dict.fromkeys(_spellings(_marker), MessageKind.LOCATION))


_TEXT = MessageKind.TEXT
# (kind, text, attachment file name, edited): a plain tuple, because it is built once per message.
Content = tuple[MessageKind, str, str | None, bool]


def strip_edited(text: str) -> tuple[str, bool]:
    """Remove a trailing "<Mensagem editada>"-style marker; say whether there was one."""
    if text.endswith(_EDITED_MARKERS):
        cut = text.rindex("<")
        return text[:cut].rstrip(), True
    return text, False


def classify(first: str, rest: str | None) -> Content:
    """Read a message from its first line's text (after the author) and its continuation lines.

    A caption on the lines after an attachment belongs to that attachment, so for attachments the
    continuation lines become the text and the placeholder itself is dropped.
    """
    if rest is None:
        full = first.strip()
        if (
            full
            and full[-1] not in ")>"
            and full not in WHOLE_MARKERS
            and not full.endswith(OMITTED_SUFFIXES)
            and not full.startswith(LOCATION_PREFIXES)
        ):
            return _TEXT, full, None, False  # most messages: plain text on one line
        caption = ""
        head = full
    else:
        full = f"{first}\n{rest}".strip()
        head, _, caption = full.partition("\n")
    edited = False
    if full.endswith(">"):
        full, edited = strip_edited(full)
        if edited:
            head, _, caption = full.partition("\n")
    kind, attachment, keeps_text = _classify_head(head.rstrip(), single=not caption)
    if kind is MessageKind.LOCATION:
        # "localização: <url>" / "Location: <url>": the word is WhatsApp's, in the phone's
        # language; keeping only the place makes Android and iOS exports of a chat agree.
        return kind, full.partition(":")[2].strip() if keeps_text else "", None, edited
    return kind, (full if keeps_text else caption.strip()), attachment, edited


def _omitted_placeholder(head: str) -> tuple[MessageKind, str | None] | None:
    """(kind, file name) of "image omitted"-style placeholders; None for ordinary sentences.

    Only known type words count: "the details were omitted" is a sentence, not a placeholder.
    """
    before = head.rpartition(" ")[0]
    words = before.split()
    for size in (3, 2, 1):
        if len(words) < size:
            continue
        kind = _WORD_KINDS.get(" ".join(words[-size:]).lower())
        if kind is None:
            continue
        if len(words) == size:
            return kind, None
        if "•" in before:  # "Invoice.pdf • 2 pages document omitted"
            name = before.split("•", 1)[0].strip()
            return kind, (name if "." in name else None)
        return None
    return None


def _classify_head(head: str, *, single: bool) -> tuple[MessageKind, str | None, bool]:
    """(kind, attachment, whether the message text is kept) from a message's first line."""
    if not head:
        return MessageKind.TEXT, None, True
    last = head[-1]
    if last == ")":
        match = _FILE_ATTACHED.fullmatch(head)
        if match:
            name = match["file"].strip()
            return kind_for_file(name), name, False
    elif last == ">":
        if head.lower() in _MEDIA_OMITTED:
            return MessageKind.MEDIA, None, False
        match = _ANGLE_ATTACHED.search(head) or _TRAILING_ATTACHED.fullmatch(head)
        if match:
            name = match["file"].strip()
            return kind_for_file(name), name, False
    elif head.endswith(OMITTED_SUFFIXES):
        omitted = _omitted_placeholder(head)
        if omitted is not None:
            return omitted[0], omitted[1], False
    if single:
        kind = WHOLE_MARKERS.get(head)
        if kind is not None:  # deleted and live-location markers: nothing the person wrote
            return kind, None, False
    if head.startswith(LOCATION_PREFIXES):
        return MessageKind.LOCATION, None, True
    return MessageKind.TEXT, None, True


# Phrases of WhatsApp's own event lines. Used only where a line could be either a message or an
# event: an iOS line whose text starts with a mark, or a would-be author that is really a sentence.
_SYSTEM_PHRASES = re.compile(
    r"end-to-end encrypted|end-to-end encryption|criptografia de ponta a ponta"
    r"|Ende-zu-Ende-verschlüsselt|cifrado de extremo a extremo"
    r"|\bcreated (?:the )?group\b|\bcriou o grupo\b|hat die Gruppe [^\n]{0,80}?erstellt|\bcreó el grupo\b"
    r"|\badded\b|\badicionou\b|\bhinzugefügt\b|\bañadió\b"
    r"|\bremoved\b|\bremoveu\b|\bentfernt\b"
    r"|\bleft$|\bsaiu$|\bhat die Gruppe verlassen\b|\bsalió\b"
    r"|\bjoined using\b|\bentrou usando\b|\bbeigetreten\b"
    r"|\bchanged (?:the|this) group|\bchanged the subject\b|\bchanged their phone number\b"
    r"|\bchanged to\b|\bmudou (?:o|a|de|para)\b|\balterou (?:o|a)\b|\bgeändert\b|\bcambió\b"
    r"|\bsecurity code\b|\bcódigo de segurança\b|\bSicherheitsnummer\b"
    r"|\bdisappearing messages\b|\bmensagens temporárias\b|\bselbstlöschende\b"
    r"|\bis now an admin\b|\bagora é admin|\bno longer an admin\b|\bnão é mais admin"
    r"|\bMissed (?:voice|video) call\b|\bChamada de (?:voz|vídeo) perdida\b"
    r"|\bVerpasster (?:Sprach|Video)anruf\b"
    r"|\bpinned a message\b|\bfixou uma mensagem\b",
    re.IGNORECASE,
)
# Encryption notices open a chat and, on iOS, carry the chat's name as their "author".
_ENCRYPTION_NOTICE = re.compile(
    r"^(?:Messages and calls are end-to-end encrypted|Messages (?:you send )?to this (?:group|chat)"
    r" (?:are|is) now secured|As mensagens e as chamadas são protegidas|As mensagens (?:que você"
    r" enviar )?(?:para|a) (?:este|esse) (?:grupo|conversa)"
    r"|Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt|Nachrichten, die du (?:an )?diese"
    r"|Los mensajes y las llamadas están cifrados)",
    re.IGNORECASE,
)


def looks_like_system_text(text: str) -> bool:
    """True when `text` reads like one of WhatsApp's own event lines."""
    return _SYSTEM_PHRASES.search(text) is not None


def is_encryption_notice(text: str) -> bool:
    return _ENCRYPTION_NOTICE.match(text) is not None
