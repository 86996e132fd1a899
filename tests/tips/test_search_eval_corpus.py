"""The tip search evaluation's corpus is well formed (bench/search_eval.py); not search quality."""

import importlib.util
import sys
from collections import Counter
from pathlib import Path

import pytest

from helpdesk.tips.models import Device, Tip, TipStatus

RUNNER = Path(__file__).resolve().parents[2] / "bench" / "search_eval.py"


@pytest.fixture(scope="module")
def search_eval():
    spec = importlib.util.spec_from_file_location("bench_search_eval", RUNNER)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


def test_library_has_enough_distinct_well_formed_tips(search_eval):
    tips = search_eval.load_tips()
    titles = [tip["title"] for tip in tips]
    assert len(tips) >= 60
    assert len(set(titles)) == len(titles)
    for tip in tips:
        assert 0 < len(tip["title"]) <= 120
        assert tip["body"].strip() and tip["skills"]
        assert all(Device.from_slug(slug) for slug in tip["devices"]), tip["title"]


def test_every_answer_is_a_tip_in_the_library(search_eval):
    titles = {tip["title"] for tip in search_eval.load_tips()}
    for query in search_eval.load_queries():
        assert 1 <= len(query.answers) <= 3, query.text
        assert set(query.answers) <= titles, query.text


def test_queries_cover_every_kind(search_eval):
    queries = search_eval.load_queries()
    kinds = Counter(query.kind for query in queries)
    assert len(queries) >= 70
    assert len({query.text for query in queries}) == len(queries)
    assert set(kinds) == set(search_eval.KINDS)
    assert min(kinds.values()) >= 12


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("How do I stop my iPad locking?", "Keep an iPad screen from turning off"),
        ("chromebok wifi", "Chromebook won't connect to Wi-Fi"),
        ("kids can't hear the video", "No sound when you play a video to the class"),
    ],
)
def test_the_required_queries_are_there(search_eval, text, answer):
    answers = {query.text: query.answers for query in search_eval.load_queries()}
    assert answer in answers[text]


@pytest.mark.parametrize(
    ("url", "is_allowed"),
    [
        ("sqlite:////tmp/eval.sqlite", True),
        ("sqlite:////tmp/anything.db", True),
        ("postgresql+psycopg://postgres@127.0.0.1:5432/search_eval", True),
        ("postgresql+psycopg://postgres@127.0.0.1:5432/test", False),
        ("postgresql+psycopg://postgres@eval.example.org:5432/helpdesk", False),
        ("sqlite:////srv/helpdesk/instance/helpdesk.sqlite", False),
    ],
)
def test_the_runner_refuses_databases_that_may_hold_real_tips(search_eval, url, is_allowed):
    if is_allowed:
        search_eval.check_url(url)
    else:
        with pytest.raises(SystemExit):
            search_eval.check_url(url)


def test_seed_library_publishes_every_tip_with_its_skills(search_eval, db):
    count = search_eval.seed_library(db.session)
    db.session.commit()
    tips = db.session.scalars(db.select(Tip).where(Tip.status == TipStatus.PUBLISHED)).all()
    assert len(tips) == count == len(search_eval.load_tips())
    wifi = next(tip for tip in tips if tip.title == "Chromebook won't connect to Wi-Fi")
    assert wifi.devices == Device.CHROMEBOOK
    assert [skill.name for skill in wifi.skills] == ["Chromebook", "Network"]
    assert "Wi-Fi" in wifi.body_text and "**" not in wifi.body_text
