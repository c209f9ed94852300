"""``align review``: a keyboard-first terminal UI over :class:`align.review.Review`.

Every key calls one Review operation, which is saved to the review file before the
screen updates; this module only shows the state and asks for choices (split
points, edited texts, search words).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

from rich.console import Group
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual import events, on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.geometry import Size
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Footer, Input, Label, Static

from align.errors import AlignError
from align.flags import shown
from align.review import (
    FILTERS,
    Direction,
    Review,
    ReviewBead,
    ReviewError,
    Side,
    export_tmx,
    reviewed_tmx_path,
    tm_written,
)
from align.types import Alignment

MARKS = {"pending": ("·", "dim"), "accepted": ("✓", "bold green"), "rejected": ("✗", "bold red")}
STATUS_WORDS = {"pending": "to review", "accepted": "accepted", "rejected": "rejected"}
FIXED_WIDTHS = (5, 4, 4, 2)


def _confidence(value: float) -> str:
    return shown(value) if math.isfinite(value) else "—"


SHORT_FLAGS = {"low-confidence": "low-conf", "untranslated": "untransl"}
"""Flag codes too long for the flags column at 80 columns, as the column shortens them."""


def flags_label(codes: list[str], width: int) -> str:
    """A bead's flags in ``width`` characters: every code where they fit, else as many
    (shortened) as fit and how many more (``low-conf+2``), so that a cut-off column
    never hides that there are more."""
    full = ",".join(codes)
    if len(full) <= width:
        return full
    short = [SHORT_FLAGS.get(c, c) for c in codes]
    for k in range(len(short), 0, -1):
        more = f"+{len(short) - k}" if k < len(short) else ""
        label = ",".join(short[:k]) + more
        if len(label) <= width:
            return label
    return short[0][: max(1, width - 3)] + f"+{len(short) - 1}" if len(short) > 1 else short[0]


def _number(j: int) -> str:
    """A sentence's number as the flags and the HTML report write it (``#12``, from 0), so
    that the sentences a flag names are the ones labelled so here."""
    return f"#{j}"


def _sides(a: Alignment, b: ReviewBead) -> tuple[tuple[Side, str, tuple[int, ...]], ...]:
    """A bead's two sides: which, the language, the segment indices."""
    return (("src", a.src_lang, b.src), ("tgt", a.tgt_lang, b.tgt))


class BeadTable(ScrollView, can_focus=True):
    """One line per bead; only the lines on screen are drawn, so long documents stay quick.

    ``rows`` are bead indices in display order; line 0 is the column header.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "move(1)", "next", show=False),
        Binding("up", "move(-1)", "previous", show=False),
        Binding("pagedown", "page(1)", "page down", show=False),
        Binding("pageup", "page(-1)", "page up", show=False),
        Binding("home", "move(-1000000000)", "first", show=False),
        Binding("end", "move(1000000000)", "last", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"beads--header", "beads--cursor"}
    DEFAULT_CSS = """
    BeadTable { height: 1fr; overflow-x: hidden; }
    BeadTable > .beads--header { text-style: bold; background: $panel; }
    BeadTable > .beads--cursor { background: $accent 40%; }
    BeadTable:focus > .beads--cursor { background: $accent 70%; }
    """

    class Highlighted(Message):
        """The cursor moved to another row."""

    def __init__(self, review: Review, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.review = review
        self.rows: list[int] = []
        self.cursor_row = 0

    def set_rows(self, rows: list[int], cursor: int) -> None:
        self.rows = rows
        self.virtual_size = Size(self.size.width, len(rows) + 1)
        self.move_cursor(cursor)

    def move_cursor(self, row: int) -> None:
        self.cursor_row = max(0, min(row, len(self.rows) - 1))
        self._keep_cursor_visible()
        self.refresh()
        self.post_message(self.Highlighted())

    def _keep_cursor_visible(self) -> None:
        visible = max(1, self.size.height - 1)
        top = round(self.scroll_offset.y)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, immediate=True)
        elif self.cursor_row >= top + visible:
            self.scroll_to(y=self.cursor_row - visible + 1, animate=False, immediate=True)

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.rows) + 1)
        self._keep_cursor_visible()

    def action_move(self, step: int) -> None:
        if self.rows:
            self.move_cursor(self.cursor_row + step)

    def action_page(self, direction: int) -> None:
        self.action_move(direction * max(1, self.size.height - 2))

    def on_click(self, event: events.Click) -> None:
        if event.y >= 1:
            row = round(self.scroll_offset.y) + event.y - 1
            if row < len(self.rows):
                self.move_cursor(row)

    def widths(self) -> list[int]:
        width = self.size.width
        flags = 16 if width >= 110 else 12
        fixed = sum(FIXED_WIDTHS) + flags + 8
        text = max(8, (width - fixed) // 2)
        return [*FIXED_WIDTHS, text, text, flags]

    def _line(self, cells: list[Text]) -> Text:
        out = Text(" ", end="")
        for cell, width in zip(cells, self.widths(), strict=True):
            cell = cell.copy()
            cell.truncate(width, overflow="ellipsis", pad=True)
            out.append_text(cell)
            out.append(" ")
        return out

    def header(self) -> Text:
        a = self.review.alignment
        labels = ["#", "type", "conf", "", a.src_lang, a.tgt_lang, "flags"]
        return self._line([Text(label) for label in labels])

    def row(self, i: int) -> Text:
        r = self.review
        b = r.beads[i]
        mark, style = MARKS[b.status]
        state = Text(mark, style=style)
        if r.is_edited(i):
            state.append("✎", style="yellow")

        def one_line(text: str) -> Text:
            return Text(" ".join(text.split()))

        return self._line(
            [
                Text(str(i + 1)),
                Text(b.kind),
                Text(_confidence(r.confidence(i))),
                state,
                one_line(r.src_text(i)),
                one_line(r.tgt_text(i)),
                Text(
                    flags_label([f.code for f in r.flags(i)], self.widths()[-1]),
                    style="bold yellow",
                ),
            ]
        )

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y == 0:
            return self._strip(self.header(), width, self.get_component_rich_style("beads--header"))
        row = round(self.scroll_offset.y) + y - 1
        if row >= len(self.rows):
            return Strip.blank(width, self.rich_style)
        cursor = self.get_component_rich_style("beads--cursor") if row == self.cursor_row else None
        return self._strip(self.row(self.rows[row]), width, cursor)

    def _strip(self, text: Text, width: int, style: Style | None) -> Strip:
        strip = Strip(list(text.render(self.app.console))).crop_extend(0, width, self.rich_style)
        return strip.apply_style(style) if style is not None else strip


class ReviewScreen(Screen[None]):
    """The bead table, the current bead in full, and the counts."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "keys", "all keys"),
        Binding("a", "accept", "accept"),
        Binding("r", "reject", "reject"),
        Binding("j", "cursor(1)", "next", show=False),
        Binding("k", "cursor(-1)", "previous", show=False),
        Binding("J", "scroll_detail(1)", "scroll the bead down", show=False),
        Binding("K", "scroll_detail(-1)", "scroll the bead up", show=False),
        Binding("n", "next_flagged", "next flagged"),
        Binding("N", "next_flagged(True)", "previous flagged", show=False),
        Binding("p", "next_pending", "next to review", show=False),
        Binding("m", "merge_down", "merge ↓"),
        Binding("M", "merge_up", "merge ↑"),
        Binding("s", "split", "split"),
        Binding("o", "other_cut", "other cut"),
        Binding("comma", "move('src', 'previous')", "zh sentence ↑", show=False),
        Binding("full_stop", "move('src', 'next')", "zh sentence ↓", show=False),
        Binding("less_than_sign", "move('tgt', 'previous')", "en sentence ↑", show=False),
        Binding("greater_than_sign", "move('tgt', 'next')", "en sentence ↓", show=False),
        Binding("e", "edit", "edit"),
        Binding("u", "undo", "undo"),
        Binding("ctrl+r,U", "redo", "redo"),
        Binding("slash", "search", "search"),
        Binding("f", "filter", "filter"),
        Binding("c", "sort", "sort"),
        Binding("x", "export", "export TMX"),
        Binding("q", "quit_review", "quit"),
    ]

    def __init__(self, review: Review, tmx_path: Path, units: str = "sentence") -> None:
        super().__init__()
        self.review = review
        self.tmx_path = tmx_path
        self.units = units
        self.filter = "all"
        self.sort = "position"
        self.shown: list[int] = []
        self.message = ""
        self.last_query = ""
        self._detail_of: int | None = None

    def compose(self) -> ComposeResult:
        yield Static(self._title(), id="title")
        yield BeadTable(self.review, id="beads")
        with VerticalScroll(id="detail-box"):
            yield Static(id="detail")
        yield Static(id="status")
        yield Footer()

    def _title(self) -> str:
        r = self.review
        name = r.alignment.document or (r.alignment_path.name if r.alignment_path else "")
        saved = f"decisions saved to {r.path}" if r.path else "decisions are not saved"
        return f"align review · {name} · {saved}"

    @property
    def table(self) -> BeadTable:
        return self.query_one(BeadTable)

    def on_mount(self) -> None:
        self.rebuild(select=self.review.position())
        self.table.focus()

    # -- showing -----------------------------------------------------------------------

    def rebuild(self, select: int | None = None, keep: Iterable[int] = ()) -> None:
        """Show the beads of the current filter and sort; put the cursor on ``select``.

        Beads in ``keep`` (what the reviewer just made or changed) stay shown though the
        filter would hide them: a flagged bead merged is no longer flagged, and the
        reviewer still has to see it to accept it."""
        shown = self.review.view(self.filter, self.sort)
        extra = {k for k in keep if 0 <= k < len(self.review)} - set(shown)
        if extra:
            wanted = extra | set(shown)
            shown = [i for i in self.review.view("all", self.sort) if i in wanted]
        self.shown = shown
        self.table.set_rows(self.shown, self._row_of(select))
        self.show_current()

    def _row_of(self, bead: int | None) -> int:
        """The row of ``bead`` or, when the view hides it, of the next bead shown."""
        if bead is None or not self.shown:
            return 0
        if bead in self.shown:
            return self.shown.index(bead)
        later = [k for k, i in enumerate(self.shown) if i > bead]
        return later[0] if later else len(self.shown) - 1

    def select(self, bead: int | None) -> None:
        self.table.move_cursor(self._row_of(bead))
        self.show_current()

    def current(self) -> int | None:
        row = self.table.cursor_row
        return self.shown[row] if 0 <= row < len(self.shown) else None

    @on(BeadTable.Highlighted)
    def _highlighted(self) -> None:
        self.show_current()

    def show_current(self) -> None:
        i = self.current()
        self.query_one("#detail", Static).update(self._detail(i))
        self.query_one("#status", Static).update(self._status())
        if i != self._detail_of:  # another bead starts at its top, not where the last one was
            self._detail_of = i
            self.query_one("#detail-box", VerticalScroll).scroll_home(animate=False)

    def action_scroll_detail(self, direction: int) -> None:
        """Page through a bead too tall for the pane (its last sentences are below it at
        80x24, and the pane takes no focus: ↑↓ move between beads)."""
        box = self.query_one("#detail-box", VerticalScroll)
        box.scroll_relative(y=direction * max(1, box.size.height - 2), animate=False)

    def _detail(self, i: int | None) -> Text | Group:
        """The bead in full: a line on it, its flags, then its sentences in a grid, so that a
        long sentence wraps under itself (a Chinese one too, which has no spaces to wrap at
        and would otherwise start below its label)."""
        r = self.review
        if i is None:
            return Text(f"no bead matches the filter '{self.filter}': press f to change it")
        b = r.beads[i]
        out = Text()
        out.append(f"Bead {i + 1} of {len(r)}", style="bold")
        out.append(f" · {b.kind} · ")
        if r.is_recut(i):
            out.append("your cut, no aligner confidence", style="yellow")
        else:
            out.append(f"confidence {_confidence(r.confidence(i))}")
            if r.is_edited(i):
                out.append(" before your edit", style="dim")
        out.append(" · ")
        out.append(STATUS_WORDS[b.status], style=MARKS[b.status][1])
        if b.status != "pending" and b.time:
            out.append(f" {b.time}" + (f" by {b.reviewer}" if b.reviewer else ""), style="dim")
        if r.is_edited(i):
            out.append(" · edited", style="yellow")
        for flag in r.flags(i):
            out.append(f"\n⚑ {flag.code}: {flag.reason}", style="yellow")
        sentences = Table.grid(padding=(0, 1), expand=True)
        sentences.add_column(no_wrap=True, style="cyan")
        sentences.add_column(ratio=1, overflow="fold")
        for side, lang, ids in _sides(r.alignment, b):
            if not ids:
                sentences.add_row(Text(lang, style="dim"), Text("(no sentence)", style="dim"))
            for j in ids:
                mark = "✎" if r.segment_edited(side, j) else " "
                sentences.add_row(f"{lang} {_number(j):>5}{mark}", r.segment_text(side, j))
        return Group(out, sentences)

    def _status(self) -> Text:
        c = self.review.counts()
        out = Text()
        out.append(f"to review {c.pending}", style="bold")
        out.append(" · ")
        out.append(f"accepted {c.accepted}", style="green")
        out.append(" · ")
        out.append(f"rejected {c.rejected}", style="red")
        out.append(" · ")
        out.append(f"edited {c.edited}", style="yellow")
        out.append(f" · {c.total} beads │ filter: {self.filter} · sort: {self.sort}")
        if self.message:
            out.append(f"\n{self.message}", style="bold italic")
        return out

    def say(self, message: str) -> None:
        self.message = message
        self.query_one("#status", Static).update(self._status())

    # -- acting ------------------------------------------------------------------------

    def _run(self, change: Callable[[], object]) -> bool:
        """Call an operation; a ReviewError becomes a message, not a crash."""
        try:
            change()
        except ReviewError as exc:
            self.app.bell()
            self.say(str(exc))
            return False
        self.message = ""
        return True

    def _decide(self, accept: bool) -> None:
        i = self.current()
        if i is None:
            return
        op = self.review.accept if accept else self.review.reject
        if not self._run(lambda: op(i)):
            return
        row = self.table.cursor_row
        if self.review.matches(i, self.filter):
            self.select(self.shown[min(row + 1, len(self.shown) - 1)])
        else:
            nxt = self.shown[row + 1] if row + 1 < len(self.shown) else None
            self.rebuild(select=nxt if nxt is not None else i)

    def action_accept(self) -> None:
        self._decide(True)

    def action_reject(self) -> None:
        self._decide(False)

    def action_cursor(self, step: int) -> None:
        self.table.action_move(step)

    def _jump(self, what: str, wanted: Callable[[int], bool], backwards: bool = False) -> None:
        """Go to the next (or previous) row showing a bead ``wanted``, wrapping round; say
        so when there is none."""
        row = self.table.cursor_row
        n = len(self.shown)
        step = -1 if backwards else 1
        for k in range(1, n):
            i = self.shown[(row + step * k) % n]
            if wanted(i):
                self.select(i)
                return
        current = self.current()
        here = current is not None and wanted(current)
        where = f" in this view (filter: {self.filter})" if self.filter != "all" else ""
        self.say(f"no {'other ' if here else ''}{what} left to review{where}")

    def action_next_flagged(self, backwards: bool = False) -> None:
        """The next flagged bead still to decide: one accepted or rejected is done with
        (the filter 'flagged' shows them all)."""
        r = self.review
        self._jump(
            "flagged bead",
            lambda i: r.beads[i].status == "pending" and r.matches(i, "flagged"),
            backwards,
        )

    def action_next_pending(self) -> None:
        self._jump("bead", lambda i: self.review.beads[i].status == "pending")

    def action_merge_down(self) -> None:
        self._merge(1)

    def action_merge_up(self) -> None:
        self._merge(-1)

    def _merge(self, step: int) -> None:
        """Merge with the bead below (1) or above (-1) in the document, which a filter or
        the confidence order may keep off the screen: the merged bead is shown, and the
        message names what it took in and the decision it undid, so that nothing unseen
        goes in unsaid (refusing would send the translator to the unfiltered view for
        what the flags most often ask: joining a flagged bead to its neighbour)."""
        i = self.current()
        if i is None:
            return
        j = i + step
        hidden = self._hidden(j, self.table.cursor_row + step)
        merge = self.review.merge_down if step > 0 else self.review.merge_up
        if not self._run(lambda: merge(i)):
            return
        merged = min(i, j)
        self.rebuild(select=merged, keep=[merged])
        if hidden:
            self.say(f"merged with the bead {'below' if step > 0 else 'above'} {hidden}; u undoes")

    def _hidden(self, bead: int, row: int | None = None) -> str:
        """What bead ``bead`` is and why it is not on ``row`` of the table, next to the
        cursor, or (``row`` None) not on screen at all ('' when it is there, or is no bead)."""
        r = self.review
        if row is None:
            seen = bead in self.shown
        else:
            seen = 0 <= row < len(self.shown) and self.shown[row] == bead
        if not 0 <= bead < len(r) or seen:
            return ""
        b = r.beads[bead]
        names = [
            f"{lang} {_number(ids[0])}" + (f"-{ids[-1]}" if len(ids) > 1 else "")
            for _side, lang, ids in _sides(r.alignment, b)
            if ids
        ]
        why = (
            f"hidden by the filter '{self.filter}'"
            if not r.matches(bead, self.filter)
            else "not next to it in confidence order"
        )
        out = f"({', '.join(names)}), {why}"
        if b.status != "pending":
            out += f"; it was {STATUS_WORDS[b.status]}, now to review again"
        return out

    def action_move(self, side: Side, to: Direction) -> None:
        i = self.current()
        if i is None:
            return
        before = len(self.review)
        step = -1 if to == "previous" else 1
        hidden = self._hidden(i + step, self.table.cursor_row + step)
        ids = self.review.beads[i].src if side == "src" else self.review.beads[i].tgt
        if self._run(lambda: self.review.move(i, side, to)):
            gone = len(self.review) < before
            here = (i - 1 if to == "previous" else i) if gone else i
            self.rebuild(
                select=here, keep=[here] if gone else [i, i - 1 if to == "previous" else i + 1]
            )
            if hidden:  # the neighbour it went into is on screen now, but was not
                moved = _number(ids[0] if step < 0 else ids[-1])
                where = "above" if step < 0 else "below"
                self.say(
                    f"moved {self._lang(side)} {moved} into the bead {where} {hidden}; u undoes"
                )

    def action_other_cut(self) -> None:
        i = self.current()
        if i is None:
            return
        cut = self.review.other_cut(i)
        if cut is None:
            self.app.bell()
            self.say(f"bead {i + 1} has no other cut from the aligner")
            return
        r = self.review
        taken = {r.bead_of("src", s) for s in cut[0]} | {r.bead_of("tgt", t) for t in cut[1]}
        unseen = [hidden for b in sorted(taken - {i}) if (hidden := self._hidden(b))]
        if self._run(lambda: r.take_cut(*cut)):
            new = r.bead_of("src", cut[0][0])
            self.rebuild(select=new, keep=[new])
            if unseen:  # as m and M say what they took in off the screen
                self.say(f"the other cut took in {'; and '.join(unseen)}; u undoes")

    def action_split(self) -> None:
        i = self.current()
        if i is None:
            return
        b = self.review.beads[i]
        if len(b.src) + len(b.tgt) < 2:
            self.app.bell()
            self.say(f"bead {i + 1} has a single sentence: nothing to split")
            return

        def done(cuts: tuple[int, int] | None) -> None:
            if cuts is not None and self._run(lambda: self.review.split(i, *cuts)):
                self.rebuild(select=i, keep=[i, i + 1])

        self.app.push_screen(SplitScreen(self.review, i), done)

    def action_edit(self) -> None:
        i = self.current()
        if i is None:
            return
        b = self.review.beads[i]
        sentences: list[tuple[Side, int]] = [("src", j) for j in b.src] + [
            ("tgt", j) for j in b.tgt
        ]

        def done(texts: dict[tuple[Side, int], str] | None) -> None:
            if not texts:
                return
            emptied = [key for key, text in texts.items() if not text.strip()]
            if not self._run(partial(self.review.edit_sentences, texts)):
                self.rebuild(select=i)
                return
            beads = [self.review.bead_of(*key) for key in sentences]
            left = [k for k, key in zip(beads, sentences, strict=True) if key not in emptied]
            self.rebuild(select=left[0] if left else i, keep=beads)
            if emptied:
                unaligned = ", ".join(f"{self._lang(side)} {_number(j)}" for side, j in emptied)
                self.say(
                    f"{unaligned} now unaligned, in a bead of its own with its text as it was "
                    "(u undoes the whole edit)"
                )

        self.app.push_screen(EditScreen(self.review, i), done)

    def _lang(self, side: Side) -> str:
        a = self.review.alignment
        return a.src_lang if side == "src" else a.tgt_lang

    def action_undo(self) -> None:
        self._step(self.review.undo, "undone")

    def action_redo(self) -> None:
        self._step(self.review.redo, "redone")

    def _step(self, step: Callable[[], int | None], done: str) -> None:
        """Undo or redo, then show the bead it changed: the one whose decision is taken
        back, not the one the cursor had moved on to."""
        changed: list[int | None] = []
        if self._run(lambda: changed.append(step())):
            i = changed[0] if changed[0] is not None else self.current()
            self.rebuild(select=i, keep=[] if i is None else [i])
            self.say(f"{done} (bead {i + 1})" if i is not None else done)

    def action_search(self) -> None:
        def done(query: str | None) -> None:
            if not query:
                return
            self.last_query = query
            start = self.current()
            found = self.review.search(query, -1 if start is None else start)
            if found is None:
                self.say(f"'{query}' is in no bead")
                return
            if not self.review.matches(found, self.filter):
                self.filter = "all"
                self.rebuild(select=found)
            else:
                self.select(found)
            self.say(f"found '{query}' in bead {found + 1}")

        self.app.push_screen(SearchScreen(self.last_query), done)

    def action_filter(self) -> None:
        views = [*FILTERS[:3], *(f"flag:{c}" for c in self.review.flag_codes()), *FILTERS[3:]]
        k = views.index(self.filter) if self.filter in views else -1
        self.filter = views[(k + 1) % len(views)]
        self.message = ""
        self.rebuild(select=self.current())

    def action_sort(self) -> None:
        self.sort = "confidence" if self.sort == "position" else "position"
        self.message = ""
        self.rebuild(select=self.current())

    def action_export(self) -> None:
        try:
            result = export_tmx(self.review, self.tmx_path, force=True, units=self.units)
        except AlignError as exc:
            self.app.bell()
            self.say(f"not exported: {exc}")
            return
        self.say(f"wrote {result.path} ({tm_written(result)})")

    def action_keys(self) -> None:
        """Show every key: the footer has room for a few of them at 80 columns."""
        self.app.push_screen(KeysScreen())

    def action_quit_review(self) -> None:
        self.app.exit()


class SplitScreen(ModalScreen[tuple[int, int] | None]):
    """Choose which sentences stay in the upper bead; the rest go to a new bead below."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cut(1)", "cut lower"),
        Binding("up,k", "cut(-1)", "cut higher"),
        Binding("tab,left,right", "side", "other language", priority=True),
        Binding("enter", "done", "split"),
        Binding("escape", "cancel", "cancel"),
    ]

    def __init__(self, review: Review, bead: int) -> None:
        super().__init__()
        self.review = review
        self.bead = bead
        b = review.beads[bead]
        self.sizes = {"src": len(b.src), "tgt": len(b.tgt)}
        self.cuts = {side: (n + 1) // 2 for side, n in self.sizes.items()}
        if self.cuts["src"] == self.sizes["src"] and self.cuts["tgt"] == self.sizes["tgt"]:
            self.cuts["tgt"] = 0
        self.side: Side = "src" if self.sizes["src"] > 1 or not self.sizes["tgt"] else "tgt"

    def compose(self) -> ComposeResult:
        """A line per sentence and a cut line between each two, only the chosen one shown:
        the dialog scrolls to the cut being moved, however long the bead."""
        r = self.review
        with VerticalScroll(id="dialog", can_focus=False):  # ↑↓ move the cut, not the view
            yield Static(
                f"Split bead {self.bead + 1}: ↑/↓ moves the cut, ←/→ or tab switches "
                "language, enter splits, esc cancels"
            )
            for side, _lang, ids in _sides(r.alignment, r.beads[self.bead]):
                yield Static(id=f"lang-{side}")
                for k in range(len(ids) + 1):
                    yield Static(id=f"cut-{side}-{k}")
                    if k < len(ids):
                        row = Table.grid(padding=(0, 1), expand=True)
                        row.add_column(no_wrap=True, style="cyan")
                        row.add_column(ratio=1, overflow="fold")
                        row.add_row(f"  {_number(ids[k]):>5}", r.segment_text(side, ids[k]))
                        yield Static(row)

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        r = self.review
        for side, lang, ids in _sides(r.alignment, r.beads[self.bead]):
            active = side == self.side
            header = Text(f"{lang}{'  ◀ moving this cut' if active else ''}", style="bold")
            self.query_one(f"#lang-{side}", Static).update(header)
            for k in range(len(ids) + 1):
                cut = self.query_one(f"#cut-{side}-{k}", Static)
                cut.display = k == self.cuts[side]
                if cut.display:
                    line = "  ──── upper bead above, new bead below ────"
                    cut.update(Text(line, style="bold magenta" if active else "magenta"))
        chosen = self.query_one(f"#cut-{self.side}-{self.cuts[self.side]}", Static)
        self.call_after_refresh(chosen.scroll_visible, animate=False)

    def _valid(self, cuts: dict[str, int]) -> bool:
        upper = cuts["src"] + cuts["tgt"]
        lower = self.sizes["src"] - cuts["src"] + self.sizes["tgt"] - cuts["tgt"]
        return upper > 0 and lower > 0

    def action_cut(self, step: int) -> None:
        cuts = dict(self.cuts)
        cuts[self.side] = max(0, min(self.sizes[self.side], cuts[self.side] + step))
        if self._valid(cuts):
            self.cuts = cuts
            self._show()
        else:
            self.app.bell()

    def action_side(self) -> None:
        self.side = "tgt" if self.side == "src" else "src"
        self._show()

    def action_done(self) -> None:
        self.dismiss((self.cuts["src"], self.cuts["tgt"]))

    def action_cancel(self) -> None:
        self.dismiss(None)


class EditScreen(ModalScreen[dict[tuple[Side, int], str] | None]):
    """One input per sentence of the bead; enter saves every changed sentence."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "cancel")]

    def __init__(self, review: Review, bead: int) -> None:
        super().__init__()
        self.review = review
        self.bead = bead
        b = review.beads[bead]
        self.fields: list[tuple[Side, int]] = [("src", j) for j in b.src] + [
            ("tgt", j) for j in b.tgt
        ]

    def compose(self) -> ComposeResult:
        a = self.review.alignment
        with VerticalScroll(id="dialog", can_focus=False):  # tab goes round the sentences
            yield Static(
                f"Edit bead {self.bead + 1}: tab moves between sentences, enter saves, esc "
                "cancels; empty a sentence to take it out of the bead, unaligned (its text is kept)"
            )
            for k, (side, j) in enumerate(self.fields):
                lang = a.src_lang if side == "src" else a.tgt_lang
                yield Label(f"{lang} {_number(j)}")
                yield Input(  # typing goes where the cursor is, not over the sentence
                    self.review.segment_text(side, j), id=f"field-{k}", select_on_focus=False
                )
            yield Static(id="refused")

    def on_mount(self) -> None:
        self.query(Input).first().focus()

    @on(Input.Submitted)
    def _save(self) -> None:
        changed: dict[tuple[Side, int], str] = {}
        for k, (side, j) in enumerate(self.fields):
            text = self.query_one(f"#field-{k}", Input).value
            if text != self.review.segment_text(side, j):
                changed[(side, j)] = text
        if changed:
            try:
                self.review.check_sentences(changed)
            except ReviewError as exc:  # stay open: what the reviewer typed is not lost
                self.app.bell()
                self.query_one("#refused", Static).update(Text(str(exc), style="bold red"))
                return
        self.dismiss(changed)

    def action_cancel(self) -> None:
        self.dismiss(None)


KEYS = (
    ("↓ ↑ j k", "next / previous bead (PgDn PgUp Home End)"),
    ("J K", "scroll a bead taller than its pane down / up"),
    ("n N", "next / previous flagged bead still to review"),
    ("p", "next bead still to review"),
    ("a", "accept: it goes into the TM; move on"),
    ("r", "reject: kept out of the TM, never lost; move on"),
    ("m M", "merge with the bead below / above in the document, shown or not"),
    ("s", "split the bead (↑↓ moves the cut, ←→ the language)"),
    ("o", "take the other cut a flag names"),
    (", .", "move a source sentence (left) up / down a bead"),
    ("< >", "move a target sentence (right) up / down a bead"),
    ("e", "edit; a sentence you empty becomes unaligned; u undoes it whole"),
    ("u  ^R U", "undo / redo (earlier sessions' too), at the bead it changes"),
    ("/", "search the text of both sides"),
    ("f", "filter: to review, flagged, each flag, decided…"),
    ("c", "sort by confidence / in document order"),
    ("x", "write the reviewed TM now"),
    ("q", "quit (every decision is already saved)"),
)
"""Every key of the review, as the README's table lists them."""


class KeysScreen(ModalScreen[None]):
    """Every key and what it does; any key closes it."""

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column(ratio=1)
        for keys, does in KEYS:
            table.add_row(keys, does)
        with VerticalScroll(id="keys-dialog"):
            yield Static("Keys (any key closes this list)", classes="title")
            yield Static(table, id="keys")

    def on_key(self, event: events.Key) -> None:
        event.stop()
        self.dismiss(None)


class SearchScreen(ModalScreen[str | None]):
    """A search box: the next bead whose text contains the words, from the cursor on."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "cancel")]

    def __init__(self, last: str = "") -> None:
        super().__init__()
        self.last = last

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label("Search both sides' text (enter: next match, esc: cancel)")
            yield Input(self.last, placeholder="words to find", id="query")

    @on(Input.Submitted)
    def _search(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReviewApp(App[None]):
    """The review UI; ``tmx_path`` is where ``x`` writes the reviewed TM, in ``units``
    (:func:`align.review.export_tmx`)."""

    TITLE = "align review"
    CSS = """
    #title { height: 1; background: $primary; color: $text; padding: 0 1; }
    #beads { height: 1fr; }
    #detail-box { height: auto; max-height: 12; border-top: solid $primary; padding: 0 1; }
    #status { height: auto; max-height: 7; background: $boost; padding: 0 1; }
    ModalScreen { align: center middle; }
    #dialog {
        width: 90%; height: auto; max-height: 90%;
        border: thick $primary; background: $surface; padding: 1 2;
    }
    #dialog Input { margin-bottom: 1; }
    #keys-dialog {
        width: 90%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    """

    def __init__(
        self, review: Review, tmx_path: Path | None = None, units: str = "sentence"
    ) -> None:
        super().__init__()
        self.review = review
        self.tmx_path = tmx_path or reviewed_tmx_path(review.alignment_path or Path("review.tmx"))
        self.units = units

    def get_default_screen(self) -> Screen[None]:
        return ReviewScreen(self.review, self.tmx_path, self.units)
