"""``python -m backchannel`` runs the CLI."""

from .cli import main

main()
