"""What a district asks, for bench/load.py's real-use mixes: many different questions.

Find a mentor: distinct (topic, first day, range, length, school, online) questions, each asked
by one of the signed-in teachers. Tip search: distinct queries in the words of the seeded tips
(bench/tips_search.py), by kind: questions and sentences as people type them, typos of real
words, common and rare words, two and three words, and words that match nothing.
Both are the same for one seed, so two runs ask the same things.
"""

import random
from datetime import date, timedelta
from urllib.parse import urlencode

from bench import tips_search as words
from bench.seed_district import RARE_WORDS_SEED

# Days a question spans after its first day: one day, a school week, two weeks (the finder's
# own default), four weeks; two weeks most often.
RANGES = (0, 4, 13, 13, 13, 27)

# How many tip queries of each kind make up the mix (300 in all).
TIP_KINDS = {
    "question": 50,
    "sentence": 30,
    "typo": 50,
    "common word": 40,
    "rare word": 40,
    "two words": 40,
    "three words": 30,
    "no match": 20,
}

QUESTIONS = (
    "how do I {action} a {obj} in {app}",
    "how to {action} the {obj} on a {device}",
    "why can't students see the {obj}",
    "where is {setting} in {app}",
    "can I {action} my {obj} from the {device}",
    "{obj} will not {action}",
    "how do students {action} a {obj}",
    "what is the fastest way to {action} a {obj}",
)
SENTENCES = (
    "my students cannot {action} the {obj} on their {device}",
    "the {obj} disappeared after I tried to {action} it in {app}",
    "I need to {action} every {obj} before class tomorrow",
    "{app} shows an error when I {action} the {obj}",
    "kids on the {device} get a blank screen when they open the {obj}",
)
NONSENSE_SYLLABLES = ("qu", "x", "zz", "fl", "gr", "pl", "wh", "yx")


def finder_paths(
    rng: random.Random,
    *,
    count: int,
    today: date,
    skill_ids: list[int],
    lengths: list[int],
    school_ids: list[int],
) -> list[str]:
    """count distinct /find/ URLs: topics, first days over the next three weeks, ranges and
    lengths as teachers pick them; one in ten limited to a school, one in ten online only."""
    seen: set[tuple] = set()
    paths: list[str] = []
    while len(paths) < count:
        start = today + timedelta(days=rng.randint(0, 20))
        question = (
            rng.choice(skill_ids),
            start,
            start + timedelta(days=rng.choice(RANGES)),
            rng.choice(lengths),
            rng.choice(school_ids) if rng.random() < 0.1 else None,
            rng.random() < 0.1,
        )
        if question in seen:
            continue
        seen.add(question)
        skill_id, first, last, minutes, school_id, online = question
        params = {
            "skill_id": skill_id,
            "start": first.isoformat(),
            "end": last.isoformat(),
            "minutes": minutes,
        }
        if school_id is not None:
            params["school_id"] = school_id
        if online:
            params["online_only"] = "y"
        paths.append("/find/?" + urlencode(params))
    return paths


def _vocabulary() -> list[str]:
    """Single words of the tips' phrases, lower case, as a person would type them."""
    phrases = words.APPS + words.DEVICES + words.ACTIONS + words.OBJECTS
    return sorted({w.lower() for p in phrases for w in p.split() if w.isalpha() and len(w) > 2})


def _fill(rng: random.Random, template: str) -> str:
    return template.format(
        app=rng.choice(words.APPS),
        device=rng.choice(words.DEVICES),
        action=rng.choice(words.ACTIONS),
        obj=rng.choice(words.OBJECTS),
        setting=rng.choice(words.SETTINGS).strip(),
    ).lower()


def typo(rng: random.Random, word: str) -> str:
    """One slip of the fingers: a letter dropped, doubled, swapped or replaced; the first letter
    stays, as it mostly does when people type. Never the word itself (a swap of two equal
    letters, say)."""
    while True:
        i = rng.randrange(1, len(word) - 1)
        kind = rng.choice(("drop", "double", "swap", "replace"))
        if kind == "drop":
            slip = word[:i] + word[i + 1 :]
        elif kind == "double":
            slip = word[:i] + word[i] + word[i:]
        elif kind == "swap":
            slip = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        else:
            slip = word[:i] + rng.choice("aeiourstnl") + word[i + 1 :]
        if slip != word:
            return slip


def tip_queries(rng: random.Random) -> dict[str, list[str]]:
    """300 distinct queries, by kind (TIP_KINDS)."""
    vocabulary = _vocabulary()
    long_words = [w for w in vocabulary if len(w) >= 5]
    rare = words._rare_words(random.Random(RARE_WORDS_SEED), 20_000)
    makers = {
        "question": lambda: _fill(rng, rng.choice(QUESTIONS)),
        "sentence": lambda: _fill(rng, rng.choice(SENTENCES)),
        "typo": lambda: (
            typo(rng, rng.choice(long_words))
            if rng.random() < 0.7
            else f"{rng.choice(vocabulary)} {typo(rng, rng.choice(long_words))}"
        ),
        "common word": lambda: rng.choice(vocabulary),
        # Half from the head of the Zipf-weighted list (in many tips), half from its tail.
        "rare word": lambda: rare[
            rng.randrange(0, 500) if rng.random() < 0.5 else rng.randrange(500, 20_000)
        ],
        "two words": lambda: " ".join(rng.sample(vocabulary, 2)),
        "three words": lambda: " ".join(rng.sample(vocabulary, 3)),
        "no match": lambda: "".join(rng.choice(NONSENSE_SYLLABLES) for _ in range(4)) + "ite",
    }
    seen: set[str] = set()
    kinds: dict[str, list[str]] = {}
    for kind, count in TIP_KINDS.items():
        found: list[str] = []
        while len(found) < count:
            query = makers[kind]()
            if query not in seen:
                seen.add(query)
                found.append(query)
        kinds[kind] = found
    return kinds
