"""Every spelling of a language code behaves as that language, in every stage and output."""

from __future__ import annotations

import re

import pytest

from align import lexicon, signals
from align.clean import clean
from align.errors import InputError
from align.languages import (
    base_language,
    checked_tag,
    guess_language,
    is_cjk,
    lang_code,
    language_tag,
    tag_problem,
)
from align.pipeline import Settings
from align.segmenters import get_segmenter
from align.segmenters.zh import ZhSegmenter
from align.types import join_texts

SPELLINGS = ["zh-CN", "zh_CN", "ZH", "zh-Hans", "zh_hans_cn", " zh-cn "]


@pytest.mark.parametrize(
    ("code", "base", "tag"),
    [
        ("zh", "zh", "zh"),
        ("zh_CN", "zh", "zh-CN"),
        ("zh-cn", "zh", "zh-CN"),
        ("ZH-HANS-tw", "zh", "zh-Hans-TW"),
        ("en_US", "en", "en-US"),
        ("EN", "en", "en"),
        ("sr_Latn_RS", "sr", "sr-Latn-RS"),
        ("es-419", "es", "es-419"),
        ("de-CH-1996", "de", "de-CH-1996"),
        (" fr ", "fr", "fr"),
    ],
)
def test_base_language_and_tag(code: str, base: str, tag: str) -> None:
    assert base_language(code) == base
    assert language_tag(code) == tag


@pytest.mark.parametrize("code", SPELLINGS)
def test_each_stage_reads_every_spelling_of_chinese_as_chinese(
    code: str, zh_seed_text: str
) -> None:
    assert is_cjk(code)
    assert clean(zh_seed_text, code).text == clean(zh_seed_text, "zh").text
    assert isinstance(get_segmenter(code), ZhSegmenter)
    assert join_texts(["他来了。", "我们走吧。"], code) == "他来了。我们走吧。"
    sentence = "今天下雨了，我们明天再去北京看看长城吧"
    assert signals.edge_clauses(sentence, code) == signals.edge_clauses(sentence, "zh")
    assert signals.edge_clauses(sentence, code)[0] == "今天下雨了，"
    bags = lexicon.sentence_bags(["我们明天去北京"], ["We go to Beijing tomorrow"], code, "en_US")
    assert bags is not None and bags == lexicon.sentence_bags(
        ["我们明天去北京"], ["We go to Beijing tomorrow"], "zh", "en"
    )


def test_settings_and_outputs_carry_bcp47_tags() -> None:
    settings = Settings(src_lang="zh_CN", tgt_lang="en_gb")
    assert (settings.src_lang, settings.tgt_lang) == ("zh-CN", "en-GB")
    assert Settings(src_lang="ZH").src_lang == "zh"
    assert lang_code("zh") == "zh-CN"
    assert lang_code("zh_TW") == "zh-TW"
    assert lang_code("pt_br") == "pt-BR"


@pytest.mark.parametrize(
    ("text", "candidates", "want"),
    [
        (
            "大会，回顾联合国的宗旨之一是在维护国际和平与安全方面开展合作，A/77/L.107",
            ("zh", "en"),
            "zh",
        ),
        (
            "The General Assembly, recalling that one of the purposes of the Organization",
            ("zh", "en"),
            "en",
        ),
        (
            "The General Assembly, recalling that one of the purposes of the Organization",
            ("en", "zh"),
            "en",
        ),
        (
            "Генеральная Ассамблея, ссылаясь на то, что одной из целей Организации",
            ("en", "ru"),
            "ru",
        ),
        (
            "الجمعية العامة، إذ تشير إلى أن أحد مقاصد الأمم المتحدة هو تحقيق التعاون",
            ("ar", "en"),
            "ar",
        ),
        (
            "L’Assemblée générale, rappelant que l’un des buts de l’Organisation est de "
            "réaliser la coopération internationale dans le maintien de la paix et de la sécurité",
            ("en", "fr"),
            "fr",
        ),
        (
            "The General Assembly, recalling that one of the purposes of the United Nations is to "
            "achieve cooperation in the maintenance of international peace and security",
            ("fr", "en"),
            "en",
        ),
        (
            "Die Generalversammlung, unter Hinweis darauf, dass eines der Ziele der "
            "Vereinten Nationen die Zusammenarbeit ist, und mit der Feststellung, "
            "dass die Organisation",
            ("de", "fr"),
            "de",
        ),
        ("Der Weg zum Gipfel", ("de", "fr"), None),  # too few words to tell de from fr
        (
            "Генеральная Ассамблея, ссылаясь на то, что одной из целей Организации",
            ("zh", "en"),
            None,
        ),
        ("12345 67890 ----", ("zh", "en"), None),
        ("大会，回顾联合国的宗旨之一是在维护国际和平与安全方面开展合作", ("ja", "zh", "en"), "zh"),
        ("総会は、国際の平和及び安全の維持に関する国際連合の目的を想起", ("zh", "ja", "en"), "ja"),
    ],
)
def test_guess_language(text: str, candidates: tuple[str, ...], want: str | None) -> None:
    assert guess_language(text, candidates) == want


@pytest.mark.parametrize(
    "code",
    ["zh", "ZH", "zh-CN", "zh_tw", "zh-Hans-CN", "en-GB", "en_us", "fr-fr", "de-CH-1996",
     "es-419", "sr-Latn-RS", "yue", "fil", "pt-BR", "ar", "en-EU"],
)  # fmt: skip
def test_codes_cat_tools_know_pass(code: str) -> None:
    assert tag_problem(code) is None
    assert checked_tag(code) == language_tag(code)


@pytest.mark.parametrize(
    ("code", "says"),
    [
        ("en-UK", "write en-GB"),
        ("EN_uk", "write en-GB"),
        ("cy-UK", "write cy-GB"),
        ("uk-UK", "write uk-UA"),
        ("jp", "write ja"),
        ("cn", "write zh"),
        ("cn-TW", "write zh-TW"),
        ("eng", "write en"),
        ("chi", "write zh"),
        ("iw", "write he"),
        ("zh-CHS", "write zh-Hans"),
        ("zh-CHT", "write zh-Hant"),
        ("english", "name, not its code: write en"),
        ("Chinese", "name, not its code: write zh"),
        ("zz", "zz is no language's code"),
        ("zz-QQ", "zz is no language's code"),
        (
            "en-EN",
            "EN is no country's code (ISO 3166-1): write en alone, or with its country (en-US)",
        ),
        ("ko-KO", "(ko-KR)"),
        ("en US", "not a language code"),
        ("", "not a language code"),
        ("z", "not a language code"),
        ("english-UK", "name, not its code: write en"),
    ],
)
def test_codes_no_cat_tool_knows_say_what_to_write(code: str, says: str) -> None:
    problem = tag_problem(code)
    assert problem is not None and says in problem, problem
    with pytest.raises(InputError, match=f"--tgt-lang '{re.escape(code)}': "):
        checked_tag(code, "--tgt-lang")


def test_settings_refuse_a_code_no_cat_tool_knows() -> None:
    with pytest.raises(InputError, match="target language 'en-UK': .*write en-GB"):
        Settings(tgt_lang="en-UK")
    assert Settings(src_lang="zh_cn", tgt_lang="EN-gb").tgt_lang == "en-GB"
