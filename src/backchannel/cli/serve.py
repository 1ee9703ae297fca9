"""`backchannel serve`: the analyst's workbench in a browser."""

from __future__ import annotations

import os
from typing import Annotated, Optional

import typer

from ..app.defaults import DEFAULT_DRAWS
from ..scenario.errors import InputError
from .options import DbOption
from .output import console


def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on; anything but loopback needs BACKCHANNEL_TOKEN.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    db: DbOption = None,
    draws: Annotated[
        int, typer.Option(min=0, max=20000, help="Default Monte Carlo draws on the forecast form.")
    ] = DEFAULT_DRAWS,
    allow_host: Annotated[
        Optional[list[str]],
        typer.Option(
            "--allow-host",
            help="Another Host name the app answers (repeat for several; '*' for any). By default "
            "only the address it listens on (and loopback names) are answered; others get 400 (DNS rebinding).",
        ),
    ] = None,
) -> None:
    """Start the web app (FastAPI + uvicorn) on the store.

    Examples: backchannel serve; BACKCHANNEL_TOKEN=s3cret backchannel serve --host 0.0.0.0 --port 8080
    """
    import uvicorn

    from ..web import create_app
    from ..web.security import allowed_hosts, is_loopback

    token = os.environ.get("BACKCHANNEL_TOKEN") or None
    if not is_loopback(host) and not token:
        raise InputError(
            "refusing to listen beyond this machine without an access token",
            field="host",
            value=host,
            allowed="127.0.0.1/localhost, or set BACKCHANNEL_TOKEN to require a token on every request",
        )
    app = create_app(db, token=token, default_draws=draws, hosts=allowed_hosts(host, allow_host or ()))
    console.print(f"backchannel on http://{host}:{port}/ (Ctrl+C to stop)", markup=False)
    uvicorn.run(app, host=host, port=port, log_level="warning")
