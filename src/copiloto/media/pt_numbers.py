"""Brazilian Portuguese number words, so "266" and "duzentos e sessenta e seis" compare equal.

Written here rather than pulled from a package: the rules are short (cardinals up to the
trillions, "mil e duzentos" vs "mil duzentos e cinquenta", "cem" vs "cento e um") and the ASR
eval's normalization must not change when a dependency does.
"""

from __future__ import annotations

import re

_UNITS = [
    "zero",
    "um",
    "dois",
    "três",
    "quatro",
    "cinco",
    "seis",
    "sete",
    "oito",
    "nove",
    "dez",
    "onze",
    "doze",
    "treze",
    "quatorze",
    "quinze",
    "dezesseis",
    "dezessete",
    "dezoito",
    "dezenove",
]
_TENS = [
    "_",
    "_",
    "vinte",
    "trinta",
    "quarenta",
    "cinquenta",
    "sessenta",
    "setenta",
    "oitenta",
    "noventa",
]
_HUNDREDS = [
    "_",
    "cento",
    "duzentos",
    "trezentos",
    "quatrocentos",
    "quinhentos",
    "seiscentos",
    "setecentos",
    "oitocentos",
    "novecentos",
]
_SCALES = (("trilhão", "trilhões"), ("bilhão", "bilhões"), ("milhão", "milhões"), ("mil", "mil"))
_ORDINALS = [
    "_",
    "primeiro",
    "segundo",
    "terceiro",
    "quarto",
    "quinto",
    "sexto",
    "sétimo",
    "oitavo",
    "nono",
    "décimo",
]


def _below_thousand(n: int) -> str:
    if n < 20:
        return _UNITS[n]
    if n < 100:
        tens, unit = divmod(n, 10)
        return _TENS[tens] + (f" e {_UNITS[unit]}" if unit else "")
    if n == 100:
        return "cem"
    hundreds, rest = divmod(n, 100)
    return _HUNDREDS[hundreds] + (f" e {_below_thousand(rest)}" if rest else "")


def cardinal(n: int) -> str:
    """`cardinal(1250)` → "mil duzentos e cinquenta"; negative numbers get "menos"."""
    if n < 0:
        return "menos " + cardinal(-n)
    if n < 1000:
        return _below_thousand(n)
    groups: list[tuple[int, int]] = []  # (group value, scale index from the top)
    rest = n
    for index, divisor in enumerate((10**12, 10**9, 10**6, 10**3)):
        value, rest = divmod(rest, divisor)
        if value:
            groups.append((value, index))
    words: list[str] = []
    for value, index in groups:
        singular, plural = _SCALES[index]
        if singular == "mil":
            words.append("mil" if value == 1 else f"{cardinal(value)} mil")
        else:
            words.append(f"{cardinal(value)} {singular if value == 1 else plural}")
    if rest:
        # "mil e duzentos", "dois mil e cinco" but "mil duzentos e cinquenta"
        joiner = " e " if rest < 100 or rest % 100 == 0 else " "
        return " ".join(words) + joiner + _below_thousand(rest)
    if len(words) > 1:
        return " ".join(words[:-1]) + " e " + words[-1]
    return words[0]


def ordinal(n: int) -> str:
    """Masculine ordinal for 1–10 ("primeiro"); above that, the cardinal (rare in speech)."""
    return _ORDINALS[n] if 0 < n < len(_ORDINALS) else cardinal(n)


_NUMBER = re.compile(
    r"(?P<currency>[Rr]\$\s?)?"
    r"(?P<int>\d{1,3}(?:\.\d{3})+|\d+)"
    r"(?:,(?P<frac>\d+))?"
    r"(?P<suffix>\s?%|[ºª°](?!C))?"
)


def _number_to_words(match: re.Match[str]) -> str:
    integer = int(match["int"].replace(".", ""))
    frac = match["frac"]
    suffix = (match["suffix"] or "").strip()
    if suffix in ("º", "ª", "°"):
        return " " + ordinal(integer) + " "
    words = cardinal(integer)
    if frac and int(frac) != 0:
        words += " vírgula " + cardinal(int(frac))
    if match["currency"]:
        words += " real" if integer == 1 and not frac else " reais"
    if suffix == "%":
        words += " por cento"
    return f" {words} "


def numbers_to_words(text: str) -> str:
    """Write out every number in `text`: "R$ 18.900,00" → "dezoito mil e novecentos reais",
    "2,5%" → "dois vírgula cinco por cento", "1º" → "primeiro"."""
    return _NUMBER.sub(_number_to_words, text)
