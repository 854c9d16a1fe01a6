"""One table of searches over narratives in many scripts, run on SQLite and on PostgreSQL: both
databases must give exactly these answers (case, accents, Arabic-script variants and clitics,
Chinese and Korean substrings), and relevance must order them the same way."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from complaints.domain.search_text import clitic_variants, document, query_words
from complaints.extensions import db
from complaints.models import Complaint
from complaints.services.search import matching, relevance

NARRATIVES = {
    "en": "The guards refused to call an interpreter during my interview.",
    "es": "No me dieron un intérprete durante la entrevista en la frontera.",
    "fr": "L'agent a refusé l'interprète à l'aéroport.",
    "pt": "Não me deram intérprete na audiência.",
    "vi": "Tôi không được cung cấp thông dịch viên tại Đà Nẵng.",
    "ar_detention": "تم الاحتجاز دون إبلاغي بالتهم ولم يسمحوا لي بمحامٍ",
    "ar_interpreter": "رفض الضابط توفير مترجم أثناء المقابلة، وطلبت مترجماً مرة أخرى",
    "ar_clitic": "والاحتجاز كان طويلاً جداً",
    "fa": "پولیس مرا بدون ترجمان بازداشت کرد",
    "ps": "ما ته ژباړونکی را نه کړل شو",
    "ru": "Офицер отказал мне в переводчике на допросе. Ещё раз.",
    "uk": "Мені не надали перекладача.",
    "zh_hans": "警察在机场拘留了我，没有提供翻译。",
    "zh_hant": "警察在機場拘留了我，沒有提供翻譯。",
    "ko": "경찰이 공항에서 나를 구금했습니다",
    "so": "Waxaa la ii diiday turjubaan.",
    "tl": "Hindi ako binigyan ng tagasalin sa paliparan.",
    "ht": "Yo pa ban mwen yon entèprèt.",
}

# (query, the narratives it must find) -- the same on every database.
EXPECTED = [
    ("interpreter", {"en"}),
    ("intérprete", {"es", "fr", "pt"}),
    ("INTERPRETE", {"es", "fr", "pt"}),
    ("interprète", {"es", "fr", "pt"}),
    ("aeroport", {"fr"}),
    ("احتجاز", {"ar_detention", "ar_clitic"}),  # finds الاحتجاز and والاحتجاز
    ("الاحتجاز", {"ar_detention", "ar_clitic"}),
    ("والاحتجاز", {"ar_detention", "ar_clitic"}),
    ("محام", {"ar_detention"}),  # بمحامٍ: preposition and tanween
    ("مترجم", {"ar_interpreter"}),
    ("مترجماً", {"ar_interpreter"}),  # tanween fath and its alef
    ("ابلاغي", {"ar_detention"}),  # إ written as ا
    ("طويلا", {"ar_clitic"}),
    ("ترجمان", {"fa"}),
    ("بازداشت كرد", {"fa"}),  # Arabic kaf for Persian ک
    ("ژباړونكي", {"ps"}),  # Arabic kaf and yeh for Pashto ک and ی
    ("еще", {"ru"}),  # ё
    ("ПЕРЕКЛАДАЧА", {"uk"}),
    ("Đà Nẵng", {"vi"}),
    ("da nang", {"vi"}),
    ("拘留", {"zh_hans", "zh_hant"}),  # two characters: LIKE
    ("机场拘留", {"zh_hans"}),  # trigrams
    ("機場", {"zh_hant"}),
    ("구금", {"ko"}),
    ("공항에서", {"ko"}),
    ("turjubaan", {"so"}),
    ("tagasalin paliparan", {"tl"}),
    ("entepret", {"ht"}),
    ("interpreter water", set()),
    ("مترجم احتجاز", set()),
    ("لد", set()),  # no clitic is taken off a short word
]


@pytest.fixture
def corpus(file_via_api) -> dict[str, str]:
    return {key: file_via_api(narrative=text)["receipt"] for key, text in NARRATIVES.items()}


def _found(app, query: str) -> set[str]:
    with app.app_context():
        condition = matching(query)
        assert condition is not None, query
        return set(db.session.scalars(select(Complaint.receipt).where(condition)))


def test_one_table_of_searches_gives_the_same_answers_on_every_database(app, corpus) -> None:
    keys = {receipt: key for key, receipt in corpus.items()}
    failures = []
    for query, expected in EXPECTED:
        for walk in (False, True):  # both plans SQLite may choose give the same answer
            with app.app_context():
                condition = matching(query, walk=walk)
                found = {keys[r] for r in db.session.scalars(
                    select(Complaint.receipt).where(condition))}
            if found != expected:
                failures.append((query, walk, sorted(found), sorted(expected)))
    assert not failures


def test_relevance_counts_every_occurrence_of_the_terms(app, file_via_api, corpus) -> None:
    twice = file_via_api(narrative="Interpreter? I asked for an interpreter twice.")["receipt"]
    with app.app_context():
        score = relevance("interpreter")
        rows = db.session.execute(select(Complaint.receipt, score).where(matching("interpreter"))
                                  .order_by(score.desc(), Complaint.id.desc())).all()
    assert [(r, s) for r, s in rows] == [(twice, 2), (corpus["en"], 1)]


def test_a_document_holds_each_arabic_word_without_its_clitics() -> None:
    assert clitic_variants("والاحتجاز") == ["الاحتجاز", "احتجاز"]
    assert clitic_variants("بمحام") == ["محام"]
    assert clitic_variants("بلد") == []  # too short to be a preposition and a word
    assert document("بمحامٍ").split() == ["بمحام", "محام"]
    assert query_words(["الاحتجاز", "محام", "بلد"]) == ["احتجاز", "محام", "بلد"]
