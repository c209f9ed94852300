"""Bilingual sentence alignment of UN documents into translation memories (TMX).

Everything the ``align`` command does is a function a Python user can call; the common
ones are named here, each imported on first use (so ``import align`` stays instant for
the command line and the batch workers that start with it)::

    import align

    alignment = align.align_files("zh.txt", "en.txt")  # or align.align_strings(zh, en)
    align.check_translation(alignment, "zh.txt", "en.txt")  # align pair's refusal
    for bead, flags in zip(alignment.beads, align.flag_alignment(alignment)):
        print(bead.confidence, alignment.src_text(bead), alignment.tgt_text(bead), flags)
    align.write_alignment(alignment, "out.tmx")  # .tsv, .jsonl; force=True to replace
    print(align.render_plain(alignment))  # the report
    tmx = align.WRITERS["tmx"].render(alignment).data  # bytes, for a stream or a response

Each command's module: ``align pair`` :mod:`align.pipeline`, ``clean`` :mod:`align.clean`,
``eval`` :func:`align.evaluate.evaluate` (with :mod:`align.significance`), ``batch``
:func:`align.batch.run_batch`, ``report`` :mod:`align.report` and
:mod:`align.html_report`, ``review`` :class:`align.review.Review`, ``multi``
:func:`align.multilingual.align_versions` (written by
:func:`align.writers.multilingual_tmx.write`), ``tmx`` :mod:`align.tmx`. Every error a user
can act on is an :class:`~align.errors.AlignError`, one line saying what to do. What a
run only warns of (a damaged cache set aside, characters a TMX cannot hold, also in
``WriteResult.dropped``) is logged on the ``align`` logger, which prints nothing until the
program sets up :mod:`logging` (``logging.basicConfig()``).
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING

__version__ = "0.1.0"

# A program using the package hears its warnings through its own logging set-up, not as
# the bare lines Python prints on stderr for a logger no handler takes; the command line
# puts those back (align.cli_common.show_library_warnings).
logging.getLogger(__name__).addHandler(logging.NullHandler())

_EXPORTS: dict[str, tuple[str, ...]] = {
    "align.pipeline": (
        "Settings",
        "align_documents",
        "align_files",
        "align_strings",
        "check_translation",
    ),
    "align.config": ("AlignConfig",),
    "align.types": ("Alignment", "Bead", "CleanDocument", "RawDocument", "Segment"),
    "align.readers": ("read_document",),
    "align.encoders": ("CachedEncoder", "Encoder", "default_cache_dir", "load_encoder"),
    "align.flags": ("Flag", "flag_alignment"),
    "align.report": ("print_report", "render_plain"),
    "align.paragraphs": ("by_paragraph",),
    "align.writers": ("WRITERS", "WriteResult", "read_alignment", "write_alignment"),
    "align.multilingual": ("align_versions",),
    "align.batch": ("BatchOptions", "BatchResult", "run_batch"),
    "align.evaluate": ("EvalResult", "Scores"),
    "align.errors": (
        "AlignError",
        "DifferentDocuments",
        "InputError",
        "ModelNotAvailable",
        "NotTranslation",
        "OutputError",
    ),
}
_HOME = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = [
    "__version__",
    "AlignConfig",
    "AlignError",
    "Alignment",
    "BatchOptions",
    "BatchResult",
    "Bead",
    "CachedEncoder",
    "CleanDocument",
    "DifferentDocuments",
    "Encoder",
    "EvalResult",
    "Flag",
    "InputError",
    "ModelNotAvailable",
    "NotTranslation",
    "OutputError",
    "RawDocument",
    "Scores",
    "Segment",
    "Settings",
    "WRITERS",
    "WriteResult",
    "align_documents",
    "align_files",
    "align_strings",
    "align_versions",
    "by_paragraph",
    "check_translation",
    "default_cache_dir",
    "flag_alignment",
    "load_encoder",
    "print_report",
    "read_alignment",
    "read_document",
    "render_plain",
    "run_batch",
    "write_alignment",
]

if TYPE_CHECKING:
    from align.batch import BatchOptions as BatchOptions
    from align.batch import BatchResult as BatchResult
    from align.batch import run_batch as run_batch
    from align.config import AlignConfig as AlignConfig
    from align.encoders import CachedEncoder as CachedEncoder
    from align.encoders import Encoder as Encoder
    from align.encoders import default_cache_dir as default_cache_dir
    from align.encoders import load_encoder as load_encoder
    from align.errors import AlignError as AlignError
    from align.errors import DifferentDocuments as DifferentDocuments
    from align.errors import InputError as InputError
    from align.errors import ModelNotAvailable as ModelNotAvailable
    from align.errors import NotTranslation as NotTranslation
    from align.errors import OutputError as OutputError
    from align.evaluate import EvalResult as EvalResult
    from align.evaluate import Scores as Scores
    from align.flags import Flag as Flag
    from align.flags import flag_alignment as flag_alignment
    from align.multilingual import align_versions as align_versions
    from align.paragraphs import by_paragraph as by_paragraph
    from align.pipeline import Settings as Settings
    from align.pipeline import align_documents as align_documents
    from align.pipeline import align_files as align_files
    from align.pipeline import align_strings as align_strings
    from align.pipeline import check_translation as check_translation
    from align.readers import read_document as read_document
    from align.report import print_report as print_report
    from align.report import render_plain as render_plain
    from align.types import Alignment as Alignment
    from align.types import Bead as Bead
    from align.types import CleanDocument as CleanDocument
    from align.types import RawDocument as RawDocument
    from align.types import Segment as Segment
    from align.writers import WRITERS as WRITERS
    from align.writers import WriteResult as WriteResult
    from align.writers import read_alignment as read_alignment
    from align.writers import write_alignment as write_alignment
else:

    def __getattr__(name: str) -> object:
        """Import an exported name's module when the name is first used (PEP 562).
        Hidden from type checkers, so a misspelt name is their error, not ``object``."""
        module = _HOME.get(name)
        if module is None:
            raise AttributeError(f"module 'align' has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
