"""Tip search as teachers use it, on the labelled library of bench/search_eval: questions,
typos, other words; the index kept in step; the advisor's list of other words."""

import importlib.util
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from helpdesk.accounts.models import Role
from helpdesk.tips import index, ranking, services
from helpdesk.tips.index_models import SearchPosting, SearchTerm, SynonymGroup
from helpdesk.tips.models import Tip, TipStatus
from helpdesk.tips.synonyms import install_starter_groups, save_synonyms
from tests.requests.test_race import _signed_in_client

RUNNER = Path(__file__).resolve().parents[2] / "bench" / "search_eval.py"


@pytest.fixture(scope="module")
def search_eval():
    spec = importlib.util.spec_from_file_location("bench_search_eval_q", RUNNER)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


@pytest.fixture
def library(db, search_eval):
    install_starter_groups()
    search_eval.seed_library(db.session)
    db.session.commit()
    return search_eval


def _first_titles(query: str, n: int = 5, **kwargs) -> list[str]:
    return [t.title for t in services.search_tips(query, **kwargs).tips[:n]]


@pytest.mark.parametrize(
    ("query", "answer"),
    [
        ("How do I stop my iPad locking?", "Keep an iPad screen from turning off"),
        ("chromebok wifi", "Chromebook won't connect to Wi-Fi"),
        ("kids can't hear the video", "No sound when you play a video to the class"),
    ],
)
def test_the_questions_from_the_issue_find_their_tip_first(library, query, answer):
    assert _first_titles(query, 1) == [answer]


def test_every_labelled_query_finds_a_right_tip_in_the_first_five(library):
    misses = [
        q.text for q in library.load_queries() if not set(q.answers) & set(_first_titles(q.text))
    ]
    assert len(misses) <= 0.1 * len(library.load_queries()), misses


def test_a_typo_says_what_was_searched_and_offers_the_words_as_typed(library, client, login_as):
    login_as(Role.TEACHER)
    page = client.get("/tips/?q=chromebok+wifi").get_data(as_text=True)
    assert "Showing results for <strong>chromebook wifi</strong>" in page
    assert "literal=1" in page and "t connect to" in page
    literal = client.get("/tips/?q=chromebok+wifi&literal=1").get_data(as_text=True)
    assert "Showing results for" not in literal


def test_an_exact_word_ranks_above_its_synonym(db, make_tip):
    save_synonyms("wifi, wi-fi, wireless")
    synonym = make_tip(title="Reconnect the Wi-Fi", body="Forget the network, join again.")
    exact = make_tip(title="Reconnect the wireless", body="Forget the network, join again.")
    db.session.commit()
    assert services.search_tips("wireless").tips == [exact, synonym]
    assert services.search_tips("wifi").tips == [synonym, exact]


def test_editing_the_list_changes_the_next_search_without_reindexing(db, make_tip):
    tip = make_tip(title="Turn on dictation", body="Press the microphone key.")
    assert services.search_tips("voice typing").tips == []
    save_synonyms("dictation, voice typing")
    db.session.commit()
    assert services.search_tips("voice typing").tips == [tip]


def test_nothing_found_says_why_and_offers_help(library, client, login_as):
    login_as(Role.TEACHER)
    page = client.get("/tips/?q=xylophonequartz").get_data(as_text=True)
    assert "No tips match “xylophonequartz”" in page
    assert "No tip uses “xylophonequartz”" in page and "Most helpful tips" in page
    assert "Ask the tech team" in page and "/requests/new?summary=xylophonequartz" in page
    form = client.get("/requests/new?summary=xylophonequartz").get_data(as_text=True)
    assert 'value="xylophonequartz"' in form


def test_suggestions_ignore_a_lone_common_word(library):
    assert services.suggest_tips("my class").tips == []
    titles = [t.title for t in services.suggest_tips("the projector says no signal").tips]
    assert titles and "projector" in titles[0].lower()


def test_related_tips_come_from_the_same_engine(library):
    tip = db_tip("Keep an iPad screen from turning off")
    related = services.related_tips(tip)
    assert related and tip not in related
    assert all("ipad" in (t.title + t.tags_text).lower() for t in related[:2])


def db_tip(title: str) -> Tip:
    from helpdesk.extensions import db

    return db.session.scalar(select(Tip).where(Tip.title == title))


@pytest.mark.parametrize("role", [Role.TEACHER, Role.MENTOR, Role.STAFF])
def test_only_the_advisor_edits_the_list(db, client, login_as, role):
    install_starter_groups()
    db.session.commit()
    login_as(role)
    assert client.get("/tips/synonyms").status_code in (403, 404)
    response = client.post_form("/tips/synonyms", {"groups": "a, b"}, page="/tips/")
    assert response.status_code in (403, 404)
    assert db.session.scalar(select(func.count(SynonymGroup.id))) > 1


def test_the_advisor_edits_the_list_and_bad_lines_change_nothing(db, client, login_as):
    install_starter_groups()
    db.session.commit()
    login_as(Role.ADVISOR)
    page = client.get("/tips/synonyms").get_data(as_text=True)
    assert "wifi, wi-fi, wireless" in page
    bad = client.post_form(
        "/tips/synonyms", {"groups": "ok, fine\nlonely\n<script>, x"}, page="/tips/synonyms"
    )
    assert "Line 2: a group needs at least two different words." in bad.get_data(as_text=True)
    assert db.session.scalar(select(func.count(SynonymGroup.id))) > 2
    done = client.post_form(
        "/tips/synonyms",
        {"groups": "Chromebook, CB\n\nsmartboard, promethean"},
        page="/tips/synonyms",
        follow_redirects=True,
    )
    assert "Saved 2 groups" in done.get_data(as_text=True)
    assert db.session.scalars(select(SynonymGroup.words).order_by(SynonymGroup.position)).all() == [
        "chromebook, cb", "smartboard, promethean"]  # fmt: skip


def _index_snapshot(db):
    postings = {(p.tip_id, p.term_id) for p in db.session.scalars(select(SearchPosting))}
    counts = {t.term: t.document_count for t in db.session.scalars(select(SearchTerm))}
    named = {(tip, term) for tip, term in postings}
    return named, {k: v for k, v in counts.items() if v}


def test_the_index_follows_every_change_to_a_tip(db, make_tip, make_user, make_skill):
    advisor = make_tip.advisor()
    kept = make_tip(title="Cast a Chromebook", body="Open quick settings and choose Cast.")
    moving = make_tip(title="Print a slide deck", body="Choose File, then Print.")
    services.update_tip(moving, by=advisor, title="Print handouts from Slides",
                        body="Choose File, Print, Handouts.", skills=[make_skill("Slides")],
                        devices=moving.devices)  # fmt: skip
    db.session.commit()
    assert services.search_tips("handouts").tips == [moving]
    assert services.search_tips("deck").tips == []
    services.return_tip(moving, by=advisor, comment="Names a class.")
    db.session.commit()
    assert services.search_tips("print").tips == []
    assert services.search_tips("cast").tips == [kept]
    live = _index_snapshot(db)
    index.rebuild(db.session.connection())
    db.session.commit()
    assert _index_snapshot(db)[1] == live[1]  # the same terms in the same number of tips


def test_tips_published_at_once_are_all_indexed(app, db, make_tip):
    """Six advisors' sessions publish six tips sharing new words at the same moment: each
    request succeeds, and the shared words count all six (no lost update, no deadlock)."""
    advisor = make_tip.advisor()
    ids = [
        make_tip(
            title=f"Shared words tip {n}",
            body=f"Common words and unique{n}zz.",
            status=TipStatus.SUBMITTED,
        ).id  # fmt: skip
        for n in range(6)
    ]
    clients = [_signed_in_client(app, advisor) for _ in ids]
    barrier = threading.Barrier(len(ids))
    statuses = []

    def publish(tip_id, client, token):
        barrier.wait(timeout=10)
        with app.app_context():
            response = client.post(f"/tips/{tip_id}/publish", data={"csrf_token": token})
            statuses.append(response.status_code)

    threads = [
        threading.Thread(target=publish, args=(tip_id, *clients[n])) for n, tip_id in enumerate(ids)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302] * 6
    db.session.expire_all()
    assert len(services.search_tips("common words").tips) == 6
    shared = db.session.scalar(select(SearchTerm).where(SearchTerm.term == "common"))
    assert shared.document_count == 6
    for n in range(6):
        assert len(services.search_tips(f"unique{n}zz").tips) == 1


def test_reindex_command_rebuilds_the_index_with_the_same_results(app, library):
    before = _first_titles("projector no signal", 5)
    result = app.test_cli_runner().invoke(args=["reindex-tips"])
    assert result.exit_code == 0 and "Indexed 81 published tips." in result.output
    assert _first_titles("projector no signal", 5) == before


def test_a_quoted_phrase_keeps_only_tips_that_hold_it_even_when_few_do(db, make_tip, monkeypatch):
    monkeypatch.setattr(ranking, "DEPTHS", (5,))  # bounded reads, as in a large library
    phrase = make_tip(title="Version history in Docs", body="Open File, then Version history.")
    for n in range(30):  # many tips with both words, not together
        make_tip(title=f"History of the version {n}", body="History first. Then a version.")
    assert services.search_tips('"version history"').tips == [phrase]


def test_a_quoted_phrase_with_a_hyphenated_word_is_found(db, make_tip):
    tip = make_tip(title="Hidden options", body="Open the three-dot menu, then Settings.")
    make_tip(title="Other", body="Three ways to dot a menu.")
    assert services.search_tips('"three-dot menu"').tips == [tip]
