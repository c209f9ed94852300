"""The `align` command as a user runs it: exit codes, one-line errors, outputs."""

from __future__ import annotations

import inspect
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Annotated, Any

import pytest
import typer
from conftest import CORPUS, bench_start, run_align, run_on_terminal
from tmxcheck import assert_valid_tmx
from typer.testing import CliRunner

from align.aligner import AlignConfig, AlignStats, align_texts
from align.clean import clean, left_out
from align.cli import app
from align.encoders import load_encoder
from align.evaluate import EvalResult, evaluate, format_beads, match_counts, parse_beads, score
from align.readers import read_document


def run(*args: str, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ALIGN_CACHE_DIR": str(cache), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "align.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


def test_pair_writes_tmx_and_prints_the_report(tmp_path: Path, cache: Path) -> None:
    out = tmp_path / "out.tmx"
    r = run("pair", str(CORPUS / "zh.txt"), str(CORPUS / "en.txt"), "-o", str(out), cache=cache)
    assert r.returncode == 0, r.stderr
    assert_valid_tmx(out)
    assert "translation units:" in r.stdout and "mean confidence" in r.stdout
    assert "zh: 4. 请秘书长向大会第七十九届会议提交本决议执行情况报告；" in r.stdout
    for name in ("zh.txt", "en.txt"):
        counts = left_out(clean(read_document(CORPUS / name, name[:2])))
        assert counts["job-number"] and counts["page-header"] and counts["link"]
        said = f"left out of {CORPUS / name}: " + ", ".join(
            f"{k} {reason}" for reason, k in counts.most_common()
        )
        assert said in r.stderr, r.stderr


def test_a_reader_closing_stderr_does_not_stop_the_tm(tmp_path: Path, cache: Path) -> None:
    """``align pair … 2>&1 | head -1``: the messages were the first thing the closed pipe
    broke, and the run ended with 1 and no TM."""
    out = tmp_path / "out.tmx"
    env = {**os.environ, "ALIGN_CACHE_DIR": str(cache), "NO_COLOR": "1"}
    args = [str(CORPUS / "zh.txt"), str(CORPUS / "en.txt"), "-o", str(out), "--no-report"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "align.cli", "pair", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stderr is not None
    proc.stderr.close()
    assert proc.wait(timeout=300) == 0
    assert_valid_tmx(out)


def test_pair_without_o_writes_the_documents_tmx_in_the_current_folder(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    r = run("pair", str(CORPUS / "zh.txt"), str(CORPUS / "en.txt"), "--no-report", cache=cache)
    assert r.returncode == 0, r.stderr
    assert "wrote A_77_L.107.tmx" in r.stderr
    assert_valid_tmx(tmp_path / "A_77_L.107.tmx")
    again = run("pair", str(CORPUS / "zh.txt"), str(CORPUS / "en.txt"), cache=cache)
    assert again.returncode == 2 and "A_77_L.107.tmx already exists" in again.stderr


def test_files_named_by_job_number_are_named_by_the_symbol_they_print(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The UN's document system names downloads by job number: N2316567.pdf says nothing
    a translator looks for in a TM; the symbol the pages print does."""
    monkeypatch.chdir(tmp_path)
    for lang, name in (("zh", "N2316567 (1).txt"), ("en", "N2316564.txt")):
        (tmp_path / name).write_bytes((CORPUS / f"{lang}.txt").read_bytes())
    r = run("pair", "N2316567 (1).txt", "N2316564.txt", "--no-report", cache=cache)
    assert r.returncode == 0, r.stderr
    assert "wrote A_77_L.107.tmx" in r.stderr
    assert '<prop type="x-document">A_77_L.107</prop>' in Path("A_77_L.107.tmx").read_text()
    again = run("pair", "N2316567 (1).txt", "N2316564.txt", "--no-report", cache=cache)
    assert again.returncode == 2 and "A_77_L.107.tmx already exists" in again.stderr
    (tmp_path / "resolution.zh.txt").write_bytes((CORPUS / "zh.txt").read_bytes())
    r = run("pair", "resolution.zh.txt", "N2316564.txt", "--no-report", cache=cache)
    assert r.returncode == 0 and "wrote resolution.tmx" in r.stderr  # a name of its own


def test_pair_shows_what_it_is_doing_on_a_terminal_only(tmp_path: Path, cache: Path) -> None:
    args = ("pair", str(CORPUS / "zh.txt"), str(CORPUS / "en.txt"))
    piped = run(*args, "-o", str(tmp_path / "piped.tmx"), cache=cache)
    assert piped.returncode == 0, piped.stderr
    assert "segmenting" not in piped.stderr
    env = {**os.environ, "ALIGN_CACHE_DIR": str(cache)}
    code, out, drawn = run_on_terminal(*args, "-o", str(tmp_path / "tty.tmx"), env=env)
    assert code == 0, drawn
    assert "cleaning and segmenting" in drawn and "aligning 42 × 42 segments" in drawn
    assert out == piped.stdout
    assert f"wrote {tmp_path / 'tty.tmx'}" in drawn


def test_pdf_ligatures_are_made_plain_and_said(tmp_path: Path, cache: Path) -> None:
    """A TM unit with ``ﬁ`` would never match the ``fi`` a translator types."""
    en = tmp_path / "en.txt"
    text = (CORPUS / "en.txt").read_text(encoding="utf-8")
    en.write_text(text.replace("fi", "\ufb01"), encoding="utf-8")
    out = tmp_path / "out.tsv"
    r = run("pair", str(CORPUS / "zh.txt"), str(en), "-o", str(out), "--no-report", cache=cache)
    assert r.returncode == 0, r.stderr
    count = text.count("fi")
    assert (
        f"as utf-8 ({count} ligatures and stand-in characters, such as ﬁ for fi and ⼈ for 人, "
        "replaced by the plain ones)" in r.stderr
    )  # it said "presentation forms made plain", Unicode's term
    written = out.read_text(encoding="utf-8")
    assert "\ufb01" not in written and "trafficking" in written


def test_existing_output_is_not_overwritten_without_force(tmp_path: Path, cache: Path) -> None:
    out = tmp_path / "out.tmx"
    out.write_text("keep me", encoding="utf-8")
    args = ("pair", str(CORPUS / "zh.txt"), str(CORPUS / "en.txt"), "-o", str(out))
    r = run(*args, cache=cache)
    assert r.returncode == 2
    assert out.read_text(encoding="utf-8") == "keep me"
    assert "already exists" in r.stderr and "--force" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert run(*args, "--force", "--no-report", cache=cache).returncode == 0
    assert_valid_tmx(out)


@pytest.mark.parametrize("fmt", ["tsv", "jsonl"])
def test_other_formats(tmp_path: Path, cache: Path, fmt: str) -> None:
    out = tmp_path / f"out.{fmt}"
    r = run(
        "pair",
        str(CORPUS / "zh.txt"),
        str(CORPUS / "en.txt"),
        "-o",
        str(out),
        "--no-report",
        cache=cache,
    )
    assert r.returncode == 0, r.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    if fmt == "tsv":
        assert lines[0].startswith("zh-CN\ten-US\tconfidence")
        rows = [line.split("\t") for line in lines[1:]]
        assert len(rows) > 30 and all(len(r) == 5 and r[0] and r[1] for r in rows)
    else:
        assert json.loads(lines[0])["type"] == "header"


@pytest.mark.parametrize(
    ("content", "problem"),
    [(b"", "empty"), (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "not text")],
)
def test_bad_input_is_one_line_exit_2_and_nothing_written(
    tmp_path: Path, cache: Path, content: bytes, problem: str
) -> None:
    bad = tmp_path / "bad.zh.txt"
    bad.write_bytes(content)
    out = tmp_path / "out.tmx"
    r = run("pair", str(bad), str(CORPUS / "en.txt"), "-o", str(out), cache=cache)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "bad.zh.txt" in lines[0] and problem in lines[0].lower()
    assert "Traceback" not in r.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == [bad]


def test_missing_model_is_one_clear_line(tmp_path: Path, cache: Path) -> None:
    out = tmp_path / "out.tmx"
    r = run(
        "pair",
        str(CORPUS / "zh.txt"),
        str(CORPUS / "en.txt"),
        "-o",
        str(out),
        "--model",
        "st:/nowhere/LaBSE",
        cache=cache,
    )
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1 and "LaBSE" in r.stderr
    assert not out.exists()


def test_clean_explain_accounts_for_removed_text(cache: Path) -> None:
    r = run("clean", str(CORPUS / "zh.txt"), "--lang", "zh", "--explain", cache=cache)
    assert r.returncode == 0, r.stderr
    assert "[5 body] 大会，" in r.stdout
    for reason in ("link:", "footnote-ref:", "page-counter:", "job-number:", "stray-space:"):
        assert reason in r.stdout
    assert "footnotes), read as wrapped lines" in r.stdout


def test_clean_reads_a_file_by_the_language_it_is_written_in(tmp_path: Path) -> None:
    """``align pair`` tells the user to run ``align clean en.txt --explain``; without
    ``--lang`` that cleaned the English by Chinese rules (``recom-mendations``), other
    text than the run aligned."""
    en = tmp_path / "en.txt"
    en.write_text(
        " 6. The Assembly took note of the recom-\nmendations of the Committee and of the "
        "follow-\ning report on the matter before it.\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    guessed = runner.invoke(app, ["clean", str(en)])
    told = runner.invoke(app, ["clean", str(en), "--lang", "en"])
    assert guessed.exit_code == 0, guessed.output
    assert guessed.output == told.output and "recommendations" in told.output
    as_zh = runner.invoke(app, ["clean", str(en), "--lang", "zh"])
    assert "recom-mendations" in as_zh.stdout
    assert f"warning: {en} reads as English, not zh" in as_zh.stderr  # told, not silent
    assert "warning" not in told.stderr
    zh = runner.invoke(app, ["clean", str(CORPUS / "zh.txt")])
    assert zh.output == runner.invoke(app, ["clean", str(CORPUS / "zh.txt"), "-l", "zh"]).output


@pytest.mark.parametrize("command", ["pair", "clean"])
def test_help_teaches(command: str) -> None:
    r = subprocess.run(
        [sys.executable, "-m", "align.cli", command, "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 0
    if command == "pair":
        assert "--model" in r.stdout and "--src-lang" in r.stdout and "Example" in r.stdout
    words = " ".join(r.stdout.replace("│", " ").split())
    if command == "clean":  # it said "furniture removed", a typesetter's word
        assert "one paragraph per line, page headers and footers removed" in words
    formats = "one paragraph a line), .docx, .pdf, a web page (.html, .mht), .pptx, .xlsx, .epub,"
    assert formats in words and ".doc/.rtf/.odt (through LibreOffice)" in words
    from align.readers import READERS

    told = set(re.findall(r"\.[a-z]+", words))
    alike = {".text", ".htm", ".xhtml", ".mhtml", ".docm", ".ppsx", ".xlsm"}  # variants
    assert set(READERS) - alike <= told  # every format a reader takes is named


def every_command() -> list[tuple[list[str], Any]]:
    """Each command of ``align`` with the words that call it (``["tmx", "merge"]``)."""
    found, todo = [], [([], typer.main.get_command(app))]
    while todo:
        words, command = todo.pop()
        if hasattr(command, "commands"):  # a group (typer's own click, or click's)
            todo += [([*words, name], sub) for name, sub in command.commands.items()]
        else:
            found.append((words, command))
    return sorted(found, key=lambda pair: pair[0])


def test_every_help_reads_whole_lines_in_an_80_column_terminal() -> None:
    """Typer keeps a docstring's line breaks: a line wider than the terminal wraps, and
    the break after it then leaves a word or two alone on a line (report's 'with', batch's
    '...)'). Past the one-line summary, every line of every command's text fits 80
    columns."""
    for words, command in every_command():
        doc = inspect.cleandoc(command.callback.__doc__ or "")
        wide = [line for line in doc.splitlines()[1:] if len(line) > 78]
        assert not wide, (words, wide)


def test_usage_names_the_arguments_as_the_help_does() -> None:
    """The usage line calls each argument what the option texts call it (SRC_FILE, not
    src_file), so "Language of SRC_FILE" points at something the user can see."""
    commands = every_command()
    assert len(commands) >= 12
    for words, command in commands:
        r = CliRunner().invoke(app, [*words, "--help"], env={"NO_COLOR": "1", "COLUMNS": "200"})
        assert r.exit_code == 0, words
        usage = next(line for line in r.output.splitlines() if "Usage:" in line)
        for param in command.params:
            if param.param_type_name == "argument":
                assert param.metavar and param.metavar.upper() == param.metavar, (words, param)
                assert param.metavar in usage, (words, usage)
        for name in set(re.findall(r"\b[A-Z]+_[A-Z]+\b", r.output)):
            assert name in usage, (words, name, usage)


def test_every_command_says_an_unknown_option_in_one_line() -> None:
    """Typer drew a box under a usage line; each command now says itself by the words
    that call it, and its help is where the options are."""
    for words, _ in every_command():
        where = " ".join(["align", *words])
        r = CliRunner().invoke(app, [*words, "--no-such-option"], prog_name="align")
        assert r.exit_code == 2, (words, r.output)
        assert r.stderr == (
            f"error: {where} has no option --no-such-option ({where} --help lists every option)\n"
        )


def test_a_group_of_one_line_usage_says_what_typer_checks_in_one_line(tmp_path: Path) -> None:
    """None of align's own commands has typer check that a file exists or a number's
    range of floats, but the group that says their errors is any typer app's: a command
    added later that does is covered."""
    from align.cli_common import OneLineUsage

    mini = typer.Typer(cls=OneLineUsage)

    @mini.command()
    def check(
        file: Annotated[Path, typer.Argument(exists=True, metavar="FILE")],
        share: Annotated[float, typer.Option(max=1.0)] = 0.5,
    ) -> None:
        """A command that checks its file."""

    @mini.command()
    def other() -> None:
        """A second command, so that the first is called by its name."""

    missing = tmp_path / "nowhere.txt"
    r = CliRunner().invoke(mini, ["check", str(missing)], prog_name="mini")
    assert r.exit_code == 2
    assert r.stderr == (
        f"error: FILE: path '{missing}' does not exist: check the path and the file name "
        "(mini check --help lists every option)\n"
    )
    r = CliRunner().invoke(mini, ["check", str(tmp_path), "--share", "1.5"], prog_name="mini")
    assert r.exit_code == 2
    assert r.stderr == (
        "error: --share '1.5': out of range: give 1.0 or less (mini check --help lists every "
        "option)\n"
    )


def test_help_is_still_drawn_by_typer(cache: Path) -> None:
    """Only errors became one line: --help, and a group's help when it is given no
    command, are typer's boxes as before."""
    r = run("tmx", cache=cache)
    assert r.returncode == 2 and "Usage: " in r.stdout and "╭─ Commands" in r.stdout
    assert "error" not in r.stderr
    r = run("pair", "--help", cache=cache)
    assert r.returncode == 0 and "╭─ Options" in r.stdout and not r.stderr


def bench_folders(root: Path) -> dict[str, tuple[list[str], list[str], list]]:
    """Two documents cut from pol-dev and MAC-Dev after a gold bead, laid out as in ../shared/bench.

    Returns each document's sentences and gold, by file name (the order eval reads them in).
    """
    docs = {}
    for name, (bench_set, doc, first_src) in {
        "a-mac": ("mac-dev", "001", 40),
        "b-pol": ("pol-dev", "002", 30),
    }.items():
        zh, en, kept = bench_start(bench_set, doc, first_src)
        for side, lines in (("zh", zh), ("en", en)):
            (root / side).mkdir(exist_ok=True)
            (root / side / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        (root / "gold").mkdir(exist_ok=True)
        (root / "gold" / name).write_text(format_beads(kept), encoding="utf-8")
        docs[name] = (zh, en, kept)
    return docs


def test_eval_reads_the_languages_from_folders_named_by_them(tmp_path: Path, cache: Path) -> None:
    """de/ and fr/ are German and French unless the flags say otherwise; src/ says nothing."""
    texts = {
        "de": ["Der Berg ist hoch.", "Wir steigen am Morgen auf."],
        "fr": ["La montagne est haute.", "Nous montons le matin."],
    }
    for lang, lines in texts.items():
        for folder in (tmp_path / lang, tmp_path / {"de": "src", "fr": "tgt"}[lang]):
            folder.mkdir()
            (folder / "001").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "gold").mkdir()
    (tmp_path / "gold" / "001").write_text("[0]:[0]\n[1]:[1]\n", encoding="utf-8")

    def languages(*args: str) -> str:
        r = run("eval", *args, str(tmp_path / "gold"), cache=cache)
        assert r.returncode == 0, r.stderr
        signed = r.stdout.splitlines()[-1]
        return "|".join(p for p in signed.split("|") if p.startswith(("src_lang", "tgt_lang")))

    assert languages(str(tmp_path / "de"), str(tmp_path / "fr")) == "src_lang:de|tgt_lang:fr"
    assert languages(str(tmp_path / "src"), str(tmp_path / "tgt")) == "src_lang:zh|tgt_lang:en"
    flags = ("--src-lang", "fr", "--tgt-lang", "de")
    assert (
        languages(str(tmp_path / "de"), str(tmp_path / "fr"), *flags) == "src_lang:fr|tgt_lang:de"
    )


def test_eval_scores_micro_averaged_over_the_documents(tmp_path: Path, cache: Path) -> None:
    docs = bench_folders(tmp_path)
    folders = [str(tmp_path / side) for side in ("zh", "en", "gold")]
    r = run("eval", *folders, "--json", cache=cache)
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout)
    assert set(got) == {
        f"{m}_{kind}" for m in ("precision", "recall", "f1") for kind in ("strict", "lax")
    }

    encoder = load_encoder("use")
    tests, stats = [], AlignStats()
    for zh, en, _ in docs.values():
        tests.append([(b.src, b.tgt) for b in align_texts(zh, en, encoder, stats=stats)])
    want = score([gold for *_, gold in docs.values()], tests)
    assert got == pytest.approx(want.as_dict())
    assert 0.8 < got["f1_strict"] <= got["f1_lax"]

    counted = AlignStats()
    result = evaluate(*(tmp_path / s for s in ("zh", "en", "gold")), encoder, stats=counted)
    assert result.scores == want
    assert counted.texts_encoded == stats.texts_encoded > len(docs["a-mac"][0])

    rows = run("eval", *folders, "-v", cache=cache).stdout.splitlines()
    assert [row.split("\t")[0] for row in rows[:2]] == ["a-mac", "b-pol"]
    assert [row.split("\t")[-1] for row in rows[:2]] == ["ceiling F1=1.000"] * 2
    assert rows[2] == (
        f"strict: P={want.precision_strict:.3f} R={want.recall_strict:.3f} F1={want.f1_strict:.3f}"
    )
    assert rows[4].startswith("ceiling: F1 strict=1.000")  # the cuts are whole gold beads
    shapes = dict(
        (part.split()[0], (float(part.split()[1]), int(part.split()[3])))
        for part in rows[5].removeprefix("found, by gold bead shape: ").split(", ")
    )
    assert sum(count for _, count in shapes.values()) == sum(len(g) for *_, g in docs.values())
    assert 0.8 < shapes["1-1"][0] <= 1.0
    wrong = strictly_wrong(result)
    kinds = dict(
        (part.rsplit(" ", 1)[0], int(part.rsplit(" ", 1)[1]))
        for part in rows[6].split(": ", 2)[2].split(" (")[0].split(", ")
    )
    assert rows[6].startswith(f"wrong beads: {wrong}: ") and sum(kinds.values()) == wrong
    assert list(kinds) == ["finer", "coarser", "shifted", "one-sided"]
    spread = re.match(r"F1 strict (\S+), 95% interval (\S+)-(\S+) \(block bootstrap", rows[7])
    assert spread and spread[1] == f"{want.f1_strict:.3f}"
    assert float(spread[2]) <= want.f1_strict <= float(spread[3])
    signed = dict(part.split(":", 1) for part in rows[8].removeprefix("signature: ").split("|"))
    assert signed == result.signature
    assert signed["encoder"] == encoder.name and signed["encoder_version"] == encoder.version
    assert signed["src_lang"] == "zh" and signed["align.max_bead"] == "5"
    assert signed["align.joined"] == str(AlignConfig().joined)
    assert r.stderr.strip() == rows[8]  # with --json the signature goes to stderr


def strictly_wrong(result: EvalResult) -> int:
    """The test beads of ``result`` that are not gold beads, counted by the scorer."""
    return sum(match_counts(d.gold, d.test).fp_strict for d in result.documents)


def test_eval_saves_its_beads_and_compares_a_later_run_with_them(
    tmp_path: Path, cache: Path
) -> None:
    docs = bench_folders(tmp_path)
    folders = [str(tmp_path / side) for side in ("zh", "en", "gold")]
    saved = tmp_path / "runs" / "first"
    r = run("eval", *folders, "--save-beads", str(saved), cache=cache)
    assert r.returncode == 0, r.stderr
    first = evaluate(*(tmp_path / s for s in ("zh", "en", "gold")), load_encoder("use"))
    for d in first.documents:
        text = (saved / d.name).read_text(encoding="utf-8")
        assert text.startswith("# align eval beads; tool:un-align")
        assert parse_beads(text) == d.test
    written = {p.name: p.read_bytes() for p in saved.iterdir()}

    again = run("eval", *folders, "--save-beads", str(saved), cache=cache)
    assert again.returncode == 2 and "already holds saved beads" in again.stderr
    assert {p.name: p.read_bytes() for p in saved.iterdir()} == written

    r = run("eval", *folders, "--baseline", str(saved), "--max-bead", "2", cache=cache)
    assert r.returncode == 0, r.stderr
    line = next(row for row in r.stdout.splitlines() if row.startswith("against "))
    before, after = (float(x) for x in re.findall(r"(\d\.\d{3}) -> (\d\.\d{3})", line)[0])
    assert before == round(first.scores.f1_strict, 3)
    assert after == float(r.stdout.splitlines()[0].split("F1=")[1])
    assert re.search(r"p = [01]\.\d{3}: (could be chance|more than chance)$", line)

    perfect = tmp_path / "runs" / "gold"
    perfect.mkdir()
    for name, (*_, gold) in docs.items():
        (perfect / name).write_text(format_beads(gold), encoding="utf-8")
    r = run("eval", *folders, "--json", "--baseline", str(perfect), cache=cache)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["f1_strict"] == round(first.scores.f1_strict, 4)
    told = run("eval", *folders, "--json", "-v", "--baseline", str(perfect), cache=cache)
    full = json.loads(told.stdout)  # what the text output says, in the object too
    assert {k: full[k] for k in json.loads(r.stdout)} == json.loads(r.stdout)
    assert full["baseline"]["f1_strict"] == 1.0
    assert full["baseline"]["change"] == round(first.scores.f1_strict - 1.0, 4)
    assert [d["name"] for d in full["documents"]] == sorted(docs)
    low, high = full["f1_strict_interval_95"]
    assert low <= full["f1_strict"] <= high and full["ceiling_f1_strict"] <= 1.0
    assert full["signature"]["encoder"] == "use-m3"
    compared, signed = r.stderr.strip().splitlines()
    assert compared.startswith(f"against {perfect}: F1 strict 1.000 -> ")
    assert signed.startswith("signature: ")

    (perfect / "b-pol").unlink()
    r = run("eval", *folders, "--baseline", str(perfect), cache=cache)
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1
    assert "no saved beads for b-pol" in r.stderr and not r.stdout
    (perfect / "b-pol").write_text("[0]:[0]\n[999]:[1]\n", encoding="utf-8")
    unsaved = tmp_path / "runs" / "second"
    r = run("eval", *folders, "--baseline", str(perfect), "--save-beads", str(unsaved), cache=cache)
    assert r.returncode == 2 and "names a line beyond the documents" in r.stderr
    assert not unsaved.exists()  # a run that fails saves nothing


def test_eval_draws_a_progress_bar_on_a_terminal_only(tmp_path: Path, cache: Path) -> None:
    bench_folders(tmp_path)
    folders = [str(tmp_path / side) for side in ("zh", "en", "gold")]
    piped = run("eval", *folders, "--json", cache=cache)
    assert piped.returncode == 0, piped.stderr
    assert piped.stderr.startswith("signature: ") and len(piped.stderr.splitlines()) == 1
    env = {**os.environ, "ALIGN_CACHE_DIR": str(cache)}
    code, out, drawn = run_on_terminal("eval", *folders, "--json", env=env)
    assert code == 0, drawn
    assert out == piped.stdout
    assert "aligning" in drawn and "2/2 documents" in drawn and "sentences/s" in drawn


def test_eval_refuses_a_gold_file_without_its_documents(tmp_path: Path, cache: Path) -> None:
    bench_folders(tmp_path)
    (tmp_path / "gold" / "c-orphan").write_text("[0]:[0]\n", encoding="utf-8")
    r = run("eval", *(str(tmp_path / s) for s in ("zh", "en", "gold")), cache=cache)
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1
    assert "c-orphan" in r.stderr and "no source/target file" in r.stderr
    r = run(
        "eval", str(tmp_path / "nowhere"), str(tmp_path / "en"), str(tmp_path / "gold"), cache=cache
    )
    assert r.returncode == 2 and "not a folder" in r.stderr
    (tmp_path / "gold" / "c-orphan").unlink()
    with (tmp_path / "gold" / "b-pol").open("a", encoding="utf-8") as gold:
        gold.write("[9999]:[9999]\n")
    r = run("eval", *(str(tmp_path / s) for s in ("zh", "en", "gold")), cache=cache)
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1
    assert "b-pol" in r.stderr and "beyond the documents" in r.stderr


def test_a_paragraph_moved_in_the_english_pdf_text_is_paired_and_flagged(
    tmp_path: Path, cache: Path
) -> None:
    """A/77/L.107's English as extracted, with its second "Recalling" paragraph printed
    four paragraphs later: every paragraph still gets its unit, and the report says
    which one was paired across the others."""
    lines = (CORPUS / "en.txt").read_text(encoding="utf-8").split("\n")
    start = next(k for k, line in enumerate(lines) if line.startswith(" Recalling also the Art"))
    block, rest = lines[start : start + 6], lines[:start] + lines[start + 6 :]
    at = rest.index("2010, ") + 2
    (tmp_path / "en.txt").write_text("\n".join(rest[:at] + block + rest[at:]), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    r = run("pair", str(CORPUS / "zh.txt"), str(tmp_path / "en.txt"), "-o", str(out), cache=cache)
    assert r.returncode == 0, r.stderr
    assert "flag moved: en #10 stands elsewhere in its document than zh #7" in r.stdout
    assert re.search(r"^unaligned: zh 0, en 0$", r.stdout, re.M)
    beads = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()[1:]]
    beads = [b for b in beads if b["type"] == "bead"]
    assert len(beads) == 42 and all(b["kind"] == "1-1" for b in beads)
    assert [(b["src"], b["tgt"]) for b in beads if b["moved"]] == [([7], [10])]


def test_report_refuses_a_damaged_alignment_and_eval_warns_of_a_gold_slip(
    tmp_path: Path, cache: Path
) -> None:
    """An alignment edited so a sentence is in no bead: exit 2 and one line naming the
    file, never a report. A gold file with a bead given twice or emptied is the published
    reference: scored as given, with a warning naming the file and line."""
    from align.types import Alignment, Bead, Segment
    from align.writers.jsonl import JsonlWriter

    segments = [Segment(f"s{i}", i, 0, 2) for i in range(3)]
    beads = [Bead((i,), (i,), 0.9) for i in range(3)]
    data = JsonlWriter().dumps(Alignment("zh", "en", segments, segments, beads))
    alignment = tmp_path / "a.jsonl"
    alignment.write_bytes(data)
    assert run("report", str(alignment), "--summary", cache=cache).returncode == 0
    alignment.write_bytes(data.replace(b'"n": 2, "src": [1]', b'"n": 2, "src": []'))
    r = run("report", str(alignment), "--summary", cache=cache)
    assert r.returncode == 2 and not r.stdout and len(r.stderr.strip().splitlines()) == 1
    assert f"{alignment}: JSONL source sentence #1 is in no bead" in r.stderr

    bench_folders(tmp_path)
    folders = [str(tmp_path / s) for s in ("zh", "en", "gold")]
    gold = tmp_path / "gold" / "a-mac"
    lines = gold.read_text(encoding="utf-8").splitlines(keepends=True)
    gold.write_text("".join([*lines[:3], lines[2], *lines[3:]]), encoding="utf-8")
    r = run("eval", *folders, "--json", cache=cache)
    assert r.returncode == 0 and "f1_strict" in json.loads(r.stdout), r.stderr
    assert f"warning: {gold}:4: " in r.stderr and "a bead given twice" in r.stderr
    assert "(scored as given)" in r.stderr
    gold.write_text("", encoding="utf-8")
    r = run("eval", *folders, "--json", cache=cache)
    assert r.returncode == 0 and f"{gold}: no beads, though its documents have" in r.stderr


def test_an_existing_tm_named_for_the_printed_symbol_is_refused_before_the_encoder(
    tmp_path: Path, cache: Path
) -> None:
    """``align pair N2316567.txt N2316564.txt`` names its TM for the symbol the pages
    print, A_77_L.107.tmx. Where that exists it was refused only after the encoder had
    run (minutes on a long document); now as soon as both are cleaned: a model that
    cannot load is never reached."""
    for name, lang in (("N2316567.txt", "zh"), ("N2316564.txt", "en")):
        (tmp_path / name).write_bytes((CORPUS / f"{lang}.txt").read_bytes())
    (tmp_path / "A_77_L.107.tmx").write_text("mine", encoding="utf-8")
    args = ("pair", "N2316567.txt", "N2316564.txt", "-m", "st:/no/such/model")
    r = run_align(*args, cache=cache, cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr.strip() == (
        "error: A_77_L.107.tmx already exists: pass --force to overwrite, or choose another -o"
    )
    assert (tmp_path / "A_77_L.107.tmx").read_text(encoding="utf-8") == "mine"


def test_a_file_named_for_its_language_only_gets_the_symbol_its_pages_print(
    tmp_path: Path, cache: Path
) -> None:
    """``cd Downloads && align pair zh.txt en.txt`` wrote ``Downloads.tmx`` with
    ``x-document`` Downloads, though the pages print A/77/L.107."""
    from align.pipeline import align_files

    folder = tmp_path / "Downloads"
    folder.mkdir()
    for name in ("zh.txt", "en.txt"):
        (folder / name).write_bytes((CORPUS / name).read_bytes())
    aligned = align_files(folder / "zh.txt", folder / "en.txt", cache_dir=cache)
    assert aligned.document == "A_77_L.107"
    named = tmp_path / "my-doc.zh.txt"
    named.write_bytes((CORPUS / "zh.txt").read_bytes())
    assert align_files(named, folder / "en.txt", cache_dir=cache).document == "my-doc"
