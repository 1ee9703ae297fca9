"""Access control for the web app: an allow-list of Host names, an optional token with signed session cookies,
CSRF and Origin checks on forms, loopback by default."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import socket
import threading
import time
from typing import Iterable

from fastapi import Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse

__all__ = [
    "CSRF_COOKIE",
    "SESSION_COOKIE",
    "SESSION_SECONDS",
    "Sessions",
    "allowed_hosts",
    "auth_middleware",
    "check_csrf",
    "check_origin",
    "csrf_token",
    "host_middleware",
    "is_loopback",
    "same_secret",
]

SESSION_COOKIE = "bc_session"
CSRF_COOKIE = "bc_csrf"
SESSION_SECONDS = 12 * 3600  # a sign-in lasts 12 hours
OPEN_PATHS = ("/login", "/static/", "/healthz")
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
_SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def allowed_hosts(bind: str = "127.0.0.1", extra: Iterable[str] = ()) -> frozenset[str]:
    """The Host names the app answers: the address it is bound to, loopback names when it listens on loopback,
    this machine's names when it listens on every address, and ``extra`` names (``*`` allows any)."""
    names = {bind.strip("[]").lower()}
    if is_loopback(bind):
        names.update(LOOPBACK_NAMES)
    elif bind in ("0.0.0.0", "::", ""):
        names.update(LOOPBACK_NAMES)
        names.update(n.lower() for n in (socket.gethostname(), socket.getfqdn()) if n)
    names.update(n.strip().strip("[]").lower() for n in extra if n.strip())
    return frozenset(names)


def _host_name(header: str) -> str:
    """``example.org:8000`` -> ``example.org``; ``[::1]:8000`` -> ``::1``."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].split("]", 1)[0]
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


async def host_middleware(request: Request, call_next):
    """400 for a Host header the app does not serve: a page of another site resolved to this address (DNS
    rebinding) would otherwise read and post as if it came from here."""
    hosts: frozenset[str] = request.app.state.hosts
    if "*" not in hosts and _host_name(request.headers.get("host", "")) not in hosts:
        return PlainTextResponse(
            "unknown Host header; allowed: "
            + ", ".join(sorted(hosts))
            + " (add names with 'backchannel serve --allow-host NAME')",
            status_code=400,
        )
    return await call_next(request)


def check_origin(request: Request) -> bool:
    """Whether an unsafe request comes from this app's own pages: its Origin (or, lacking one, its Referer),
    when the browser sends either, names the host it was sent to. Clients without either (curl) pass."""
    origin = request.headers.get("origin") or request.headers.get("referer")
    if not origin:
        return True
    if origin == "null":
        return False
    rest = origin.split("://", 1)[-1]
    return rest.split("/", 1)[0].lower() == request.headers.get("host", "").lower()


class Sessions:
    """Signed session cookies: ``expiry.nonce.signature`` under a key made at start, so a cookie never holds
    the token, ends after :data:`SESSION_SECONDS`, and is void after logout or a restart."""

    def __init__(self, seconds: int = SESSION_SECONDS) -> None:
        self._key = secrets.token_bytes(32)
        self._seconds = seconds
        self._revoked: dict[str, int] = {}  # nonce -> its expiry, dropped once past
        self._lock = threading.Lock()

    def _sign(self, body: str) -> str:
        return hmac.new(self._key, body.encode(), hashlib.sha256).hexdigest()

    def issue(self) -> tuple[str, int]:
        """A new cookie value and its lifetime in seconds."""
        body = f"{int(time.time()) + self._seconds}.{secrets.token_urlsafe(16)}"
        return f"{body}.{self._sign(body)}", self._seconds

    def valid(self, cookie: str | None) -> bool:
        """Whether ``cookie`` was issued here, is not past its expiry and was not revoked."""
        if not cookie or cookie.count(".") != 2:
            return False
        body, _, signature = cookie.rpartition(".")
        if not same_secret(signature, self._sign(body)):
            return False
        expiry, _, nonce = body.partition(".")
        with self._lock:
            revoked = nonce in self._revoked
        return expiry.isdigit() and int(expiry) > time.time() and not revoked

    def revoke(self, cookie: str | None) -> None:
        """End a session (logout): its cookie is refused from now on, even if a copy survives."""
        if self.valid(cookie):
            expiry, nonce, _ = str(cookie).split(".")
            now = time.time()
            with self._lock:
                self._revoked = {n: e for n, e in self._revoked.items() if e > now}
                self._revoked[nonce] = int(expiry)


def set_session(request: Request, response: Response) -> None:
    """Sign the browser in: a signed, expiring, HttpOnly, SameSite=Strict cookie (Secure over TLS)."""
    value, seconds = request.app.state.sessions.issue()
    response.set_cookie(
        SESSION_COOKIE, value, max_age=seconds, httponly=True, samesite="strict", secure=request.url.scheme == "https"
    )


def is_loopback(host: str) -> bool:
    """Whether ``host`` only listens on this machine."""
    if host in ("localhost",):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def same_secret(a: str | None, b: str | None) -> bool:
    """Constant-time equality of two non-empty secrets."""
    return _same(a, b)


def _same(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    return hmac.compare_digest(a.encode(), b.encode())


def csrf_token(request: Request) -> str:
    """The CSRF token of this browser (from its cookie, or a new one the response will set)."""
    token = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf", None)
    if not token:
        token = secrets.token_urlsafe(24)
        request.state.new_csrf = token
    return token


def check_csrf(request: Request, submitted: str | None) -> bool:
    """Double-submit check: the form's hidden field must equal the browser's CSRF cookie."""
    return _same(request.cookies.get(CSRF_COOKIE), submitted)


async def auth_middleware(request: Request, call_next):
    """Require the token (header or login cookie) when the app has one; set the CSRF cookie."""
    token = request.app.state.token
    path = request.url.path
    if token and not path.startswith(OPEN_PATHS):
        header = request.headers.get("authorization", "")
        given = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else None
        if not (_same(given, token) or request.app.state.sessions.valid(request.cookies.get(SESSION_COOKIE))):
            if path.startswith("/api/") or path in ("/openapi.json", "/docs"):
                return JSONResponse(
                    {"detail": "authentication required: send 'Authorization: Bearer <token>'"}, status_code=401
                )
            return RedirectResponse("/login", status_code=303)
    if request.method not in _SAFE_METHODS and not check_origin(request):
        return JSONResponse(
            {"detail": "cross-origin request refused: the Origin does not name this app"}, status_code=403
        )
    response = await call_next(request)
    new = getattr(request.state, "new_csrf", None)
    if new and not request.cookies.get(CSRF_COOKIE):
        response.set_cookie(CSRF_COOKIE, new, httponly=True, samesite="strict", secure=request.url.scheme == "https")
    return response
