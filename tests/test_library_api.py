"""un-align as a Python library: what ``import align`` offers, aligning text held in memory,
and what a library owes its caller (no output, no files, its own errors)."""

from __future__ import annotations

import importlib
import itertools
import re
import subprocess
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

import align
from align.encoders import Encoder
from align.errors import AlignError, InputError, ModelNotAvailable, OutputError
from align.pipeline import IN_MEMORY, Settings, align_strings
from align.types import Alignment

ROOT = Path(__file__).resolve().parent.parent

ZH = (
    "大会，\n\n"
    "回顾联合国的宗旨之一是在解决国际问题方面开展国际合作。\n\n"
    "1. 欢迎上海合作组织为加强区域和平、安全与稳定所作的努力。\n"
)
EN = (
    "The General Assembly,\n\n"
    "Recalling that one of the purposes of the United Nations is to achieve international "
    "cooperation in solving international problems.\n\n"
    "1. Welcomes the efforts of the Shanghai Cooperation Organization to strengthen "
    "regional peace, security and stability.\n"
)


def test_import_align_loads_no_stage_until_a_name_is_used() -> None:
    """The command line and every batch worker import ``align`` first: the pipeline's
    half second of imports waits until a name needs it."""
    code = (
        "import sys, align\n"
        "print(sorted(m for m in sys.modules if m.startswith('align.')))\n"
        "align.align_files\n"
        "print('align.pipeline' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split("\n")
    assert out[:2] == ["[]", "True"]


def test_the_quick_start_runs_as_written(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    embedding_cache: Path,
) -> None:
    """The code block of ``align.__doc__``, run as it stands beside a zh.txt and an en.txt."""
    doc = align.__doc__ or ""
    lines = doc.split("::\n", 1)[1].splitlines()
    block = "\n".join(itertools.takewhile(lambda line: not line or line[0] == " ", lines))
    for lang in ("zh", "en"):
        (tmp_path / f"{lang}.txt").write_bytes(
            (ROOT / "corpora/A_77_L.107" / f"{lang}.txt").read_bytes()
        )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ALIGN_CACHE_DIR", str(embedding_cache))
    exec(textwrap.dedent(block), {})  # noqa: S102
    shown = capsys.readouterr().out
    assert "Agenda item 127 (s)" in shown and "signature: " in shown
    assert align.read_alignment(tmp_path / "out.tmx").beads


def test_every_exported_name_is_its_modules_own() -> None:
    exported = {name for module, names in align._EXPORTS.items() for name in names}
    assert set(align.__all__) == exported | {"__version__"}
    for module, names in align._EXPORTS.items():
        for name in names:
            assert getattr(align, name) is getattr(importlib.import_module(module), name)
    assert set(align.__all__) <= set(dir(align))


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'align_file'"):
        getattr(align, "align_file")  # noqa: B009
    assert not hasattr(align, "align_file")


def test_two_strings_align_in_memory(embedding_cache: Path) -> None:
    got = align.align_strings(ZH, EN, cache_dir=embedding_cache)
    assert isinstance(got, Alignment)
    assert [(b.src, b.tgt) for b in got.beads] == [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]
    assert got.src_text(got.beads[0]) == "大会，"
    assert got.tgt_text(got.beads[2]).startswith("1. Welcomes the efforts")
    assert all(b.confidence > 0.5 for b in got.beads)
    assert align.flag_alignment(got) == [[], [], []]
    assert (got.src_lang, got.tgt_lang) == ("zh", "en")
    assert got.signature["src_read"] == got.signature["tgt_read"] == IN_MEMORY


def test_strings_are_tagged_and_cleaned_by_the_settings_languages(
    embedding_cache: Path,
) -> None:
    got = align_strings(
        ZH,
        EN,
        settings=Settings(src_lang="zh_CN", tgt_lang="en-GB"),
        cache_dir=embedding_cache,
        src_name="A_77_L.107.zh.txt",
    )
    assert (got.src_lang, got.tgt_lang) == ("zh-CN", "en-GB")
    assert got.document == "A_77_L.107"


def test_a_blank_string_is_refused_as_the_reader_refuses_a_blank_file() -> None:
    with pytest.raises(InputError, match=r"^en\.txt: contains no text"):
        align_strings(ZH, " \n\t", tgt_name="en.txt", encoder=LengthEncoder())


class LengthEncoder(Encoder):
    """A user's own encoder: sentences of like length are alike."""

    name = "length"
    version = "1"
    dim = 8

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            out[i, min(len(text) // 20, self.dim - 1)] = 1.0
        return out


def test_a_users_own_encoder_is_used_and_named(tmp_path: Path) -> None:
    got = align_strings(ZH, EN, encoder=LengthEncoder())
    assert got.signature["encoder"] == "length"
    assert sorted(i for b in got.beads for i in b.src) == [0, 1, 2]
    cached = align.CachedEncoder(LengthEncoder(), tmp_path / "cache")
    with cached:
        align_strings(ZH, EN, encoder=cached)
        align_strings(ZH, EN, encoder=cached)
    assert cached.hits > 0 and (tmp_path / "cache" / "embeddings.sqlite3").is_file()


def test_aligning_prints_nothing_and_writes_no_cache_unasked(
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    embedding_cache: Path,
) -> None:
    """A notebook or a web service hears of progress and warnings only through callbacks,
    and finds no cache folder it did not ask for."""
    monkeypatch.setenv("ALIGN_CACHE_DIR", str(tmp_path / "default-cache"))
    monkeypatch.chdir(tmp_path)
    heard: list[str] = []
    align_strings(ZH, EN, encoder=align.load_encoder(), progress=heard.append)
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")
    assert heard and list(tmp_path.iterdir()) == []


def test_a_refusal_is_the_packages_own_error() -> None:
    with pytest.raises(AlignError):
        Settings(src_lang="english")
    with pytest.raises(AlignError):
        align_strings(
            "大会，回顾联合国的宗旨。" * 5, "大会，回顾联合国的宗旨。" * 5, encoder=LengthEncoder()
        )


class ShortEncoder(LengthEncoder):
    """A user's own encoder that loses the last text's vector."""

    name = "short"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return super().encode(texts)[:-1]


def test_a_users_encoder_that_returns_too_few_rows_is_named() -> None:
    """It failed with an IndexError from deep inside the aligner."""
    with pytest.raises(ModelNotAvailable, match=r"^encoder short returned shape \(7, 8\) for 8 "):
        align_strings(ZH, EN, encoder=ShortEncoder())


def test_refusals_name_the_arguments_a_library_caller_passes(tmp_path: Path) -> None:
    """They named only the command's flags (--force, --no-cache) or were a bare ValueError."""
    alignment = align_strings(ZH, EN, encoder=LengthEncoder())
    out = tmp_path / "tm.tmx"
    out.write_text("mine", encoding="utf-8")
    with pytest.raises(OutputError, match=r"pass --force \(force=True\) to overwrite"):
        align.write_alignment(alignment, out)
    with pytest.raises(OutputError, match=r"not a TMX date: pass date= a datetime"):
        align.write_alignment(alignment, tmp_path / "new.tmx", date="2024-01-01")
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match=r"--no-cache \(use_cache=False\)$"):
        align.CachedEncoder(LengthEncoder(), blocker / "cache")
    assert out.read_text(encoding="utf-8") == "mine" and not (tmp_path / "new.tmx").exists()


def test_align_versions_names_its_pivot_argument_beside_the_option(tmp_path: Path) -> None:
    """It said only ``--pivot zh``, which a library caller has not got."""
    with pytest.raises(InputError, match=r"align on one of these with --pivot zh \(pivot='zh'\)$"):
        align.align_versions({"zh": tmp_path / "zh.txt", "fr": tmp_path / "fr.txt"})


def _tmx(path: Path, srclang: str) -> Path:
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="t" '
        'creationtoolversion="1" datatype="plaintext" segtype="sentence" adminlang="en" '
        f'srclang="{srclang}" o-tmf="t"/><body><tu><tuv xml:lang="zh-CN"><seg>你好{srclang}'
        f'</seg></tuv><tuv xml:lang="en-US"><seg>hello {srclang}</seg></tuv></tu></body></tmx>\n',
        encoding="utf-8",
    )
    return path


MERGE_WARNING = re.compile(
    r"inputs have different srclang \(en-us, zh-cn\): the merge says \*all\*"
)


def _merge_in_a_program(tmp_path: Path, setup: str) -> str:
    """stderr of a program that merges two TMX of different srclang (a logged warning)."""
    a, b = _tmx(tmp_path / "a.tmx", "zh-CN"), _tmx(tmp_path / "b.tmx", "en-US")
    code = (
        f"{setup}\nimport align.tmx\n"
        f"align.tmx.merge([{str(a)!r}, {str(b)!r}], {str(tmp_path / 'm.tmx')!r}, force=True)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return run.stderr


def test_a_program_hears_the_packages_warnings_only_through_its_own_logging(
    tmp_path: Path,
) -> None:
    """Without a NullHandler on ``align``, Python printed them bare on the program's stderr."""
    assert _merge_in_a_program(tmp_path, "") == ""
    heard = _merge_in_a_program(
        tmp_path, "import logging; logging.basicConfig(format='mine: %(name)s: %(message)s')"
    )
    assert len(heard.splitlines()) == 1 and heard.startswith("mine: align.tmx: inputs have")


def test_the_command_line_still_prints_the_packages_warnings_as_it_did(tmp_path: Path) -> None:
    """The bare message on stderr, as Python's last-resort handler printed it before the
    package had a NullHandler; once, even where the command line module is imported by a
    program that set up logging."""
    a, b = _tmx(tmp_path / "a.tmx", "zh-CN"), _tmx(tmp_path / "b.tmx", "en-US")
    merge = ["tmx", "merge", str(a), str(b), "-o", str(tmp_path / "m.tmx")]
    run = subprocess.run(
        [sys.executable, "-m", "align.cli", *merge], capture_output=True, text=True, check=True
    )
    first, second = run.stderr.splitlines()
    assert MERGE_WARNING.fullmatch(first) and second.startswith("wrote ")
    heard = _merge_in_a_program(
        tmp_path,
        "import logging, align.cli_common; logging.basicConfig(format='mine: %(message)s')",
    )
    assert len(heard.splitlines()) == 1 and heard.startswith("mine: inputs have")
