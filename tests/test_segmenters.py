"""The segment stage: paragraphs of a CleanDocument -> sentence Segments."""

from __future__ import annotations

import subprocess
import sys

import jieba
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from align.segmenters import (
    MosesSegmenter,
    Overlong,
    Segmenter,
    ZhSegmenter,
    get_segmenter,
    segment_document,
)
from align.segmenters.base import MAX_SENTENCE, cap, trim
from align.types import Block, BlockKind, CleanDocument, Segment

Para = tuple[BlockKind, str, str | None, tuple[str, ...]]


def make_doc(lang: str, paras: list[Para]) -> CleanDocument:
    """A CleanDocument built by hand: blocks joined with newlines, offsets exact."""
    blocks: list[Block] = []
    pos = 0
    for index, (kind, text, mark, links) in enumerate(paras):
        blocks.append(Block(index, kind, text, pos, pos + len(text), mark, links))
        pos += len(text) + 1
    text = "\n".join(p[1] for p in paras)
    return CleanDocument(lang=lang, text=text, blocks=tuple(blocks), removals=())


def body(text: str) -> Para:
    return ("body", text, None, ())


def texts(segmenter: Segmenter, text: str) -> list[str]:
    return [text[s:e] for s, e in segmenter.split(text)]


def check_spans(text: str, spans: list[tuple[int, int]]) -> None:
    """Sorted, disjoint, trimmed, and covering every non-space character."""
    covered = set()
    last = 0
    for start, end in spans:
        assert last <= start < end <= len(text)
        assert not text[start].isspace() and not text[end - 1].isspace()
        covered.update(range(start, end))
        last = end
    assert all(ch.isspace() for i, ch in enumerate(text) if i not in covered)


def check_mapping(doc: CleanDocument, segments: list[Segment]) -> None:
    blocks = {b.index: b for b in doc.blocks}
    for seg in segments:
        assert doc.text[seg.start : seg.end] == seg.text
        block = blocks[seg.paragraph]
        assert block.start <= seg.start < seg.end <= block.end
        assert (seg.kind, seg.footnote, seg.links) == (block.kind, block.footnote, block.links)


# Paragraphs copied from corpora/A_77_L.107/zh.txt, line breaks, paragraph-initial
# spaces and footnote reference digits removed (what the cleaner hands over).
ZH_REAL: list[Para] = [
    ("heading", "第七十七届会议", None, ()),
    ("heading", "议程项目 127(s)", None, ()),
    ("heading", "联合国同上海合作组织的合作", None, ()),
    body("大会，"),
    body("还回顾其2004年12月2日关于给予上海合作组织大会观察员地位的第59/48号决议，"),
    body(
        "回顾其关于联合国同上海合作组织的合作的 2009年 12月 18日第 64/183号、2010 年 12 月 13 日"
        "第 65/124 号、2012 年 11 月 19 日第 67/15 号、2014 年 11 月11 日第 69/11 号、2016 年 11 月"
        " 21 日第 71/14 号、2019 年 8 月 30 日第 73/334 号和 2021 年 3 月 25 日第 75/268 号决议，"
    ),
    body("考虑到上海合作组织成员国承诺努力落实《2030 年可持续发展议程》提出的目标，"),
    body(
        "确认上海合作组织成员国努力按照《上海合作组织成员国长期睦邻友好合作条约》，将上海合作组织"
        "区域建设成一个持久和平、友好、繁荣、和睦的区域，"
    ),
    body(
        "1. 肯定上海合作组织在确保和平与可持续发展、促进区域合作、加强睦邻关系和相互信任方面的"
        "建设性作用，注意到上海合作组织开展各种活动，以加强该区域的和平、安全与稳定，打击恐怖主义、"
        "毒品贩运和其他具有跨国性质的各类犯罪活动，并促进贸易和经济发展、能源、运输、农业和农产品"
        "加工业、移民管理、银行业和金融、信息和电信、科学和新技术、初创企业和创新、数字经济、海关、"
        "教育、公共卫生、传统医学、环境保护和减少自然灾害风险等领域以及其他相关领域的区域合作；"
    ),
    body("4. 请秘书长向大会第七十九届会议提交本决议执行情况报告；"),
    body(
        "5. 决定在大会第七十九届会议临时议程题为“联合国同各区域组织及其他组织的合作”的项目下"
        "列入题为“联合国同上海合作组织的合作”的分项。"
    ),
    ("footnote", "提案国名单如有任何变化，将在会议正式记录中予以反映。", "*", ()),
    ("footnote", "联合国，《条约汇编》，第 2896 卷，第 50518 号。", "2", ()),
    ("footnote", "同上，第 729 卷，第 10485 号。", "3", ()),
    ("footnote", "S-30/1 号决议，附件。", "5", ("https://undocs.org/ch/A/RES/S-30/1",)),
    (
        "footnote",
        "《上海合作组织秘书处与欧亚经济委员会谅解备忘录》于 2021 年 9 月 17 日在杜尚别签署。",
        "6",
        (),
    ),
]

EN_REAL: list[Para] = [
    ("heading", "Agenda item 127 (s)", None, ()),
    body("The General Assembly,"),
    body(
        "Recalling further its resolution 59/48 of 2 December 2004, by which it granted observer "
        "status in the General Assembly to the Shanghai Cooperation Organization,"
    ),
    body(
        "4. Requests the Secretary-General to submit to the General Assembly at its "
        "seventy-ninth session a report on the implementation of the present resolution;"
    ),
    body(
        "5. Decides to include in the provisional agenda of its seventy-ninth session, under the "
        "item entitled “Cooperation between the United Nations and regional and other "
        "organizations”, the sub-item entitled “Cooperation between the United Nations and the "
        "Shanghai Cooperation Organization”."
    ),
    ("footnote", "Resolution 70/1.", "1", ("https://undocs.org/en/A/RES/70/1",)),
    ("footnote", "United Nations, Treaty Series, vol. 2896, No. 50518.", "2", ()),
    ("footnote", "Ibid., vol. 729, No. 10485.", "3", ()),
    ("footnote", "Resolution S-30/1, annex.", "5", ()),
]


@pytest.fixture(scope="module")
def zh() -> Segmenter:
    return get_segmenter("zh")


@pytest.fixture(scope="module")
def en() -> Segmenter:
    return get_segmenter("en")


# --- registry -------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "zh-CN", "zh-TW", "zh_Hans"])
def test_chinese_codes_get_the_zh_segmenter(lang: str) -> None:
    assert isinstance(get_segmenter(lang), ZhSegmenter)


@pytest.mark.parametrize(
    ("lang", "data"), [("en", "en"), ("en-GB", "en"), ("de", "de"), ("fr", "fr"), ("xx", "en")]
)
def test_other_languages_get_moses_with_their_prefixes(lang: str, data: str) -> None:
    segmenter = get_segmenter(lang)
    assert isinstance(segmenter, MosesSegmenter)
    assert segmenter.lang == lang
    assert segmenter.prefix_lang == data


def test_segment_document_dispatches_on_doc_lang() -> None:
    text = "第一句。第二句。"
    zh_doc = make_doc("zh-CN", [body(text)])
    assert [s.text for s in segment_document(zh_doc)] == ["第一句。", "第二句。"]
    en_doc = make_doc("en", [body("One here. Two there.")])
    assert [s.text for s in segment_document(en_doc)] == ["One here.", "Two there."]


RESOLUTION_LIKE = (
    "回顾 A/77/L.107 号决议草案（见 https://undocs.org/ch/A/RES/76/1）。又回顾第 2.5 段。"
)


def in_a_fresh_python(*lines: str) -> list[str]:
    """What ``lines`` print, run in a new interpreter (so nothing is imported yet), which
    must exit cleanly and write nothing to stderr."""
    done = subprocess.run(
        [sys.executable, "-c", "\n".join(("import sys", *lines))],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0 and done.stderr == "", done.stderr
    return done.stdout.splitlines()


def test_jieba_loads_lazily_and_quietly() -> None:
    """Only a paragraph with an ASCII period after an ideograph needs jieba's words; the
    resolution, with its ``A/77/L.107`` and web addresses, is split without loading them."""
    printed = in_a_fresh_python(
        "from align.segmenters import get_segmenter",
        "assert 'jieba' not in sys.modules, 'jieba imported eagerly'",
        "zh = get_segmenter('zh')",
        "print(len(zh.split('第一句。第二句。')))",
        f"print(len(zh.split({RESOLUTION_LIKE!r})))",
        "print('jieba' in sys.modules)",
        "print(len(zh.split('欢迎.他说第二句。')))",
        "print('jieba' in sys.modules)",
    )
    assert printed == ["2", "2", "False", "2", "True"]


CUTTING = '。！？!?.”’」』）》)]】〉“《（([ 　\n\r签署他说欢迎第一句かな𠀀LAb0123-_#%&+,，；"'


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=CUTTING, max_size=40))
def test_without_a_period_after_an_ideograph_jieba_would_cut_the_same(text: str) -> None:
    """jieba's words move no cut unless an ASCII period follows an ideograph, so skipping
    them elsewhere (:func:`align.segmenters.zh._tokenize`) changes nothing."""
    from align.segmenters import zh

    fast = ZhSegmenter().split(text)
    real = zh._tokenize
    try:
        zh._tokenize = zh._jieba_tokens
        assert ZhSegmenter().split(text) == fast
    finally:
        zh._tokenize = real


def test_moses_prefix_lists_are_sacremoses_own() -> None:
    """Read from sacremoses' data module on its own, the lists are line for line what its
    ``NonbreakingPrefixes`` gives, for every language it names (by code or by name)."""
    from sacremoses.corpus import NonbreakingPrefixes

    from align.segmenters import en

    lists = en.moses_prefix_lists()
    data = NonbreakingPrefixes()
    for name, code in data.available_langs.items():
        assert lists[code] == list(data.words(name)), name
    assert sorted(lists) == sorted(set(data.available_langs.values()))
    assert "Mr" in lists["en"] and "No #NUMERIC_ONLY#" in lists["en"]


def test_moses_prefix_lists_fall_back_to_the_package_reader(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A sacremoses that keeps its lists elsewhere is read through its own reader."""
    from align.segmenters import en

    direct = en.moses_prefix_lists()
    en.moses_prefix_lists.cache_clear()
    monkeypatch.setattr(en, "_prefix_data_module", lambda: None)
    try:
        assert en.moses_prefix_lists() == direct
    finally:
        en.moses_prefix_lists.cache_clear()


def test_splitting_english_leaves_the_moses_tokenizer_unimported() -> None:
    """Importing sacremoses compiles its tokenizer's expressions: half a second of every run,
    for nothing the segmenter uses."""
    printed = in_a_fresh_python(
        "from align.segmenters import get_segmenter",
        "print(len(get_segmenter('en').split('Mr. Li came. He left.')))",
        "print(len(get_segmenter('fr').split('M. Li est venu. Il est parti.')))",
        "print(sorted(m for m in sys.modules if m.startswith('sacremoses')))",
    )
    assert printed == ["2", "2", "[]"]


# --- Chinese --------------------------------------------------------------


def test_real_zh_paragraphs_are_one_segment_each(zh: Segmenter) -> None:
    doc = make_doc("zh", ZH_REAL)
    segments = zh.segment(doc)
    check_mapping(doc, segments)
    assert [s.paragraph for s in segments] == list(range(len(ZH_REAL)))
    assert [s.text for s in segments] == [p[1] for p in ZH_REAL]
    assert segments[0].kind == "heading"
    assert [s.footnote for s in segments[-5:]] == ["*", "2", "3", "5", "6"]
    assert segments[-2].links == ("https://undocs.org/ch/A/RES/S-30/1",)


def test_zh_two_sentences_give_two_segments(zh: Segmenter) -> None:
    first = "《上海合作组织秘书处与欧亚经济委员会谅解备忘录》于 2021 年 9 月 17 日在杜尚别签署。"
    second = "《上海合作组织秘书处与阿拉伯国家联盟谅解备忘录》于 2022 年 9 月 16 日在撒马尔罕签署。"
    doc = make_doc("zh", [body("大会，"), body(first + second)])
    segments = zh.segment(doc)
    check_mapping(doc, segments)
    assert [(s.paragraph, s.text) for s in segments] == [(0, "大会，"), (1, first), (1, second)]


def test_zh_comma_and_semicolon_do_not_split_inside_a_paragraph(zh: Segmenter) -> None:
    text = "肯定上海合作组织的作用，注意到其各种活动；并促进区域合作；"
    assert texts(zh, text) == [text]


@pytest.mark.parametrize(
    "text",
    [
        "回顾《联合国宪章。第八章》的条款。",
        "题为“联合国同各区域组织。其他组织的合作”的项目。",
        "见「第一条。第二条」。",
        "见（第一条。第二条）和(第三条。第四条)。",
        "见《公约（第一条。第二条）》。",
    ],
)
def test_zh_no_split_inside_brackets_or_quotes(zh: Segmenter, text: str) -> None:
    assert texts(zh, text) == [text]


def test_zh_closing_quote_stays_with_its_sentence(zh: Segmenter) -> None:
    assert texts(zh, "他说：“我们走吧。”然后他走了。") == ["他说：“我们走吧。”", "然后他走了。"]
    assert texts(zh, "（见第一条。）下一句。") == ["（见第一条。）", "下一句。"]


def test_zh_a_straight_quote_closing_after_a_stop_stays_with_its_sentence(
    zh: Segmenter,
) -> None:
    """An ASCII ``"`` opens and closes alike: after a stop, one that closes a quote ends the
    sentence before, one that opens begins the next, as the curly quotes do."""
    assert texts(zh, '他说："这是一个重要的步骤。"我们同意。') == [
        '他说："这是一个重要的步骤。"',
        "我们同意。",
    ]
    assert texts(zh, '我们同意。"下一句"是引语。') == ["我们同意。", '"下一句"是引语。']
    assert texts(zh, '他说："好。"她说："不。""第三"句。') == [
        '他说："好。"',
        '她说："不。"',
        '"第三"句。',
    ]
    assert texts(zh, '他问："真的?"他走了。欢迎.他说："好。"完') == [
        '他问："真的?"',
        "他走了。",
        "欢迎.",
        '他说："好。"',
        "完",
    ]
    assert texts(zh, '他说："我们走吧。")然后走了。') == ['他说："我们走吧。")', "然后走了。"]
    assert texts(zh, "他说：“我们走吧。”“下一句”是引语。") == [
        "他说：“我们走吧。”",
        "“下一句”是引语。",
    ]


def test_zh_unbalanced_bracket_does_not_swallow_the_paragraph(zh: Segmenter) -> None:
    assert texts(zh, "回顾《联合国宪章。第二句。第三句。") == [
        "回顾《联合国宪章。",
        "第二句。",
        "第三句。",
    ]
    assert texts(zh, "第一句》。第二句“。第三句。") == ["第一句》。", "第二句“。", "第三句。"]
    assert texts(zh, "《甲（乙》。丙。") == ["《甲（乙》。", "丙。"]


def test_zh_numbers_and_symbols_stay_whole(zh: Segmenter) -> None:
    text = "议程项目 127(s)。第59/48号决议！S-30/1 号决议，附件。增长2.5%。2023年7月4日？"
    assert texts(zh, text) == [
        "议程项目 127(s)。",
        "第59/48号决议！",
        "S-30/1 号决议，附件。",
        "增长2.5%。",
        "2023年7月4日？",
    ]


def test_zh_ascii_stops_split_only_before_cjk(zh: Segmenter) -> None:
    assert texts(zh, "真的吗?是的!好") == ["真的吗?", "是的!", "好"]
    assert texts(zh, "他说“真的?”他问") == ["他说“真的?”", "他问"]
    assert texts(zh, "见 Yahoo! Inc 公司。") == ["见 Yahoo! Inc 公司。"]
    assert texts(zh, "结束！？下一句") == ["结束！？", "下一句"]


def test_zh_an_ascii_full_stop_after_a_chinese_character_ends_a_sentence(
    zh: Segmenter,
) -> None:
    """As web pages and hand-typed text have it; never inside a number, a symbol, an
    ellipsis, after a (full-width) list number, or before Latin text."""
    assert texts(zh, "秘书长表示欢迎.他说:这是重要的一步。") == [
        "秘书长表示欢迎.",
        "他说:这是重要的一步。",
    ]
    assert texts(zh, "见A/77/L.107号文件.第3.5段.完") == ["见A/77/L.107号文件.", "第3.5段.", "完"]
    assert texts(zh, "１．大会注意到报告。") == ["１．大会注意到报告。"]
    assert texts(zh, "他说等等...然后走了。") == ["他说等等...然后走了。"]
    assert texts(zh, "联合国.UN 网站") == ["联合国.UN 网站"]
    for chapter in ("一. 导言", "二.合作活动", "十二. 结论和建议"):  # a report's chapters
        assert texts(zh, chapter) == [chapter]
    assert texts(zh, "实现统一.他说") == ["实现统一.", "他说"]


def test_zh_cuts_fall_on_jieba_token_boundaries(zh: Segmenter) -> None:
    for _, text, _, _ in ZH_REAL:
        joined = text + text
        bounds = {end for _, _, end in jieba.tokenize(joined)}
        spans = zh.split(joined)
        check_spans(joined, spans)
        assert {end for _, end in spans} <= bounds


# --- English and other Moses languages -------------------------------------


def test_real_en_paragraphs_are_one_segment_each(en: Segmenter) -> None:
    doc = make_doc("en", EN_REAL)
    segments = en.segment(doc)
    check_mapping(doc, segments)
    assert [s.text for s in segments] == [p[1] for p in EN_REAL]
    assert segments[5].links == ("https://undocs.org/en/A/RES/70/1",)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mr. Smith arrived. He left.", ["Mr. Smith arrived.", "He left."]),
        ("The U.N. Secretariat met. It agreed.", ["The U.N. Secretariat met.", "It agreed."]),
        ("Resolution 70/1. Resolution 60/288.", ["Resolution 70/1.", "Resolution 60/288."]),
        (
            "It grew by 2.5 per cent. See 59/48. Done.",
            ["It grew by 2.5 per cent.", "See 59/48.", "Done."],
        ),
        ("See No. 50518 and Art. 5. No. It was.", ["See No. 50518 and Art. 5.", "No.", "It was."]),
        ("As noted by J. Smith in para. 5 it held.", ["As noted by J. Smith in para. 5 it held."]),
        ("Is it? Yes! Fine.", ["Is it?", "Yes!", "Fine."]),
        ('He said "Go." Then he left.', ['He said "Go."', "Then he left."]),
        ("They met (in 2004.) The end.", ["They met (in 2004.)", "The end."]),
        ('It ended. "Next," he said.', ["It ended.", '"Next," he said.']),
        ("It rose in 2004. 2005 was worse.", ["It rose in 2004.", "2005 was worse."]),
    ],
)
def test_en_sentence_ends(en: Segmenter, text: str, expected: list[str]) -> None:
    assert texts(en, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "United Nations, Treaty Series, vol. 2896, No. 50518.",
        "Ibid., vol. 729, No. 10485.",
        "It acts on matters, e.g. the Council and i.e. its organs.",
        "See e.g. The Hague Conventions.",
        "Noting that it is committed; recalling that it met, in Qingdao, China.",
        "1. Acknowledges the constructive role of the Organization; notes its activities;",
        "IV. Conclusions and recommendations",
        "It grew by 2.5 per cent. and then fell.",
    ],
)
def test_en_no_split(en: Segmenter, text: str) -> None:
    assert texts(en, text) == [text]


def test_german_prefixes_come_from_the_german_list(en: Segmenter) -> None:
    de = get_segmenter("de")
    text = "Das gilt z.B. Deutschland bzw. Österreich. Er kam."
    assert texts(de, text) == ["Das gilt z.B. Deutschland bzw. Österreich.", "Er kam."]
    assert texts(en, text) == ["Das gilt z.B. Deutschland bzw.", "Österreich.", "Er kam."]


@pytest.mark.parametrize(
    ("lang", "citation"),
    [
        ("es", "el párr. 5 y el art. 3 de la resolución, Suplemento núm. 49 (A/59/49), vol. I"),
        ("es", "los párrs. 2 a 4, Supl. núm. 7, cap. IV, secc. 2, pág. 12"),
        ("fr", "au par. 5 et à l'art. 3, Suppl. no 49, chap. IV, p. 12"),
        ("ru", "в пп. 3 и 4, ст. 5 Устава, разд. 2, вып. 5, стр. 12, т.е. в Доп. № 49"),
        ("en", "in para. 5 and art. 3, Suppl. No. 49, vol. I, p. 12"),
        ("en", "in fig. 3 and figs. 4-5, Add. 1 and Corr. 2, Rev. 1, sess. 77, incl. 5"),
    ],
)
def test_un_citations_do_not_split(lang: str, citation: str) -> None:
    """The abbreviations UN documents cite paragraphs, articles and supplements with,
    which Moses' Spanish, French and Russian lists lack."""
    text = f"{citation[0].upper()}{citation[1:]} aplica. Otra frase."
    assert texts(get_segmenter(lang), text) == [
        f"{citation[0].upper()}{citation[1:]} aplica.",
        "Otra frase.",
    ]


@pytest.mark.parametrize(
    ("lang", "month", "dated", "after"),
    [
        ("en", "Sept", "The report of Sept. 2010 says so.", "It ended on Jan. 5. Next one."),
        ("fr", "déc", "La séance du 2 déc. 2004 l'a adopté.", "Elle a fini le 5 janv. 2005. Puis."),
        ("ru", "дек", "Заседание 2 дек. 2004 г. приняло его.", "Доклад от 5 сент. 2010 г. Конец."),
        (
            "de",
            "Dez",
            "Die Sitzung vom 2. Dez. 2004 nahm ihn an.",
            "Am 3. Jan. 2005 endete sie. Gut.",
        ),
        (
            "it",
            "dic",
            "La seduta del 2 dic. 2004 lo ha adottato.",
            "Il rapporto di sett. 2010. Fine.",
        ),
        ("es", "dic", "La sesión del 2 dic. 2004 lo aprobó.", "El informe de Sept. 2010. Fin."),
    ],
)
def test_an_abbreviated_month_before_a_number_does_not_end_a_sentence(
    lang: str, month: str, dated: str, after: str
) -> None:
    """Footnotes and references abbreviate months; before a capital they still end one."""
    seg = get_segmenter(lang)
    assert texts(seg, dated) == [dated]
    assert len(texts(seg, after)) == 2
    assert texts(seg, f"Es war {month}. Dann kam es.") == [f"Es war {month}.", "Dann kam es."]


def test_a_russian_year_ends_a_sentence_but_a_city_does_not() -> None:
    text = (
        "Резолюция от 2 декабря 2004 г. Генеральная Ассамблея постановляет. В 2010–2012 гг. "
        "Совет собирался. Он живет в г. Москве. В 2004 г., как известно, было."
    )
    assert texts(get_segmenter("ru"), text) == [
        "Резолюция от 2 декабря 2004 г.",
        "Генеральная Ассамблея постановляет.",
        "В 2010–2012 гг.",
        "Совет собирался.",
        "Он живет в г. Москве.",
        "В 2004 г., как известно, было.",
    ]


def test_a_citation_prefix_before_a_capital_still_ends_a_sentence() -> None:
    assert texts(get_segmenter("es"), "Véase el art. El Consejo decide.") == [
        "Véase el art.",
        "El Consejo decide.",
    ]


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        (
            "ar",
            "إذ تشير إلى قرارها 59/48 المؤرخ 2 كانون الأول/ديسمبر 2004. وإذ تلاحظ أن المنظمة "
            "ملتزمة، تقرر إدراج البند؟ وتطلب إلى الأمين العام تقديم تقرير!",
            [
                "إذ تشير إلى قرارها 59/48 المؤرخ 2 كانون الأول/ديسمبر 2004.",
                "وإذ تلاحظ أن المنظمة ملتزمة، تقرر إدراج البند؟",
                "وتطلب إلى الأمين العام تقديم تقرير!",
            ],
        ),
        ("he", "העצרת הכללית מחליטה. היא מבקשת דוח.", ["העצרת הכללית מחליטה.", "היא מבקשת דוח."]),
        ("en", "It was late. then it rained.", ["It was late. then it rained."]),
    ],
)
def test_scripts_without_case_split_at_their_stops(
    lang: str, text: str, expected: list[str]
) -> None:
    """Moses splits only before an uppercase letter, which Arabic and Hebrew do not have:
    an Arabic paragraph used to stay one segment."""
    assert texts(get_segmenter(lang), text) == expected


def test_japanese_splits_at_its_full_width_stops() -> None:
    text = "総会は、決議を想起する。事務総長に報告書の提出を要請する！"
    assert texts(get_segmenter("ja"), text) == [
        "総会は、決議を想起する。",
        "事務総長に報告書の提出を要請する！",
    ]


def test_en_segmenter_leaves_chinese_paragraphs_whole(en: Segmenter) -> None:
    doc = make_doc("zh", ZH_REAL)
    segments = en.segment(doc)
    check_mapping(doc, segments)
    assert [s.text for s in segments] == [p[1] for p in ZH_REAL]


# --- shared behaviour -------------------------------------------------------


def test_segments_are_trimmed_and_map_back_across_whitespace(en: Segmenter, zh: Segmenter) -> None:
    doc = make_doc("en", [body("  One here.   Two there.  "), body("   "), body("")])
    segments = en.segment(doc)
    check_mapping(doc, segments)
    assert [s.text for s in segments] == ["One here.", "Two there."]
    heading: Para = ("heading", "\u3000标题\u3000", None, ())
    zh_doc = make_doc("zh", [body(" 第一句。 第二句， "), heading])
    zh_segments = zh.segment(zh_doc)
    check_mapping(zh_doc, zh_segments)
    assert [(s.paragraph, s.text, s.kind) for s in zh_segments] == [
        (0, "第一句。", "body"),
        (0, "第二句，", "body"),
        (1, "标题", "heading"),
    ]


def test_inconsistent_block_offsets_are_refused(zh: Segmenter) -> None:
    doc = make_doc("zh", [body("第一句。")])
    bad = CleanDocument("zh", doc.text, (Block(0, "body", "第一句。", 1, 5),), ())
    with pytest.raises(ValueError, match="block 0"):
        zh.segment(bad)


ALPHABET = "。！？!?.,;，；《》“”「」（）()’ \u3000\n中文句号aAbZ129/-%"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=40))
def test_spans_cover_every_non_space_character(text: str) -> None:
    for lang in ("zh", "en"):
        check_spans(text, get_segmenter(lang).split(text))


@given(
    st.lists(st.sampled_from(["人民", "word ", "，", ", ", "  ", "x"]), max_size=400),
    st.integers(10, 60),
)
def test_cap_cuts_at_commas_or_spaces_and_keeps_every_character(
    parts: list[str], limit: int
) -> None:
    text = "".join(parts)
    span = trim(text, 0, len(text))
    if span is None:
        return
    pieces = cap(text, span, limit)
    assert all(e - s <= limit for s, e in pieces)
    assert all(a[1] <= b[0] for a, b in zip(pieces, pieces[1:], strict=False))
    kept = "".join(text[s:e] for s, e in pieces)
    assert kept.replace(" ", "") == text.replace(" ", "")
    if len(text.strip()) <= limit:
        assert pieces == [span]


def test_cap_prefers_the_last_comma_or_space_before_the_limit() -> None:
    text = "甲" * 30 + "，" + "乙" * 30 + "，" + "丙" * 30
    assert [text[s:e] for s, e in cap(text, (0, len(text)), 70)] == [
        "甲" * 30 + "，" + "乙" * 30 + "，",
        "丙" * 30,
    ]
    solid = "人" * 25
    assert [e - s for s, e in cap(solid, (0, 25), 10)] == [10, 10, 5]


@pytest.mark.parametrize(
    ("lang", "limit"), [("zh", MAX_SENTENCE["cjk"]), ("en", MAX_SENTENCE["other"])]
)
def test_a_sentence_too_long_to_be_one_is_cut_and_said(lang: str, limit: int) -> None:
    """A 100,000-character line (a table run together) was one segment and wrecked the
    alignment of the whole document."""
    long = ("人民" if lang == "zh" else "word ") * limit
    text = f"{'大会。' if lang == 'zh' else 'The Assembly.'}\n{long}"
    first = text.index("\n")
    doc = CleanDocument(
        lang,
        text,
        (
            Block(0, "body", text[:first], 0, first),
            Block(1, "body", text[first + 1 :], first + 1, len(text)),
        ),
        (),
    )
    overlong: list[Overlong] = []
    segments = segment_document(doc, overlong)
    assert [len(s.text) <= limit for s in segments] == [True] * len(segments)
    assert len(segments) >= 3 and {s.paragraph for s in segments[1:]} == {1}
    assert overlong == [Overlong(1, len(long.strip()), len(segments) - 1)]
    assert "".join(s.text for s in segments[1:]).replace(" ", "") == long.replace(" ", "")
    assert segment_document(doc) == segments


def test_zh_a_straight_quoted_passage_of_sentences_stays_one_as_between_curly_quotes(
    zh: Segmenter,
) -> None:
    """It was cut at its inner 。, leaving ``"我们同意。`` and ``明天开会。"`` as two units."""
    for q, p in (('"', '"'), ("“", "”")):
        assert texts(zh, f"他说：{q}我们同意。明天开会。{p}大会通过了决议。") == [
            f"他说：{q}我们同意。明天开会。{p}",
            "大会通过了决议。",
        ]
    assert texts(zh, '一个"引号。然后。') == ['一个"引号。', "然后。"]  # a stray quote pairs none
