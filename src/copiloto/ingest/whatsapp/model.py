"""What the export parser returns: plain frozen records, no behaviour beyond small derived views."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Literal

from copiloto.domain.enums import MessageKind

Platform = Literal["android", "ios"]
DateOrder = Literal["dmy", "mdy", "ymd"]


@dataclass(frozen=True, slots=True)
class ParsedMessage:
    """One message written by a person; it may cover several physical lines of the file."""

    line_no: int  # 1-based line of the header line in the file
    sent_at: datetime  # NAIVE local time as written (the caller attaches the time zone)
    author: str  # cleaned: marks stripped, surrounding spaces stripped
    text: str  # message text; for attachments the caption (or "" when none)
    kind: MessageKind
    attachment: str | None = None  # file name the line refers to, e.g. "PTT-20200101-WA0001.opus"
    edited: bool = False
    line_count: int = 1  # how many physical lines of the file this message covers


@dataclass(frozen=True, slots=True)
class SystemLine:
    """A dated line WhatsApp wrote itself (encryption notice, group events); always one line."""

    line_no: int
    sent_at: datetime | None
    text: str


@dataclass(frozen=True, slots=True)
class ParseProblem:
    """A physical line the parser could not read; kept so an import can report it, never dropped."""

    line_no: int
    line: str  # the line exactly as in the file (invisible marks included)
    reason: str  # plain English reason, e.g. "line before the first message header"


@dataclass(frozen=True, slots=True)
class ParsedExport:
    platform: Platform
    date_order: DateOrder
    messages: list[ParsedMessage]
    system: list[SystemLine]
    problems: list[ParseProblem]
    line_count: int  # physical lines in the text (excluding a final empty line)
    blank_lines: int = 0  # empty lines that belong to no message (between or around messages)

    @property
    def authors(self) -> list[str]:
        """Distinct authors in order of first appearance (dict keeps insertion order)."""
        return list(dict.fromkeys(message.author for message in self.messages))


def format_problem(file: object, problem: ParseProblem) -> str:
    """`file:line: reason: 'line'`, the form an import report and a log line show."""
    return f"{file}:{problem.line_no}: {problem.reason}: {problem.line!r}"


# The parser builds one ParsedMessage per message, up to millions per import. A frozen dataclass's
# __init__ sets each field through object.__setattr__ (about 3 µs here); setting the slots through
# their descriptors gives the same frozen, equal object in half the time. Tests check the equality.
_MESSAGE_SETTERS = tuple(
    getattr(ParsedMessage, field.name).__set__ for field in fields(ParsedMessage)
)
(_set_0, _set_1, _set_2, _set_3, _set_4, _set_5, _set_6, _set_7) = _MESSAGE_SETTERS


def new_message(
    line_no: int,
    sent_at: datetime,
    author: str,
    text: str,
    kind: MessageKind,
    attachment: str | None,
    edited: bool,
    line_count: int,
) -> ParsedMessage:
    """`ParsedMessage(...)` with every field given, built without the dataclass __init__."""
    message = object.__new__(ParsedMessage)
    _set_0(message, line_no)
    _set_1(message, sent_at)
    _set_2(message, author)
    _set_3(message, text)
    _set_4(message, kind)
    _set_5(message, attachment)
    _set_6(message, edited)
    _set_7(message, line_count)
    return message
