"""The FastAPI application: pages and JSON API over one service and store."""

from __future__ import annotations

from contextlib import asynccontextmanager
from typing import Iterable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..scenario.errors import InputError
from ..app.defaults import DEFAULT_DRAWS
from ..app.service import Service
from ..store import Store
from . import api, pages, questions, review_pages
from .cache import Memo
from .jobs import JobQueue, QueueFull
from .worker import shutdown_worker
from .security import Sessions, allowed_hosts, auth_middleware, host_middleware

__all__ = ["create_app"]


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get("accept", "")


def _error(request: Request, status: int, message: str):
    if _wants_html(request):
        return pages.render(request, "base.html", status=status, error=message)
    return JSONResponse({"detail": message}, status_code=status)


#: FastAPI's detail when a request body cannot be decoded at all (fastapi.routing, get_request_handler)
_UNPARSABLE_BODY = "There was an error parsing the body"


def create_app(
    db: str | None = None,
    token: str | None = None,
    default_draws: int = DEFAULT_DRAWS,
    hosts: Iterable[str] | None = None,
) -> FastAPI:
    """The web app on the store at ``db`` (default store when None); ``token`` guards every request; ``hosts``
    are the Host names it answers (default: loopback names; see :func:`security.allowed_hosts`)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        app.state.jobs.shutdown()
        shutdown_worker()

    # No /docs or /redoc: FastAPI's pages load their scripts from a CDN, and the app fetches nothing.
    app = FastAPI(
        title="backchannel",
        version=__version__,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        description="Scenarios, forecasts, what-ifs, evidence and runs of backchannel.",
    )
    app.state.service = Service(Store(db))
    app.state.token = token
    app.state.sessions = Sessions()
    app.state.hosts = frozenset(hosts) if hosts is not None else allowed_hosts()
    app.state.jobs = JobQueue()
    app.state.memo = Memo()  # views of stored runs and scenario versions, which never change
    app.state.default_draws = default_draws
    app.middleware("http")(auth_middleware)
    app.middleware("http")(host_middleware)  # added last, so it runs first
    app.include_router(api.router)
    app.include_router(questions.api_router)
    app.include_router(pages.router)
    app.include_router(questions.page_router)
    app.include_router(review_pages.router)

    @app.exception_handler(InputError)
    async def input_error(request: Request, exc: InputError):
        status = (
            404
            if exc.message.startswith(
                ("no stored scenario", "no stored document", "no run", "unknown article", "no question")
            )
            else 400
        )
        return _error(request, status, str(exc))

    @app.exception_handler(QueueFull)
    async def queue_full(request: Request, exc: QueueFull):
        response = _error(request, 429, str(exc))
        response.headers["Retry-After"] = str(exc.retry_after)
        return response

    @app.exception_handler(ModuleNotFoundError)
    async def missing_extra(request: Request, exc: ModuleNotFoundError):
        return _error(
            request,
            503,
            f"{exc.name or 'a module'} is not installed: install the 'nlp' extra (make dev) to read evidence",
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if exc.status_code == 400 and exc.detail == _UNPARSABLE_BODY:
            # FastAPI's answer to a body that is not even text (bytes that are not UTF-8): the same documented
            # 422 as any other body that does not match the description
            return _error(request, 422, "body: not valid JSON (UTF-8 text)")
        return _error(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        return _error(request, 422, f"{where}: {first.get('msg', 'invalid request')}")

    return app
