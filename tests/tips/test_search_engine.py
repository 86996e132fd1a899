"""The search engine's pure parts: text to terms, questions to concepts, exact top-k ranking."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpdesk.tips import ranking
from helpdesk.tips.query import TermInfo, WordInfo, build_query, query_tokens
from helpdesk.tips.ranking import Concept, Variant, exhaustive, top_k
from helpdesk.tips.terms import analyse, stem, tokens


def test_hyphenated_words_are_found_joined_and_apart():
    assert tokens("Turn on Wi-Fi and Auto-Lock") == [
        "turn", "on", "wifi", "wi", "fi", "and", "autolock", "auto", "lock"]  # fmt: skip
    assert tokens("Students can't hear") == ["students", "can", "t", "hear"]
    assert tokens("Café") == ["cafe"]
    assert query_tokens("wi-fi on my chromebook") == ["wifi", "on", "my", "chromebook"]


def test_a_title_word_weighs_more_than_the_same_word_in_the_body():
    doc = analyse("Keep an iPad screen on", "iPad", "The screen goes dark. Auto-Lock.")
    assert doc.frequencies[stem("ipad")] == (1, 1, 0)
    assert doc.frequencies[stem("screen")] == (1, 0, 1)
    assert "an" not in doc.words and "the" not in doc.words  # stop words are not indexed


class FakeVocabulary:
    def __init__(self, words: dict[str, int]):
        self.words = words  # word as written -> tips using it
        self.ids = {stem(w): n for n, w in enumerate(sorted(words), start=1)}

    def document_count(self):
        return 100

    def terms(self, stems):
        counts = {stem(w): c for w, c in self.words.items()}
        return {s: TermInfo(self.ids[s], counts[s]) for s in stems if s in self.ids}

    def similar_words(self, word):
        return [WordInfo(w, stem(w), c) for w, c in self.words.items()]

    def completions(self, prefix, limit):
        found = [WordInfo(w, stem(w), c) for w, c in self.words.items() if w.startswith(prefix)]
        return sorted(found, key=lambda w: -w.document_count)[:limit]


VOCABULARY = FakeVocabulary(
    {"chromebook": 40, "wifi": 20, "wireless": 2, "ipad": 50, "screen": 60, "classroom": 30,
     "voice": 8, "typing": 9, "access": 12, "accessibility": 3, "kahoot": 6}
)  # fmt: skip


def test_a_question_keeps_only_the_words_that_mean_something():
    query = build_query("How do I stop my iPad locking?", FakeVocabulary({"ipad": 5}))
    assert [c.variants[0].term_ids for c in query.concepts] == [(1,)]
    assert query.unknown == ["stop", "locking"]


@pytest.mark.parametrize(
    ("typed", "corrected"),
    [("chromebok", "chromebook"), ("clasroom", "classroom"), ("kahot", "kahoot"),
     ("acess", "access"), ("wifii", "wifi")],
)  # fmt: skip
def test_a_misspelled_word_is_corrected_to_the_nearest_indexed_word(typed, corrected):
    query = build_query(f"{typed} help", VOCABULARY)
    assert query.corrections == [(typed, corrected)]
    assert query.corrected_text(f"{typed} help") == f"{corrected} help"


def test_searching_as_typed_corrects_nothing():
    query = build_query("chromebok", VOCABULARY, correct=False)
    assert query.is_empty and query.unknown == ["chromebok"]


def test_the_word_still_being_typed_is_completed():
    query = build_query("chromeb", VOCABULARY)
    assert query.stems == {"chromebook"} and not query.corrections
    assert build_query("chromeb ", VOCABULARY).corrections == []  # a finished word is not


def test_synonyms_are_alternatives_weighted_below_the_word_itself():
    groups = ["wifi, wi-fi, wireless", "dictation, voice typing, speech to text"]
    wifi = build_query("wifi", VOCABULARY, groups).concepts
    assert wifi == [Concept((Variant((VOCABULARY.ids["wifi"],), 1.0),
                             Variant((VOCABULARY.ids["wireless"],), 0.5)))]  # fmt: skip
    # A phrase from the list is one concept: voice AND typing, at the synonym's weight.
    spoken = build_query("speech to text on a chromebook", VOCABULARY, groups).concepts
    voice_typing = Variant((VOCABULARY.ids["voic"], VOCABULARY.ids["type"]), 0.5)
    assert spoken[0] == Concept((voice_typing,))
    # A word the library never uses but the list knows is searched by its synonyms.
    assert build_query("dictation", VOCABULARY, groups).concepts == [Concept((voice_typing,))]


@pytest.mark.parametrize(
    "typed", ["", '"', "\x00", "AND OR NOT", "x" * 5000, "😀", '"never seen phrase"', "-*()"]
)
def test_any_text_builds_a_query(typed):
    build_query(typed, VOCABULARY, ["a, b", ", ,", "wifi, wi-fi"])


class FakeSource:
    """The database's side of the ranking, in Python over a dict of postings."""

    def __init__(self, postings: dict[int, dict[int, float]]):
        self.postings = postings
        self.read = 0

    def _list(self, term_id):
        rows = [(t, w[term_id]) for t, w in self.postings.items() if term_id in w]
        return sorted(rows, key=lambda r: (-r[1], -r[0]))

    def cuts(self, ranks):
        found = {}
        for term_id, rank in ranks.items():
            rows = self._list(term_id)
            found[term_id] = rows[rank][1] if rank < len(rows) else 0.0
        return found

    def _sums(self, terms, cuts):
        slack = ranking.concept_slack(terms, cuts) if cuts is not None else {}
        best: dict[int, dict[int, float]] = {}
        for term_id, term_plan in terms.items():
            for tip_id, weight in self._list(term_id):
                if cuts is not None and weight < cuts[term_id]:
                    continue
                self.read += 1
                per_tip = best.setdefault(tip_id, {})
                value = term_plan.multiplier * weight
                per_tip[term_plan.concept] = max(per_tip.get(term_plan.concept, 0.0), value)
        return [
            ranking.Partial(
                tip_id,
                sum(max(b, slack.get(c, 0.0)) for c, b in per_tip.items()),
                len(per_tip),
                sum(slack.get(c, 0.0) for c in per_tip),
            )
            for tip_id, per_tip in best.items()
        ]

    def partial_sums(self, terms, cuts, slack, reaching, limit):
        rows = [r for r in self._sums(terms, cuts) if reaching is None or r.bound(slack) > reaching]
        return sorted(rows, key=lambda r: (-(r.total - r.cut_share), -r.tip_id))[:limit]

    def best_scores(self, terms, asked, limit):
        rows = self._sums(terms, None)
        rows.sort(key=lambda r: (-r.total * ranking.coord(r.matched, asked), -r.tip_id))
        return rows[:limit]

    def count_matches(self, term_ids):
        return sum(1 for w in self.postings.values() if set(w) & set(term_ids))

    def weights(self, tip_ids, term_ids):
        return {
            t: {k: w for k, w in self.postings[t].items() if k in term_ids}
            for t in tip_ids
            if t in self.postings
        }


postings_strategy = st.dictionaries(
    st.integers(1, 300),
    st.dictionaries(st.integers(1, 6), st.floats(0.05, 20, allow_nan=False), min_size=1),
    max_size=300,
)
concepts_strategy = st.lists(
    st.lists(
        st.tuples(
            st.lists(st.integers(1, 6), min_size=1, max_size=2, unique=True),
            st.sampled_from([1.0, 0.5]),
        ),  # fmt: skip
        min_size=1,
        max_size=3,
    ),
    min_size=1,
    max_size=4,
)


@settings(max_examples=300, deadline=None)
@given(postings=postings_strategy, raw_concepts=concepts_strategy, k=st.integers(1, 25),
       depth=st.integers(1, 40))  # fmt: skip
def test_top_k_agrees_with_scoring_every_tip_whenever_it_says_it_is_exact(
    postings, raw_concepts, k, depth
):
    concepts = [Concept(tuple(Variant(tuple(ids), f) for ids, f in c)) for c in raw_concepts]
    idf = {t: 1.0 + t / 3 for t in range(1, 7)}
    exact = exhaustive(concepts, idf, postings)[:k]
    original = ranking.DEPTHS, ranking.SPARE_ROWS
    try:
        for depths in ((depth,), (2, depth, None)):  # bounded work, then work that ends exact
            ranking.DEPTHS, ranking.SPARE_ROWS = depths, 3
            found = top_k(concepts, idf, FakeSource(postings), k)
            assert len(found.ranked) == len(exact)
            if found.is_exact:
                assert [round(s, 9) for _, s in found.ranked] == [round(s, 9) for _, s in exact]
                scores = [s for _, s in exact]
                for (got, _), (want, score) in zip(found.ranked, exact, strict=True):
                    if scores.count(score) == 1:
                        assert got == want
        assert found.is_exact  # the last depths read everything
    finally:
        ranking.DEPTHS, ranking.SPARE_ROWS = original


def test_top_k_reads_a_common_word_only_as_deep_as_the_page():
    postings = {tip_id: {1: 1.0 + (tip_id % 97) / 10} for tip_id in range(1, 60_001)}
    source = FakeSource(postings)
    found = top_k([Concept((Variant((1,)),))], {1: 1.0}, source, 20)
    assert len(found.ranked) == 20 and found.is_exact and not found.is_complete
    assert source.read <= 1_000  # of 60,000 postings
    assert found.ranked == exhaustive([Concept((Variant((1,)),))], {1: 1.0}, postings)[:20]


def test_a_short_word_is_corrected_by_one_edit_at_most():
    assert build_query("flute", FakeVocabulary({"mute": 9})).corrections == []
    assert build_query("mutte", FakeVocabulary({"mute": 9})).corrections == [("mutte", "mute")]


def test_a_correction_keeps_the_first_letter():
    assert build_query("hear", FakeVocabulary({"gear": 9})).corrections == []
    assert build_query("kahot", FakeVocabulary({"kahoot": 3})).corrections == [("kahot", "kahoot")]
