"""List numbers a page's style sheet draws with CSS counters (for the web page reader).

Google Docs' "Download as web page" (and other editors' exports) hides the browser's
own list numbers (``list-style-type: none``) and draws each item's label from its
style sheet instead: ``.lst-kix_x-1>li:before{content:"(" counter(lst-ctn-kix_x-1,
lower-latin) ") "}``, with the counter reset by the list that starts the numbering
(``ol.lst-kix_x-1.start{counter-reset:...}``) and stepped by each item. Its lists are
flat, one ``<ol>`` per level and run, so a list broken by a paragraph goes on counting.
A reader that ignored the style sheet would print ``1.`` where the page shows ``(a)``.

What is modelled: the page's ``<style>`` rules whose selectors are made of simple
parts (a tag, classes, an id) joined by child or descendant steps (``ol.legal ol>li``),
for ``content`` before an item (strings and ``counter()``), ``counter-reset``,
``counter-increment`` and ``list-style-type``; the last rule that matches wins, and
rules inside at-rules (``@media``) are left out. Counters are the page's, in reading
order, as a flat list's are. Anything else in a style sheet is left to the browser's
defaults, which the reader draws itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from lxml import etree

_COMMENTS = re.compile(r"/\*.*?\*/", re.S)
_COMPOUND = re.compile(r"([a-z][a-z0-9]*|\*)?((?:[.#][-\w]+)*)", re.I)
_STEP = re.compile(r"\s*(>)\s*|\s+")
_BEFORE = re.compile(r"::?before$", re.I)
_CONTENT = re.compile(
    r"""\s*(?:
        "((?:[^"\\]|\\.)*)" | '((?:[^'\\]|\\.)*)'       # a string, either quotes
        | counter\(\s*([-\w]+)\s*(?:,\s*([-\w]+)\s*)?\)   # counter(name[, style])
        | (\S+)                                         # anything else: not drawn here
    )""",
    re.S | re.X,
)
_ESCAPE = re.compile(r"\\([0-9a-f]{1,6})\s?|\\(.)", re.I | re.S)
_COUNTER_LIST = re.compile(r"([-\w]+)(?:\s+(-?\d+))?")


def tag_name(element: etree._Element) -> str:
    """An element's tag as a selector names it: lower-case, without a prefix (``epub:``);
    empty for a comment or processing instruction."""
    tag = element.tag
    return tag.rsplit(":", 1)[-1].lower() if isinstance(tag, str) else ""


@dataclass(frozen=True)
class Compound:
    """One simple selector: ``ol.lst-kix_x-0.start`` is tag ``ol``, classes {lst-kix_x-0, start}."""

    tag: str = ""
    classes: frozenset[str] = frozenset()
    id: str = ""

    def matches(self, element: etree._Element) -> bool:
        if self.tag and self.tag != tag_name(element):
            return False
        if self.id and element.get("id") != self.id:
            return False
        return self.classes <= set((element.get("class") or "").split())


@dataclass(frozen=True)
class Rule:
    """A rule for the elements its selector matches: ``steps`` from the element up, each a
    compound and whether it must be the parent (``>``) or may be any ancestor of the one
    before; ``before`` for the element's ``::before``."""

    steps: tuple[tuple[Compound, bool], ...]
    before: bool
    declarations: dict[str, str]

    def matches(self, element: etree._Element) -> bool:
        return _matches(self.steps, element)


def _matches(steps: tuple[tuple[Compound, bool], ...], element: etree._Element) -> bool:
    (compound, child), *rest = steps
    if not compound.matches(element):
        return False
    if not rest:
        return True
    up = element.getparent()
    while up is not None:
        if _matches(tuple(rest), up):
            return True
        if child:
            return False
        up = up.getparent()
    return False


@dataclass
class ListStyles:
    """The page's rules that draw list labels, and the counters as the page is read."""

    rules: list[Rule] = field(default_factory=list)
    counters: dict[str, int] = field(default_factory=dict)
    by_class: dict[tuple[int, str], list[int]] = field(default_factory=dict)
    classless: list[int] = field(default_factory=list)

    @classmethod
    def of(cls, root: etree._Element) -> ListStyles:
        sheets = (style.text or "" for style in root.iter("style"))
        rules = [r for r in _rules(sheets) if _LIST_PROPERTIES & r.declarations.keys()]
        styles = cls(rules)
        for n, rule in enumerate(rules):
            (target, child), *up = rule.steps
            if target.classes:
                styles.by_class.setdefault((0, min(target.classes)), []).append(n)
            elif child and up and up[0][0].classes:  # ``.lst-kix_x-0>li``: the list's class
                styles.by_class.setdefault((1, min(up[0][0].classes)), []).append(n)
            else:
                styles.classless.append(n)
        return styles

    def _last(self, element: etree._Element, name: str, before: bool = False) -> str | None:
        """The value of the last rule for ``element`` that sets ``name``. Only the rules
        filed under one of its classes, or its parent's for a ``parent>element`` rule, and
        those filed under none are tried: a page of many lists has hundreds of rules."""
        parent = element.getparent()
        keys = [(0, c) for c in (element.get("class") or "").split()]
        if parent is not None:
            keys += [(1, c) for c in (parent.get("class") or "").split()]
        tried = sorted({*self.classless, *(n for k in keys for n in self.by_class.get(k, ()))})
        found = None
        for n in tried:
            rule = self.rules[n]
            if rule.before == before and name in rule.declarations and rule.matches(element):
                found = rule.declarations[name]
        return found

    def enter(self, element: etree._Element) -> None:
        """Reset and step the counters ``element`` resets and steps, as it is read."""
        if not self.rules:
            return
        reset = self._last(element, "counter-reset")
        for name, value in _counter_list(reset, 0):
            self.counters[name] = value
        step = self._last(element, "counter-increment")
        for name, value in _counter_list(step, 1):
            self.counters[name] = self.counters.get(name, 0) + value

    def label(self, item: etree._Element, formats: Callable[[str, int], str]) -> str | None:
        """What the style sheet draws before list item ``item`` (``formats(style, n)``
        draws one counter); None where it draws nothing of its own."""
        if not self.rules:
            return None
        content = self._last(item, "content", before=True)
        if content is None or content.strip() in ("none", "normal"):
            return None
        out = []
        for quoted, single, counter, style, _other in _CONTENT.findall(content):
            if counter:
                out.append(formats(style or "decimal", self.counters.get(counter, 0)))
            else:
                out.append(_unescape(quoted or single))
        return "".join(out)

    def list_type(self, element: etree._Element) -> str | None:
        """The ``list-style-type`` the style sheet gives ``element``, if any."""
        if not self.rules:
            return None
        value = self._last(element, "list-style-type") or self._last(element, "list-style")
        return value.split()[0].lower() if value and value.split() else None


_LIST_PROPERTIES = frozenset(
    {"content", "counter-reset", "counter-increment", "list-style-type", "list-style"}
)


def _rules(sheets: Iterable[str]) -> Iterable[Rule]:
    for sheet in sheets:
        sheet = _COMMENTS.sub("", sheet).replace("<!--", " ").replace("-->", " ")
        for selectors, body in _blocks(sheet):
            declarations = _declarations(body)
            for selector in selectors.split(","):
                rule = _rule(selector.strip(), declarations)
                if rule is not None:
                    yield rule


def _blocks(sheet: str) -> Iterable[tuple[str, str]]:
    """``(selectors, declarations)`` of a sheet's plain rules; at-rules are skipped whole."""
    i = 0
    while i < len(sheet):
        open_at = sheet.find("{", i)
        semicolon = sheet.find(";", i)
        if open_at < 0:
            return
        head = sheet[i:open_at].strip()
        if head.startswith("@") and 0 <= semicolon < open_at:
            i = semicolon + 1  # @import url(...); @charset "...";
            continue
        depth, j = 1, open_at + 1
        while j < len(sheet) and depth:
            depth += {"{": 1, "}": -1}.get(sheet[j], 0)
            j += 1
        if not head.startswith("@"):
            yield head, sheet[open_at + 1 : j - 1]
        i = j


def _declarations(body: str) -> dict[str, str]:
    out = {}
    for part in re.split(r";(?=(?:[^\"']|\"[^\"]*\"|'[^']*')*$)", body):
        name, colon, value = part.partition(":")
        if colon:
            out[name.strip().lower()] = value.replace("!important", "").strip()
    return out


def _rule(selector: str, declarations: dict[str, str]) -> Rule | None:
    """The rule for a selector of compounds joined by ``>`` or a space; None for any other."""
    before = bool(_BEFORE.search(selector))
    parts = _STEP.split(_BEFORE.sub("", selector).strip())
    compounds = [_compound(part) for part in parts[::2]]
    combinators = [part == ">" for part in parts[1::2]]
    if not compounds or None in compounds:
        return None
    links = [False, *combinators]
    steps = tuple(zip(compounds, links, strict=True))[::-1]
    return Rule(steps, before, declarations)  # type: ignore[arg-type]


def _compound(text: str) -> Compound | None:
    found = _COMPOUND.fullmatch(text)
    if found is None or not text:
        return None
    tag = (found.group(1) or "").lower().replace("*", "")
    parts = re.findall(r"([.#])([-\w]+)", found.group(2))
    ids = [name for kind, name in parts if kind == "#"]
    classes = frozenset(name for kind, name in parts if kind == ".")
    return Compound(tag, classes, ids[0] if ids else "")


def _counter_list(value: str | None, default: int) -> list[tuple[str, int]]:
    if not value or value.strip().lower() == "none":
        return []
    return [(name, int(n) if n else default) for name, n in _COUNTER_LIST.findall(value)]


def _unescape(text: str) -> str:
    def char(m: re.Match[str]) -> str:
        if m.group(1):
            code = int(m.group(1), 16)
            return chr(code) if 0 < code <= 0x10FFFF else "\ufffd"
        return "" if m.group(2) == "\n" else m.group(2)

    return _ESCAPE.sub(char, text)
