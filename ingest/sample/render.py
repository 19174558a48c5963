"""Turn a client's story script into timed messages and then into WhatsApp export text.

Script lines (one per line, continuation lines of a multi-line message start with two spaces):

    == 2025-02-03            start an episode that day (time chosen from the speaker's hours)
    == 2025-02-03 19:40      ... at that exact time
    +2d | +5h | +30m         move the clock forward; the next message falls in its author's hours
    c: text / s: text        client / seller message
    c: [audio key] caption   media message; key into the MEDIA table; optional caption
    c: <deleted>             "Esta mensagem foi apagada"
    sys: number_changed      the client's "mudou de número" notice
    ~4 nego                  four filler exchanges from pool "nego", spread until the next episode

Times follow each client's contact pattern so that "best moment to re-contact" has a real answer.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

END = datetime(2026, 11, 20, 23, 59)
ALL = frozenset(range(7))
WEEKDAYS = frozenset(range(5))
MON_SAT = frozenset(range(6))


def _m(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


# (weekdays, start minute, end minute); Monday is 0.
PATTERNS: dict[str, list[tuple[frozenset[int], int, int]]] = {
    "night": [(ALL, _m("20:45"), _m("23:40"))],
    "weekday_morning": [(WEEKDAYS, _m("07:10"), _m("11:20"))],
    "business": [(WEEKDAYS, _m("09:00"), _m("17:50"))],
    "evening": [(ALL, _m("18:40"), _m("22:10"))],
    "lunch_evening": [(ALL, _m("12:05"), _m("13:25")), (ALL, _m("19:10"), _m("21:30"))],
    "early_morning": [(MON_SAT, _m("05:20"), _m("08:10"))],
    "weekend": [
        (frozenset({5, 6}), _m("09:30"), _m("19:00")),
        (WEEKDAYS, _m("19:30"), _m("22:00")),
    ],
    "afternoon": [(MON_SAT, _m("14:00"), _m("17:40"))],
    "anytime": [(ALL, _m("08:00"), _m("22:30"))],
    "seller": [(MON_SAT, _m("07:40"), _m("21:50")), (frozenset({6}), _m("09:00"), _m("12:00"))],
}

PATTERN_DESCRIPTIONS = {
    "night": "answers only at night, 20:45-23:40, any day",
    "weekday_morning": "answers only on weekday mornings, 07:10-11:20",
    "business": "business hours, Monday to Friday 09:00-17:50",
    "evening": "evenings, 18:40-22:10",
    "lunch_evening": "at lunch (12:05-13:25) and in the evening (19:10-21:30)",
    "early_morning": "early mornings before work, 05:20-08:10, Monday to Saturday",
    "weekend": "weekends 09:30-19:00 and weekday evenings 19:30-22:00",
    "afternoon": "afternoons 14:00-17:40, Monday to Saturday",
    "anytime": "any time 08:00-22:30",
}


@dataclass
class Msg:
    at: datetime
    who: str  # "c" | "s" | "sys"
    text: str = ""
    media: str = ""  # media key
    deleted: bool = False


_MEDIA_RE = re.compile(r"^\[(audio|doc|photo) ([\w-]+)\]\s*(.*)$", re.S)


_GREETING_RE = re.compile(
    r"^((?:Oi|Olá|Oie?),? )?(Bom dia|Boa tarde|Boa noite|bom dia|boa tarde|boa noite)\b"
)


def fix_greeting(text: str, at: datetime) -> str:
    """Make an opening "bom dia/boa tarde/boa noite" agree with the hour the message was sent."""
    m = _GREETING_RE.match(text)
    if not m:
        return text
    right = "Bom dia" if at.hour < 12 else "Boa tarde" if at.hour < 18 else "Boa noite"
    if m.group(2)[0].islower():
        right = right.lower()
    return text[: m.start(2)] + right + text[m.end(2) :]


def _windows(pattern: str) -> list[tuple[frozenset[int], int, int]]:
    return PATTERNS[pattern]


def next_slot(t: datetime, pattern: str, rng: random.Random, *, fresh: bool) -> datetime:
    """First moment >= t inside the pattern; after a day jump pick a random point of the window."""
    for offset in range(0, 21):
        day = t.date() + timedelta(days=offset)
        for days, start, end in sorted(_windows(pattern), key=lambda w: w[1]):
            if day.weekday() not in days:
                continue
            lo = datetime.combine(day, time()) + timedelta(minutes=start)
            hi = datetime.combine(day, time()) + timedelta(minutes=end)
            if hi < t:
                continue
            if lo >= t:
                span = max(1, (end - start) * (2 if fresh else 1) // 3)
                return lo + timedelta(
                    minutes=rng.randrange(0, min(span, 45) if not fresh else span),
                    seconds=rng.randrange(60),
                )
            return t  # already inside the window
    raise ValueError(f"no slot for {pattern} after {t}")


def _gap(rng: random.Random, *, same: bool) -> timedelta:
    if same:
        return timedelta(seconds=rng.randrange(8, 110))
    r = rng.random()
    if r < 0.6:
        return timedelta(minutes=rng.randrange(1, 9), seconds=rng.randrange(60))
    if r < 0.9:
        return timedelta(minutes=rng.randrange(9, 41), seconds=rng.randrange(60))
    return timedelta(minutes=rng.randrange(41, 180), seconds=rng.randrange(60))


@dataclass
class _Line:
    kind: str  # "episode" | "jump" | "msg" | "fill"
    value: object


def parse(script: str) -> list[_Line]:
    items: list[_Line] = []
    for raw in script.strip("\n").splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        if raw.startswith("  ") and items and items[-1].kind == "msg":
            who, text = items[-1].value  # type: ignore[misc]
            items[-1] = _Line("msg", (who, text + "\n" + raw[2:]))
            continue
        line = raw.strip()
        if line.startswith("=="):
            parts = line[2:].split()
            day = date.fromisoformat(parts[0])
            at = time.fromisoformat(parts[1]) if len(parts) > 1 else None
            items.append(_Line("episode", (day, at)))
        elif re.fullmatch(r"\+\d+[dhm]", line):
            n, unit = int(line[1:-1]), line[-1]
            delta = {"d": timedelta(days=n), "h": timedelta(hours=n), "m": timedelta(minutes=n)}
            items.append(_Line("jump", (unit, delta[unit])))
        elif line.startswith("~"):
            count, pool = line[1:].split()
            items.append(_Line("fill", (int(count), pool)))
        elif line[:3] in ("c: ", "s: ") or line.startswith("sys: "):
            who, text = line.split(": ", 1)
            items.append(_Line("msg", (who, text)))
        else:
            raise ValueError(f"bad script line: {raw!r}")
    return items


def render(
    script: str,
    *,
    pattern: str,
    rng: random.Random,
    filler,  # callable(pool, rng) -> list[tuple[who, text]]
    fill_factor: float = 1.0,
) -> list[Msg]:
    """Give every scripted and filler message a time; raise when the script contradicts itself."""
    items = parse(script)
    out: list[Msg] = []
    t = datetime(2000, 1, 1)
    fresh = True
    exact: datetime | None = None

    def emit(who: str, text: str) -> None:
        nonlocal t, fresh, exact
        if exact is not None:
            at = exact
            exact = None
        else:
            prev = out[-1] if out else None
            same = prev is not None and prev.who == who
            base = t if fresh or prev is None else t + _gap(rng, same=same)
            at = next_slot(base, pattern if who == "c" else "seller", rng, fresh=fresh)
            if who == "sys":
                at = base
        if out and at <= out[-1].at:
            at = out[-1].at + timedelta(seconds=rng.randrange(20, 90))
        t = at
        fresh = False
        text = fix_greeting(text, at)
        msg = Msg(at=at, who=who)
        m = _MEDIA_RE.match(text)
        if m:
            msg.media, msg.text = m.group(2), m.group(3)
        elif text == "<deleted>":
            msg.deleted = True
        else:
            msg.text = text
        out.append(msg)

    for i, item in enumerate(items):
        if item.kind == "episode":
            day, at = item.value  # type: ignore[misc]
            start = datetime.combine(day, at or time())
            if out and start <= out[-1].at:
                raise ValueError(f"episode {day} starts before the previous message {out[-1].at}")
            t, fresh = start, at is None
            exact = start if at is not None else None
        elif item.kind == "jump":
            unit, delta = item.value  # type: ignore[misc]
            if unit == "d":
                t = datetime.combine((t + delta).date(), time())
                fresh = True
            else:
                t = t + delta
        elif item.kind == "msg":
            who, text = item.value  # type: ignore[misc]
            emit(who, text)
        else:
            count, pool = item.value  # type: ignore[misc]
            if pool != "cold":  # unanswered follow-ups stay few, as a real seller sends them
                count = round(count * fill_factor)
            nxt = next((x for x in items[i + 1 :] if x.kind == "episode"), None)
            bound = (
                datetime.combine(nxt.value[0], time())  # type: ignore[index]
                if nxt
                else min(t + timedelta(days=70), END - timedelta(days=2))
            )
            first, last = t.date() + timedelta(days=2), bound.date() - timedelta(days=3)
            span = (last - first).days
            if span < 1:
                continue
            days = sorted(rng.sample(range(span), min(count, span)))
            for d in days:
                day_start = datetime.combine(first + timedelta(days=d), time())
                if day_start <= t:
                    continue
                before, saved = len(out), t
                t, fresh = day_start, True
                for who, text in filler(pool, rng):
                    emit(who, text)
                if t >= bound - timedelta(hours=12):  # spilled into the next episode: drop it
                    del out[before:]
                    t = saved
                    break
    if out and out[-1].at > END:
        raise ValueError(f"message after {END}: {out[-1].at}")
    return out
