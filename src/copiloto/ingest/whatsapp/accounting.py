"""The "zero lost lines" invariant of the export parser, as a check callers and tests can run.

Every physical line of an export is in exactly one of: a message (header and continuation lines,
blank lines inside it included), a system line, a problem, or the blank lines between messages.
"""

from __future__ import annotations

from copiloto.ingest.whatsapp.model import ParsedExport
from copiloto.ingest.whatsapp.parser import clean_text, split_lines


def accounted_lines(export: ParsedExport) -> int:
    """Lines the export says it covers; equals `export.line_count` when nothing was lost."""
    return (
        sum(message.line_count for message in export.messages)
        + len(export.system)
        + len(export.problems)
        + export.blank_lines
    )


def line_accounting_errors(export: ParsedExport, text: str) -> list[str]:
    """Everything wrong with how `export` covers `text`'s lines; an empty list when none is lost.

    Stronger than the sum: each line must be covered once, and the lines counted as blank must be
    exactly the blank lines that no message covers.
    """
    lines = split_lines(text)
    errors: list[str] = []
    if export.line_count != len(lines):
        errors.append(f"line_count {export.line_count} != {len(lines)} physical lines")
    total = accounted_lines(export)
    if total != export.line_count:
        errors.append(f"accounted {total} lines of {export.line_count}")
    owner: dict[int, str] = {}

    def claim(line_no: int, what: str) -> None:
        if not 1 <= line_no <= len(lines):
            errors.append(f"{what} claims line {line_no} outside the text")
        elif line_no in owner:
            errors.append(f"line {line_no} claimed by {owner[line_no]} and {what}")
        else:
            owner[line_no] = what

    for message in export.messages:
        for offset in range(message.line_count):
            claim(message.line_no + offset, f"message at line {message.line_no}")
    for line in export.system:
        claim(line.line_no, "a system line")
    for problem in export.problems:
        claim(problem.line_no, "a problem")
        if lines[problem.line_no - 1 : problem.line_no] != [problem.line]:
            errors.append(f"problem at line {problem.line_no} does not quote the line")
    unclaimed = [n for n in range(1, len(lines) + 1) if n not in owner]
    not_blank = [n for n in unclaimed if clean_text(lines[n - 1]).strip()]
    if not_blank:
        errors.append(f"lines lost: {not_blank[:20]}")
    if len(unclaimed) != export.blank_lines:
        errors.append(f"blank_lines {export.blank_lines} != {len(unclaimed)} unclaimed lines")
    return errors
