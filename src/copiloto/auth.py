"""Password hashing for sellers (Argon2 through pwdlib, the maintained successor of passlib)."""

from functools import cache

from pwdlib import PasswordHash

from copiloto.storage.tables import Seller


@cache
def _hasher() -> PasswordHash:
    return PasswordHash.recommended()


def set_password(seller: Seller, password: str) -> None:
    if len(password) < 6:
        raise ValueError("a senha precisa ter pelo menos 6 caracteres")
    seller.password_hash = _hasher().hash(password)


def verify_password(seller: Seller, password: str) -> bool:
    if not seller.password_hash:
        return False
    return _hasher().verify(password, seller.password_hash)
