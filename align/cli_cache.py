"""``align cache …``: see and trim the embedding cache, a thin layer over
:mod:`align.encoders.cache`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from align.errors import AlignError

cache_app = typer.Typer(
    no_args_is_help=True,
    help=(
        "See, trim or empty the embedding cache (ALIGN_CACHE_DIR, else "
        "~/.cache/un-align/embeddings). Its size is capped by ALIGN_CACHE_MAX "
        "(default 1GB): the least recently used vectors go first.\n\n"
        "Example:  align cache info"
    ),
)


def _limit(text: str | None) -> int | None:
    from align.encoders.cache import MAX_ENV, cache_limit, parse_size

    if text is None:
        return cache_limit()
    try:
        return parse_size(text)
    except ValueError as exc:
        raise AlignError(f"--max: {exc} (or set {MAX_ENV})") from exc


def _model_name(name: str) -> str:
    """What the cache calls ``name``: the model id, or the one a name like ``use`` or
    ``minilm`` stands for."""
    from align.encoders import USE_ALIASES, registry

    key = name.strip().lower()
    if key in USE_ALIASES:
        return "use-m3"
    entry = registry().get(key)
    return str(entry["spec"]) if entry else name.strip()


@cache_app.command("info")
def info_cmd() -> None:
    """Where the cache is, its size on disk, its entries, the models in it and the limit.

    Example:

        align cache info
    """
    from align.encoders import default_cache_dir
    from align.encoders.cache import (
        DB_NAME,
        DEFAULT_MAX_BYTES,
        MAX_ENV,
        cache_info,
        format_size,
        has_cache,
        set_aside,
    )

    folder, limit_bytes = default_cache_dir(), _limit(None)
    limit = format_size(limit_bytes) if limit_bytes is not None else "unlimited"
    info = cache_info(folder, limit_bytes) if has_cache(folder) else None
    if info is None:
        typer.echo(f"cache:   {folder / DB_NAME} (none yet: {_MADE_BY})")
    else:
        typer.echo(f"cache:   {info.path}")
        typer.echo(f"on disk: {format_size(info.on_disk)}")
        typer.echo(f"vectors: {info.rows} ({format_size(info.size)} counted against the limit)")
    typer.echo(f"limit:   {limit} (set by {MAX_ENV}, default {format_size(DEFAULT_MAX_BYTES)})")
    for model, version, rows in info.models if info else []:
        typer.echo(f"model:   {model} ({version}): {rows} vectors")
    if copies := set_aside(folder):
        size = format_size(sum(c.stat().st_size for c in copies))
        typer.echo(f"damaged: {_damaged(copies)}, {size} ('align cache clear' deletes them)")


_MADE_BY = "the first 'align pair' or 'align batch' makes it; ALIGN_CACHE_DIR chooses the folder"


def _damaged(copies: list[Path]) -> str:
    """How many damaged caches runs set aside (a copy's -wal and -shm are part of it)."""
    from align.batch.identify import counted

    n = sum(1 for c in copies if not c.name.endswith(("-wal", "-shm")))
    return f"{counted(n, 'damaged cache')} set aside by earlier runs"


@cache_app.command("clear")
def clear_cmd(
    model: Annotated[
        str | None,
        typer.Option(
            "--model",
            metavar="NAME",
            help="Delete only this model's vectors (a name 'align cache info' lists, or "
            "use, labse, minilm).",
        ),
    ] = None,
) -> None:
    """Delete the cached vectors (all, or one model's) and give the space back.

    The next run re-encodes what it needs. A damaged cache file is deleted whole.
    Examples:

        align cache clear
        align cache clear --model minilm
    """
    from align.encoders import default_cache_dir
    from align.encoders.cache import DB_NAME, cache_info, clear_cache, has_cache, set_aside

    folder = default_cache_dir()
    copies = set_aside(folder) if model is None else []
    if not has_cache(folder):
        if copies:
            clear_cache(folder)
            typer.echo(f"deleted {_damaged(copies)} in {folder}")
        else:
            typer.echo(f"no embedding cache at {folder / DB_NAME}: nothing to clear")
        return
    name = None
    if model is not None:
        name = _model_name(model)
        held = sorted({m for m, _, _ in cache_info(folder, None).models})
        if name not in held:
            raise AlignError(
                f"no vectors of model '{model}' in {folder / DB_NAME}: it holds "
                f"{', '.join(held) or 'no vectors'} ('align cache info' lists them)"
            )
    removed = clear_cache(folder, name)
    if removed < 0:
        typer.echo(f"deleted the damaged cache {folder / DB_NAME}")
    else:
        what = f" of {name}" if name else ""
        typer.echo(f"deleted {removed} vectors{what} from {folder / DB_NAME}")
    if copies:
        typer.echo(f"deleted {_damaged(copies)}")


@cache_app.command("prune")
def prune_cmd(
    max_size: Annotated[
        str | None,
        typer.Option(
            "--max",
            metavar="SIZE",
            help="Prune down to this size (500MB, 2GB, 1.5GiB; a bare number is MB) "
            "instead of the limit.",
        ),
    ] = None,
) -> None:
    """Delete the least recently used vectors down to the limit now.

    The space goes back to the disk. Runs do this themselves once the cache
    passes its limit (ALIGN_CACHE_MAX, default 1GB); prune is for a smaller
    cache at once. A cache made before the limit existed is also rewritten on
    bigger pages (about 40% smaller) when no alignment is using it. Examples:

        align cache prune
        align cache prune --max 200MB
    """
    from align.encoders import default_cache_dir
    from align.encoders.cache import DB_NAME, format_size, has_cache, prune_cache

    limit = _limit(max_size)
    if limit is None:
        typer.echo("no limit (unlimited): nothing to prune")
        return
    folder = default_cache_dir()
    if not has_cache(folder):
        typer.echo(f"no embedding cache at {folder / DB_NAME}: nothing to prune")
        return
    removed, size = prune_cache(folder, limit)
    typer.echo(f"deleted {removed} vectors; {format_size(size)} left of {format_size(limit)}")
