import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cairn.network.matching import (
    DUPLICATE_THRESHOLD,
    Candidate,
    Match,
    NameIndex,
    clear_winner,
    find_mentions,
    match_name,
    match_organisations,
    name_score,
    name_words,
    organisation_score,
)

PEOPLE = [
    Candidate(1, "Ana Ruiz", ("Acme",)),
    Candidate(2, "Ana Gomez"),
    Candidate(3, "Bo Chen"),
    Candidate(4, "John Smith", ("Globex Corporation",)),
    Candidate(5, "Ana María Ruiz"),
    Candidate(6, "Dr. Émile Zola"),
    Candidate(7, "Eva Fernández"),
    Candidate(8, "Prince"),
    Candidate(9, "Jan van der Berg"),
]


@pytest.fixture(scope="module")
def index():
    return NameIndex(PEOPLE)


def names(matches):
    return [m.name for m in matches]


def test_name_words_are_folded_without_honorifics_or_suffixes():
    assert name_words("Dr. Émile ZOLA Jr.") == ["emile", "zola"]
    assert name_words("Jean-Luc O'Brien") == ["jean", "luc", "o", "brien"]
    assert name_words("Dr") == ["dr"]  # nothing but a title: keep it rather than nothing


@pytest.mark.parametrize(
    ("a", "b", "low", "high"),
    [
        ("Ana Ruiz", "Ana Ruiz", 100, 100),
        ("Ana Ruiz", "ruiz, ana", 100, 100),
        ("Ana Ruiz", "Ana Ruis", 85, 95),  # a typo
        ("John Smith", "Jon Smith", 90, 99),
        ("Ana Ruiz", "Ana María Ruiz", 90, 90),  # a middle name
        ("A. Ruiz", "Ana Ruiz", 90, 99),  # an initial
        ("Ana", "Ana Ruiz", 80, 80),  # one name of two: not a duplicate by itself
        ("Ana Fernández", "Eva Fernández", 0, 75),  # most letters agree, the person differs
        ("Ana Ruiz", "Ana Rodríguez", 0, 80),
        ("Ana Ruiz", "Bo Chen", 0, 30),
    ],
)
def test_name_scores(a, b, low, high):
    score = name_score(name_words(a), name_words(b))
    assert low <= score <= high
    assert score == name_score(name_words(b), name_words(a))


def test_it_finds_the_same_and_similar_names_best_first(index):
    found = match_name("ana ruiz", index)
    assert found == [
        Match(1, "Ana Ruiz", 100, "same name"),
        Match(5, "Ana María Ruiz", 90, "similar name"),
    ]
    assert names(match_name("Emile Zola", index)) == ["Dr. Émile Zola"]
    assert names(match_name("Ruiz Ana", index))[0] == "Ana Ruiz"


def test_it_does_not_flag_a_first_name_or_a_shared_family_name(index):
    assert match_name("Ana", index) == []
    assert match_name("Ana Fernandez", index) == []
    assert match_name("", index) == []


def test_the_same_organisation_lifts_a_near_miss_over_the_line(index):
    assert match_name("Jon Smyth", index) == []
    (found,) = match_name("Jon Smyth", index, organisation="globex")
    assert found.name == "John Smith"
    assert found.score >= DUPLICATE_THRESHOLD
    assert found.reason == "similar name, also at Globex Corporation"
    assert match_name("Jon Smyth", index, organisation="Initech") == []


def test_limit_and_threshold(index):
    assert len(match_name("Ana Ruiz", index, limit=1)) == 1
    assert len(match_name("Ana", index, threshold=80)) == 3


def test_it_finds_the_person_a_sentence_names(index):
    (mention,) = find_mentions("coffee with Ana Ruiz about product roles", index)
    assert mention.text == "Ana Ruiz"
    assert (mention.start, mention.end) == (2, 4)
    assert mention.chosen == Match(1, "Ana Ruiz", 100, "same name")
    assert names(mention.matches) == ["Ana Ruiz", "Ana María Ruiz"]


def test_a_typo_in_a_sentence_still_finds_the_one_person(index):
    (mention,) = find_mentions("call with ana ruis", index)
    assert names(mention.matches) == ["Ana Ruiz"]
    assert mention.chosen is not None


def test_a_first_name_shared_by_several_people_is_ambiguous(index):
    ana, bo = find_mentions("lunch with Ana and Bo", index)
    assert ana.text == "Ana" and ana.chosen is None
    assert set(names(ana.matches)) == {"Ana Ruiz", "Ana Gomez", "Ana María Ruiz"}
    assert all(m.reason == "one of their names" for m in ana.matches)
    assert bo.chosen is not None and bo.chosen.name == "Bo Chen"


def test_a_sentence_may_name_several_people_in_order(index):
    mentions = find_mentions("zoom with bo chen and Emile's team and prince", index)
    assert [m.chosen.name for m in mentions if m.chosen] == [
        "Bo Chen",
        "Dr. Émile Zola",
        "Prince",
    ]


def test_a_lower_case_word_is_a_name_only_in_a_lower_case_sentence():
    index = NameIndex([Candidate(1, "Will Smith"), Candidate(2, "Ana Ruiz")])
    assert [m.text for m in find_mentions("will call Ana tomorrow", index)] == ["Ana"]
    assert [m.text for m in find_mentions("Will called", index)] == ["Will"]
    assert [m.text for m in find_mentions("coffee with ana", index)] == ["ana"]
    assert [m.text for m in find_mentions("Coffee with will smith", index)] == ["will smith"]


def test_a_sentence_without_a_known_name_has_no_mentions(index):
    assert find_mentions("thanked Zed for the intro", index) == []
    assert find_mentions("", index) == []
    assert find_mentions("coffee with the team", NameIndex([])) == []


def test_clear_winner_needs_a_margin():
    a, b = Match(1, "A", 95, ""), Match(2, "B", 90, "")
    assert clear_winner([]) is None
    assert clear_winner([a]) == a
    assert clear_winner([a, b]) is None
    assert clear_winner([a, Match(2, "B", 80, "")]) == a


def test_organisations_match_without_legal_forms_or_case():
    rows = [(1, "ACME, Inc."), (2, "Acme Labs"), (3, "Acmeville"), (4, "Globex")]
    found = match_organisations("acme", rows)
    assert found[0] == Match(1, "ACME, Inc.", 100, "same name")
    assert names(found) == ["ACME, Inc.", "Acme Labs"]
    assert names(match_organisations("Globx", rows)) == ["Globex"]
    assert match_organisations("Inc.", rows) == []  # only a legal form
    assert match_organisations("", rows) == []
    assert organisation_score("Google", "Google LLC") == 100


# ---------------------------------------------------------------- blocking


FAMILY = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=4, max_size=9)
GIVEN = st.sampled_from(["ana", "bo", "kim", "maria", "jan", "olga", "raj", "wei", "emma"])


def _typo(word: str, at: int) -> str:
    """Change one letter after the first two (blocking keeps what shares a prefix)."""
    at = 2 + at % (len(word) - 2)
    return word[:at] + ("x" if word[at] != "x" else "y") + word[at + 1 :]


@settings(max_examples=60, deadline=None)
@given(
    people=st.lists(st.tuples(GIVEN, FAMILY), min_size=1, max_size=60),
    pick=st.integers(min_value=0),
    at=st.integers(min_value=0),
)
def test_blocking_finds_what_comparing_everyone_finds(people, pick, at):
    candidates = [Candidate(i, f"{g} {f}") for i, (g, f) in enumerate(people)]
    given_name, family = people[pick % len(people)]
    query = f"{given_name} {_typo(family, at)}"
    everyone = {
        c.id
        for c in candidates
        if name_score(name_words(query), name_words(c.name)) >= DUPLICATE_THRESHOLD
    }
    found = {m.id for m in match_name(query, NameIndex(candidates), limit=len(candidates))}
    assert found == everyone


def test_blocking_only_scores_people_sharing_a_prefix():
    index = NameIndex(
        [Candidate(i, f"Person{i} Family{i % 7}") for i in range(1000)]
        + [Candidate(5000, "Ana Ruiz"), Candidate(5001, "Bo Chen")]
    )
    assert index.block(["ana", "ruiz"]) == [1000]
    assert index.block(["bob"]) == [1001]  # Bo Chen: "bo" is the prefix of both
    assert len(index) == 1002
