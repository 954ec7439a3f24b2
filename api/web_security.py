"""Protections around every HTTP request: cross-site request checks, security headers, body timeout.

Cross-site request forgery. The pages authenticate with a cookie, which a browser also attaches to
requests that another site's page makes. Every state-changing request (not GET/HEAD/OPTIONS)
therefore passes two checks unless it carries an `Authorization: Bearer` header (API clients; a
page on another origin cannot add that header without a CORS grant this service never gives):

1. Origin: the Origin header (or, without one, the Referer) must be this service's own origin
   (the request's Host) or one listed in FORMCHECK_TRUSTED_ORIGINS. Browsers send Origin on every
   cross-origin POST, so a page on another site or another port of the same host is refused.
2. Token (signed double submit): a request from a browser (it sends Origin, Referer or
   Sec-Fetch-Site, or carries the login cookie) must send the `formcheck_csrf` cookie's value in
   the `X-CSRF-Token` header. The cookie is set with the pages and renewed at sign-in; its value is
   signed with the service's key, so a cookie planted by a neighbour (cookies do not keep ports
   apart) is refused. Another origin cannot read the cookie, so it cannot send the header.

Sign-in, registration and sign-out are state-changing requests like the others and are checked.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import re
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import CookieError, SimpleCookie
from typing import Any
from urllib.parse import urlsplit

from fastapi import HTTPException
from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import JSONResponse

from api.settings import Settings

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSRF_COOKIE = "formcheck_csrf"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_HOST = re.compile(r"^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$")


def new_csrf_token(secret: str) -> str:
    nonce = secrets.token_urlsafe(24)
    return f"{nonce}.{_csrf_signature(secret, nonce)}"


def _csrf_signature(secret: str, nonce: str) -> str:
    return hmac.new(secret.encode(), f"csrf:{nonce}".encode(), hashlib.sha256).hexdigest()[:32]


def csrf_token_valid(secret: str, token: str | None) -> bool:
    if not token or token.count(".") != 1:
        return False
    nonce, signature = token.split(".")
    return hmac.compare_digest(signature, _csrf_signature(secret, nonce))


def _cookies(headers: Headers) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for value in headers.getlist("cookie"):
        try:
            jar.load(value)
        except CookieError:  # a malformed cookie header is treated as no cookies
            continue
    return {k: m.value for k, m in jar.items()}


def content_security_policy(host: str | None) -> str:
    # 'self' covers same-origin WebSockets in current browsers; the explicit ws:/wss: source keeps
    # the live page working where it does not.
    sockets = f" ws://{host} wss://{host}" if host and _HOST.match(host) else ""
    return ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data: blob:; media-src 'self' blob:; "
            f"connect-src 'self'{sockets}; object-src 'none'; base-uri 'none'; "
            "form-action 'self'; frame-ancestors 'none'")


def _security_headers(host: str | None, path: str) -> list[tuple[str, str]]:
    return [
        ("x-content-type-options", "nosniff"),
        ("content-security-policy",
         content_security_policy(host)),
        ("x-frame-options", "DENY"),
        ("referrer-policy", "same-origin"),
        ("cross-origin-opener-policy", "same-origin"),
        ("cross-origin-resource-policy", "same-origin"),
        ("permissions-policy", "camera=(self), microphone=(), geolocation=()"),
    ]


def _origin_of(url: str) -> str | None:
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}".lower()


class SecurityMiddleware:
    """ASGI middleware: CSRF checks, security headers on every response, stalled-body timeout."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # the live WebSocket checks its Origin itself
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        host = headers.get("host")
        cookies = _cookies(headers)
        needs_csrf_cookie = not csrf_token_valid(self.settings.secret_key, cookies.get(CSRF_COOKIE))
        extra = _security_headers(host, scope.get("path", ""))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                out = MutableHeaders(scope=message)
                for name, value in extra:
                    if name not in out:
                        out.append(name, value)
                is_page = out.get("content-type", "").startswith("text/html")
                if is_page:
                    # A page from the browser's cache would come without its CSRF cookie.
                    out["cache-control"] = "no-store"
                if needs_csrf_cookie and is_page and CSRF_COOKIE not in out.get("set-cookie", ""):
                    secure = "; Secure" if self.settings.cookie_secure else ""
                    out.append("set-cookie",
                               f"{CSRF_COOKIE}={new_csrf_token(self.settings.secret_key)}; "
                               f"Path=/; SameSite=Strict{secure}")
            await send(message)

        if scope["method"] not in SAFE_METHODS:
            problem = self.csrf_problem(scope, headers, cookies)
            if problem is not None:
                response = JSONResponse({"detail": problem}, status_code=403)
                await response(scope, receive, send_with_headers)
                return
        await self.app(scope, self._timed(receive), send_with_headers)

    def csrf_problem(self, scope: Scope, headers: Headers, cookies: dict[str, str]) -> str | None:
        """Why this state-changing request may have been forged by another site, or None."""
        if headers.get("authorization", "").lower().startswith("bearer "):
            return None
        own = {f"{scope.get('scheme', 'http')}://{headers.get('host', '')}".lower()}
        own |= self.settings.trusted_origin_set
        own_hosts = {urlsplit(o).netloc for o in own}
        origin = headers.get("origin")
        referer = headers.get("referer")
        if origin is not None:
            seen = _origin_of(origin)
            # Compared by host and port: a TLS proxy in front may hide the scheme from us.
            if seen is None or (seen not in own and urlsplit(seen).netloc not in own_hosts):
                return f"cross-site request refused: origin {origin[:100]!r} is not this service"
        elif referer:
            seen = _origin_of(referer)
            if seen is None or (seen not in own and urlsplit(seen).netloc not in own_hosts):
                return "cross-site request refused: it comes from a page of another site"
        from_browser = (origin is not None or bool(referer) or "sec-fetch-site" in headers
                        or "formcheck_token" in cookies)
        if not from_browser:
            return None  # no cookie, no browser: nothing another site could have forged
        sent = headers.get(CSRF_HEADER)
        cookie = cookies.get(CSRF_COOKIE)
        if not sent or not cookie or not hmac.compare_digest(sent, cookie) \
                or not csrf_token_valid(self.settings.secret_key, cookie):
            return "missing or wrong CSRF token: reload the page and try again"
        return None

    def _timed(self, receive: Receive) -> Receive:
        """receive() that gives up (408) when the request body stops arriving."""
        timeout = self.settings.body_timeout_s
        body_done = False

        async def timed_receive() -> Message:
            nonlocal body_done
            if body_done:
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), timeout=timeout)
            except TimeoutError:
                body_done = True
                raise HTTPException(408, f"the request body stalled for {timeout:g} s",
                                    headers={"Connection": "close"}) from None
            if message["type"] != "http.request" or not message.get("more_body", False):
                body_done = True
            return message

        return timed_receive
