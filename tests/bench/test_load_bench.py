"""The load bench's own parts (bench/load.py, issue 14): the questions it asks are as many and
as different as it says, it reads the app's answers the way the app writes them, and its
figures (ratios, percentiles, server times) are computed as the report says."""

import random
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

from bench import questions, tips_search
from bench.mixes import Phase, Round, percentile, server_times
from bench.writer import flash_categories
from helpdesk.accounts.models import Role

TODAY = date(2027, 3, 10)


def _finder_paths(count: int = 200, seed: int = 1) -> list[str]:
    return questions.finder_paths(
        random.Random(seed),
        count=count,
        today=TODAY,
        skill_ids=list(range(1, 26)),
        lengths=[30, 45],
        school_ids=[3, 4],
    )


def test_finder_questions_are_distinct_and_within_the_forms_choices():
    paths = _finder_paths()
    assert len(set(paths)) == 200
    for path in paths:
        query = {k: v[0] for k, v in parse_qs(urlsplit(path).query).items()}
        start, end = date.fromisoformat(query["start"]), date.fromisoformat(query["end"])
        assert TODAY <= start <= TODAY + timedelta(days=20)
        assert (end - start).days in questions.RANGES
        assert int(query["minutes"]) in (30, 45)
        assert int(query["skill_id"]) in range(1, 26)
        assert query.get("school_id", "3") in ("3", "4")
    # Some questions narrow to a school or to online mentors; most do not.
    assert 0 < sum("school_id=" in p for p in paths) < 60
    assert 0 < sum("online_only=y" in p for p in paths) < 60


def test_the_same_seed_asks_the_same_questions_and_another_seed_others():
    assert _finder_paths(seed=5) == _finder_paths(seed=5)
    assert len(set(_finder_paths(seed=5)) & set(_finder_paths(seed=6))) < 20
    first, second = questions.tip_queries(random.Random(8)), questions.tip_queries(random.Random(9))
    assert first == questions.tip_queries(random.Random(8))
    assert first["sentence"] != second["sentence"]


def test_tip_queries_are_300_distinct_of_every_kind():
    kinds = questions.tip_queries(random.Random(8))
    assert {kind: len(found) for kind, found in kinds.items()} == questions.TIP_KINDS
    everything = [q for found in kinds.values() for q in found]
    assert len(everything) == len(set(everything)) == 300
    assert all(len(q.split()) >= 4 for q in kinds["question"] + kinds["sentence"])
    assert all(len(q.split()) == 2 for q in kinds["two words"])
    assert all(len(q.split()) == 3 for q in kinds["three words"])
    rare = set(tips_search._rare_words(random.Random(questions.RARE_WORDS_SEED), 20_000))
    assert set(kinds["rare word"]) <= rare
    vocabulary = set(questions._vocabulary())
    assert set(kinds["common word"]) <= vocabulary
    assert not any(word in vocabulary for q in kinds["no match"] for word in q.split())


def test_a_typo_is_one_slip_that_keeps_the_first_letter():
    rng = random.Random(3)
    for word in ["chromebook", "spreadsheet", "presentation", "annotate"] * 25:
        slip = questions.typo(rng, word)
        assert slip != word
        assert slip[0] == word[0]
        assert abs(len(slip) - len(word)) <= 1


def test_the_writer_reads_the_flash_the_app_puts_in_its_session_cookie(
    client, login_as, make_school
):
    mentor = login_as(Role.MENTOR, school=make_school())
    day = (date.today() + timedelta(days=30)).isoformat()
    answer = client.post_form(
        "/availability/windows",
        {"off-starts_on": day, "off-ends_on": day, "off-note": "", "off-submit": "Add time off"},
        page="/availability/",
    )
    assert answer.status_code == 302
    assert flash_categories(client.get_cookie("session").value) == ["success"]
    assert mentor.id  # the mentor who asked


def test_a_rounds_ratio_is_against_the_floor_runs_on_either_side():
    def phase(rps: float) -> Phase:
        return Phase(rps, 1.0, 2.0, 3.0, 0, int(rps), 1.0)

    assert Round(phase(400), phase(300), phase(600), 0.5).ratio == 0.6


def test_percentiles_are_nearest_rank_as_wrk_gives_them():
    values = [float(n) for n in range(1, 101)]
    assert percentile(values, 50) == 50.0
    assert percentile(values, 95) == 95.0
    assert percentile([7.0], 99) == 7.0


def test_server_times_come_from_gunicorns_access_log(tmp_path):
    log = tmp_path / "access.log"
    log.write_text(
        "/healthz  200 900\n"
        "/find/ skill_id=1&start=2027-03-10 200 12500\n"
        "/bench/floor  200 4000\n"
        "/find/ skill_id=2&start=2027-03-10 200 30000\n"
    )
    wanted = ["/find/?skill_id=1&start=2027-03-10", "/find/?skill_id=2&start=2027-03-10"]
    assert server_times(log, wanted) == [12.5, 30.0]
