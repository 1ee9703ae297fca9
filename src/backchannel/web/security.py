"""Access control for the web app: an optional token, CSRF protection for forms, loopback by default."""
from __future__ import annotations

import hmac
import ipaddress
import secrets

from fastapi import Request
from fastapi.responses import JSONResponse, RedirectResponse

__all__ = ["CSRF_COOKIE", "TOKEN_COOKIE", "csrf_token", "check_csrf", "is_loopback", "auth_middleware"]

TOKEN_COOKIE = "bc_token"
CSRF_COOKIE = "bc_csrf"
OPEN_PATHS = ("/login", "/static/", "/healthz")


def is_loopback(host: str) -> bool:
    """Whether ``host`` only listens on this machine."""
    if host in ("localhost",):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


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
        if not (_same(given, token) or _same(request.cookies.get(TOKEN_COOKIE), token)):
            if path.startswith("/api/") or path in ("/openapi.json", "/docs"):
                return JSONResponse({"detail": "authentication required: send 'Authorization: Bearer <token>'"},
                                    status_code=401)
            return RedirectResponse("/login", status_code=303)
    response = await call_next(request)
    new = getattr(request.state, "new_csrf", None)
    if new and not request.cookies.get(CSRF_COOKIE):
        response.set_cookie(CSRF_COOKIE, new, httponly=True, samesite="strict")
    return response
