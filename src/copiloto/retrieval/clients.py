"""Find the client a seller means, the way sellers name them: a phone, a full name or a first name.

Matching folds case and accents ("Ines" finds "Inês"). A name that fits several clients, or none,
raises `UnknownClient` with the closest names so the seller can pick one instead of guessing.
"""

import difflib
import unicodedata
from collections.abc import Sequence

from sqlmodel import Session, col, select

from copiloto.domain.phones import looks_like_phone, to_e164
from copiloto.storage.tables import Client


class UnknownClient(LookupError):
    """No single client matches; `close_matches` lists names the seller may have meant."""

    def __init__(self, query: str, close_matches: Sequence[str], *, ambiguous: bool = False):
        self.query = query
        self.close_matches = list(close_matches)
        self.ambiguous = ambiguous
        if ambiguous:
            message = f'Mais de um cliente corresponde a "{query}": ' + ", ".join(
                self.close_matches
            )
            message += ". Informe o nome completo ou o telefone."
        elif self.close_matches:
            message = f'Cliente "{query}" não encontrado. Você quis dizer: ' + ", ".join(
                self.close_matches
            )
            message += "?"
        else:
            message = f'Cliente "{query}" não encontrado.'
        super().__init__(message)


def fold(text: str) -> str:
    """Lower case without accents and with single spaces: the form names are compared in."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().split())


def _label(client: Client) -> str:
    return f"{client.name} ({client.phone})" if client.phone else client.name


def resolve_client(session: Session, name_or_phone: str, *, seller_id: int | None = None) -> Client:
    """The one client of `seller_id` (or of anyone, for admins) that `name_or_phone` names.

    Order: phone number; exact name; the name's words starting the client's words ("Carla"
    → "Carla Mendes", "carla m" → "Carla Mendes"). Raises `UnknownClient` otherwise.
    """
    query = name_or_phone.strip()
    statement = select(Client).order_by(col(Client.id))
    if seller_id is not None:
        statement = statement.where(Client.seller_id == seller_id)
    clients = list(session.exec(statement).all())

    if looks_like_phone(query.removeprefix("whatsapp:")):
        phone = to_e164(query)
        by_phone = [c for c in clients if phone and c.phone == phone]
        if len(by_phone) == 1:
            return by_phone[0]
        if len(by_phone) > 1:
            raise UnknownClient(query, [_label(c) for c in by_phone], ambiguous=True)
        digits = "".join(ch for ch in query if ch.isdigit())
        tail = [c for c in clients if c.phone and digits and c.phone.endswith(digits[-8:])]
        raise UnknownClient(query, [_label(c) for c in tail[:5]])

    wanted = fold(query)
    if not wanted:
        raise UnknownClient(query, [])
    exact = [c for c in clients if fold(c.name) == wanted]
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        raise UnknownClient(query, [_label(c) for c in exact], ambiguous=True)

    wanted_words = wanted.split()
    partial = [c for c in clients if _words_prefix(wanted_words, fold(c.name).split())]
    if len(partial) == 1:
        return partial[0]
    if len(partial) > 1:
        raise UnknownClient(query, [_label(c) for c in partial[:8]], ambiguous=True)

    # a misspelt name ("Karla Mendez", or just "Karla") should still suggest "Carla Mendes"
    scored: list[tuple[float, str]] = []
    for client in clients:
        folded = fold(client.name)
        if not folded:
            continue
        whole = difflib.SequenceMatcher(None, wanted, folded).ratio()
        first = difflib.SequenceMatcher(None, wanted_words[0], folded.split()[0]).ratio()
        score = max(whole, first - 0.1)
        if score >= 0.6:
            scored.append((score, client.name))
    suggestions: list[str] = []
    for _score, name in sorted(scored, key=lambda item: -item[0]):
        if name not in suggestions:
            suggestions.append(name)
    raise UnknownClient(query, suggestions[:5])


def _words_prefix(wanted: list[str], words: list[str]) -> bool:
    """Each wanted word starts one of the name's words, in order ("carla m" ⊑ "carla mendes")."""
    position = 0
    for part in wanted:
        while position < len(words) and not words[position].startswith(part):
            position += 1
        if position == len(words):
            return False
        position += 1
    return True
