"""Password hashing (argon2 via pwdlib) and signed bearer tokens (JWT, HS256).

Tokens are standard compact JWTs signed with the service's secret key, so any JWT library can read
them; the few lines of encoding live here to avoid another dependency.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

from pwdlib import PasswordHash

_hasher = PasswordHash.recommended()
# Verifying against this when the user does not exist keeps login timing the same either way.
_DUMMY_HASH = _hasher.hash("not a real password")
_HEADER = {"alg": "HS256", "typ": "JWT"}


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, hashed: str | None) -> bool:
    if hashed is None:
        _hasher.verify(password, _DUMMY_HASH)
        return False
    return _hasher.verify(password, hashed)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(secret: str, signing_input: str) -> str:
    digest = hmac.new(secret.encode(), signing_input.encode("ascii"), hashlib.sha256).digest()
    return _b64(digest)


def create_token(secret: str, subject: str, ttl_s: int, now: float | None = None) -> str:
    """A JWT with sub=subject, iat and exp (seconds since the epoch)."""
    issued = int(time.time() if now is None else now)
    claims = {"sub": subject, "iat": issued, "exp": issued + ttl_s}
    head = _b64(json.dumps(_HEADER, separators=(",", ":")).encode())
    body = _b64(json.dumps(claims, separators=(",", ":")).encode())
    return f"{head}.{body}.{_sign(secret, f'{head}.{body}')}"


def read_token(secret: str, token: str, now: float | None = None) -> str | None:
    """The subject of a valid, unexpired token signed with `secret`, else None."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    head, body, signature = parts
    if not hmac.compare_digest(signature, _sign(secret, f"{head}.{body}")):
        return None
    try:
        header: dict[str, Any] = json.loads(_unb64(head))
        claims: dict[str, Any] = json.loads(_unb64(body))
    except (ValueError, UnicodeDecodeError):
        return None
    if header.get("alg") != "HS256":
        return None
    expires = claims.get("exp")
    current = time.time() if now is None else now
    if not isinstance(expires, int | float) or expires <= current:
        return None
    subject = claims.get("sub")
    return subject if isinstance(subject, str) else None
