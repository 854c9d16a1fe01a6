"""Narrative search through the real database (SQLite FTS5, PostgreSQL GIN + pg_trgm), in
several scripts, with hostile input."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from complaints.domain.search_text import MAX_TOKEN_CHARS
from complaints.extensions import db
from complaints.models import Complaint
from complaints.services.search import (
    MAX_TERMS,
    like_contains,
    matching,
    narrative_condition,
    search_terms,
)

NARRATIVES = {
    "english": "The guards refused to call an interpreter during my interview.",
    "spanish": "No me dieron un intérprete durante la entrevista en la frontera.",
    "arabic": "رفض الضابط توفير مترجم أثناء المقابلة",
    "russian": "Офицер отказал мне в переводчике на допросе.",
    "chinese": "警察在机场拘留了我，没有提供翻译。",
    "korean": "경찰이 공항에서 나를 구금했습니다",
}


@pytest.fixture
def filed(file_via_api) -> dict[str, str]:
    """One complaint per narrative, filed through the API: {key: receipt}."""
    return {key: file_via_api(narrative=narrative)["receipt"]
            for key, narrative in NARRATIVES.items()}


def search(app, query: str) -> set[str]:
    """Receipts of the complaints the query finds (none when it has nothing searchable)."""
    with app.app_context():
        condition = matching(query)
        if condition is None:
            return set()
        return set(db.session.scalars(select(Complaint.receipt).where(condition)))


def dialect(app) -> str:
    with app.app_context():
        return db.engine.dialect.name


def test_english_word_is_found_whatever_its_case(app, filed) -> None:
    assert search(app, "interpreter") == {filed["english"]}
    assert search(app, "INTERPRETER") == {filed["english"]}


def test_accents_are_ignored_on_both_databases(app, filed) -> None:
    assert search(app, "intérprete") == {filed["spanish"]}
    assert search(app, "interprete") == {filed["spanish"]}
    assert search(app, "INTERPRETE") == {filed["spanish"]}


def test_arabic_word_is_found(app, filed) -> None:
    assert search(app, "مترجم") == {filed["arabic"]}


def test_russian_word_is_found_whatever_its_case(app, filed) -> None:
    assert search(app, "переводчике") == {filed["russian"]}
    assert search(app, "ОФИЦЕР") == {filed["russian"]}


def test_chinese_substring_of_three_characters_uses_trigrams(app, filed) -> None:
    assert search(app, "拘留了") == {filed["chinese"]}


def test_two_chinese_characters_are_an_indexed_pair_and_one_falls_back_to_like(app,
                                                                            filed) -> None:
    assert search_terms("翻译").words == ("翻译",)
    assert search(app, "翻译") == {filed["chinese"]}
    assert search(app, "译没") == set(), "a pair across punctuation is not a substring"
    assert search_terms("警").substrings == ("警",)
    assert search(app, "警") == {filed["chinese"]}


def test_korean_word_finds_it_with_a_particle_attached(app, filed) -> None:
    assert search(app, "경찰") == {filed["korean"]}
    assert search(app, "구금했") == {filed["korean"]}


def test_every_term_must_appear(app, filed) -> None:
    assert search(app, "interpreter guards") == {filed["english"]}
    assert search(app, "interpreter frontera") == set()
    assert search(app, "拘留 机场") == {filed["chinese"]}
    assert search(app, "拘留 경찰") == set()


def test_no_false_positives(app, filed) -> None:
    assert search(app, "water") == set()
    assert search(app, "interp") == set()  # words match whole, not as prefixes
    assert search(app, "翻译员") == set()
    assert search(app, "察警") == set()
    assert search(app, "interpret%") == set()


def test_like_wildcards_are_escaped() -> None:
    assert like_contains("5%_a\\b") == "%5\\%\\_a\\\\b%"


def test_an_update_of_the_narrative_is_reflected(app, filed) -> None:
    with app.app_context():
        complaint = db.session.scalar(select(Complaint).where(
            Complaint.receipt == filed["english"]))
        complaint.narrative = "They took my passport at the border. 没收了护照"
        db.session.commit()
    assert search(app, "interpreter") == set()
    assert search(app, "passport") == {filed["english"]}
    assert search(app, "没收了") == {filed["english"]}


def test_reindexing_catches_up_with_narratives_changed_outside_the_app(app, runner,
                                                                      filed) -> None:
    with app.app_context():
        db.session.execute(update(Complaint).where(Complaint.receipt == filed["english"])
                           .values(narrative="They took my passport at the border."))
        db.session.commit()
    assert search(app, "passport") == set(), "SQL bypasses the app"
    result = runner.invoke(args=["reindex-search"])
    assert result.exit_code == 0, result.output
    assert f"reindexed {len(NARRATIVES)} complaints" in result.output
    assert search(app, "passport") == {filed["english"]}
    assert search(app, "interpreter") == set()


def test_condition_composes_with_a_queue_page(app, filed, file_via_api) -> None:
    newer = file_via_api(narrative="Again no interpreter at my hearing.")["receipt"]
    with app.app_context():
        page = (select(Complaint.receipt)
                .where(matching("interpreter"), Complaint.status == "received")
                .order_by(Complaint.received_at.desc(), Complaint.id.desc()).limit(1))
        assert db.session.scalars(page).all() == [newer]


HOSTILE = ['"', '""', "*", "NEAR", "OR", "AND", "NOT", "-x", "'; DROP TABLE complaints; --",
           "a\x00b", "\x00", "x" * 5000, "interpreter OR water", 'NEAR("interpreter" guards)',
           '"interpreter', "narrative:interpreter", "^interpreter", "interpreter*", "(",
           "%", "_", "\\", "\ud800interpreter", "警察\x00拘留", "a " * 100,
           "\u0301", "²", "ـ", "〇", "🙂", "e\u0301", "ﷺ", "\u200c"]


def test_hostile_input_never_raises(app, filed) -> None:
    for query in HOSTILE:
        assert search(app, query) <= set(filed.values()), repr(query)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Complaint)) == len(NARRATIVES)


def test_operators_and_symbols_are_plain_text(app, filed) -> None:
    assert search(app, "interpreter*") == {filed["english"]}
    assert search(app, "^interpreter") == {filed["english"]}
    assert search(app, '"interpreter') == {filed["english"]}
    assert search(app, "interpreter OR water") == set()


@pytest.mark.parametrize("query", ["", "   ", "*", '" -- ! ?', "\x00", "\t\n", "%_"])
def test_query_with_nothing_searchable_gives_none(query) -> None:
    assert narrative_condition(query, "sqlite") is None
    assert narrative_condition(query, "postgresql") is None


def test_terms_are_capped() -> None:
    terms = search_terms(" ".join(f"word{i}" for i in range(50)))
    assert len(terms.words) == MAX_TERMS
    assert search_terms("x" * 5000).words == ("x" * MAX_TOKEN_CHARS,)


def test_searches_use_their_indexes(app, filed) -> None:
    with app.app_context(), db.engine.connect() as connection:
        name = connection.dialect.name
        if name == "postgresql":
            connection.exec_driver_sql("SET enable_seqscan = off")
        for query, index in (("interpreter", "complaint_search_terms"),
                             ("拘留了", "complaint_search_trigram")):
            statement = select(Complaint.id).where(narrative_condition(query, name))
            sql = str(statement.compile(connection, compile_kwargs={"literal_binds": True}))
            prefix = "EXPLAIN QUERY PLAN " if name == "sqlite" else "EXPLAIN "
            if name == "postgresql":
                sql = sql.replace("%", "%%")  # psycopg placeholders
            plan = " ".join(str(row) for row in connection.exec_driver_sql(prefix + sql))
            if name == "postgresql":
                index = ("ix_complaint_search_terms" if index.endswith("terms")
                         else "ix_complaints_narrative_trgm")
            assert index in plan, plan
