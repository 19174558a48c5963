"""Which field of a header date is the day: decided once per file, from every date in it.

"03/06/18" is June 3rd in Brazil and March 6th in the USA, and a single line cannot tell. A file can:
any date with a first field above 12 settles day-first, a second field above 12 settles month-first.
When no date settles it, the order under which the dates run forward in time wins; only then the
locale hint (pt/de/es... → day-first, en-US → month-first), and finally day-first, the Brazilian
default of this product.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Sequence
from datetime import date

from copiloto.ingest.whatsapp.model import DateOrder

log = logging.getLogger(__name__)

DateFields = tuple[str, str, str]  # the three numbers of a header date, as written

_MONTH_FIRST_LOCALES = ("en-us", "en-ph", "en-ca", "es-us", "en-as", "en-gu", "en-pr", "en-um")


def _year(text: str) -> int:
    value = int(text)
    return value + 2000 if len(text) <= 2 else value


def year_position(fields: DateFields) -> int:
    """0 for `yyyy/mm/dd`, 1 for the odd `mm/yyyy/dd`, 2 for the usual `dd/mm/yy(yy)`."""
    if len(fields[0]) >= 3:
        return 0
    if len(fields[1]) >= 3:
        return 1
    return 2


def _pair(fields: DateFields, position: int) -> tuple[int, int, int]:
    """(year, first, second) where first/second are the two non-year fields in written order."""
    if position == 0:
        return _year(fields[0]), int(fields[1]), int(fields[2])
    if position == 1:
        return _year(fields[1]), int(fields[0]), int(fields[2])
    return _year(fields[2]), int(fields[0]), int(fields[1])


def _valid(year: int, month: int, day: int) -> bool:
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return False
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _inversions(dates: Sequence[tuple[int, int, int]]) -> int:
    return sum(1 for earlier, later in itertools.pairwise(dates) if later < earlier)


def hint_order(locale_hint: str | None, *, has_ampm: bool) -> DateOrder:
    """Day or month first from a locale such as "pt-BR", "de", "en_US" or plain "en"."""
    if not locale_hint:
        return "dmy"
    hint = locale_hint.strip().lower().replace("_", "-")
    if hint.startswith(_MONTH_FIRST_LOCALES):
        return "mdy"
    if hint == "en" and has_ampm:
        return "mdy"
    return "dmy"


def decide_pair_order(
    fields: Sequence[DateFields], *, has_ampm: bool, locale_hint: str | None
) -> DateOrder:
    """'dmy' or 'mdy' for the dates whose year is not written first (see the module docstring)."""
    day_first = month_first = 0
    ambiguous: list[tuple[int, int, int]] = []
    for item in fields:
        position = year_position(item)
        if position == 0:
            continue
        year, first, second = _pair(item, position)
        if first > 12 >= second:
            day_first += 1
        elif second > 12 >= first:
            month_first += 1
        else:
            ambiguous.append((year, first, second))
    if day_first or month_first:
        if day_first and month_first:
            log.warning(
                "dates settle both orders (%d day-first, %d month-first); using the majority",
                day_first,
                month_first,
            )
        return "dmy" if day_first >= month_first else "mdy"
    if len(ambiguous) > 1:
        as_dmy = _inversions([(y, b, a) for y, a, b in ambiguous])
        as_mdy = _inversions(ambiguous)
        if as_dmy != as_mdy:
            return "dmy" if as_dmy < as_mdy else "mdy"
    return hint_order(locale_hint, has_ampm=has_ampm)


def resolve_date(fields: DateFields, *, day_first: bool) -> date | None:
    """The calendar date of a header, or None when no reading of the fields is a real date.

    A date that is impossible in the file's order but fine swapped ("24/12" in a month-first file
    whose other lines are ambiguous) is read swapped: the field above 12 leaves no doubt.
    """
    position = year_position(fields)
    year, first, second = _pair(fields, position)
    if position == 0:
        day_first = False  # yyyy/mm/dd is the only year-first shape WhatsApp writes
    day, month = (first, second) if day_first else (second, first)
    if _valid(year, month, day):
        return date(year, month, day)
    if _valid(year, day, month):
        return date(year, day, month)
    return None
