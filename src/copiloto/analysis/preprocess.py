"""Meaning-preserving normalization of pt-BR WhatsApp text.

One module shared by the message classifiers, the client profile and the sparse index, so that
all of them see "vc", "você" and "voce" as the same word, and "kkkk", "rsrs" and "hahaha" as the
same laugh. Signals that carry meaning in chat (emojis, laughter, question marks, money, phone
numbers, links, dates) are turned into stable tokens instead of being deleted.

Pure functions, no I/O, no global state beyond compiled constants.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

# --- placeholder tokens (ASCII, survive normalization and tokenization) -------------------------
URL_TOKEN = "_url_"
PHONE_TOKEN = "_telefone_"
EMAIL_TOKEN = "_email_"
LAUGH_TOKEN = "_risada_"
DATE_TOKEN = "_data_"
MONEY_PREFIX = "_reais_"  # followed by the amount, e.g. "_reais_ 1234.56"

_INVISIBLE = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u200b\ufeff"), None)

_URL_RE = re.compile(
    r"(?i)\b(?:https?://|www\.)\S+|\b[a-z0-9.-]+\.(?:com|net|org)(?:\.br)?(?:/\S*)?"
)
_EMAIL_RE = re.compile(r"(?i)\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
# Brazilian phones: optional +55, optional area code (with or without parentheses), 8-9 digits.
_PHONE_RE = re.compile(
    r"(?<![\w/.,])(?:\+?55\s?)?(?:\(?0?[1-9]{2}\)?[\s.-]?)?9?\d{4}[\s.-]?\d{4}(?![\w/.,])"
)

# Money: "R$ 1.234,56", "R$50", "50 reais", "2 mil reais", "R$ 2 mil", "30 conto".
_NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_MONEY_RE = re.compile(
    rf"(?i)(?:r\$\s?(?P<a>{_NUM})(?:\s?(?P<am>mil)\b)?)"
    rf"|(?:\b(?P<b>{_NUM})(?:\s?(?P<bm>mil))?\s?(?:reais|real|conto|contos|pila|pilas)\b)"
)

# "15/12", "15/12/2026", "15-12-2026", "15.12.26": a bare "15.12" is a price, not a date.
_NUMERIC_DATE_RE = re.compile(
    r"(?<![\d.,])(?P<d>[0-3]?\d)(?P<sep>[/.-])(?P<m>[01]?\d)"
    r"(?:(?P=sep)(?P<y>\d{4}|\d{2}))?\b(?![.,/-]\d)"
)
_ISO_DATE_RE = re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")

# Laughter: kkkk, rsrs, hahaha, hehe, huahua, ksksks (folded, lowercase text).
_LAUGH_RE = re.compile(
    r"\b(?:k{3,}|(?:rs){2,}r?|(?:h[aeiu]){2,}h?|(?:hu?a){2,}|(?:ks){2,}k?|(?:ahu){2,}|kkk*jk*)\w*\b"
)
_REPEAT_RE = re.compile(r"([a-z])\1{2,}")
_PUNCT_RUN_RE = re.compile(r"([?!])[?!]*")

# Emoticons become emojis so that the classifiers see one vocabulary.
_EMOTICONS = {
    ":)": "🙂", ":-)": "🙂", "(:": "🙂", ":D": "😀", ":-D": "😀", ";)": "😉", ";-)": "😉",
    ":(": "🙁", ":-(": "🙁", ":'(": "😢", ":/": "😕", ":-/": "😕", ":p": "😛", ":P": "😛",
    "<3": "❤️", "s2": "❤️", "S2": "❤️", ":o": "😮", ":O": "😮",
}  # fmt: skip
_EMOTICON_RE = re.compile(
    r"(?<!\S)("
    + "|".join(re.escape(e) for e in sorted(_EMOTICONS, key=len, reverse=True))
    + r")(?!\S)"
)

POSITIVE_EMOJIS = frozenset(
    "😀😁😂🤣😃😄😅😆😉😊😋😍😘🥰😗😙😚🙂🤗🤩😎👍👏🙌🙏❤💖💕💗💓💞💙💚💛🧡💜🤍🎉🥳✨🌟⭐🔥💯✅👌😻🤑🎊🌹🌷🌸💐😇☺"
)
NEGATIVE_EMOJIS = frozenset("😞😟😠😡🤬😢😭😤😩😫😒🙁☹😕😔😣😖🤦🙄👎💔😑😐😬🥲😓😰😨😱🤢🤮🖕❌")

# Chat abbreviations and common unaccented spellings -> canonical folded form.
ABBREVIATIONS: dict[str, str] = {
    "vc": "voce", "vcs": "voces", "voce": "voce", "oce": "voce", "cê": "voce", "ce": "voce",
    "pq": "porque", "pq?": "por que", "porq": "porque", "blz": "beleza", "tb": "tambem",
    "tbm": "tambem", "tmb": "tambem", "obg": "obrigado", "obgd": "obrigado", "obgda": "obrigada",
    "brigado": "obrigado", "brigada": "obrigada", "vlw": "valeu", "vlww": "valeu", "msg": "mensagem",
    "msgs": "mensagens", "q": "que", "n": "nao", "ñ": "nao", "naum": "nao", "td": "tudo",
    "tds": "todos", "hj": "hoje", "amnh": "amanha", "qdo": "quando", "qnd": "quando",
    "qto": "quanto", "qnto": "quanto", "qt": "quanto", "qts": "quantos", "cmg": "comigo",
    "ctg": "contigo", "mt": "muito", "mto": "muito", "mta": "muita", "mts": "muitos", "dps": "depois",
    "ngm": "ninguem", "nd": "nada", "msm": "mesmo", "fds": "fim de semana", "pfv": "por favor",
    "pfvr": "por favor", "pf": "por favor", "plmds": "pelo amor de deus", "pra": "para",
    "pro": "para o", "pros": "para os", "p/": "para", "c/": "com", "s/": "sem", "tô": "estou",
    "to": "estou", "tou": "estou", "ta": "esta", "tá": "esta", "tao": "tao", "eh": "e",
    "sdds": "saudades", "bjs": "beijos", "bj": "beijo", "abs": "abracos", "vdd": "verdade",
    "cel": "celular", "whats": "whatsapp", "zap": "whatsapp", "wpp": "whatsapp", "zapzap": "whatsapp",
    "add": "adicionar", "agr": "agora", "aq": "aqui", "aki": "aqui", "ate": "ate", "kd": "cade",
    "cd": "cade", "sla": "sei la", "tlg": "ta ligado", "mds": "meu deus", "nossa": "nossa",
    "vdd?": "verdade", "qm": "quem", "ond": "onde", "oq": "o que", "oque": "o que", "d": "de",
    "entao": "entao", "tava": "estava", "tamo": "estamos", "tô?": "estou", "cxa": "caixa",
    "orc": "orcamento", "orçam": "orcamento", "info": "informacao", "infos": "informacoes",
    "ok": "ok", "okk": "ok", "okay": "ok", "blza": "beleza", "flw": "falou", "tmj": "tamo junto",
}  # fmt: skip

# Small pt-BR stopword list (folded). Negations and question words are kept on purpose: "nao
# quero" and "quanto custa" lose their meaning without them.
STOPWORDS = frozenset(
    [
        "a",
        "o",
        "as",
        "os",
        "um",
        "uma",
        "uns",
        "umas",
        "de",
        "do",
        "da",
        "dos",
        "das",
        "em",
        "no",
        "na",
        "nos",
        "nas",
        "por",
        "pelo",
        "pela",
        "pelos",
        "pelas",
        "para",
        "com",
        "sem",
        "sob",
        "e",
        "ou",
        "mas",
        "que",
        "se",
        "ja",
        "eu",
        "tu",
        "ele",
        "ela",
        "nos",
        "vos",
        "eles",
        "elas",
        "me",
        "te",
        "lhe",
        "nos",
        "vos",
        "lhes",
        "meu",
        "minha",
        "meus",
        "minhas",
        "teu",
        "tua",
        "seu",
        "sua",
        "seus",
        "suas",
        "nosso",
        "nossa",
        "isso",
        "isto",
        "aquilo",
        "esse",
        "essa",
        "este",
        "esta",
        "aquele",
        "aquela",
        "esses",
        "essas",
        "estes",
        "estas",
        "aqueles",
        "aquelas",
        "ai",
        "la",
        "aqui",
        "ali",
        "entao",
        "tambem",
        "so",
        "ate",
        "ao",
        "aos",
        "e",
        "ser",
        "sou",
        "era",
        "foi",
        "sao",
        "estar",
        "estou",
        "estava",
        "estamos",
        "esta",
        "estao",
        "ter",
        "tenho",
        "tem",
        "tinha",
        "temos",
        "ha",
        "havia",
        "vai",
        "vou",
        "vamos",
        "fazer",
        "faz",
        "muito",
        "mais",
        "menos",
        "bem",
        "mesmo",
        "ainda",
        "la",
        "ne",
        "ah",
        "oh",
        "eh",
        "hein",
        "pois",
        "the",
        "um",
        "dum",
        "duma",
        "num",
        "numa",
        "pra",
        "pro",
    ]
)

_MONTHS = {
    "janeiro": 1, "jan": 1, "fevereiro": 2, "fev": 2, "marco": 3, "mar": 3, "abril": 4, "abr": 4,
    "maio": 5, "mai": 5, "junho": 6, "jun": 6, "julho": 7, "jul": 7, "agosto": 8, "ago": 8,
    "setembro": 9, "set": 9, "outubro": 10, "out": 10, "novembro": 11, "nov": 11,
    "dezembro": 12, "dez": 12,
}  # fmt: skip
_WEEKDAYS = {
    "segunda": 0,
    "terca": 1,
    "quarta": 2,
    "quinta": 3,
    "sexta": 4,
    "sabado": 5,
    "domingo": 6,
}
_RELATIVE_DAYS = {"anteontem": -2, "ontem": -1, "hoje": 0, "amanha": 1}
_WORD_DATE_RE = re.compile(
    r"\b(?P<d>[0-3]?\d)\s*(?:de\s+)?(?P<mon>"
    + "|".join(sorted(_MONTHS, key=len, reverse=True))
    + r")\b(?:\s*(?:de\s+)?(?P<y>\d{4}))?"
)
_DAY_ONLY_RE = re.compile(r"\bdia\s+(?P<d>[0-3]?\d)\b(?!\s*(?:/|de\s+[a-z]))")
_WEEKDAY_RE = re.compile(
    r"\b(?P<w>" + "|".join(_WEEKDAYS) + r")(?:[\s-]*feira)?(?P<next>\s+(?:que\s+vem|agora))?\b"
)
_RELATIVE_RE = re.compile(r"\b(?:depois\s+de\s+amanha|anteontem|ontem|hoje|amanha)\b")

_TOKEN_RE = re.compile(r"_[a-z]+_|[a-z0-9]+(?:[.,][0-9]+)*|[?!]|[^\sa-z0-9_.,;:()\[\]\"'*/\\-]")


def fold_accents(text: str) -> str:
    """Drop diacritics ("não" -> "nao"): clients often type without accents, so both spellings
    must meet. Emojis and other non-Latin symbols are kept as they are."""
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    )


def _numeric_date_ok(m: re.Match[str]) -> bool:
    """Only "/" dates may omit the year; month and day must be in range."""
    return (
        (m["sep"] == "/" or m["y"] is not None)
        and 1 <= int(m["m"]) <= 12
        and 1 <= int(m["d"]) <= 31
    )


def _parse_number(raw: str) -> Decimal | None:
    """Brazilian number format: "." groups thousands, "," separates decimals; a lone "." followed
    by one or two digits is read as a decimal point ("19.90")."""
    if "," in raw:
        cleaned = raw.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(?:\.\d{3})+", raw):
        cleaned = raw.replace(".", "")
    else:
        cleaned = raw
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


def _money_value(match: re.Match[str]) -> Decimal | None:
    raw = match.group("a") or match.group("b")
    value = _parse_number(raw)
    if value is None:
        return None
    if match.group("am") or match.group("bm"):
        value *= 1000
    return value


def _strip_phones(text: str) -> str:
    """Replace phone numbers before money/dates so that digits of a phone are never read as a
    price. Only runs of at least 8 digits count as phones."""

    def repl(m: re.Match[str]) -> str:
        return PHONE_TOKEN if sum(c.isdigit() for c in m.group(0)) >= 8 else m.group(0)

    return _PHONE_RE.sub(repl, text)


def extract_money(text: str) -> list[Decimal]:
    """Amounts of money in the order they appear: "R$ 1.234,56" -> Decimal("1234.56")."""
    text = _strip_phones(_URL_RE.sub(" ", text.translate(_INVISIBLE)))
    values = []
    for m in _MONEY_RE.finditer(text):
        value = _money_value(m)
        if value is not None:
            values.append(value)
    return values


def _format_money(value: Decimal) -> str:
    return f"{MONEY_PREFIX} {value.normalize():f}"


def _nearest_year(day: int, month: int, today: date) -> date | None:
    """A day/month without a year is the closest such date to today (last December in January,
    next January in December)."""
    candidates = []
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    return min(candidates, key=lambda d: abs((d - today).days)) if candidates else None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def extract_dates(text: str, *, today: date) -> list[date]:
    """Dates mentioned in pt-BR, resolved against `today`, in order of appearance.

    Understands "15/12", "15/12/2026", "2026-12-15", "15 de dezembro", "dia 15", "hoje", "amanhã",
    "depois de amanhã", "ontem" and weekdays ("sexta", "segunda que vem": the next one after
    today). Phone numbers, links and amounts of money are never read as dates.
    """
    folded = fold_accents(text.translate(_INVISIBLE)).lower()
    folded = _MONEY_RE.sub(" ", _strip_phones(_URL_RE.sub(" ", folded)))
    found: list[tuple[int, date]] = []

    for m in _ISO_DATE_RE.finditer(folded):
        d = _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
        if d:
            found.append((m.start(), d))
    folded_no_iso = _ISO_DATE_RE.sub(lambda m: " " * len(m.group(0)), folded)
    for m in _NUMERIC_DATE_RE.finditer(folded_no_iso):
        if not _numeric_date_ok(m):
            continue
        day, month = int(m["d"]), int(m["m"])
        if m["y"]:
            year = int(m["y"]) + (2000 if len(m["y"]) == 2 else 0)
            d = _safe_date(year, month, day)
        else:
            d = _nearest_year(day, month, today)
        if d:
            found.append((m.start(), d))
    for m in _WORD_DATE_RE.finditer(folded):
        month = _MONTHS[m["mon"]]
        if len(m["mon"]) == 3 and not m.group(0).strip()[0].isdigit():
            continue
        d = (
            _safe_date(int(m["y"]), month, int(m["d"]))
            if m["y"]
            else _nearest_year(int(m["d"]), month, today)
        )
        if d:
            found.append((m.start(), d))
    for m in _DAY_ONLY_RE.finditer(folded):
        day = int(m["d"])
        d = _safe_date(today.year, today.month, day)
        if d is None or d < today:
            nxt = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
            d = _safe_date(nxt.year, nxt.month, day)
        if d:
            found.append((m.start(), d))
    for m in _RELATIVE_RE.finditer(folded):
        word = m.group(0)
        offset = 2 if word.startswith("depois") else _RELATIVE_DAYS[word]
        found.append((m.start(), today + timedelta(days=offset)))
    for m in _WEEKDAY_RE.finditer(folded):
        ahead = (_WEEKDAYS[m["w"]] - today.weekday()) % 7 or 7
        found.append((m.start(), today + timedelta(days=ahead)))

    out: list[date] = []
    for _, d in sorted(found, key=lambda item: item[0]):
        if d not in out:
            out.append(d)
    return out


def _replace_emoticons(text: str) -> str:
    return _EMOTICON_RE.sub(lambda m: f" {_EMOTICONS[m.group(1)]} ", text)


def _space_emojis(text: str) -> str:
    """Put spaces around emojis so each one is its own token ("obrigado😍😍" -> 2 tokens)."""
    out = []
    for ch in text:
        if ch in ("\ufe0f", "\u200d") or unicodedata.category(ch).startswith("M"):
            continue  # variation selectors / joiners: the base emoji carries the meaning
        if ord(ch) > 0x2000 and unicodedata.category(ch) in ("So", "Sk", "Cn"):
            out.append(f" {ch} ")
        else:
            out.append(ch)
    return "".join(out)


def _expand(word: str) -> str:
    return ABBREVIATIONS.get(word, word)


def normalize(text: str) -> str:
    """Canonical form for classifiers and the sparse index.

    Lowercase, accents folded, laughter -> `_risada_`, stretched letters collapsed ("muuuito" ->
    "muito"), chat abbreviations expanded ("vc" -> "voce"), emoticons turned into emojis and
    emojis kept as separate tokens, links/e-mails/phones/numeric dates -> `_url_`/`_email_`/
    `_telefone_`/`_data_`, money -> `_reais_ <amount>` ("R$ 1.234,56" -> "_reais_ 1234.56"),
    "?"/"!" kept (one per run) because they signal questions and tone.
    """
    text = unicodedata.normalize("NFKC", text.translate(_INVISIBLE))
    text = _URL_RE.sub(f" {URL_TOKEN} ", _EMAIL_RE.sub(f" {EMAIL_TOKEN} ", text))
    text = _replace_emoticons(text)
    text = _strip_phones(text)
    text = _MONEY_RE.sub(
        lambda m: f" {_format_money(v)} " if (v := _money_value(m)) is not None else m.group(0),
        text,
    )
    text = _ISO_DATE_RE.sub(f" {DATE_TOKEN} ", text)
    text = _NUMERIC_DATE_RE.sub(
        lambda m: f" {DATE_TOKEN} " if _numeric_date_ok(m) else m[0],
        text,
    )
    text = fold_accents(text).lower()
    text = _LAUGH_RE.sub(f" {LAUGH_TOKEN} ", text)
    text = _REPEAT_RE.sub(r"\1", text)
    text = _space_emojis(text)
    text = _PUNCT_RUN_RE.sub(r" \1 ", text)
    words = []
    for raw in text.split():
        if raw in ABBREVIATIONS:
            words.append(_expand(raw))
            continue
        word = raw.strip(".,;:()[]\"'*")
        if not word:
            continue
        words.append(_expand(word))
    return " ".join(words)


def tokens(text: str) -> list[str]:
    """pt-BR tokens without stopwords or punctuation, for the sparse index and the profile.

    Placeholders (`_url_`, `_reais_`, `_risada_`…), amounts, emojis and "?" are kept."""
    out = []
    for tok in _TOKEN_RE.findall(normalize(text)):
        if tok in STOPWORDS or tok == "!":
            continue
        out.append(tok)
    return out


def laugh_count(text: str) -> int:
    """How many laughs a message has (a chat-tone signal for the classifiers)."""
    return normalize(text).split().count(LAUGH_TOKEN)


def emoji_polarity(text: str) -> tuple[int, int]:
    """(positive, negative) emoji counts, emoticons included."""
    norm = _replace_emoticons(text)
    pos = sum(ch in POSITIVE_EMOJIS for ch in norm)
    neg = sum(ch in NEGATIVE_EMOJIS for ch in norm)
    return pos, neg
