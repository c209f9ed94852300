"""Validate a TMX the way a strict CAT tool would: the TMX 1.4 DTD plus what it cannot say.

Import from any test: ``from tmxcheck import assert_valid_tmx``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lxml import etree

DTD_PATH = Path(__file__).resolve().parents[2] / "shared" / "spec" / "tmx14.dtd"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@cache
def _dtd() -> etree.DTD:
    return etree.DTD(str(DTD_PATH))


def assert_valid_tmx(
    source: Path | str | bytes, *, allow_one_sided: bool = False
) -> etree._ElementTree:
    """Fail unless ``source`` (a path or the bytes) is a TMX our users' tools accept.

    Checks: UTF-8 XML 1.0 with ``<!DOCTYPE tmx SYSTEM "tmx14.dtd">``; valid against
    the DTD; header srclang set; every TU has two or more tuvs, one in srclang, no
    language twice (``allow_one_sided`` admits single-tuv TUs); no empty seg.
    Returns the parsed tree for further assertions.
    """
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    tree = etree.ElementTree(etree.fromstring(data, parser))
    info = tree.docinfo
    assert info.xml_version == "1.0", info.xml_version
    assert (info.encoding or "").upper() == "UTF-8", info.encoding
    assert info.system_url == "tmx14.dtd", f"DOCTYPE SYSTEM id is {info.system_url!r}"
    assert info.root_name == "tmx", info.root_name

    dtd = _dtd()
    if not dtd.validate(tree):
        errors = "\n".join(str(e) for e in dtd.error_log.filter_from_errors()[:10])
        raise AssertionError(f"TMX is not valid against {DTD_PATH.name}:\n{errors}")

    root = tree.getroot()
    srclang = root.find("header").get("srclang", "")
    assert srclang and srclang != "*all*", f"header srclang is {srclang!r}"
    for n, tu in enumerate(root.iter("tu"), 1):
        where = f"tu #{n} (tuid={tu.get('tuid')!r})"
        langs = [tuv.get(XML_LANG, "").lower() for tuv in tu.findall("tuv")]
        assert all(langs), f"{where}: a tuv without xml:lang"
        assert len(set(langs)) == len(langs), f"{where}: a language twice: {langs}"
        if len(langs) == 1 and allow_one_sided:
            pass
        else:
            assert len(langs) >= 2, f"{where}: only {langs}, a TU needs two languages"
            assert srclang.lower() in langs, f"{where}: no tuv in srclang {srclang}: {langs}"
        for seg in tu.iter("seg"):
            text = "".join(seg.itertext())
            assert text.strip(), f"{where}: empty <seg>"
    return tree
