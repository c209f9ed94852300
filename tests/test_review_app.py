"""``align review`` driven for real: key presses through Textual's pilot, then the files on disk.

The alignment is the shipped A/77/L.107 pair aligned by the default encoder.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import CORPUS
from lxml import etree
from rich.console import Console
from textual.binding import Binding
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input, Static
from tmxcheck import assert_valid_tmx

from align.pipeline import align_files
from align.review import Review, review_path_for
from align.review_app import KEYS, EditScreen, KeysScreen, ReviewApp, ReviewScreen
from align.types import Alignment
from align.writers import read_alignment, read_tmx_units, write_alignment

SIZE = (160, 45)


@pytest.fixture(scope="module")
def cache(embedding_cache: Path) -> Path:
    return embedding_cache


@pytest.fixture(scope="module")
def corpus(cache: Path) -> Alignment:
    return align_files(CORPUS / "zh.txt", CORPUS / "en.txt", cache_dir=cache)


@pytest.fixture
def path(tmp_path: Path, corpus: Alignment) -> Path:
    out = tmp_path / "A_77_L.107.jsonl"
    write_alignment(corpus, out)
    return out


def drive(
    review: Review,
    script: Callable[[Pilot[None], ReviewScreen], Awaitable[None]],
    tmx_path: Path | None = None,
    units: str = "sentence",
    size: tuple[int, int] = SIZE,
) -> ReviewApp:
    """Run the app headless on ``review`` and play ``script`` on it."""
    app = ReviewApp(review, tmx_path, units)

    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            screen = app.screen
            assert isinstance(screen, ReviewScreen)
            await script(pilot, screen)

    asyncio.run(main())
    return app


def status(screen: ReviewScreen) -> str:
    return str(screen.query_one("#status").render())


def detail(screen: ReviewScreen) -> str:
    """The detail pane as text, on lines long enough that no line of it wraps."""
    console = Console(width=1000, file=io.StringIO(), record=True, color_system=None)
    console.print(screen.query_one("#detail", Static).content)
    return console.export_text()


def on_screen(widget: Widget) -> list[str]:
    """The lines ``widget`` shows, as the terminal draws them."""
    width, height = widget.size
    return [strip.text for strip in widget.render_lines(Region(0, 0, width, height))]


def log_records(path: Path) -> list[dict[str, object]]:
    lines = review_path_for(path).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines[1:]]


def test_keys_accept_reject_merge_split_edit_and_export(path: Path, corpus: Alignment) -> None:
    review = Review.open(path, reviewer="tester")
    tmx = path.with_name("reviewed.tmx")
    en = [s.text for s in corpus.tgt]
    zh = [s.text for s in corpus.src]
    added = " (checked)"
    n = len(corpus.beads)
    assert [b.kind for b in corpus.beads[:4]] == ["1-1"] * 4, "the script expects 1-1 beads"

    async def script(pilot: Pilot[None], screen: ReviewScreen) -> None:
        assert screen.current() == 0 and f"Bead 1 of {n}" in detail(screen)
        await pilot.press("a")  # accept bead 1; the cursor moves on
        assert screen.current() == 1
        await pilot.press("r")  # reject bead 2
        assert screen.current() == 2
        await pilot.press("m")  # merge bead 3 with bead 4
        assert review.beads[2].kind == "2-2" and len(review) == n - 1
        # Split it: the Chinese cut stays after the first sentence, the English cut
        # moves below both: a 1-2 bead and a 1-0 bead.
        await pilot.press("s", "right", "down", "enter")
        assert [b.kind for b in review.beads[2:4]] == ["1-2", "1-0"]
        # Edit the first English sentence of the 1-2 bead (fields: zh, en, en).
        await pilot.press("e", "tab", "end", *added, "enter")
        assert review.tgt_text(2).startswith(en[2] + added)
        await pilot.press("a")  # accept the edited bead
        assert screen.current() == 3
        await pilot.press("r")  # reject the lone Chinese sentence
        await pilot.press("x")  # export the TM
        assert f"wrote {tmx}" in status(screen)
        assert f"to review {n - 4} · accepted 2 · rejected 2 · edited 2" in status(screen)
        await pilot.press("q")

    drive(review, script, tmx)
    review.close()

    ops = [r["op"] for r in log_records(path)]
    assert ops == ["open", "accept", "reject", "merge", "split", "edit", "accept", "reject"]
    split = log_records(path)[4]
    assert (split["bead"], split["src_cut"], split["tgt_cut"]) == (2, 1, 2)

    assert_valid_tmx(tmx)
    units = read_tmx_units(tmx)
    assert [(s, t) for s, t, _ in units] == [
        (zh[0], en[0]),
        (zh[2], f"{en[2]}{added} {en[3]}"),
    ]
    assert all(p["x-reviewed"].startswith("accepted ") for _, _, p in units)
    assert all(p["x-reviewed"].endswith(" by tester") for _, _, p in units)
    assert [p.get("x-edited") for _, _, p in units] == [None, "yes"]
    segs = [seg.text for seg in etree.parse(str(tmx)).iter("seg")]  # context is no unit
    for rejected in (zh[1], en[1], zh[3]):
        assert rejected not in segs
    assert "x-signature-reviewed" in tmx.read_text(encoding="utf-8")

    # Nothing disappears: the rejected sentences are in the review, and in its full export.
    again = Review.open(path)
    assert again.src_text(1) == zh[1] and again.beads[1].status == "rejected"
    everything = path.with_name("all.jsonl")
    from align.review import export_jsonl

    export_jsonl(again, everything)
    again.close()
    back = read_alignment(everything)
    assert [s.text for s in back.src] == zh
    assert back.tgt[2].text == en[2] + added and [s.text for s in back.tgt][3:] == en[3:]


def test_quitting_mid_way_and_reopening_resumes_where_it_stopped(
    path: Path, corpus: Alignment
) -> None:
    n = len(corpus.beads)
    first = Review.open(path)

    async def three(pilot: Pilot[None], screen: ReviewScreen) -> None:
        await pilot.press("a", "a", "j", "a")  # 1, 2 accepted; 3 skipped; 4 accepted
        await pilot.press("q")

    drive(first, three)
    first.close()

    second = Review.open(path)

    async def resume(pilot: Pilot[None], screen: ReviewScreen) -> None:
        assert screen.current() == 2  # the first bead still to review
        assert f"Bead 3 of {n}" in detail(screen)
        assert f"to review {n - 3} · accepted 3" in status(screen)
        await pilot.press("u")  # undo reaches back into the first session
        assert [b.status for b in second.beads[3:4]] == ["pending"]
        await pilot.press("ctrl+r")
        assert [b.status for b in second.beads[3:4]] == ["accepted"]
        await pilot.press("q")

    drive(second, resume)
    second.close()
    ops = [r["op"] for r in log_records(path)]
    assert ops == ["open", "accept", "accept", "accept", "open", "undo", "redo"]


def test_find_flagged_filter_sort_search_and_move(tmp_path: Path, corpus: Alignment) -> None:
    beads = list(corpus.beads)
    for i in (6, 20, 33):  # make a few beads doubtful so they are flagged
        beads[i] = replace(beads[i], confidence=0.3 + i / 1000)
    path = tmp_path / "doubtful.jsonl"
    write_alignment(replace(corpus, beads=beads), path)
    review = Review.open(path)
    flagged = review.view("flagged")
    assert {6, 20, 33} <= set(flagged)
    query = corpus.tgt[beads[30].tgt[0]].text.split()[-1].strip(".,;")
    after = [i for i in flagged if i > 0]  # the cursor starts on bead 1

    async def script(pilot: Pilot[None], screen: ReviewScreen) -> None:
        await pilot.press("n")
        assert screen.current() == after[0]
        for flag in review.flags(after[0]):
            assert f"{flag.code}: {flag.reason}" in detail(screen)
        await pilot.press("n")
        assert screen.current() == after[1]
        await pilot.press("c")  # least confident first; the cursor stays on its bead
        order = [review.beads[i].confidence for i in screen.shown]
        assert order == sorted(order) and screen.current() == after[1]
        await pilot.press("c", "f", "f")  # document order; filter: to review, then flagged
        assert "filter: flagged" in status(screen) and screen.shown == flagged
        for _ in range(20):  # round the filters back to all
            if screen.filter == "all":
                break
            await pilot.press("f")
        assert screen.filter == "all" and len(screen.shown) == len(review)
        await pilot.press("slash", *query, "enter")
        i = screen.current()
        assert i is not None and query.casefold() in review.tgt_text(i).casefold()
        original = [(b.src, b.tgt) for b in review.beads]
        moved = review.beads[i].tgt[-1]
        await pilot.press("greater_than_sign")  # its English sentence goes to the bead below
        assert review.beads[i].kind == "1-0" and review.beads[i + 1].tgt[0] == moved
        await pilot.press("j", "less_than_sign")  # from the bead below, back up
        assert review.beads[i].tgt == (moved,)
        await pilot.press("comma")  # the Chinese sentence of bead i+1 joins bead i
        assert review.beads[i].kind == "2-1"
        await pilot.press("k", "full_stop")  # and goes back down
        assert [(b.src, b.tgt) for b in review.beads] == original
        await pilot.press("q")

    drive(review, script)
    review.close()


def test_o_takes_the_other_cut_a_close_call_names(tmp_path: Path, corpus: Alignment) -> None:
    beads = list(corpus.beads)
    beads[10] = replace(beads[10], confidence=0.9, alternative=((10, 11), (10, 11)))
    path = tmp_path / "close.jsonl"
    write_alignment(replace(corpus, beads=beads), path)
    review = Review.open(path)
    assert [f.code for f in review.flags(10)] == ["close-call"]

    async def script(pilot: Pilot[None], screen: ReviewScreen) -> None:
        screen.select(10)
        await pilot.pause()
        assert "close-call: another cut is likely too: zh #10–#11 with en #10–#11" in detail(screen)
        await pilot.press("o")
        assert [(b.src, b.tgt) for b in review.beads][9:12] == [
            ((9,), (9,)),
            ((10, 11), (10, 11)),
            ((12,), (12,)),
        ]
        assert screen.current() == 10 and not review.flags(10)
        await pilot.press("o")  # the reviewer's bead has no other cut
        assert "has no other cut" in status(screen) and len(review) == len(beads) - 1
        await pilot.press("u")
        assert [(b.src, b.tgt) for b in review.beads] == [(b.src, b.tgt) for b in beads]
        await pilot.press("q")

    drive(review, script)
    review.close()
    assert [r["op"] for r in log_records(path)] == ["open", "cut", "undo"]


def test_emptying_a_sentence_in_the_editor_leaves_it_unaligned_not_lost(
    path: Path, corpus: Alignment
) -> None:
    """At 80x24: the English of a 1-1 bead emptied becomes a bead of its own with its
    text, and the message saying so is on screen (it used to be cut off past column 80)."""
    review = Review.open(path)
    n = len(corpus.beads)
    en = corpus.tgt[corpus.beads[2].tgt[0]].text

    async def script(pilot: Pilot[None], screen: ReviewScreen) -> None:
        screen.select(2)
        await pilot.press("e", "tab", "ctrl+a", "ctrl+k", "enter")
        assert [b.kind for b in review.beads[2:4]] == ["1-0", "0-1"] and len(review) == n + 1
        assert review.tgt_text(3) == en
        shown = " ".join(on_screen(screen.query_one("#status")))
        assert f"en #{corpus.beads[2].tgt[0]} now unaligned" in shown
        await pilot.press("q")

    drive(review, script, size=(80, 24))
    review.close()
    assert [r["op"] for r in log_records(path)] == ["open", "unalign"]
    with Review.open(path, save=False) as again:
        assert again.tgt_text(3) == en and len(again) == n + 1


def test_messages_are_on_screen_at_80_columns(path: Path, tmp_path: Path) -> None:
    review = Review.open(path)
    tmx = tmp_path / "t.tmx"

    async def script(pilot: Pilot[None], screen: ReviewScreen) -> None:
        await pilot.press("a", "x")
        assert any(
            line.strip().startswith("wrote") for line in on_screen(screen.query_one("#status"))
        )
        tmx.unlink()  # deleted behind the review's back: x writes it again
        await pilot.press("x")
        assert tmx.exists() and len(read_tmx_units(tmx)) == 1
        await pilot.press("q")

    drive(review, script, tmx, size=(80, 24))
    review.close()


def test_x_says_why_accepted_unaligned_sentences_are_not_in_the_tm(
    path: Path, tmp_path: Path
) -> None:
    """Accepted one-sided beads pair nothing, so the TM has fewer units than beads were
    accepted: the message says why, instead of leaving the count unexplained."""
    review = Review.open(path)
    review.unalign("tgt", 2)
    tmx = tmp_path / "t.tmx"

    async def script(pilot: Pilot[None], screen: ReviewScreen) -> None:
        await pilot.press("a", "j", "a", "a", "x")  # beads 1, 3 (1-0) and 4 (0-1)
        shown = " ".join(line.strip() for line in on_screen(screen.query_one("#status")))
        assert "1 translation unit; 2 accepted beads have a sentence on one side only" in shown
        await pilot.press("q")

    drive(review, script, tmx, size=(80, 24))
    review.close()
    assert len(read_tmx_units(tmx)) == 1


def test_sentences_are_numbered_as_the_flags_name_them(tmp_path: Path, corpus: Alignment) -> None:
    """A flag names sentences ``zh #10``: the detail pane labels that sentence ``#10`` too."""
    beads = list(corpus.beads)
    beads[10] = replace(beads[10], confidence=0.9, alternative=((10, 11), (10, 11)))
    path = tmp_path / "close.jsonl"
    write_alignment(replace(corpus, beads=beads), path)
    review = Review.open(path)
    assert beads[10].src == (10,) and beads[10].tgt == (10,)

    async def script(pilot: Pilot[None], screen: ReviewScreen) -> None:
        screen.select(10)
        await pilot.pause()
        text = detail(screen)
        assert "zh #10–#11 with en #10–#11" in text
        assert re.search(r"^zh +#10 ", text, re.M) and re.search(r"^en +#10 ", text, re.M)
        await pilot.press("q")

    drive(review, script)
    review.close()


def test_a_long_chinese_sentence_wraps_under_its_label_at_80_columns(
    path: Path, corpus: Alignment
) -> None:
    """Chinese has no spaces to wrap at: it must still start beside its label and go on
    under itself, not below the label and back at the margin."""
    i = 16
    zh = corpus.src_text(corpus.beads[i])
    assert corpus.beads[i].kind == "1-1" and len(zh) > 100, "the test expects a long sentence"
    review = Review.open(path)

    async def script(pilot: Pilot[None], screen: ReviewScreen) -> None:
        screen.select(i)
        await pilot.pause()
        lines = on_screen(screen.query_one("#detail"))
        first = next(k for k, line in enumerate(lines) if f"zh   #{corpus.beads[i].src[0]}" in line)
        label, _, text = lines[first].partition(f"#{corpus.beads[i].src[0]}")
        assert text.strip() and zh.startswith(text.strip())
        indent = len(label) + len(f"#{corpus.beads[i].src[0]}")
        assert lines[first + 1][:indent].strip() == "" and lines[first + 1].strip()[0] in zh
        await pilot.press("q")

    drive(review, script, size=(80, 24))
    review.close()


def test_the_split_dialog_follows_the_cut_through_a_bead_taller_than_the_screen(
    path: Path, corpus: Alignment
) -> None:
    review = Review.open(path)
    for _ in range(7):
        review.merge_down(14)
    size = len(review.beads[14].src)
    assert size == 8 and review.beads[14].kind == "8-8"

    async def script(pilot: Pilot[None], screen: ReviewScreen) -> None:
        screen.select(14)
        await pilot.press("s", "tab", *["down"] * 4)  # the English cut from 4 to 8
        dialog = pilot.app.screen.query_one("#dialog")
        cut = pilot.app.screen.query_one("#cut-tgt-8")
        await pilot.pause()
        assert dialog.scroll_offset.y > 0 and cut.display
        assert dialog.region.contains_region(cut.region)
        await pilot.press("enter")
        await pilot.press("q")

    drive(review, script, size=(80, 24))
    assert [b.kind for b in review.beads[14:16]] == ["4-8", "4-0"]
    review.close()


def test_question_mark_lists_every_key_and_any_key_closes_the_list(path: Path) -> None:
    review = Review.open(path)
    keys = {b.key for b in ReviewScreen.BINDINGS if isinstance(b, Binding)}

    async def script(pilot: Pilot[None], screen: ReviewScreen) -> None:
        await pilot.press("question_mark")
        shown = pilot.app.screen
        assert isinstance(shown, KeysScreen)
        listed = " ".join(k for k, _ in KEYS)
        names = {"comma": ",", "full_stop": ".", "less_than_sign": "<"}
        names |= {"greater_than_sign": ">", "slash": "/", "ctrl+r,U": "^R U"}
        for key in keys - {"question_mark"}:
            assert names.get(key, key) in listed.split() or names.get(key, key) in listed, key
        await pilot.press("a")  # closes the list, decides nothing
        assert pilot.app.screen is screen and review.beads[0].status == "pending"
        await pilot.press("q")

    drive(review, script, size=(80, 24))
    review.close()


# -- the command ------------------------------------------------------------------------


def run(*args: str, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ALIGN_CACHE_DIR": str(cache), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "align.cli", "review", *args],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=300,
    )


def test_command_aligns_on_the_spot_and_exports_the_reviewed_state(
    tmp_path: Path, cache: Path, corpus: Alignment
) -> None:
    out = tmp_path / "doc.jsonl"
    tmx = tmp_path / "doc.tmx"
    zh, en = str(CORPUS / "zh.txt"), str(CORPUS / "en.txt")
    r = run(zh, en, "-o", str(out), "--export", str(tmx), cache=cache)
    assert r.returncode == 0, r.stderr
    assert len(read_alignment(out).beads) == len(corpus.beads)
    assert_valid_tmx(tmx)
    assert read_tmx_units(tmx) == []  # nothing accepted yet, nothing in the TM
    assert not review_path_for(out).exists()  # exporting does not start a review

    with Review.open(out) as review:
        review.accept(0)
        review.accept(5)
        review.reject(6)
    r = run(str(out), "--export", str(tmx), "--force", cache=cache)
    assert r.returncode == 0, r.stderr
    assert f"2 accepted, 1 rejected, {len(corpus.beads) - 3} still to review" in r.stderr
    assert [s for s, _, _ in read_tmx_units(tmx)] == [corpus.src[0].text, corpus.src[5].text]
    assert [r["op"] for r in log_records(out)] == ["open", "accept", "accept", "reject"]
    r = run(str(out), "--export", str(tmp_path / "all.jsonl"), cache=cache)
    assert r.returncode == 0, r.stderr
    assert len(read_alignment(tmp_path / "all.jsonl").beads) == len(corpus.beads)

    r = run(zh, en, "-o", str(out), cache=cache)  # again: resume, do not realign
    assert r.returncode == 2 and f"align review {out}" in r.stderr
    r = run(str(out), cache=cache)  # no terminal here
    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == [
        "error: align review needs a terminal to open the review: run it in one, or pass "
        "--export OUT.tmx to write the reviewed TM"
    ]


def test_without_a_terminal_two_documents_are_not_aligned_for_nothing(
    tmp_path: Path, cache: Path
) -> None:
    """Aligning a long document takes minutes: without a terminal to review in, the
    command used to align and write -o first, then say it needed a terminal."""
    out = tmp_path / "doc.jsonl"
    r = run(str(CORPUS / "zh.txt"), str(CORPUS / "en.txt"), "-o", str(out), cache=cache)
    assert r.returncode == 2
    assert not out.exists() and "wrote" not in r.stderr
    [line] = r.stderr.strip().splitlines()
    assert line.startswith("error: align review needs a terminal to open the review")
    assert f"align pair {CORPUS / 'zh.txt'} {CORPUS / 'en.txt'} -o {out}" in line


def test_aligning_again_over_a_reviewed_alignment_is_refused_first(
    tmp_path: Path, cache: Path, corpus: Alignment
) -> None:
    """--force aligned again over X.jsonl, then could not open its review (made for the
    earlier X.jsonl, now gone): the translator's decisions were left unopenable."""
    path = doubtful(tmp_path, corpus, b6={"confidence": 0.3})  # an earlier alignment
    with Review.open(path) as review:
        review.accept(0)
    before = path.read_bytes()
    zh, en = str(CORPUS / "zh.txt"), str(CORPUS / "en.txt")
    r = run(
        zh, en, "-o", str(path), "--force", "--export", str(path.with_suffix(".tmx")), cache=cache
    )
    assert r.returncode == 2 and path.read_bytes() == before
    assert r.stderr.strip().splitlines() == [
        f"error: {review_path_for(path)} already holds a review, which a new alignment would "
        f"not match: resume it with 'align review {path}', or move it away (or choose "
        "another -o) to align again"
    ]
    with Review.open(path, save=False) as again:
        assert again.beads[0].status == "accepted"


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["zh.txt"], "not an alignment"),
        (["zh.txt", "en.txt"], "needs -o OUT.jsonl"),
        (["a.jsonl", "b.jsonl", "c.jsonl"], "3 files given"),
        (["missing.jsonl", "--export", "x.tmx"], "does not exist"),
    ],
)
def test_command_errors_are_one_line(
    tmp_path: Path, cache: Path, args: list[str], says: str
) -> None:
    r = subprocess.run(
        [sys.executable, "-m", "align.cli", "review", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "ALIGN_CACHE_DIR": str(cache), "NO_COLOR": "1"},
        timeout=120,
    )
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and says in lines[0], r.stderr


def test_exporting_twice_rewrites_the_reviews_own_tm_and_nothing_else(
    tmp_path: Path,
) -> None:
    """A second ``--export`` after more decisions writes over the TM the first one wrote
    (it is this review's); a TMX from anywhere else still needs --force."""
    from test_review import sample
    from typer.testing import CliRunner

    from align.cli import app

    path = tmp_path / "s.jsonl"
    write_alignment(sample(), path)
    out = tmp_path / "s.tmx"
    runner = CliRunner()
    with Review.open(path) as review:
        review.accept(0)
    r = runner.invoke(app, ["review", str(path), "--export", str(out)], env={"NO_COLOR": "1"})
    assert r.exit_code == 0, r.output
    with Review.open(path) as review:
        review.accept(5)
    r = runner.invoke(app, ["review", str(path), "--export", str(out)], env={"NO_COLOR": "1"})
    assert r.exit_code == 0, r.output
    assert len(read_tmx_units(out)) == 2

    other = tmp_path / "other.tmx"
    write_alignment(sample(), other)
    before = other.read_bytes()
    r = runner.invoke(app, ["review", str(path), "--export", str(other)], env={"NO_COLOR": "1"})
    assert r.exit_code != 0 and "already exists" in f"{r.output}{r.exception}"
    assert other.read_bytes() == before


def test_the_x_key_and_export_write_paragraph_units_when_asked(tmp_path: Path) -> None:
    """``align review --units paragraph``: the x key and --export both write the
    paragraphs whose beads are all accepted, as one unit each."""
    from test_review import ZH, paragraphs_sample
    from typer.testing import CliRunner

    from align.cli import app

    path = tmp_path / "p.jsonl"
    write_alignment(paragraphs_sample(), path)
    with Review.open(path) as review:
        for i in range(4):
            review.accept(i)
    tmx = tmp_path / "p.tmx"

    async def script(pilot: Pilot[None], screen: ReviewScreen) -> None:
        await pilot.press("x")
        assert f"wrote {tmx}" in status(screen)
        await pilot.press("q")

    with Review.open(path) as review:
        drive(review, script, tmx, units="paragraph")
    assert [s for s, _, _ in read_tmx_units(tmx)] == ["".join(ZH[:3]), ZH[3]]
    assert etree.parse(str(tmx)).getroot().find("header").get("segtype") == "paragraph"

    out = tmp_path / "export.tmx"
    r = CliRunner().invoke(
        app,
        ["review", str(path), "--export", str(out), "--units", "paragraph"],
        env={"NO_COLOR": "1"},
    )
    assert r.exit_code == 0, r.output
    assert out.read_bytes().split(b"<body>")[1] == tmx.read_bytes().split(b"<body>")[1]


# -- a translator's session: what the keys lead to ---------------------------------------


def doubtful(tmp_path: Path, corpus: Alignment, **changes: Mapping[str, object]) -> Path:
    """The corpus alignment with some beads changed (``b6={"confidence": 0.3}``), written."""
    beads = list(corpus.beads)
    for key, fields in changes.items():
        i = int(key[1:])
        beads[i] = replace(beads[i], **fields)  # type: ignore[arg-type]
    path = tmp_path / "doubtful.jsonl"
    write_alignment(replace(corpus, beads=beads), path)
    return path


def test_n_goes_to_the_next_flagged_bead_still_to_decide(tmp_path: Path, corpus: Alignment) -> None:
    """A flagged bead accepted or rejected is done with: n and N pass it, and say so when
    no flagged bead is left to decide (the filter 'flagged' still lists them all)."""
    low = {"confidence": 0.3}
    path = doubtful(tmp_path, corpus, b6=low, b20=low, b33=low)
    review = Review.open(path)
    assert review.view("flagged") == [6, 20, 33]

    async def script(pilot: Pilot[None], screen: ReviewScreen) -> None:
        await pilot.press("n")
        assert screen.current() == 6
        await pilot.press("a", "n")
        assert screen.current() == 20
        await pilot.press("r", "N")  # back past 20 and 6, both decided: round to 33
        assert screen.current() == 33
        await pilot.press("a")
        assert screen.current() == 34
        await pilot.press("n")
        assert screen.current() == 34 and "no flagged bead left to review" in status(screen)
        await pilot.press("N")
        assert screen.current() == 34
        await pilot.press("f", "f")
        assert screen.filter == "flagged" and screen.shown == [6, 20, 33]
        await pilot.press("q")

    drive(review, script)
    review.close()


def test_the_flags_column_says_how_many_flags_at_80_columns(
    tmp_path: Path, corpus: Alignment
) -> None:
    """At 80 columns the column is too narrow for two flags: it shows the first and how
    many more, not a flag cut off mid-word that hides the others."""
    path = doubtful(
        tmp_path,
        corpus,
        b2={"confidence": 0.3, "moved": True},
        b3={"confidence": 0.9, "alternative": ((3, 4), (3, 4))},
    )
    review = Review.open(path)
    assert [f.code for f in review.flags(2)] == ["low-confidence", "moved"]

    async def script(pilot: Pilot[None], screen: ReviewScreen) -> None:
        await pilot.pause()
        rows = on_screen(screen.table)
        assert rows[3].rstrip().endswith("low-conf+1"), rows[3]
        assert rows[4].rstrip().endswith("close-call"), rows[4]
        await pilot.press("q")

    drive(review, script, size=(80, 24))
    review.close()


def test_flags_label_fits_its_width() -> None:
    from align.review_app import flags_label

    assert flags_label(["close-call"], 12) == "close-call"
    assert flags_label(["low-confidence"], 12) == "low-conf"
    assert flags_label(["low-confidence", "stray", "quotes"], 12) == "low-conf+2"
    assert flags_label(["numbers", "length"], 16) == "numbers,length"
    assert flags_label(["close-call", "stray", "quotes"], 16) == "close-call+2"
    assert flags_label(["stray", "quotes", "length"], 16) == "stray,quotes+1"
    assert flags_label([], 12) == ""


def test_a_merged_bead_shows_and_exports_no_aligner_score(
    tmp_path: Path, corpus: Alignment
) -> None:
    """Bead 11 (0.30, flagged) merged with bead 12: the translator's bead shows no score
    and no low-confidence flag, on screen, after reopening, and in the TM."""
    path = doubtful(tmp_path, corpus, b10={"confidence": 0.3})
    tmx = tmp_path / "t.tmx"
    review = Review.open(path)

    async def merge(pilot: Pilot[None], screen: ReviewScreen) -> None:
        screen.select(10)
        await pilot.pause()
        assert "low-confidence" in detail(screen)
        await pilot.press("m")
        row = screen.table.row(10).plain.split()
        assert row[:3] == ["11", "2-2", "—"]
        assert "your cut, no aligner confidence" in detail(screen)
        assert "low-confidence" not in detail(screen) and "0.30" not in detail(screen)
        await pilot.press("a", "q")

    drive(review, merge, tmx)
    review.close()
    again = Review.open(path)

    async def reopened(pilot: Pilot[None], screen: ReviewScreen) -> None:
        screen.select(10)
        await pilot.pause()
        assert screen.table.row(10).plain.split()[:3] == ["11", "2-2", "—"]
        await pilot.press("x", "q")

    drive(again, reopened, tmx)
    again.close()
    units = read_tmx_units(tmx)
    assert len(units) == 1 and "x-confidence" not in units[0][2]
    assert units[0][2]["x-edited"] == "yes"


def test_undo_takes_the_cursor_to_the_bead_it_changed(path: Path) -> None:
    review = Review.open(path)

    async def first(pilot: Pilot[None], screen: ReviewScreen) -> None:
        await pilot.press("a", "a")  # beads 1 and 2; the cursor is on bead 3
        assert screen.current() == 2
        await pilot.press("u")  # bead 2 is to decide again: the cursor is back on it
        assert screen.current() == 1 and review.beads[1].status == "pending"
        assert "undone (bead 2)" in status(screen)
        await pilot.press("q")

    drive(review, first)
    review.close()
    again = Review.open(path)

    async def later(pilot: Pilot[None], screen: ReviewScreen) -> None:
        await pilot.press("end", "u")  # the step undone is bead 1's accept, far above
        assert screen.current() == 0
        assert [b.status for b in again.beads[:2]] == ["pending", "pending"]
        await pilot.press("end", "ctrl+r")
        assert screen.current() == 0
        assert [b.status for b in again.beads[:2]] == ["accepted", "pending"]
        await pilot.press("q")

    drive(again, later)
    again.close()


def test_a_bead_changed_in_a_filtered_view_stays_in_it(tmp_path: Path, corpus: Alignment) -> None:
    """In the 'flagged' view, a close-call bead merged with its neighbour is no longer
    flagged: it stays on screen under the cursor, to be accepted, and leaves the view then."""
    path = doubtful(tmp_path, corpus, b10={"confidence": 0.9, "alternative": ((10,), (10, 11))})
    review = Review.open(path)

    async def script(pilot: Pilot[None], screen: ReviewScreen) -> None:
        await pilot.press("f", "f")
        assert screen.filter == "flagged" and screen.shown == [10]
        await pilot.press("m")
        assert screen.current() == 10 and not review.flags(10)
        assert "Bead 11 of" in detail(screen) and "2-2" in detail(screen)
        await pilot.press("s", "enter")  # split again: both halves stay in view
        assert screen.shown == [10, 11] and screen.current() == 10
        await pilot.press("u")  # the merged bead, on screen again
        assert screen.current() == 10 and review.beads[10].kind == "2-2"
        await pilot.press("a")
        assert review.beads[10].status == "accepted" and 10 not in screen.shown
        await pilot.press("q")

    drive(review, script)
    review.close()


def test_merging_with_a_bead_the_view_hides_says_what_it_took_in(
    tmp_path: Path, corpus: Alignment
) -> None:
    """In the 'flagged' view m and M merge with the document's neighbours, which the view
    does not show: the message names the hidden bead's sentences and the decision the
    merge undid (the translator had accepted it), where it used to say nothing."""
    low = {"confidence": 0.3}
    path = doubtful(tmp_path, corpus, b10=low, b20=low)
    review = Review.open(path)
    review.accept(11)
    b11, b19 = review.beads[11], review.beads[19]

    async def script(pilot: Pilot[None], screen: ReviewScreen) -> None:
        await pilot.press("f", "f")
        assert screen.shown == [10, 20]
        await pilot.press("m")
        assert review.beads[10].src == corpus.beads[10].src + b11.src
        said = " ".join(" ".join(on_screen(screen.query_one("#status"))).split())
        assert (
            f"merged with the bead below (zh #{b11.src[0]}, en #{b11.tgt[0]}), hidden by "
            "the filter 'flagged'; it was accepted, now to review again; u undoes"
        ) in said
        await pilot.press("j", "M")  # bead 20 is now 19: merged with 18, hidden, pending
        assert screen.current() == 18 and "merged with the bead above" in status(screen)
        assert f"(zh #{b19.src[0]}, en #{b19.tgt[0]}), hidden by" in status(screen)
        assert "it was" not in status(screen)
        while screen.filter != "all":
            await pilot.press("f")
        await pilot.press("c")  # least sure first: bead 11 is not next to bead 10
        screen.select(10)
        await pilot.press("m")
        assert "not next to it in confidence order" in status(screen)
        await pilot.press("c")  # document order: the bead below is on screen, said as usual
        screen.select(30)
        await pilot.press("m")
        assert review.beads[30].kind == "2-2" and "merged" not in status(screen)
        await pilot.press("q")

    drive(review, script, size=(80, 24))
    review.close()


def test_the_other_cut_says_what_it_took_in_from_beads_the_view_hides(
    tmp_path: Path, corpus: Alignment
) -> None:
    """'o' in the 'flagged' view re-cuts the neighbour too, which the view does not show:
    the message names it and the decision it undid, as m and M do; it said nothing."""
    path = doubtful(tmp_path, corpus, b10={"confidence": 0.9, "alternative": ((10, 11), (10, 11))})
    review = Review.open(path)
    review.accept(11)
    b11 = review.beads[11]

    async def script(pilot: Pilot[None], screen: ReviewScreen) -> None:
        await pilot.press("f", "f")
        assert screen.shown == [10]
        await pilot.press("o")
        assert review.beads[10].src == (10, 11)
        assert (
            f"the other cut took in (zh #{b11.src[0]}, en #{b11.tgt[0]}), hidden by the "
            "filter 'flagged'; it was accepted, now to review again; u undoes"
        ) in status(screen)
        while screen.filter != "all":
            await pilot.press("f")
        await pilot.press("u")
        screen.select(10)
        await pilot.press("o")  # every bead on screen: nothing more to say
        assert "took in" not in status(screen)
        await pilot.press("q")

    drive(review, script, size=(120, 30))
    review.close()


def test_moving_a_sentence_into_a_bead_the_view_hides_says_so(
    tmp_path: Path, corpus: Alignment
) -> None:
    """'>' in the 'flagged' view moves the English into the bead below, hidden by the view
    and accepted: the message names it and the decision the move undid."""
    path = doubtful(tmp_path, corpus, b10={"confidence": 0.3})
    review = Review.open(path)
    review.accept(11)
    b10, b11 = review.beads[10], review.beads[11]

    async def script(pilot: Pilot[None], screen: ReviewScreen) -> None:
        await pilot.press("f", "f")
        assert screen.shown == [10]
        await pilot.press("greater_than_sign")
        assert review.beads[11].tgt == b10.tgt[-1:] + b11.tgt
        assert review.beads[11].status == "pending" and 11 in screen.shown
        said = " ".join(" ".join(on_screen(screen.query_one("#status"))).split())
        assert (
            f"moved en #{b10.tgt[-1]} into the bead below (zh #{b11.src[0]}, en "
            f"#{b11.tgt[0]}), hidden by the filter 'flagged'; it was accepted, now to review "
            "again; u undoes"
        ) in said
        await pilot.press("q")

    drive(review, script, size=(80, 24))
    review.close()


def test_one_edit_is_one_undo(path: Path, corpus: Alignment) -> None:
    """A translator changes both sentences of a bead and presses Enter: u takes back the
    whole edit (it took back one sentence, leaving half the edit in)."""
    review = Review.open(path)
    zh, en = corpus.src[3].text, corpus.tgt[3].text

    async def script(pilot: Pilot[None], screen: ReviewScreen) -> None:
        screen.select(3)
        await pilot.press("e", "end", "!", "tab", "end", "!", "enter")
        assert (review.src_text(3), review.tgt_text(3)) == (zh + "!", en + "!")
        await pilot.press("u")
        assert review.edits == {} and "undone (bead 4)" in status(screen)
        await pilot.press("U")
        assert len(review.edits) == 2
        await pilot.press("q")

    drive(review, script)
    review.close()
    assert [r["op"] for r in log_records(path)] == ["open", "group", "undo", "redo"]


def test_typing_in_the_editor_does_not_replace_the_sentence(path: Path, corpus: Alignment) -> None:
    """Each field selected its whole sentence on focus: a key typed straight after e (or
    after tab) replaced the sentence, and backspace emptied it, taking it out as
    unaligned. Typing goes at the end of the sentence instead."""
    review = Review.open(path)
    zh, en = corpus.src[0].text, corpus.tgt[0].text

    async def script(pilot: Pilot[None], screen: ReviewScreen) -> None:
        await pilot.press("e", "!", "tab", "backspace", ".", "enter")
        assert (review.src_text(0), review.tgt_text(0)) == (zh + "!", en[:-1] + ".")
        assert review.beads[0].kind == "1-1"
        await pilot.press("q")

    drive(review, script)
    review.close()


def test_an_edit_that_cannot_be_saved_keeps_what_was_typed(path: Path, corpus: Alignment) -> None:
    """Emptying the middle one of three sentences cannot be done (it would break the
    order): the editor says so and stays open with the text typed, nothing saved."""
    review = Review.open(path)
    review.merge_down(2)
    review.merge_down(2)  # zh 2 3 4, en 2 3 4

    async def script(pilot: Pilot[None], screen: ReviewScreen) -> None:
        screen.select(2)
        await pilot.press("e", "end", *" (checked)", "tab", "ctrl+a", "ctrl+k", "enter")
        assert isinstance(pilot.app.screen, EditScreen) and review.edits == {}
        refused = str(pilot.app.screen.query_one("#refused", Static).render())
        assert "split the bead next to it first" in refused
        first = pilot.app.screen.query_one("#field-0", Input).value
        assert first == corpus.src[2].text + " (checked)"
        await pilot.press("escape", "q")

    drive(review, script)
    review.close()
    assert [r["op"] for r in log_records(path)] == ["open", "merge", "merge"]


def test_emptying_a_first_sentence_leaves_the_cursor_on_the_rest_of_the_bead(
    path: Path,
) -> None:
    """The translator takes the first English sentence out of a 2-2 bead: the cursor stays
    on what they were editing (the 2-1 bead), not on the sentence they took out."""
    review = Review.open(path)
    review.merge_down(2)
    assert review.beads[2].src == (2, 3) and review.beads[2].tgt == (2, 3)

    async def script(pilot: Pilot[None], screen: ReviewScreen) -> None:
        screen.select(2)
        await pilot.press("e", "tab", "tab", "ctrl+a", "ctrl+k", "enter")
        assert [b.kind for b in review.beads[2:4]] == ["0-1", "2-1"]
        assert screen.current() == 3
        await pilot.press("q")

    drive(review, script)
    review.close()


def test_an_export_made_before_any_decision_is_the_reviews_own_tm(tmp_path: Path) -> None:
    """``--export`` before the review started (no review file yet) writes the review's
    TM: the next ``--export``, after decisions, writes over it without --force."""
    from test_review import sample
    from typer.testing import CliRunner

    from align.cli import app

    path = tmp_path / "s.jsonl"
    write_alignment(sample(), path)
    out = tmp_path / "s.tmx"
    runner = CliRunner()
    r = runner.invoke(app, ["review", str(path), "--export", str(out)], env={"NO_COLOR": "1"})
    assert r.exit_code == 0, r.output
    assert read_tmx_units(out) == [] and not review_path_for(path).exists()
    with Review.open(path) as review:
        review.accept(0)
    r = runner.invoke(app, ["review", str(path), "--export", str(out)], env={"NO_COLOR": "1"})
    assert r.exit_code == 0, f"{r.output}{r.exception}"
    assert len(read_tmx_units(out)) == 1


def in_a_terminal(args: list[str], keys: bytes, cache: Path) -> tuple[int, str]:
    """Run ``align review ARGS`` in a pseudo-terminal of 80x24, type ``keys`` once the
    beads are on screen, and return its exit code and everything it wrote."""
    import fcntl
    import pty
    import select
    import struct
    import termios
    import time

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {**os.environ, "ALIGN_CACHE_DIR": str(cache), "TERM": "xterm-256color"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "align.cli", "review", *args],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        close_fds=True,
    )
    os.close(slave)
    out = b""
    typed = False
    give_up = time.monotonic() + 240
    while time.monotonic() < give_up:
        if not typed and b"to review" in out:
            os.write(master, keys)
            typed = True
        ready, _, _ = select.select([master], [], [], 1)
        if not ready:
            continue
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the command has exited and closed the terminal
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    code = proc.wait(timeout=60)
    return code, out.decode("utf-8", "replace")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_quitting_writes_the_tm_a_closed_terminal_left_out_of_date(
    tmp_path: Path, cache: Path
) -> None:
    """The README says to close the terminal at any time: decisions are saved, but the TM
    is written on quitting. Reopened and quit without a change, the review wrote nothing,
    and X.reviewed.tmx stayed missing (or older than the decisions)."""
    from test_review import sample

    path = tmp_path / "s.jsonl"
    write_alignment(sample(), path)
    with Review.open(path) as review:  # a session whose terminal was closed
        review.accept(0)
    tmx = tmp_path / "s.reviewed.tmx"
    code, out = in_a_terminal([str(path)], b"q", cache)
    assert code == 0, out
    assert f"wrote {tmx}: 1 translation unit" in out
    assert len(read_tmx_units(tmx)) == 1
    before = tmx.read_bytes()
    code, out = in_a_terminal([str(path)], b"q", cache)  # up to date: left alone
    assert code == 0 and "wrote" not in out and tmx.read_bytes() == before


def test_tab_in_the_editor_goes_round_the_sentences_only(path: Path, corpus: Alignment) -> None:
    """Tab past the last sentence went to the dialog's scroll area, where typing and
    Enter did nothing: the edit was neither saved nor cancelled. It goes back to the
    first sentence; in a bead taller than the screen, the sentence is scrolled to."""
    review = Review.open(path)
    zh = corpus.src[corpus.beads[0].src[0]].text

    async def script(pilot: Pilot[None], screen: ReviewScreen) -> None:
        await pilot.press("e", "tab", "tab", "end", "!", "enter")
        assert pilot.app.screen is screen and review.src_text(0) == zh + "!"
        for _ in range(7):
            review.merge_down(14)
        screen.rebuild(select=14)
        await pilot.press("e", *["tab"] * 12)
        await pilot.pause()
        dialog = pilot.app.screen.query_one("#dialog")
        field = pilot.app.focused
        assert field is not None and field.id == "field-12"
        assert dialog.region.contains_region(field.region)
        await pilot.press("escape", "q")

    drive(review, script, size=(80, 24))
    review.close()


def test_j_and_k_in_capitals_scroll_a_bead_taller_than_its_pane(path: Path) -> None:
    """At 80x24 a bead of four long sentences does not fit the pane under the table, and
    the pane takes no focus: J shows the rest, and the next bead starts at its top."""
    review = Review.open(path)
    for _ in range(3):
        review.merge_down(14)

    async def script(pilot: Pilot[None], screen: ReviewScreen) -> None:
        screen.select(14)
        await pilot.pause()
        box = screen.query_one("#detail-box")
        assert box.max_scroll_y > box.size.height, "the test expects a bead two panes tall"
        await pilot.press("J")
        await pilot.pause()
        assert 0 < box.scroll_offset.y < box.max_scroll_y
        for _ in range(box.max_scroll_y):
            if box.scroll_offset.y == box.max_scroll_y:
                break
            await pilot.press("J")
            await pilot.pause()
        assert box.scroll_offset.y == box.max_scroll_y  # the last sentence is in view
        await pilot.press("K")
        await pilot.pause()
        assert box.scroll_offset.y < box.max_scroll_y
        await pilot.press("J", "j")
        await pilot.pause()
        assert screen.current() == 15 and box.scroll_offset.y == 0
        await pilot.press("q")

    drive(review, script, size=(80, 24))
    review.close()
