"""Any local sentence-transformers model (LaBSE, MiniLM, …), behind the ``st`` extra.

Models are looked up on disk only — ``models/local/``, ``$ALIGN_MODELS_DIR``, a
path, the Hugging Face cache — and loaded with ``local_files_only`` and the hub switched
offline while they load, so a run never downloads anything and never hangs on a network
timeout, and a program that uses the hub itself finds it as it left it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from align.encoders.base import normalise_rows
from align.errors import ModelNotAvailable

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

REPO_MODELS = Path(__file__).resolve().parents[2] / "models" / "local"
EXTRA_HINT = "needs the 'st' extra: pip install torch==2.13.0 'un-align[st]'"


def model_dirs() -> list[Path]:
    """Folders searched by model name: ``$ALIGN_MODELS_DIR`` first, then ``models/local/``."""
    dirs = [Path(p).expanduser() for p in os.environ.get("ALIGN_MODELS_DIR", "").split(os.pathsep)]
    return [d for d in dirs if str(d) not in ("", ".")] + [REPO_MODELS]


@contextmanager
def _hub_offline() -> Iterator[None]:
    """The Hugging Face hub offline for the block, then as it was.

    The hub reads ``HF_HUB_OFFLINE`` once, when it is first imported, into
    ``huggingface_hub.constants``, which it and transformers consult on each request:
    setting the variable did nothing once the hub was imported, and switched a program's
    hub offline for good where it was not yet. The constant is switched instead, for the
    load only (other threads of the program are offline meanwhile)."""
    try:
        from huggingface_hub import constants
    except ImportError:
        yield
        return
    before = constants.HF_HUB_OFFLINE
    constants.HF_HUB_OFFLINE = True
    try:
        yield
    finally:
        constants.HF_HUB_OFFLINE = before


@contextmanager
def _no_progress_bars() -> Iterator[None]:
    """No progress bar of transformers or the hub for the block, then as they were: a
    program's own downloads and trainings keep theirs."""
    from huggingface_hub import utils as hub_utils
    from transformers.utils import logging as hf_logging

    shown, hub_hidden = hf_logging.is_progress_bar_enabled(), hub_utils.are_progress_bars_disabled()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        if shown:
            hf_logging.enable_progress_bar()
        if not hub_hidden:
            hub_utils.enable_progress_bars()
        else:
            hub_utils.disable_progress_bars()


def _has_extra() -> bool:
    try:
        return all(
            importlib.util.find_spec(m) is not None for m in ("sentence_transformers", "torch")
        )
    except (ImportError, ValueError):
        return False


def _is_model_dir(folder: Path) -> bool:
    return (folder / "modules.json").is_file() or (folder / "config.json").is_file()


def _looks_like_path(name: str) -> bool:
    return name.startswith(("/", "./", "../", "~", ".\\", "..\\")) or Path(name).is_absolute()


def _hf_cache(name: str) -> Path | None:
    try:
        from huggingface_hub import snapshot_download

        return Path(snapshot_download(name, local_files_only=True))
    except Exception:  # not cached, not a valid repo id, or hub not installed
        return None


def how_to_get(name: str) -> str:
    local = Path(name).name or name
    return (
        f'on a machine with internet run python -c "from sentence_transformers import '
        f"SentenceTransformer; SentenceTransformer('{name}').save('models/local/{local}')\", "
        f"then copy that folder into models/local/ here (or into $ALIGN_MODELS_DIR)"
    )


def resolve(name: str, extra: Iterable[Path] = ()) -> Path:
    """The folder holding model ``name``; ``extra`` folders are tried after the HF cache."""
    if not name:
        raise ModelNotAvailable("empty model name after 'st:'; use st:NAME or st:PATH")
    if not _looks_like_path(name):
        for base in model_dirs():
            for candidate in dict.fromkeys((base / name, base / Path(name).name)):
                if candidate.is_dir():
                    return candidate
    path = Path(name).expanduser()
    if path.exists():
        if not path.is_dir():
            raise ModelNotAvailable(f"{path} is a file; st: needs a sentence-transformers folder")
        return path
    if _looks_like_path(name):
        raise ModelNotAvailable(f"no model folder at {path}; check the path after 'st:'")
    cached = _hf_cache(name)
    if cached is not None:
        return cached
    for candidate in extra:
        if candidate.is_dir():
            return candidate
    searched = ", ".join(str(d) for d in model_dirs())
    raise ModelNotAvailable(
        f"sentence-transformers model '{name}' is not on this machine (searched {searched}, "
        f"the path '{name}' and the Hugging Face cache); {how_to_get(name)}"
    )


def _label(folder: Path) -> str:
    """``org/name@commit`` for a Hugging Face cache snapshot, else the folder name."""
    parts = folder.absolute().parts
    if len(parts) >= 3 and parts[-2] == "snapshots" and parts[-3].startswith("models--"):
        repo = parts[-3].removeprefix("models--").replace("--", "/")
        return f"{repo}@{parts[-1][:12]}"
    return folder.name


def fingerprint(folder: Path) -> str:
    """Short hash of every file of the model folder, names and contents: a fine-tuned copy
    with the same layout and sizes is another model, and must neither reuse the cached
    vectors of the first nor be recorded as it. Loading reads the same bytes anyway."""
    h = hashlib.sha256()
    for f in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = f.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts):
            continue  # .git, .cache: not the model
        h.update(rel.as_posix().encode() + b"\0")
        with f.open("rb") as fh:
            h.update(hashlib.file_digest(fh, "sha256").digest())
    return h.hexdigest()[:12]


def _load(name: str, extra: Mapping[Path, str]) -> tuple[Path, SentenceTransformer]:
    """The folder of model ``name`` and the model read from it, from disk only."""
    folder = resolve(name, extra)
    if not _is_model_dir(folder):
        hint = "" if _looks_like_path(name) else f"; {how_to_get(name)}"
        raise ModelNotAvailable(
            f"{folder} is not a sentence-transformers model folder "
            f"(no modules.json or config.json){hint}"
        )
    try:
        import sentence_transformers

        with _no_progress_bars():
            model = sentence_transformers.SentenceTransformer(
                str(folder), device="cpu", local_files_only=True
            )
    except ImportError as exc:
        raise ModelNotAvailable(f"model st:{name} {EXTRA_HINT} ({exc})") from exc
    except Exception as exc:
        first = (str(exc).strip().splitlines() or [""])[0]
        raise ModelNotAvailable(
            f"cannot load sentence-transformers model from {folder}: {type(exc).__name__}: {first}"
        ) from exc
    return folder, model


class STEncoder:
    """A sentence-transformers model on CPU, loaded from a local folder only."""

    def __init__(
        self,
        name: str,
        *,
        model_id: str | None = None,
        extra_dirs: Mapping[Path, str] | None = None,
        batch_size: int = 32,
    ) -> None:
        name = name.strip()
        if not _has_extra():
            raise ModelNotAvailable(f"model st:{name} {EXTRA_HINT}")
        extra = dict(extra_dirs or {})
        with _hub_offline():
            folder, model = _load(name, extra)
        import sentence_transformers

        get_dim = (
            getattr(model, "get_embedding_dimension", None)
            or model.get_sentence_embedding_dimension
        )
        self._model = model
        self.folder = folder
        self.batch_size = max(1, batch_size)
        self.name = model_id or f"st:{name}"
        dim = get_dim()
        if dim is None:  # a model that does not declare its size: measure one vector
            dim = len(model.encode(["a"], convert_to_numpy=True, show_progress_bar=False)[0])
        self.dim = int(dim)
        self.version = (
            f"sentence-transformers=={sentence_transformers.__version__} "
            f"model={extra.get(folder) or _label(folder)} files={fingerprint(folder)}"
        )

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        items = list(texts)
        if not items:
            return np.empty((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(
            items,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
            device="cpu",
        )
        return normalise_rows(vectors)
