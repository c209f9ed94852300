"""The HTML report and ``align report``: one self-contained page, checked in a real browser.

The page is parsed as HTML (rows, cells, escaping, no external resource), written by
the CLI (atomically, refusing to overwrite, one-line errors), then opened in headless
Chromium: a screenshot is taken and the rendered page must show every bead.
"""

from __future__ import annotations

import dataclasses
import os
import struct
import zlib
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from conftest import CORPUS
from typer.testing import CliRunner

from align.cli import app
from align.errors import OutputError
from align.flags import FLAG_CODES, flag_alignment
from align.html_report import render_html, write_html
from align.pipeline import align_files
from align.types import Alignment, Bead, Segment
from align.writers import write_alignment

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


def seg(text: str, n: int) -> Segment:
    return Segment(text=text, paragraph=n, start=0, end=len(text))


def small() -> Alignment:
    src = [seg("大会，", 0), seg("回顾其第59/48号决议，", 1), seg("多出的一句 <b>&amp;</b>。", 2)]
    tgt = [
        seg("The General Assembly,", 0),
        seg("Recalling its resolution 59/84,", 1),
        seg("<script>alert('x')</script> & an extra line", 2),
    ]
    beads = [Bead((0,), (0,), 0.95), Bead((1,), (1,), 0.42), Bead((2,), (), 0.0)]
    beads.append(Bead((), (2,), 0.0))
    signature = {"encoder": "use-m3", "tool": "un-align <test>"}
    return Alignment("zh", "en", src, tgt, beads, signature, "DOC")


class Page(HTMLParser):
    """What a test needs from the page: bead rows with their cells, tags and references."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.refs: list[tuple[str, str, str]] = []
        self.rows: list[dict[str, str]] = []
        self.cells: list[list[tuple[str, str]]] = []
        self._cell: list[str] | None = None
        self._cell_class = ""
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.tags.append(tag)
        for name in ("src", "href", "srcset", "data", "action", "poster"):
            if name in a:
                self.refs.append((tag, name, a[name]))
        if tag == "tr" and "bead" in a.get("class", "").split():
            self.rows.append(a)
            self.cells.append([])
        elif tag == "td" and self.rows and self._cell is None and self._depth == 0:
            self._cell, self._cell_class = [], a.get("class", "")
        elif self._cell is not None:
            self._depth += 1

    def handle_endtag(self, tag: str) -> None:
        if self._cell is None:
            return
        if tag == "td" and self._depth == 0:
            self.cells[-1].append((self._cell_class, "".join(self._cell)))
            self._cell = None
        elif self._depth:
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


def test_every_bead_is_a_row_with_both_sides_confidence_and_flags() -> None:
    a = small()
    page = parse(render_html(a))
    assert len(page.rows) == len(a.beads)
    assert [r["data-kind"] for r in page.rows] == ["1-1", "1-1", "1-0", "0-1"]
    assert [r["class"].split()[1] for r in page.rows] == ["sure", "low", "one-sided", "one-sided"]
    first = dict(page.cells[0])
    assert first["conf"] == "0.95" and "大会，" in first["side src"]
    assert "The General Assembly," in first["side tgt"]
    second = dict(page.cells[1])
    assert "low-confidence" in second["flags"] and "59/48 in zh only" in second["flags"]
    assert page.rows[1]["data-flags"] == "low-confidence numbers"
    # unaligned sentences are rows with an empty side that says so
    assert "no en sentence matches" in dict(page.cells[2])["side tgt empty"]
    assert "no zh sentence matches" in dict(page.cells[3])["side src empty"]
    assert "one-sided" in dict(page.cells[3])["flags"]


def test_text_is_escaped_and_the_page_needs_nothing_from_the_network() -> None:
    html = render_html(small())
    page = parse(html)
    assert "<script>alert" not in html and "&lt;script&gt;alert(&#x27;x&#x27;)" in html
    assert "多出的一句 &lt;b&gt;&amp;amp;&lt;/b&gt;。" in html
    assert "script" not in page.tags and not {"link", "img", "iframe", "object"} & set(page.tags)
    assert "url(" not in html and "@import" not in html
    assert all(value.startswith("#") for _, _, value in page.refs), page.refs
    assert "un-align &lt;test&gt;" in html  # the signature, escaped too


def test_summary_by_flag_lists_every_code_with_links_to_its_beads() -> None:
    html = render_html(small())
    for code in FLAG_CODES:
        assert f'data-code="{code}"' in html
    assert '<a href="#bead-2">2</a>' in html and 'id="bead-2"' in html


def test_a_run_of_unaligned_sentences_is_named_in_the_summary() -> None:
    a = small()
    assert "sentences in a row" not in render_html(a)
    tgt = [*a.tgt, *(seg(f"Extra <line> {k}.", 3) for k in range(2))]
    beads = [*a.beads, Bead((), (3,), 0.9), Bead((), (4,), 0.9)]
    html = render_html(dataclasses.replace(a, tgt=tgt, beads=beads))
    assert (
        "<tr><th>block</th><td>en #2–#4: 3 sentences in a row with no zh counterpart: "
        "is a paragraph or page missing from the zh document?</td></tr>"
    ) in html


def test_beads_left_out_of_the_tm_are_named_in_the_summary() -> None:
    a = small()
    assert "left out of the TM" not in render_html(a)
    annex = "The annex is circulated in the language of submission only."
    src, tgt = [*a.src, seg(annex, 3)], [*a.tgt, seg(annex, 3)]
    html = render_html(
        dataclasses.replace(a, src=src, tgt=tgt, beads=[*a.beads, Bead((3,), (3,), 0.9)])
    )
    assert "<tr><th>left out</th><td>left out of the TM: 1 bead(s)" in html
    assert "in the other side&#x27;s language): [5]</td></tr>" in html


@pytest.fixture(scope="module")
def cache(embedding_cache: Path) -> Path:
    return embedding_cache


@pytest.fixture(scope="module")
def corpus(cache: Path) -> Alignment:
    return align_files(CORPUS / "zh.txt", CORPUS / "en.txt", cache_dir=cache)


@pytest.fixture(scope="module")
def flagged(corpus: Alignment) -> Alignment:
    """The corpus with a wrong resolution number and one bead split into two unaligned sentences."""
    n = next(i for i, b in enumerate(corpus.beads) if "59/48" in corpus.tgt_text(b))
    tgt = list(corpus.tgt)
    j = corpus.beads[n].tgt[0]
    tgt[j] = dataclasses.replace(tgt[j], text=tgt[j].text.replace("59/48", "59/84"))
    beads = list(corpus.beads)
    split = beads[n + 1]
    beads[n + 1 : n + 2] = [Bead(split.src, (), 0.0), Bead((), split.tgt, 0.0)]
    return dataclasses.replace(corpus, tgt=tgt, beads=beads)


def run(*args: str, cache: Path) -> object:
    env = {"ALIGN_CACHE_DIR": str(cache), "NO_COLOR": "1"}
    return CliRunner().invoke(app, list(args), env=env)


def test_report_command_prints_flags_and_writes_the_page(
    tmp_path: Path, flagged: Alignment, cache: Path
) -> None:
    jsonl = tmp_path / "doc.jsonl"
    write_alignment(flagged, jsonl)
    out = tmp_path / "page" / "doc.html"
    r = run("report", str(jsonl), "--html", str(out), cache=cache)
    assert r.exit_code == 0, r.output
    assert "flag numbers: numbers differ: 59/48 in zh only; 59/84 in en only" in r.output
    assert "flag one-sided: zh sentence with no en counterpart" in r.output
    assert "flag one-sided: en sentence with no zh counterpart" in r.output
    flagged_beads = sum(1 for f in flag_alignment(flagged) if f)
    assert flagged_beads >= 3 and f"flagged beads: {flagged_beads} of 43" in r.output
    page = parse(out.read_text(encoding="utf-8"))
    assert len(page.rows) == len(flagged.beads) == 43
    assert not list(out.parent.glob(".*.tmp"))
    before = out.read_bytes()
    again = run("report", str(jsonl), "--html", str(out), "--summary", cache=cache)
    assert isinstance(again.exception, OutputError)  # align.cli.main prints it on one line
    assert "already exists: pass --force" in str(again.exception)
    assert out.read_bytes() == before
    forced = run("report", str(jsonl), "--html", str(out), "--force", "--summary", cache=cache)
    assert forced.exit_code == 0 and "[1] 1-1" not in forced.output
    assert f"flagged beads: {flagged_beads} of 43" in forced.output


def test_report_command_aligns_two_documents_on_the_spot(
    tmp_path: Path, cache: Path, corpus: Alignment
) -> None:
    out = tmp_path / "a.html"
    r = run(
        "report", str(CORPUS / "zh.txt"), str(CORPUS / "en.txt"), "--html", str(out), cache=cache
    )
    assert r.exit_code == 0, r.output
    assert f"flagged beads: {sum(1 for f in flag_alignment(corpus) if f)} of 42" in r.output
    assert len(parse(out.read_text(encoding="utf-8")).rows) == 42


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p / "missing.jsonl", "cannot read"),
        (lambda p: CORPUS / "zh.txt", "not an alignment (.jsonl or .tmx written by align pair)"),
        (lambda p: _write(p / "bad.jsonl", "not json\n"), "bad.jsonl"),
    ],
)
def test_bad_input_is_one_clear_line(tmp_path: Path, make: object, message: str) -> None:
    import subprocess
    import sys

    path = make(tmp_path)  # type: ignore[operator]
    out = tmp_path / "x.html"
    r = subprocess.run(
        [sys.executable, "-c", "from align.cli import main; main()", "report", str(path),
         "--html", str(out)],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )  # fmt: skip
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], r.stderr
    assert not out.exists()


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- in a real browser -------------------------------------------------------------------


def png_pixels(data: bytes) -> tuple[int, int, list[list[bytes]]]:
    """Decode an 8-bit RGB/RGBA PNG (what Chromium writes) into rows of pixels."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        header = body if kind == b"IHDR" else header
        idat += body if kind == b"IDAT" else b""
        pos += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and colour in (2, 6)
    bpp = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(idat), width * bpp
    rows: list[list[bytes]] = []
    prev = bytearray(stride)
    for y in range(height):
        kind, line = (
            raw[y * (stride + 1)],
            bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]),
        )
        for x in range(stride):
            left = line[x - bpp] if x >= bpp else 0
            up, corner = prev[x], prev[x - bpp] if x >= bpp else 0
            if kind == 1:
                line[x] = (line[x] + left) & 255
            elif kind == 2:
                line[x] = (line[x] + up) & 255
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                best = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[x] = (line[x] + best) & 255
        rows.append([bytes(line[x : x + bpp]) for x in range(0, stride, bpp)])
        prev = line
    return width, height, rows


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.skip(f"headless Chromium not installed ({CHROMIUM}, {CHROMEDRIVER}): "
                    "apt-get install chromium chromium-driver")  # fmt: skip
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    profile = tmp_path_factory.mktemp("chromium-profile")
    for arg in (
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}", "--window-size=1280,900",
    ):  # fmt: skip
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    yield driver
    driver.quit()


def test_the_page_renders_every_bead_in_chromium(
    browser: WebDriver, tmp_path: Path, flagged: Alignment
) -> None:
    from selenium.webdriver.common.by import By

    page = write_html(flagged, tmp_path / "report.html", flags=flag_alignment(flagged))
    browser.get(page.as_uri())
    png = browser.get_screenshot_as_png()
    (tmp_path / "report.png").write_bytes(png)
    width, height, rows = png_pixels(png)
    assert width >= 800 and height >= 600
    colours = {pixel for row in rows[::5] for pixel in row[::3]}
    assert len(colours) > 20, "the screenshot is blank"

    shown = [r for r in browser.find_elements(By.CSS_SELECTOR, "tr.bead") if r.is_displayed()]
    assert len(shown) == len(flagged.beads)
    text = browser.find_element(By.TAG_NAME, "body").text
    for bead in (flagged.beads[0], flagged.beads[-1]):
        assert flagged.src_text(bead) in text and flagged.tgt_text(bead) in text
    assert "59/48 in zh only; 59/84 in en only" in text
    one_sided = browser.find_elements(By.CSS_SELECTOR, "tr.one-sided")
    assert len(one_sided) == 2 and all(r.is_displayed() for r in one_sided)
    assert "no en sentence matches this zh text" in one_sided[0].text
    colour = "return getComputedStyle(document.querySelector(arguments[0])).borderLeftColor"
    assert browser.execute_script(colour, "tr.sure td") != browser.execute_script(
        colour, "tr.one-sided td"
    )
    loaded = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    assert loaded == []
