"""Cues in pt-BR sales chat that code can read reliably: proposals, closings, losses, complaints.

These complement the trained intent/sentiment classifier: they decide *facts* (was a price
proposed? did the client say they bought elsewhere?) where a wrong guess would mislead the seller.
"""

import re
import unicodedata
from collections.abc import Iterable


def fold(text: str) -> str:
    """Lowercase without accents: clients often type without them."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def mentioned_products(text: str, catalogue: Iterable[str]) -> list[str]:
    """Catalogue products a text talks about, longest names first.

    A product counts when its whole name appears, or its first two words when they are specific
    enough (over 4 letters: "kit solar" for "Kit Solar 5 kWp"), accents and case ignored, since
    clients rarely type a product's full catalogue name.
    """
    folded = fold(text)
    found = []
    for name in sorted(set(catalogue), key=lambda n: (-len(n), n)):
        key = fold(name)
        head = " ".join(key.split()[:2])
        if key in folded or (len(head) > 4 and head in folded):
            found.append(name)
    return found


_MONEY = re.compile(r"r\$\s?\d|\d+(?:[.,]\d{3})*(?:,\d{2})\s?(?:reais)?\b|\d+\s?mil\b")
_PROPOSAL = re.compile(
    r"\b(proposta|orcamento|fica(?:ria)?|sai (?:por|a)|valor|total|parcel\w*|a vista|\d+x|"
    r"condicao|desconto|frete gratis|sem juros)\b"
)
_WON = re.compile(
    r"\b(fechado|fechamos|pode fechar|vamos fechar|pode mandar o (?:pix|boleto|contrato)|"
    r"(?:fiz|mandei|segue) o pix|paguei|comprovante|pode (?:fazer|instalar|agendar)|bora fechar|"
    r"quero fechar|vou fechar|contrato assinado|assinei)\b"
)
_LOST = re.compile(
    r"\b(ja (?:contratei|comprei|fechei) (?:com )?(?:outr|em outr|la)|fechei com outr|comprei em outr|"
    r"nao (?:tenho|temos) mais interesse|desisti|vou ficar com (?:a )?outr|nao vou (?:fechar|seguir)|"
    r"pode cancelar|nao precisa mais)\w*"
)
_COMPLAINT = re.compile(
    r"\b(atras\w*|defeito\w*|quebr\w*|nao (?:chegou|funciona|apareceu|veio)|reclam\w*|absurdo|"
    r"pessimo|horrivel|decepcion\w*|errad\w*|riscad\w*|amassad\w*|demor\w*|vazamento|"
    r"ninguem (?:me )?(?:responde|retorn)\w*|cade|descaso|procon|reembols\w*|estorno)\b"
)
_EMOJI = re.compile(
    "[\U0001f300-\U0001faff\U00002600-\U000027bf\U0001f000-\U0001f2ff]|[:;]-?[)(dpDP]"
)
_FORMAL = re.compile(
    r"\b(bom dia|boa tarde|boa noite|prezad\w*|senhor\w*|sr\.|sra\.|gostaria|poderia|"
    r"atenciosamente|cordialmente|por gentileza|obrigad[oa] pela)\b"
)
_INFORMAL = re.compile(
    r"\b(vc|vcs|pq|blz|tb|tbm|obg|vlw|kkk+|rs+|haha\w*|mano|cara|tipo|ne|ta|to|pra|q|oq|mt|mto|msg)\b"
)


def mentions_money(text: str) -> bool:
    return bool(_MONEY.search(fold(text)))


def is_proposal(text: str) -> bool:
    """A seller message that puts a price or a concrete offer on the table."""
    folded = fold(text)
    return (bool(_MONEY.search(folded)) and bool(_PROPOSAL.search(folded))) or "proposta" in folded


def is_won(text: str) -> bool:
    return bool(_WON.search(fold(text)))


def is_lost(text: str) -> bool:
    return bool(_LOST.search(fold(text)))


def is_complaint(text: str) -> bool:
    return bool(_COMPLAINT.search(fold(text)))


def emoji_count(text: str) -> int:
    return len(_EMOJI.findall(text))


def formality_score(text: str) -> int:
    """Positive when the text reads formal, negative when it reads informal."""
    folded = fold(text)
    return len(_FORMAL.findall(folded)) - len(_INFORMAL.findall(folded))
