"""Grounding check: every number, price, percentage, date and time in generated text must come from
the context the model was given; anything else is flagged and marked `⚠️[…]`.

Small models make up prices and dates fluently. The facts are computed by code and handed over, so
a figure absent from the context is either invented or miscomputed: either way the seller must not
see it unmarked. Formats are normalized before comparison (`R$ 1.234,56` = `1234,56 reais`,
`15/03` = `15 de março`, `5 mil` = `5.000`), so a faithful rewording is not flagged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from copiloto.suggestions.citations import MARKER
from copiloto.suggestions.schemas import GroundingFlag

WARNING_PREFIX = "⚠️["
WARNING_SUFFIX = "]"

MONTHS = {
    "janeiro": 1,
    "fevereiro": 2,
    "março": 3,
    "marco": 3,
    "abril": 4,
    "maio": 5,
    "junho": 6,
    "julho": 7,
    "agosto": 8,
    "setembro": 9,
    "outubro": 10,
    "novembro": 11,
    "dezembro": 12,
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+,\d+|\d+\.\d+|\d+"
_MULT = r"(?:\s?(?P<{name}>mil\b|milh(?:ão|ao|ões|oes)\b|mi\b|k\b))?"
_START = r"(?<![\w.,/:])"

_CLAIM = re.compile(
    "|".join(
        [
            rf"(?P<date_long>{_START}(?P<dl_day>\d{{1,2}})(?:º|°)?\s+de\s+(?P<dl_month>{_MONTH})"
            rf"(?:\s+de\s+(?P<dl_year>\d{{4}}))?)",
            rf"(?P<date_iso>{_START}(?P<di_year>\d{{4}})-(?P<di_month>\d{{2}})-(?P<di_day>\d{{2}})(?!\d))",
            rf"(?P<date_num>{_START}(?P<dn_day>\d{{1,2}})/(?P<dn_month>\d{{1,2}})"
            rf"(?:/(?P<dn_year>\d{{4}}|\d{{2}}))?(?![\d/]))",
            rf"(?P<phone>(?:\+\s?55\s?)?{_START}\(?\d{{2}}\)?\s?9?\d{{4}}[-\s]?\d{{4}}(?!\d))",
            rf"(?P<money>R\$\s?(?P<m_num>{_NUM}){_MULT.format(name='m_mult')}"
            rf"|{_START}(?P<m2_num>{_NUM}){_MULT.format(name='m2_mult')}\s?reais\b)",
            rf"(?P<percent>{_START}(?P<p_num>{_NUM})\s?(?:%|por\s+cento\b))",
            rf"(?P<time>{_START}(?P<t_hour>[01]?\d|2[0-3])(?:h(?P<t_min1>[0-5]\d)?(?![a-z])"
            rf"|:(?P<t_min2>[0-5]\d)(?!\d)))",
            rf"(?P<number>{_START}(?P<n_num>{_NUM}){_MULT.format(name='n_mult')}(?![\d]))",
        ]
    ),
    re.IGNORECASE,
)
_ENUMERATOR = re.compile(r"(?m)^\s*(?:[-*•]\s*)?$")
_MULTIPLIERS = {"mil": 1000, "k": 1000, "mi": 1_000_000}


def _multiplier(word: str | None) -> int:
    if not word:
        return 1
    word = word.lower()
    if word.startswith("milh"):
        return 1_000_000
    return _MULTIPLIERS.get(word, 1)


def number_values(raw: str, multiplier: int = 1) -> frozenset[Decimal]:
    """Every reading of a written number: `1.234` may be 1234 (pt-BR) or 1.234 (en)."""
    readings: set[str] = set()
    if "," in raw:
        readings.add(raw.replace(".", "").replace(",", "."))
    elif "." in raw:
        readings.add(raw)
        if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", raw):
            readings.add(raw.replace(".", ""))
    else:
        readings.add(raw)
    values = set()
    for reading in readings:
        try:
            values.add((Decimal(reading) * multiplier).normalize())
        except InvalidOperation:
            continue
    return frozenset(values)


def _year(raw: str | None) -> int | None:
    if not raw:
        return None
    value = int(raw)
    return value + 2000 if value < 100 else value


@dataclass(frozen=True)
class Claim:
    """A checkable figure in a text, with its normalized readings."""

    text: str
    kind: str
    start: int
    end: int
    values: frozenset[Decimal] = frozenset()
    day_month: tuple[int, int] | None = None
    year: int | None = None
    hour_minute: tuple[int, int | None] | None = None
    digits: str = ""


def _mask_citations(text: str) -> str:
    """Blank out `[m123]` markers (same length) so message ids are never read as figures."""
    return MARKER.sub(lambda marker: " " * len(marker.group(0)), text)


def extract_claims(text: str) -> list[Claim]:
    masked = _mask_citations(text)
    claims: list[Claim] = []
    for match in _CLAIM.finditer(masked):
        kind = match.lastgroup
        group = match.groupdict()
        start, end = match.span()
        span = text[start:end]
        if group["date_long"]:
            month = MONTHS[group["dl_month"].lower()]
            claims.append(
                Claim(
                    span,
                    "date",
                    start,
                    end,
                    day_month=(int(group["dl_day"]), month),
                    year=_year(group["dl_year"]),
                )
            )
        elif group["date_iso"]:
            claims.append(
                Claim(
                    span,
                    "date",
                    start,
                    end,
                    day_month=(int(group["di_day"]), int(group["di_month"])),
                    year=int(group["di_year"]),
                )
            )
        elif group["date_num"]:
            day, month = int(group["dn_day"]), int(group["dn_month"])
            if not (1 <= day <= 31 and 1 <= month <= 12):
                continue
            claims.append(
                Claim(
                    span, "date", start, end, day_month=(day, month), year=_year(group["dn_year"])
                )
            )
        elif group["phone"]:
            digits = re.sub(r"\D", "", span)
            claims.append(Claim(span, "phone", start, end, digits=digits[-8:]))
        elif group["money"]:
            raw = group["m_num"] or group["m2_num"]
            mult = _multiplier(group["m_mult"] or group["m2_mult"])
            claims.append(Claim(span, "money", start, end, values=number_values(raw, mult)))
        elif group["percent"]:
            claims.append(Claim(span, "percent", start, end, values=number_values(group["p_num"])))
        elif group["time"]:
            minute = group["t_min1"] or group["t_min2"]
            claims.append(
                Claim(
                    span,
                    "time",
                    start,
                    end,
                    hour_minute=(int(group["t_hour"]), int(minute) if minute else None),
                )
            )
        elif kind == "number":
            if _ENUMERATOR.fullmatch(masked[masked.rfind("\n", 0, start) + 1 : start]) and (
                masked[end : end + 1] in (".", ")")
            ):
                continue  # "1. " / "2) " list numbering, not a figure
            values = number_values(group["n_num"], _multiplier(group["n_mult"]))
            claims.append(Claim(span, "number", start, end, values=values))
    return claims


@dataclass
class GroundingContext:
    """The figures a text may quote: built from the exact context text the model was given.

    The day and month of a date, or the hour of a time, do not vouch for a plain number: "12/03"
    in the context must not make "12x sem juros" look grounded.
    """

    values: set[Decimal] = field(default_factory=set)
    day_months: set[tuple[int, int]] = field(default_factory=set)
    years: set[int] = field(default_factory=set)
    times: set[tuple[int, int | None]] = field(default_factory=set)
    hours: set[int] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)

    @classmethod
    def from_texts(cls, *texts: str, dates: Iterable[date | datetime] = ()) -> GroundingContext:
        context = cls()
        for text in texts:
            context.add_text(text)
        for moment in dates:
            context.day_months.add((moment.day, moment.month))
            context.years.add(moment.year)
            if isinstance(moment, datetime):
                context.hours.add(moment.hour)
                context.times.add((moment.hour, moment.minute))
        return context

    def add_text(self, text: str) -> None:
        for claim in extract_claims(text):
            self.values |= claim.values
            if claim.day_month:
                self.day_months.add(claim.day_month)
            if claim.year:
                self.years.add(claim.year)
                self.values.add(Decimal(claim.year))
            if claim.hour_minute:
                hour, minute = claim.hour_minute
                self.times.add((hour, minute))
                self.hours.add(hour)
            if claim.digits:
                self.phones.add(claim.digits)

    def supports(self, claim: Claim) -> bool:
        if claim.kind == "date":
            assert claim.day_month is not None
            if claim.day_month not in self.day_months:
                return False
            return claim.year is None or claim.year in self.years
        if claim.kind == "time":
            assert claim.hour_minute is not None
            hour, minute = claim.hour_minute
            if minute is None:
                return hour in self.hours
            return (hour, minute) in self.times or (minute == 0 and hour in self.hours)
        if claim.kind == "phone":
            return claim.digits in self.phones
        return bool(claim.values & self.values)


def check_grounding(
    text: str, context: GroundingContext, *, field: str = ""
) -> list[GroundingFlag]:
    return [
        GroundingFlag(
            text=claim.text, kind=claim.kind, field=field, start=claim.start, end=claim.end
        )  # type: ignore[arg-type]
        for claim in extract_claims(text)
        if not context.supports(claim)
    ]


def mark_flags(text: str, flags: Iterable[GroundingFlag]) -> str:
    """Wrap each flagged span as `⚠️[…]` (offsets refer to the unmarked text)."""
    pieces: list[str] = []
    cursor = 0
    for flag in sorted(flags, key=lambda item: item.start):
        if flag.start < cursor:
            continue
        pieces.append(text[cursor : flag.start])
        pieces.append(f"{WARNING_PREFIX}{text[flag.start : flag.end]}{WARNING_SUFFIX}")
        cursor = flag.end
    pieces.append(text[cursor:])
    return "".join(pieces)


def ground_text(
    text: str, context: GroundingContext, *, field: str = ""
) -> tuple[str, list[GroundingFlag]]:
    """The text as the seller may see it, and the flags it carries."""
    flags = check_grounding(text, context, field=field)
    return mark_flags(text, flags), flags
