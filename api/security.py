"""Password hashing (argon2 via pwdlib), the password policy, and signed bearer tokens (PyJWT).

Tokens are HS256 JWTs signed with the service's secret key. Besides `sub`, `iat` and `exp` they
carry `ver`, the user's token version: signing out or changing the password increments the
version stored with the user, which revokes every token issued before (cookie or bearer alike).
"""

from __future__ import annotations

import gzip
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jwt
from pwdlib import PasswordHash

_hasher = PasswordHash.recommended()
# Verifying against this when the user does not exist keeps login timing the same either way.
_DUMMY_HASH = _hasher.hash("not a real password")
ALGORITHM = "HS256"

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 256
# Common passwords of 8 characters or more (shorter ones fail the length rule anyway).
COMMON_PASSWORDS = Path(__file__).resolve().parent / "data" / "common-passwords.txt.gz"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, hashed: str | None) -> bool:
    if hashed is None:
        _hasher.verify(password, _DUMMY_HASH)
        return False
    return _hasher.verify(password, hashed)


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_PASSWORDS, "rt", encoding="utf-8") as f:
        return frozenset(line.strip().lower() for line in f if line.strip())


def password_problem(password: str, email: str = "") -> str | None:
    """Why this password may not be used (NIST SP 800-63B style), or None when it is fine.

    Length counts characters, spaces included (pass phrases are welcome); no composition rules.
    Refused: shorter than 8, longer than 256, on the list of common passwords, or the email
    address (or the part before the @).
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"the password is too short: use at least {MIN_PASSWORD_LENGTH} characters " \
               "(a few words make a good one)"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"the password is too long: at most {MAX_PASSWORD_LENGTH} characters"
    folded = password.strip().lower()
    if folded in common_passwords():
        return "this password is on a list of commonly used passwords that attackers try " \
               "first; choose another (a few unrelated words work well)"
    email = email.strip().lower()
    if email and folded in (email, email.split("@", 1)[0]):
        return "the password must not be your email address"
    return None


def create_token(secret: str, subject: str, ttl_s: int, version: int = 0,
                 now: float | None = None) -> str:
    """A JWT with sub=subject, ver=version, iat and exp (seconds since the epoch)."""
    issued = int(time.time() if now is None else now)
    claims = {"sub": subject, "ver": version, "iat": issued, "exp": issued + ttl_s}
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


@dataclass(frozen=True)
class TokenClaims:
    subject: str
    version: int


def read_token(secret: str, token: str) -> TokenClaims | None:
    """The claims of a valid, unexpired token signed with `secret`, else None."""
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM],
                            options={"require": ["sub", "exp", "iat"]})
    except jwt.PyJWTError:
        return None
    subject, version = claims.get("sub"), claims.get("ver", 0)
    if not isinstance(subject, str) or not isinstance(version, int):
        return None
    return TokenClaims(subject, version)
