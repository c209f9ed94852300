"""``align tmx …``: TMX as a first-class format (filled in by the TMX tools work)."""

from __future__ import annotations

import typer

tmx_app = typer.Typer(no_args_is_help=True)
