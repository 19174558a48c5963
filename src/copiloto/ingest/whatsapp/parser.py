"""Parse the text of a WhatsApp "Export chat" file into messages, system lines and problems.

Every physical line ends up in exactly one place: a message (its header line and continuation lines),
a system line, a problem, or the count of blank lines between messages; `accounting.py` checks it.

The parser makes two passes. The first finds header lines with one precompiled regex and learns the
file's shape: which header separators it uses, whether its dates are day- or month-first, who its
authors are. The second builds the records with that knowledge, so a header is read the same way at
line 3 as at line 30,000. Invisible marks (U+200E, U+FEFF, U+202A…) are removed from the whole text
once, up front; the text as written is kept only to quote problems and to see where a mark stood.
"""

from __future__ import annotations

import gc
import logging
import re
from collections.abc import Sequence
from datetime import datetime, timedelta

from copiloto.domain.enums import MessageKind
from copiloto.ingest.whatsapp import content
from copiloto.ingest.whatsapp.dates import (
    DateFields,
    decide_pair_order,
    resolve_date,
    year_position,
)
from copiloto.ingest.whatsapp.model import (
    DateOrder,
    ParsedExport,
    ParsedMessage,
    ParseProblem,
    Platform,
    SystemLine,
    new_message,
)

log = logging.getLogger(__name__)

# One header: date, time, optional AM/PM, then the separator before the author. Runs on lines whose
# invisible marks are already removed and whose odd spaces (U+202F, U+00A0) are plain spaces.
_HEADER = re.compile(
    r"(?P<bracket>\[)?"
    r"(?P<date>\d{1,4}(?P<sep>[./-]) ?\d{1,4}(?P=sep) ?\d{1,4})\.?"
    r",? (?:klo )?"
    r"(?P<time>\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?: ?[AaPp]\.? ?[Mm]\.?)?)"
    r"\.?"
    r"(?P<tail>\] - |\] ?| - |: | )"
    r"(?P<body>.*)"
)
# Few groups on purpose: `groups()` copies each one for every line. Dates and times are split into
# numbers by the two regexes below, once per distinct text (a chat repeats them a lot).
_GROUP_INDEX = {name: index - 1 for name, index in _HEADER.groupindex.items()}
_BRACKET, _DATE, _TIME = _GROUP_INDEX["bracket"], _GROUP_INDEX["date"], _GROUP_INDEX["time"]
_TAIL, _BODY = _GROUP_INDEX["tail"], _GROUP_INDEX["body"]
_DATE_FIELDS = re.compile(r"(\d{1,4})[./-] ?(\d{1,4})[./-] ?(\d{1,4})")
_TIME_FIELDS = re.compile(r"(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?(?: ?([AaPp])\.? ?[Mm]\.?)?")

# Separators that only a header has. ": " and a bare space also occur in the wild, but a message
# line that starts with a date ("10/05/2024 14:00 reunião") has them too, so a file that uses a
# strong separator anywhere does not get the weak ones.
_STRONG_TAILS = frozenset({"] - ", "] ", "]", " - "})
_MARKS_RE = re.compile(f"[{content.MARKS}]")
_ODD_SPACES_RE = re.compile(f"[{content.ODD_SPACES}]")
_BULK_CHARS = 1_000_000  # above this, parse with the cyclic GC paused (see parse_export)
_MAX_NAME_LENGTH = 120  # longer than any contact name or phone number WhatsApp shows
_MAX_NAME_COLONS = 3  # ": " a contact name may hold; more would be a sentence
_NOTICE_STARTS = ("Messages", "As mensagens", "Nachrichten", "Los mensajes", "Mensagens")

Groups = Sequence[str | None]


def split_lines(text: str) -> list[str]:
    """Physical lines: LF, CRLF or CR endings; a final empty line (the file's last newline) dropped."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def clean_text(text: str) -> str:
    """Drop invisible marks (U+200E, U+FEFF, U+202A…) and make odd spaces plain, in one pass each."""
    if _MARKS_RE.search(text):
        text = _MARKS_RE.sub("", text)
    if _ODD_SPACES_RE.search(text):
        text = _ODD_SPACES_RE.sub(" ", text)
    return text


def is_header_line(line: str) -> bool:
    """True when `line` opens a message or system line (marks and odd spaces allowed)."""
    return _HEADER.match(clean_text(line).lstrip()) is not None


_UNSEEN: object = object()  # cache miss marker (None is a cached "impossible date/time")


def _seconds(clock: tuple[int, int, int]) -> int:
    hour, minute, second = clock
    return hour * 3600 + minute * 60 + second


def _date_fields(date_text: str) -> DateFields:
    return _DATE_FIELDS.fullmatch(date_text).groups()  # type: ignore[union-attr,return-value]


def _clock(time_text: str) -> tuple[int, int, int] | None:
    """(hour, minute, second) from the header's time, or None for an impossible time."""
    hour_text, minute_text, second_text, ampm = _TIME_FIELDS.fullmatch(time_text).groups()  # type: ignore[union-attr]
    hour = int(hour_text)
    minute = int(minute_text)
    second = int(second_text) if second_text else 0
    if ampm is not None:
        # Lenient on purpose: hand-edited exports write "23:59 PM" and "00:04 AM".
        if ampm in "pP":
            if hour < 12:
                hour += 12
        elif hour == 12:
            hour = 0
    if hour > 23 or minute > 59 or second > 59:
        return None
    return hour, minute, second


def _split_author(
    body: str, known: dict[str, int], prefixes: dict[str, int]
) -> tuple[str, str] | None:
    """(author, text) of a header body, or None when it has no "author: " part (a system line).

    Names may hold ": " themselves ("Loja: Centro"). With several ": " in a body, a longer prefix
    wins when it is an author seen without doubt elsewhere, or when every body that opens with the
    shorter one goes on with it (two or more times): a person's messages do not all start with the
    same word and a colon, but a name's do. Otherwise the first ": " splits.
    """
    cut = body.find(": ")
    if cut == -1:
        if body.endswith(":") and len(body) > 1:  # "Carol:" — an empty message
            return body[:-1], ""
        cut = body.find(":")
        while 0 < cut <= _MAX_NAME_LENGTH:  # "John Doe:." — only for an author already known
            if body[:cut].strip() in known:
                return body[:cut], body[cut + 1 :]
            cut = body.find(":", cut + 1)
        return None
    if cut > _MAX_NAME_LENGTH:  # a sentence with a colon in it, not a name
        return None
    best = cut
    opening = prefixes.get(body[:cut].strip(), 0)
    following = body.find(": ", cut + 2)
    for _ in range(_MAX_NAME_COLONS):
        if following == -1:
            break
        name = body[:following].strip()
        count = prefixes.get(name, 0)
        if name in known or (count >= 2 and count == opening):
            best = following
        following = body.find(": ", following + 2)
    if body.endswith(":"):
        name = body[:-1].strip()
        count = prefixes.get(name, 0)
        if name in known or (count >= 2 and count == opening):
            return body[:-1], ""
    return body[:best], body[best + 2 :]


def _clean_author(author: str, prefixes: dict[str, int]) -> str:
    """The author's name as shown, or "" when the would-be name is a sentence of a system line."""
    name = author.strip()
    if prefixes.get(name, 0) < 2 and content.looks_like_system_text(name):
        return ""
    if name.startswith("~"):  # recent Android marks contacts not in the phone book with "~ "
        name = name[1:].lstrip()
    return name


def _count_authors(heads: Sequence[tuple[int, Groups]]) -> tuple[dict[str, int], dict[str, int]]:
    """Who writes in this file, to split "Name: with: colons" bodies (see `_split_author`).

    `known`: authors of bodies with exactly one ": " (no doubt where the name ends). `prefixes`:
    how many bodies each possible name (the text before any ": ", or before a final ":") opens.
    """
    plain: dict[str, int] = {}  # raw first prefix of unambiguous bodies, the common case
    known: dict[str, int] = {}
    prefixes: dict[str, int] = {}
    for _, groups in heads:
        body: str = groups[_BODY]  # type: ignore[assignment]
        cut = body.find(": ")
        if cut > 0:
            following = body.find(": ", cut + 2)
            if following == -1 and body[-1] != ":":
                name = body[:cut]
                plain[name] = plain.get(name, 0) + 1
                continue
            name = body[:cut].strip()
            prefixes[name] = prefixes.get(name, 0) + 1
            for _ in range(_MAX_NAME_COLONS):
                if following == -1:
                    break
                name = body[:following].strip()
                prefixes[name] = prefixes.get(name, 0) + 1
                following = body.find(": ", following + 2)
            if body.endswith(":"):  # "Dr: Silva:" may be an empty message by "Dr: Silva"
                name = body[:-1].strip()
                prefixes[name] = prefixes.get(name, 0) + 1
        elif cut == -1 and body.endswith(":") and len(body) > 1:
            name = body[:-1].strip()
            known[name] = known.get(name, 0) + 1
            prefixes[name] = prefixes.get(name, 0) + 1
    for raw_name, count in plain.items():
        name = raw_name.strip()
        known[name] = known.get(name, 0) + count
        prefixes[name] = prefixes.get(name, 0) + count
    return known, prefixes


class _LazyLines(Sequence[str]):
    """The physical lines of a text, split the first time one is asked for."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._lines: list[str] | None = None

    def _split(self) -> list[str]:
        if self._lines is None:
            self._lines = split_lines(self._text)
        return self._lines

    def __getitem__(self, index):  # type: ignore[no-untyped-def, override]
        return self._split()[index]

    def __len__(self) -> int:
        return len(self._split())


def _lines_containing(text: str, needle: str) -> frozenset[int]:
    """0-based indexes of the lines of `text` (newlines already "\\n") that contain `needle`."""
    found: set[int] = set()
    line = 0
    previous = 0
    at = text.find(needle)
    while at != -1:
        line += text.count("\n", previous, at)
        found.add(line)
        previous = at
        at = text.find(needle, at + 1)
    return frozenset(found)


def _decide_platform(heads: Sequence[tuple[int, Groups]]) -> Platform:
    ios = sum(1 for _, groups in heads if groups[_BRACKET] or groups[_TAIL] == ": ")
    return "ios" if ios * 2 > len(heads) else "android"


def _decide_date_order(
    heads: Sequence[tuple[int, Groups]], locale_hint: str | None
) -> tuple[DateOrder, bool]:
    """The file's reported order and whether its non-year-first dates are day-first."""
    distinct = list(dict.fromkeys(groups[_DATE] for _, groups in heads))
    fields = [_date_fields(text) for text in distinct]  # type: ignore[arg-type]
    has_ampm = any(
        "m" in time or "M" in time
        for time in {groups[_TIME] for _, groups in heads}  # type: ignore[operator]
    )
    pair_order = decide_pair_order(fields, has_ampm=has_ampm, locale_hint=locale_hint)
    year_first = sum(1 for item in fields if year_position(item) == 0)
    reported: DateOrder = "ymd" if fields and year_first * 2 > len(fields) else pair_order
    return reported, pair_order == "dmy"


def parse_export(text: str, *, locale_hint: str | None = None) -> ParsedExport:
    """Read a whole export. Never raises on content: unreadable lines become `ParseProblem`s.

    `locale_hint` ("pt-BR", "en-US", "de"…) only breaks the tie when no date in the file tells
    whether the day or the month comes first.
    """
    if len(text) < _BULK_CHARS:
        return _parse(text, locale_hint)
    # A big export creates hundreds of thousands of records, none in a reference cycle, and the
    # cyclic collector would traverse them again and again (about a fifth of the time here).
    # Pause it for the call and restore the caller's setting.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _parse(text, locale_hint)
    finally:
        if was_enabled:
            gc.enable()


def _parse(text: str, locale_hint: str | None) -> ParsedExport:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    cleaned = clean_text(text)
    lines = split_lines(cleaned)
    has_marks = cleaned is not text
    # The lines as written are needed only to quote problems and to see where a mark stood, so
    # they are split on first use; `marked` holds the indexes of lines with a left-to-right mark.
    raw_lines: Sequence[str] = _LazyLines(text) if has_marks else lines
    marked = _lines_containing(text, "\u200e") if has_marks else frozenset()
    line_total = len(lines)

    match = _HEADER.match
    heads: list[tuple[int, Groups]] = [
        (index, found.groups()) for index, line in enumerate(lines) if (found := match(line))
    ]
    if any(groups[_TAIL] in _STRONG_TAILS for _, groups in heads):
        heads = [head for head in heads if head[1][_TAIL] in _STRONG_TAILS]

    platform = _decide_platform(heads)
    date_order, day_first = _decide_date_order(heads, locale_hint)
    known, prefixes = _count_authors(heads)

    messages: list[ParsedMessage] = []
    system: list[SystemLine] = []
    problems: list[ParseProblem] = []
    blank = 0

    first_head = heads[0][0] if heads else line_total
    for index in range(first_head):
        if lines[index].strip():
            problems.append(
                ParseProblem(index + 1, raw_lines[index], "line before the first message header")
            )
        else:
            blank += 1

    # Hot loop: caches for dates, times and author names (a chat repeats them all the time), and
    # the common single-line, single-": " message handled inline before any helper is called.
    dates: dict[str, datetime | None] = {}  # date text -> midnight of that day
    times: dict[str, timedelta | None] = {}  # time text -> offset from midnight
    clean_authors: dict[str, str] = {}
    classify = content.classify
    whole_markers = content.WHOLE_MARKERS
    omitted_suffixes = content.OMITTED_SUFFIXES
    location_prefixes = content.LOCATION_PREFIXES
    text_kind = MessageKind.TEXT
    notice_starts = _NOTICE_STARTS
    ends = [index for index, _ in heads[1:]]
    if heads:
        ends.append(line_total)
    for (index, groups), end in zip(heads, ends, strict=True):
        stop = end
        while stop > index + 1 and not lines[stop - 1].strip():
            stop -= 1
        blank += end - stop

        date_text: str = groups[_DATE]  # type: ignore[assignment]
        midnight = dates.get(date_text, _UNSEEN)
        if midnight is _UNSEEN:
            day = resolve_date(_date_fields(date_text), day_first=day_first)
            midnight = dates[date_text] = None if day is None else datetime(*day.timetuple()[:3])
        time_text: str = groups[_TIME]  # type: ignore[assignment]
        offset = times.get(time_text, _UNSEEN)
        if offset is _UNSEEN:
            clock = _clock(time_text)
            offset = times[time_text] = None if clock is None else timedelta(0, _seconds(clock))
        if midnight is None or offset is None:
            problems.append(ParseProblem(index + 1, raw_lines[index], "invalid date or time"))
            blank += _orphan_lines(
                lines, raw_lines, index + 1, stop, problems, "continuation of an unreadable line"
            )
            continue
        sent_at = midnight + offset  # type: ignore[operator]

        body: str = groups[_BODY]  # type: ignore[assignment]
        cut = body.find(": ")
        if 0 < cut <= _MAX_NAME_LENGTH and body[-1] != ":" and body.find(": ", cut + 2) == -1:
            author_raw = body[:cut]
            first = body[cut + 2 :]
        else:
            split = _split_author(body, known, prefixes)
            if split is None:
                system.append(SystemLine(index + 1, sent_at, body.strip()))
                blank += _orphan_lines(
                    lines, raw_lines, index + 1, stop, problems, "line after a one-line system line"
                )
                continue
            author_raw, first = split
        author = clean_authors.get(author_raw)
        if author is None:
            author = clean_authors[author_raw] = _clean_author(author_raw, prefixes)
        if not author:
            # 'You changed the subject from "a: b"' — the would-be author is a sentence.
            system.append(SystemLine(index + 1, sent_at, body.strip()))
            blank += _orphan_lines(
                lines, raw_lines, index + 1, stop, problems, "line after a one-line system line"
            )
            continue

        if stop > index + 1:
            rest: str | None = "\n".join(lines[index + 1 : stop])
            kind, text_, attachment, edited = classify(first, rest)
        else:
            rest = None
            text_ = first.strip()
            if (
                text_
                and text_[-1] not in ")>"
                and text_ not in whole_markers
                and not text_.endswith(omitted_suffixes)
                and not text_.startswith(location_prefixes)
            ):  # plain one-line text, most of any chat: skip the classifier call
                kind, attachment, edited = text_kind, None, False
            else:
                kind, text_, attachment, edited = classify(first, None)
        if (
            kind is text_kind
            and rest is None
            and (text_.startswith(notice_starts) or index in marked)
            and _is_system_text(text_, raw_lines[index] if index in marked else None)
        ):
            # iOS writes group events as "Chat name: \u200eAna added Bia".
            system.append(SystemLine(index + 1, sent_at, text_))
            continue
        messages.append(
            new_message(index + 1, sent_at, author, text_, kind, attachment, edited, stop - index)
        )

    if problems:
        problems.sort(key=lambda problem: problem.line_no)
        log.info("export has %d unreadable lines of %d", len(problems), line_total)
    return ParsedExport(
        platform=platform,
        date_order=date_order,
        messages=messages,
        system=system,
        problems=problems,
        line_count=line_total,
        blank_lines=blank,
    )


def _is_system_text(text: str, raw_line: str | None) -> bool:
    """An iOS event line under the chat's name: the encryption notice, or a marked event phrase."""
    if text.startswith(_NOTICE_STARTS) and content.is_encryption_notice(text):
        return True
    return (
        raw_line is not None
        and "\u200e" in raw_line
        and _text_starts_with_mark(raw_line, text)
        and content.looks_like_system_text(text)
    )


def _text_starts_with_mark(raw_line: str, text: str) -> bool:
    """True when the raw line has a left-to-right mark right before `text` begins."""
    start = text[:12]
    at = raw_line.rfind(start)
    while at > 0:
        if raw_line[at - 1] in content.MARKS:
            return True
        at = raw_line.rfind(start, 0, at)
    return False


def _orphan_lines(
    lines: list[str],
    raw_lines: Sequence[str],
    start: int,
    stop: int,
    problems: list[ParseProblem],
    reason: str,
) -> int:
    """Report the non-blank lines in [start, stop) as problems; return how many were blank."""
    blank = 0
    for index in range(start, stop):
        if lines[index].strip():
            problems.append(ParseProblem(index + 1, raw_lines[index], reason))
        else:
            blank += 1
    return blank
