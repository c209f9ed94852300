"""The review model: operations, the invariant they keep, the review file, the export."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tmxcheck import assert_valid_tmx

from align.errors import InputError, OutputError
from align.flags import flag_alignment
from align.review import (
    Review,
    ReviewError,
    Side,
    export,
    export_tmx,
    replay,
    review_path_for,
    reviewed_tmx_path,
    tm_is_current,
)
from align.types import Alignment, Bead, Segment
from align.writers import read_alignment, read_tmx_units, write_alignment

TIME = "20240601T120000Z"
ZH = [
    "大会，",
    "回顾其决议。",
    "又回顾其宗旨。",
    "欢迎合作。",
    "请秘书长提交报告。",
    "决定列入议程。",
]
EN = [
    "The General Assembly,",
    "Recalling its resolutions and purposes,",
    "Welcoming cooperation,",
    "Requests the Secretary-General to submit a report;",
    "A stray line with no Chinese.",
    "Decides to include the item.",
]


def sample() -> Alignment:
    """1-1, 2-1, 1-1 (low confidence), 1-0 … 0-1, 1-1: one bead of each kind a reviewer fixes."""
    return Alignment(
        src_lang="zh",
        tgt_lang="en",
        src=[Segment(t, n, 0, len(t)) for n, t in enumerate(ZH)],
        tgt=[Segment(t, n, 0, len(t)) for n, t in enumerate(EN)],
        beads=[
            Bead((0,), (0,), 0.95),
            Bead((1, 2), (1,), 0.81),
            Bead((3,), (2,), 0.2),
            Bead((4,), (3,), 0.9),
            Bead((), (4,), 0.0),
            Bead((5,), (5,), 0.88),
        ],
        signature={"encoder": "test", "tool": "un-align test"},
        document="A/77/L.107",
    )


def ids(review: Review) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(b.src, b.tgt) for b in review.beads]


def covers_in_order(review: Review) -> None:
    """Every segment in exactly one bead, in the aligner's order; no empty bead."""
    a = review.alignment
    src = [i for b in review.beads for i in b.src]
    tgt = [j for b in review.beads for j in b.tgt]
    assert src == [i for b in a.beads for i in b.src]
    assert tgt == [j for b in a.beads for j in b.tgt]
    assert sorted(src) == list(range(len(a.src))) and sorted(tgt) == list(range(len(a.tgt)))
    assert all(b.src or b.tgt for b in review.beads)


@pytest.fixture
def written(tmp_path: Path) -> Path:
    path = tmp_path / "A_77_L.107.jsonl"
    write_alignment(sample(), path)
    return path


def reopen(path: Path) -> Review:
    return Review.open(path, clock=lambda: TIME, reviewer="tester")


def log_ops(path: Path) -> list[str]:
    lines = review_path_for(path).read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["op"] for line in lines[1:]]


# -- operations ------------------------------------------------------------------------


def test_accept_and_reject_are_counted_and_resume_at_the_first_pending_bead() -> None:
    r = Review(sample(), clock=lambda: TIME, reviewer="tester")
    assert r.position() == 0
    r.accept(0)
    r.reject(1)
    c = r.counts()
    assert (c.pending, c.accepted, c.rejected, c.edited, c.total) == (4, 1, 1, 0, 6)
    assert r.position() == 2
    assert (r.beads[0].status, r.beads[0].time, r.beads[0].reviewer) == ("accepted", TIME, "tester")
    assert r.beads[1].status == "rejected"
    assert r.src_text(1) == "回顾其决议。又回顾其宗旨。"  # rejected, still there


def test_merge_split_and_move_regroup_sentences_without_losing_any() -> None:
    r = Review(sample())
    assert r.merge_down(2) == 2
    assert ids(r)[2] == ((3, 4), (2, 3))
    assert r.beads[2].status == "pending" and r.is_edited(2)
    assert math.isclose(r.beads[2].confidence, 0.2)  # a merge is as sure as its weaker half
    r.split(2, 1, 1)
    assert ids(r)[2:4] == [((3,), (2,)), ((4,), (3,))]
    assert not r.is_edited(2)  # back to what the aligner said
    assert r.merge_up(1) == 0
    assert ids(r)[0] == ((0, 1, 2), (0, 1))
    r.split(0, 1, 1)
    assert ids(r)[:2] == [((0,), (0,)), ((1, 2), (1,))]
    # The English stray line moves up into bead 4, leaving bead 5 empty: it disappears.
    assert r.move(4, "tgt", "previous") == 3
    assert ids(r)[3] == ((4,), (3, 4)) and len(r) == 5
    assert r.move(3, "tgt", "next") == 4
    assert ids(r)[3:5] == [((4,), (3,)), ((5,), (4, 5))]
    assert r.move(1, "src", "next") == 2
    assert ids(r)[1:3] == [((1,), (1,)), ((2, 3), (2,))]
    covers_in_order(r)


def test_taking_the_other_cut_regroups_the_beads_around_it() -> None:
    a = sample()
    beads = list(a.beads)
    beads[2] = replace(beads[2], alternative=((2, 3), (1, 2)))
    r = Review(replace(a, beads=beads))
    assert r.other_cut(2) == ((2, 3), (1, 2)) and r.other_cut(0) is None
    # bead 1 is zh 1–2 / en 1, bead 2 zh 3 / en 2: the other cut pairs zh 2–3 with en 1–2
    cut = r.other_cut(2)
    assert cut is not None and r.take_cut(*cut) == 2
    assert ids(r)[:4] == [((0,), (0,)), ((1,), ()), ((2, 3), (1, 2)), ((4,), (3,))]
    assert r.beads[2].confidence == 0.2 and r.beads[2].status == "pending"
    covers_in_order(r)
    assert r.other_cut(2) is None  # the reviewer's bead, not the aligner's
    r.undo()
    assert ids(r) == [(b.src, b.tgt) for b in a.beads]
    # sentences of one bead only: the rest of it stays a bead
    r.take_cut([2], [1])
    assert ids(r)[1:3] == [((1,), ()), ((2,), (1,))]
    r.undo()
    changes = r.changes
    for src, tgt in ([[1, 3], [1]], [[], [1]], [[5], [6]], [[3], [2]], ["3", [2]]):
        with pytest.raises(ReviewError):
            r.take_cut(src, tgt)  # type: ignore[arg-type]
    assert ids(r) == [(b.src, b.tgt) for b in a.beads] and r.changes == changes


def test_unalign_takes_a_sentence_out_of_its_bead_and_keeps_its_text(written: Path) -> None:
    """What emptying a sentence in the editor does: the sentence becomes unaligned, a
    one-sided bead, with its text as it was; nothing is lost."""
    r = reopen(written)
    assert r.unalign("tgt", 0) == 1  # a 1-1 bead: the Chinese stays, the English goes below
    assert ids(r)[:2] == [((0,), ()), ((), (0,))]
    assert r.tgt_text(1) == EN[0] and r.src_text(0) == ZH[0]
    assert r.unalign("src", 1) == 2  # the first Chinese sentence of the 2-1 bead goes above
    assert ids(r)[2:4] == [((1,), ()), ((2,), (1,))]
    assert all(b.status == "pending" for b in r.beads[:4]) and r.is_edited(3)
    covers_in_order(r)
    with pytest.raises(ReviewError, match="already a bead of its own"):
        r.unalign("tgt", 0)
    with pytest.raises(ReviewError, match="no en sentence"):
        r.unalign("tgt", 99)
    r.close()
    again = reopen(written)  # the review file replays it
    assert ids(again)[:4] == [((0,), ()), ((), (0,)), ((1,), ()), ((2,), (1,))]
    again.undo()
    again.undo()
    assert ids(again) == [(b.src, b.tgt) for b in sample().beads]
    again.close()
    assert log_ops(written) == ["open", "unalign", "unalign", "open", "undo", "undo"]

    middle = Review(sample())
    middle.merge_down(0)  # zh 0 1 2 with en 0 1
    with pytest.raises(ReviewError, match="split the bead next to it first"):
        middle.unalign("src", 1)


def test_split_needs_a_sentence_on_each_side_of_the_cut() -> None:
    r = Review(sample())
    for cut in [(0, 0), (2, 1), (3, 0), (-1, 1), (1, 2)]:
        with pytest.raises(ReviewError):
            r.split(1, *cut)
    r.split(1, 2, 0)  # the English sentence goes with nothing: a 2-0 and a 0-1
    assert ids(r)[1:3] == [((1, 2), ()), ((), (1,))]


def test_impossible_operations_change_nothing() -> None:
    r = Review(sample())
    before = ids(r)
    for op in [
        lambda: r.merge_down(5),
        lambda: r.merge_up(0),
        lambda: r.move(0, "src", "previous"),
        lambda: r.move(5, "tgt", "next"),
        lambda: r.move(4, "src", "next"),  # bead 5 has no Chinese
        lambda: r.accept(6),
        lambda: r.edit("tgt", 0, "   "),
        lambda: r.edit("tgt", 0, EN[0]),
        lambda: r.edit("src", 99, "x"),
        r.undo,
        r.redo,
    ]:
        with pytest.raises(ReviewError):
            op()
    assert ids(r) == before and r.changes == 0


def test_edit_changes_one_sentence_and_editing_it_back_undoes_the_edit() -> None:
    r = Review(sample())
    r.accept(3)
    assert r.tgt_text(3) == EN[3]
    r.edit("tgt", 3, "Requests the Secretary-General to submit a report.")
    assert r.tgt_text(3) == "Requests the Secretary-General to submit a report."
    assert r.beads[3].status == "pending"  # changed: look again before it goes into the TM
    assert r.is_edited(3) and r.counts().edited == 1
    assert r.alignment.tgt[3].text == EN[3]  # the aligner's text is kept
    r.edit("tgt", 3, EN[3])
    assert r.edits == {} and not r.is_edited(3)


def test_an_edit_of_several_sentences_is_one_step_that_one_undo_takes_back(
    written: Path,
) -> None:
    """One Enter in the editor that changed two sentences and emptied a third was three
    steps: u took back the unalign only, and the edit came back in halves."""
    r = reopen(written)
    r.merge_down(0)  # zh 0 1 2, en 0 1
    r.edit_sentences({("src", 0): "大会：", ("tgt", 0): "The Assembly,", ("tgt", 1): " "})
    assert r.edits == {("src", 0): "大会：", ("tgt", 0): "The Assembly,"}
    assert ids(r)[:2] == [((0, 1, 2), (0,)), ((), (1,))] and r.tgt_text(1) == EN[1]
    r.close()
    assert log_ops(written) == ["open", "merge", "group"]
    again = reopen(written)
    assert again.steps == 2 and again.undo() == 0
    assert again.edits == {} and ids(again)[0] == ((0, 1, 2), (0, 1))
    again.redo()
    assert ids(again)[:2] == [((0, 1, 2), (0,)), ((), (1,))] and len(again.edits) == 2
    again.close()

    m = Review(sample())
    m.merge_down(0)
    with pytest.raises(ReviewError, match="split the bead next to it first"):
        m.edit_sentences({("src", 0): "大会：", ("src", 1): ""})  # zh 1 is in the middle
    assert m.edits == {} and m.changes == 1 and m.check_sentences({("src", 0): "大会："})


def test_an_older_review_file_gets_an_edit_as_steps_it_can_read(written: Path) -> None:
    """A review file of version 2 (a review begun before) gets an edit as the steps
    version 2 wrote, one a sentence: the un-align that made it would call a group damaged."""
    reopen(written).close()
    log = review_path_for(written)
    lines = log.read_text(encoding="utf-8").splitlines()
    log.write_text(
        "\n".join([json.dumps({**json.loads(lines[0]), "version": 2}), *lines[1:]]) + "\n",
        "utf-8",
    )
    edited: dict[tuple[Side, int], str] = {("src", 0): "大会：", ("tgt", 0): "The Assembly,"}
    with reopen(written) as r:
        r.edit_sentences(edited)
    assert log_ops(written) == ["open", "open", "edit", "edit"]
    assert json.loads(log.read_text(encoding="utf-8").splitlines()[0])["version"] == 2
    with reopen(written) as again:
        assert again.edits == edited


def test_undo_and_redo_walk_back_and_forth() -> None:
    r = Review(sample())
    r.accept(0)
    r.merge_down(1)
    r.edit("src", 0, "大会：")
    states = []
    for _ in range(3):
        states.append((ids(r), r.edits, [b.status for b in r.beads]))
        r.undo()
    assert ids(r) == ids(Review(sample())) and r.counts().accepted == 0
    for state in reversed(states):
        r.redo()
        assert (ids(r), r.edits, [b.status for b in r.beads]) == state
    r.undo()
    r.reject(4)  # a new change forgets what could be redone
    assert not r.can_redo()


def test_flags_filters_sorting_and_search() -> None:
    r = Review(sample())
    assert "low-confidence" in [f.code for f in r.flags(2)]
    flagged = r.view("flagged")
    assert 2 in flagged and all(r.flags(i) for i in flagged)
    low = [i for i in flagged if "low-confidence" in [f.code for f in r.flags(i)]]
    assert r.view("flag:low-confidence") == low
    by_confidence = r.view(sort="confidence")
    confidences = [r.beads[i].confidence for i in by_confidence]
    assert confidences == sorted(confidences)
    r.accept(0)
    r.reject(1)
    assert r.view("accepted") == [0] and r.view("rejected") == [1]
    assert r.view("pending") == [2, 3, 4, 5]
    assert r.search("secretary-general") == 3
    assert r.search("决定") == 5
    assert r.search("大会", start=0) == 0  # wraps round
    assert r.search("nowhere to be found") is None
    with pytest.raises(ReviewError):
        r.view("sideways")


def test_the_review_shows_the_flags_the_report_shows() -> None:
    """What the aligner recorded on a bead (a stray sentence, the likeliest other cut)
    flags it in the review as in the report, until the reviewer changes the bead."""
    a = sample()
    beads = list(a.beads)
    beads[1] = replace(beads[1], stray=("src", 2))
    beads[3] = replace(beads[3], alternative=((3, 4), (3,)))
    beads[0] = replace(beads[0], moved=True)
    a = replace(a, beads=beads)
    r = Review(a)
    assert [[f.code for f in r.flags(i)] for i in range(len(r))] == [
        [f.code for f in flags] for flags in flag_alignment(a)
    ]
    assert "stray" in [f.code for f in r.flags(1)]
    assert "moved" in [f.code for f in r.flags(0)]
    assert [f.code for f in r.flags(3)] == ["close-call"]
    r.merge_down(3)
    assert "close-call" not in [f.code for f in r.flags(3)]
    r.undo()
    assert [f.code for f in r.flags(3)] == ["close-call"]


# -- the review file --------------------------------------------------------------------


def test_every_decision_is_on_disk_before_the_call_returns(written: Path) -> None:
    r = reopen(written)
    log = review_path_for(written)
    assert log.name == "A_77_L.107.review.jsonl"
    r.accept(0)
    assert log_ops(written) == ["open", "accept"]  # read while the review is still open
    r.reject(1)
    r.merge_down(2)
    r.split(2, 1, 1)
    r.edit("tgt", 5, "Decides to include the item in its agenda.")
    r.undo()
    r.redo()
    assert log_ops(written) == [
        "open",
        "accept",
        "reject",
        "merge",
        "split",
        "edit",
        "undo",
        "redo",
    ]
    head = json.loads(log.read_text(encoding="utf-8").splitlines()[0])
    assert head["alignment"] == written.name and len(head["sha256"]) == 64
    r.close()


def test_reopening_resumes_the_same_state_and_only_appends(written: Path) -> None:
    r = reopen(written)
    r.accept(0)
    r.accept(1)
    r.merge_down(2)
    r.edit("tgt", 2, "Welcoming the cooperation,")
    r.reject(4)
    state = (ids(r), r.edits, [(b.status, b.time, b.reviewer) for b in r.beads])
    r.close()
    before = review_path_for(written).read_bytes()

    again = reopen(written)
    assert (ids(again), again.edits, [(b.status, b.time, b.reviewer) for b in again.beads]) == state
    assert again.position() == 2
    again.undo()  # undo reaches into the earlier session: the rejection goes
    assert again.beads[4].status == "pending"
    again.close()
    after = review_path_for(written).read_bytes()
    assert after.startswith(before)
    assert log_ops(written)[-2:] == ["open", "undo"]


def test_a_review_file_of_another_alignment_is_refused(written: Path) -> None:
    reopen(written).close()
    changed = sample()
    changed.beads[0] = Bead((0,), (0,), 0.5)
    write_alignment(changed, written, force=True)
    with pytest.raises(InputError) as exc:
        reopen(written)
    message = str(exc.value)
    assert "another version" in message and "A_77_L.107.review.jsonl" in message
    assert "\n" not in message


def test_one_review_at_a_time(written: Path) -> None:
    with reopen(written):
        with pytest.raises(InputError, match="open in another review"):
            reopen(written)
    reopen(written).close()


def test_the_review_file_itself_is_not_an_alignment(written: Path) -> None:
    reopen(written).close()
    with pytest.raises(InputError, match="is a review file"):
        reopen(review_path_for(written))
    with pytest.raises(InputError, match="does not exist"):
        reopen(written.with_name("missing.jsonl"))


def test_a_line_cut_off_mid_write_is_dropped_and_the_rest_replayed(written: Path) -> None:
    r = reopen(written)
    r.accept(0)
    r.reject(1)
    r.close()
    log = review_path_for(written)
    good = log.read_bytes()
    log.write_bytes(good + b'{"op": "accept", "bea')
    again = reopen(written)
    assert [b.status for b in again.beads[:3]] == ["accepted", "rejected", "pending"]
    assert again.warnings and "cut off" in again.warnings[0]
    again.accept(2)
    again.close()
    assert log.read_bytes().startswith(good)
    assert log_ops(written)[-2:] == ["open", "accept"]


def test_a_last_line_that_lost_only_its_newline_is_kept(written: Path) -> None:
    reopen(written).close()
    log = review_path_for(written)
    log.write_bytes(log.read_bytes() + json.dumps({"op": "reject", "bead": 2}).encode())
    again = reopen(written)
    assert again.beads[2].status == "rejected" and not again.warnings
    again.accept(3)
    again.close()
    assert log_ops(written)[-3:] == ["reject", "open", "accept"]


def test_reading_without_saving_leaves_the_review_file_alone(written: Path) -> None:
    with reopen(written) as r:
        r.accept(0)
    before = review_path_for(written).read_bytes()
    with Review.open(written, save=False) as look:
        assert look.beads[0].status == "accepted"
        look.reject(1)  # in memory only
        with reopen(written):  # not locked: a reader does not block the reviewer
            pass
    after = review_path_for(written).read_bytes()
    assert after.startswith(before) and b'"reject"' not in after
    fresh = written.with_name("fresh.jsonl")
    write_alignment(sample(), fresh)
    Review.open(fresh, save=False).close()
    assert not review_path_for(fresh).exists()


def test_a_damaged_review_file_is_refused_with_its_line(written: Path) -> None:
    r = reopen(written)
    r.accept(0)
    r.close()
    log = review_path_for(written)
    lines = log.read_text(encoding="utf-8").splitlines()
    lines.insert(2, json.dumps({"op": "merge", "bead": 5, "time": TIME}))
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 3: cannot replay 'merge'"):
        reopen(written)


def test_review_files_of_the_first_format_still_open_and_newer_ones_say_so(
    written: Path,
) -> None:
    """Version 2 added the unalign step, 3 the group step: files of versions 1 and 2 (every
    review made before) replay as they did, and a file newer than the tool is refused as
    newer, not as damaged."""
    r = reopen(written)
    r.accept(0)
    r.close()
    log = review_path_for(written)
    lines = log.read_text(encoding="utf-8").splitlines()
    head = json.loads(lines[0])
    assert head["version"] == 3
    for version, works in ((1, True), (2, True), (4, False)):
        log.write_text(
            "\n".join([json.dumps({**head, "version": version}), *lines[1:]]) + "\n", "utf-8"
        )
        if works:
            with reopen(written) as again:
                assert again.beads[0].status == "accepted"
        else:
            with pytest.raises(InputError, match="format version 4, this tool reads 1, 2 and 3"):
                reopen(written)


def test_an_alignment_read_from_tmx_can_be_reviewed(tmp_path: Path) -> None:
    path = tmp_path / "doc.tmx"
    write_alignment(sample(), path, date=TIME)
    r = reopen(path)
    assert r.path == tmp_path / "doc.review.jsonl"
    assert reviewed_tmx_path(path) == tmp_path / "doc.reviewed.tmx"
    r.accept(0)
    r.close()
    assert reopen(path).beads[0].status == "accepted"


# -- export ----------------------------------------------------------------------------


def reviewed(path: Path) -> Review:
    r = reopen(path)
    r.accept(0)
    r.reject(1)  # its sentences must stay out of the TM
    r.edit("tgt", 2, "Welcoming the cooperation,")
    r.accept(2)
    r.move(4, "tgt", "previous")  # the stray English line joins bead 4 …
    r.split(3, 1, 1)  # … and is split off again, as a 0-1 bead
    r.reject(4)
    # bead 3 (1-1) stays pending; bead 5 accepted
    r.accept(5)
    return r


def test_tmx_export_has_the_accepted_beads_only_with_their_review(written: Path) -> None:
    r = reviewed(written)
    out = written.with_name("out.tmx")
    result = export_tmx(r, out, date=TIME)
    r.close()
    tree = assert_valid_tmx(out)
    units = read_tmx_units(out)
    assert [(s, t) for s, t, _ in units] == [
        (ZH[0], EN[0]),
        (ZH[3], "Welcoming the cooperation,"),
        (ZH[5], EN[5]),
    ]
    assert result.units == 3
    segs = [seg.text for seg in tree.iter("seg")]  # a neighbour as context is no unit
    for gone in (ZH[1], ZH[2], EN[1], EN[2], EN[3], EN[4], ZH[4]):
        assert gone not in segs
    props = [p for _, _, p in units]
    assert all(p["x-reviewed"] == f"accepted {TIME} by tester" for p in props)
    assert [p.get("x-edited") for p in props] == [None, "yes", None]
    header = {p.get("type"): p.text for p in tree.getroot().find("header").findall("prop")}
    assert header["x-signature-reviewed"] == "yes"
    assert header["x-signature-review.accepted"] == "3"
    assert header["x-signature-review.rejected"] == "2"
    assert header["x-signature-encoder"] == "test"


def test_an_accepted_bead_is_exported_even_where_its_text_is_not_translated(
    written: Path,
) -> None:
    """A TM leaves out a bead whose English side is Chinese; a reviewer who accepts it
    has decided otherwise."""
    r = reopen(written)
    r.edit("tgt", 3, ZH[4])
    assert "untranslated" in {f.code for f in r.flags(3)}
    plain = write_alignment(r.current(), written.with_name("plain.tmx"), date=TIME)
    assert 3 in plain.skipped
    r.accept(3)
    export_tmx(r, written.with_name("out.tmx"), date=TIME)
    r.close()
    units = read_tmx_units(written.with_name("out.tmx"))
    assert [(s, t) for s, t, _ in units] == [(ZH[4], ZH[4])]


def test_jsonl_export_keeps_every_bead_and_the_aligners_text(written: Path) -> None:
    r = reviewed(written)
    out = written.with_name("all.jsonl")
    export(r, out)
    counts = r.counts()
    r.close()
    back = read_alignment(out)  # still an alignment the tools read
    assert [(b.src, b.tgt) for b in back.beads] == ids(r)
    assert [s.text for s in back.tgt][2] == "Welcoming the cooperation,"
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    beads = [x for x in records if x["type"] == "bead"]
    assert [b["review"]["status"] for b in beads] == [b.status for b in r.beads]
    assert sum(b["review"]["status"] == "rejected" for b in beads) == counts.rejected == 2
    assert beads[1]["src_text"] == ZH[1] + ZH[2]  # rejected, not lost
    edited = [x for x in records if x["type"] == "segment" and "original" in x]
    assert [(x["side"], x["id"], x["original"]) for x in edited] == [("tgt", 2, EN[2])]
    assert records[0]["signature"]["reviewed"] == "yes"


def test_export_refuses_to_overwrite_and_unknown_suffixes(written: Path) -> None:
    r = reviewed(written)
    out = written.with_name("out.tmx")
    out.write_text("keep", encoding="utf-8")
    with pytest.raises(OutputError, match="already exists"):
        export(r, out)
    assert out.read_text(encoding="utf-8") == "keep"
    export(r, out, force=True)
    assert_valid_tmx(out)
    with pytest.raises(OutputError, match=r"\.tmx"):
        export(r, written.with_name("out.tsv"))
    r.close()


# -- property: whatever the reviewer does, nothing is lost ------------------------------


@st.composite
def alignments(draw: st.DrawFn) -> Alignment:
    """Random beads over random segment counts, in order, empty sides allowed."""
    n_beads = draw(st.integers(1, 8))
    sizes = draw(
        st.lists(
            st.tuples(st.integers(0, 3), st.integers(0, 3)).filter(lambda s: s != (0, 0)),
            min_size=n_beads,
            max_size=n_beads,
        )
    )
    beads, i, j = [], 0, 0
    for ns, nt in sizes:
        conf = draw(st.floats(0, 1))
        beads.append(Bead(tuple(range(i, i + ns)), tuple(range(j, j + nt)), conf))
        i, j = i + ns, j + nt
    src = [Segment(f"源{k}。", k, 0, 3) for k in range(i)]
    tgt = [Segment(f"Target {k}.", k, 0, 9) for k in range(j)]
    return Alignment("zh", "en", src, tgt, beads)


OPS = st.one_of(
    st.tuples(st.sampled_from(["accept", "reject", "merge"]), st.integers(-1, 9)).map(
        lambda t: {"op": t[0], "bead": t[1]}
    ),
    st.tuples(st.integers(0, 9), st.integers(-1, 4), st.integers(-1, 4)).map(
        lambda t: {"op": "split", "bead": t[0], "src_cut": t[1], "tgt_cut": t[2]}
    ),
    st.tuples(
        st.integers(0, 9), st.sampled_from(["src", "tgt"]), st.sampled_from(["previous", "next"])
    ).map(lambda t: {"op": "move", "bead": t[0], "side": t[1], "to": t[2]}),
    st.tuples(st.sampled_from(["src", "tgt"]), st.integers(0, 12), st.text(max_size=5)).map(
        lambda t: {"op": "edit", "side": t[0], "segment": t[1], "text": t[2]}
    ),
    st.tuples(st.integers(-1, 12), st.integers(0, 3), st.integers(-1, 12), st.integers(0, 3)).map(
        lambda t: {
            "op": "cut",
            "src": list(range(t[0], t[0] + t[1])),
            "tgt": list(range(t[2], t[2] + t[3])),
        }
    ),
    st.tuples(st.sampled_from(["src", "tgt"]), st.integers(-1, 12)).map(
        lambda t: {"op": "unalign", "side": t[0], "segment": t[1]}
    ),
    st.lists(  # one editor's Enter: edits, then sentences emptied (unaligned), one step
        st.one_of(
            st.tuples(st.sampled_from(["src", "tgt"]), st.integers(0, 12), st.text(max_size=5)).map(
                lambda t: {"op": "edit", "side": t[0], "segment": t[1], "text": t[2]}
            ),
            st.tuples(st.sampled_from(["src", "tgt"]), st.integers(-1, 12)).map(
                lambda t: {"op": "unalign", "side": t[0], "segment": t[1]}
            ),
        ),
        max_size=3,
    ).map(lambda ops: {"op": "group", "ops": ops}),
    st.just({"op": "undo"}),
    st.just({"op": "redo"}),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(alignment=alignments(), ops=st.lists(OPS, max_size=25))
def test_any_sequence_of_operations_keeps_every_sentence_once_in_order(
    alignment: Alignment, ops: list[dict[str, object]]
) -> None:
    r = Review(alignment, clock=lambda: TIME, reviewer="")
    done = []
    for op in ops:
        before = (r.beads, r.edits, r.steps)
        try:
            r._do(dict(op))
        except ReviewError:
            assert (r.beads, r.edits, r.steps) == before  # refused whole, a group too
            continue
        done.append({**op, "time": TIME})
        covers_in_order(r)
        for i, b in enumerate(r.beads):  # what is shown is what the sentences now say
            assert r.src_text(i) == "".join(r.segment_text("src", k) for k in b.src)
            assert r.tgt_text(i) == " ".join(r.segment_text("tgt", k) for k in b.tgt)
        assert set(r.edits) <= {("src", i) for i in range(len(alignment.src))} | {
            ("tgt", j) for j in range(len(alignment.tgt))
        }
    # What the review file holds replays to the same state.
    again = replay(alignment, done)
    assert ids(again) == ids(r) and again.edits == r.edits
    assert [b.status for b in again.beads] == [b.status for b in r.beads]
    # Undoing everything gives back the aligner's alignment.
    while r.can_undo():
        r.undo()
    assert ids(r) == [(b.src, b.tgt) for b in alignment.beads] and r.edits == {}
    assert all(b.status == "pending" for b in r.beads)


def paragraphs_sample() -> Alignment:
    """zh paragraphs [0 1] [2] [3], en [0] [1 2] [3]; beads 1-1 all along, so the first
    three beads share paragraphs and make one paragraph unit, the last another."""
    zh_paras, en_paras = [0, 0, 1, 2], [0, 1, 1, 2]
    return Alignment(
        src_lang="zh",
        tgt_lang="en",
        src=[Segment(ZH[i], p, 0, len(ZH[i])) for i, p in enumerate(zh_paras)],
        tgt=[Segment(EN[i], p, 0, len(EN[i])) for i, p in enumerate(en_paras)],
        beads=[Bead((i,), (i,), 0.9 - 0.1 * i) for i in range(4)],
        signature={"encoder": "test"},
    )


def test_a_paragraph_tm_has_the_paragraphs_whose_beads_are_all_accepted(tmp_path: Path) -> None:
    path = tmp_path / "p.jsonl"
    write_alignment(paragraphs_sample(), path)
    r = reopen(path)
    r.edit("tgt", 2, "Recalling its purposes too.")  # bead 2's English (an edit undecides)
    for i in range(4):
        r.accept(i)
    out = tmp_path / "p.tmx"
    assert export(r, out, units="paragraph").units == 2
    tree = assert_valid_tmx(out)
    assert tree.getroot().find("header").get("segtype") == "paragraph"
    units = read_tmx_units(out)
    assert [(s, t) for s, t, _ in units] == [
        ("".join(ZH[:3]), f"{EN[0]} {EN[1]} Recalling its purposes too."),
        (ZH[3], EN[3]),
    ]
    assert units[0][2]["x-reviewed"] == f"accepted {TIME} by tester"
    assert units[0][2]["x-edited"] == "yes" and "x-edited" not in units[1][2]
    assert float(units[0][2]["x-confidence"]) == pytest.approx(0.7)  # its least sure bead

    r.reject(1)  # the first paragraphs are no longer known to be translated whole
    assert export_tmx(r, out, force=True, units="paragraph").units == 1
    assert [(s, t) for s, t, _ in read_tmx_units(out)] == [(ZH[3], EN[3])]
    assert export_tmx(r, out, force=True).units == 3  # sentence units: the accepted beads
    r.close()


# -- the reviewer's beads carry no aligner score -------------------------------------------


def test_a_bead_the_reviewer_cut_has_no_aligner_confidence_or_aligner_flags() -> None:
    """Merged from a 0.2 bead and a 0.9 one, a bead is neither 'low-confidence' nor 0.2:
    the aligner never scored it. Cut back as the aligner had it, it is its bead again,
    with its own score, not the merge's least sure half."""
    r = Review(sample())
    assert "low-confidence" in [f.code for f in r.flags(2)] and r.confidence(2) == 0.2
    r.merge_down(2)
    assert r.is_recut(2) and math.isnan(r.confidence(2))
    assert "low-confidence" not in [f.code for f in r.flags(2)]
    assert math.isnan(r.current().beads[2].confidence)
    r.split(2, 1, 1)
    assert not r.is_recut(3)
    assert r.confidence(3) == r.beads[3].confidence == 0.9
    assert [f.code for f in r.flags(2)] == [f.code for f in flag_alignment(sample())[2]]
    r.edit("tgt", 2, "Welcoming the cooperation,")  # the aligner's cut, the reviewer's text
    assert not r.is_recut(2) and r.confidence(2) == 0.2


def test_sorting_by_confidence_puts_the_reviewers_unscored_beads_first() -> None:
    r = Review(sample())
    r.merge_down(0)  # 0.95 and 0.81: unscored now, not 0.81
    order = r.view(sort="confidence")
    assert order[0] == 0
    scored = [r.confidence(i) for i in order[1:]]
    assert scored == sorted(scored)


def test_the_tm_writes_no_confidence_for_a_bead_the_reviewer_cut(written: Path) -> None:
    """x-confidence is the aligner's score of the unit: a merged bead's would be the
    score of another bead, which a CAT tool's or `align tmx filter`'s threshold would act on."""
    r = reopen(written)
    r.accept(0)
    r.merge_down(2)  # 0.2 and 0.9: the reviewer's bead
    r.accept(2)
    r.edit("tgt", 5, "Decides to include the item in its agenda.")
    r.accept(4)  # the aligner's cut with the reviewer's text keeps its score
    out = written.with_name("out.tmx")
    export_tmx(r, out, date=TIME)
    assert_valid_tmx(out)
    units = read_tmx_units(out)
    assert [p.get("x-confidence") for _, _, p in units] == ["0.950", None, "0.880"]
    assert [p.get("x-edited") for _, _, p in units] == [None, "yes", "yes"]
    assert b"nan" not in out.read_bytes()

    everything = written.with_name("all.jsonl")
    export(r, everything)
    r.close()
    beads = [
        json.loads(line)
        for line in everything.read_text(encoding="utf-8").splitlines()
        if '"type": "bead"' in line
    ]
    assert beads[2]["confidence"] is None and beads[2]["review"]["edited"] is True
    assert "low-confidence" not in [f["code"] for f in beads[2]["flags"]]
    assert beads[0]["confidence"] == pytest.approx(0.95)


def test_a_paragraph_unit_with_a_bead_the_reviewer_cut_has_no_confidence(tmp_path: Path) -> None:
    path = tmp_path / "p.jsonl"
    write_alignment(paragraphs_sample(), path)
    r = reopen(path)
    r.merge_down(1)  # inside the first paragraph group
    for i in range(len(r)):
        r.accept(i)
    out = tmp_path / "p.tmx"
    assert export(r, out, units="paragraph").units == 2
    units = read_tmx_units(out)
    assert "x-confidence" not in units[0][2]
    assert float(units[1][2]["x-confidence"]) == pytest.approx(0.6)
    r.close()


def test_undo_and_redo_say_which_bead_they_changed() -> None:
    """The cursor goes there: after an accept it had moved on to the next bead, and a
    step undone from an earlier session may be anywhere in the document."""
    r = Review(sample())
    r.accept(4)
    r.merge_down(1)
    r.edit("tgt", 5, "Decides to include it.")
    assert r.undo() == 4  # the edit, in bead 5 of the merged state
    assert r.undo() == 1
    assert r.undo() == 4
    assert r.redo() == 4
    assert r.redo() == 1
    r.reject(0)
    assert r.undo() == 0


def test_a_change_flags_again_only_the_beads_it_made(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each key that changes a bead redrew the flags of every bead of the document (a
    quarter of a second at 750 beads, on every merge, split or edit): only new cuts and
    new texts are flagged again, and with the same result as flagging them all."""
    import align.review

    calls: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
    real = align.review.flag_bead

    def counted(alignment: Alignment, bead: Bead) -> list[object]:
        calls.append((bead.src, bead.tgt))
        return real(alignment, bead)  # type: ignore[return-value]

    monkeypatch.setattr(align.review, "flag_bead", counted)
    r = Review(sample())
    r.flags(0)
    assert len(calls) == 6
    calls.clear()
    r.merge_down(2)
    r.flags(0)
    assert calls == [((3, 4), (2, 3))]
    calls.clear()
    r.edit("tgt", 5, "Decides to include the item 59/48.")
    assert [f.code for f in r.flags(4)] == ["numbers"] and calls == [((5,), (5,))]
    calls.clear()
    r.undo()
    r.undo()
    assert [[f.code for f in r.flags(i)] for i in range(len(r))] == [
        [f.code for f in flags] for flags in flag_alignment(sample())
    ]
    assert calls == []


def test_a_tm_written_before_the_last_decision_is_out_of_date(written: Path) -> None:
    r = reopen(written)
    out = reviewed_tmx_path(written)
    assert not tm_is_current(r, out)
    r.accept(0)
    export_tmx(r, out)
    assert tm_is_current(r, out) and not tm_is_current(r, out, "paragraph")
    r.accept(1)  # the terminal is closed here: the decision is saved, the TM is not
    r.close()
    again = reopen(written)
    assert not tm_is_current(again, out)
    export_tmx(again, out, force=True)
    assert tm_is_current(again, out)
    again.close()
