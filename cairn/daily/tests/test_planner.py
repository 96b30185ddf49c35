"""The planner without a database: ranking, exclusions, diversity and the give rule."""

from hypothesis import given
from hypothesis import strategies as st

from cairn.daily.planner import max_per_kind, plan, rank
from cairn.daily.providers import Candidate


def candidate(key, kind="keep_in_touch", urgency=0.5, importance=0.5, **extra):
    return Candidate(
        kind=kind, key=key, title=key, why="because", urgency=urgency, importance=importance,
        **extra,
    )  # fmt: skip


def keys(items):
    return [c.key for c in items]


def test_it_ranks_by_urgency_times_importance():
    low = candidate("low", urgency=0.9, importance=0.1)
    high = candidate("high", urgency=0.6, importance=0.6, kind="follow_up")
    middle = candidate("middle", urgency=0.5, importance=0.5, kind="congratulate")
    assert keys(plan([low, high, middle], limit=3).chosen) == ["high", "middle", "low"]


def test_it_breaks_ties_by_urgency_then_key():
    a = candidate("a", urgency=0.5, importance=0.8)
    b = candidate("b", urgency=0.8, importance=0.5)
    c = candidate("c", urgency=0.8, importance=0.5)
    assert keys(rank([a, c, b])) == ["b", "c", "a"]


def test_it_never_gives_more_than_the_limit_and_keeps_the_rest_for_later():
    pool = [candidate(f"k{i}", kind=f"kind{i % 4}", urgency=i / 20) for i in range(20)]
    result = plan(pool, limit=3, more_limit=5)
    assert len(result.chosen) == 3
    assert len(result.more) == 5
    assert not set(keys(result.chosen)) & set(keys(result.more))


def test_a_limit_below_one_gives_nothing():
    assert plan([candidate("a")], limit=0).chosen == []


def test_nothing_to_do_gives_an_empty_plan():
    result = plan([], limit=3)
    assert result.chosen == [] and result.more == []


def test_snoozed_skipped_and_done_keys_are_left_out():
    pool = [candidate("a", urgency=0.9), candidate("b"), candidate("c", kind="follow_up")]
    assert keys(plan(pool, limit=3, excluded={"a"}).chosen) == ["c", "b"]


def test_one_kind_does_not_take_every_slot_when_another_kind_waits():
    pool = [candidate(f"k{i}", urgency=0.9) for i in range(5)]
    pool.append(candidate("weak", kind="congratulate", urgency=0.1))
    chosen = plan(pool, limit=3).chosen
    assert "weak" in keys(chosen)
    assert len(chosen) == 3


def test_one_kind_fills_the_day_when_it_is_all_there_is():
    pool = [candidate(f"k{i}") for i in range(5)]
    assert len(plan(pool, limit=3).chosen) == 3


def test_a_give_action_gets_a_slot_even_when_it_scores_low():
    pool = [
        candidate("a", urgency=0.9, importance=0.9),
        candidate("b", kind="follow_up", urgency=0.9, importance=0.9),
        candidate("c", kind="rotation", urgency=0.8, importance=0.9),
        candidate("give", kind="give", urgency=0.1, importance=0.1, is_give=True),
    ]
    chosen = plan(pool, limit=3).chosen
    assert "give" in keys(chosen)
    assert len(chosen) == 3


def test_the_give_rule_keeps_the_day_varied():
    pool = [
        candidate("a", kind="give", urgency=0.9, importance=0.9),
        candidate("b", kind="follow_up", urgency=0.2),
        candidate("g", kind="give", urgency=0.1, is_give=True),
    ]
    chosen = plan(pool, limit=2).chosen
    assert "g" in keys(chosen)
    assert len({c.kind for c in chosen}) == 2


def test_one_person_appears_once_a_day():
    pool = [
        candidate("keep_in_touch:person:1", person_id=1, urgency=0.9),
        candidate("congratulate:event:5", kind="congratulate", person_id=1, urgency=0.5),
        candidate("keep_in_touch:person:2", person_id=2, urgency=0.1),
    ]
    chosen = plan(pool, limit=3).chosen
    assert keys(chosen) == ["keep_in_touch:person:1", "keep_in_touch:person:2"]


def test_a_duplicate_key_counts_once():
    assert len(plan([candidate("a"), candidate("a")], limit=3).chosen) == 1


def test_a_give_hidden_behind_a_stronger_item_about_the_same_person_still_comes():
    pool = [
        candidate("keep_in_touch:person:1", urgency=0.9, importance=0.9, person_id=1),
        candidate("congratulate:event:7", kind="congratulate", urgency=0.2, importance=0.5,
                  person_id=1, is_give=True),
        candidate("keep_in_touch:person:2", urgency=0.8, importance=0.8, person_id=2),
        candidate("keep_in_touch:person:3", urgency=0.7, importance=0.7, person_id=3),
    ]  # fmt: skip
    chosen = plan(pool, limit=3).chosen
    assert "congratulate:event:7" in keys(chosen)
    assert "keep_in_touch:person:1" not in keys(chosen)  # still one item per person


def test_the_per_kind_cap_leaves_room_for_others():
    assert [max_per_kind(n) for n in (1, 2, 3, 5, 10)] == [1, 1, 2, 3, 5]


KINDS = ["follow_up", "keep_in_touch", "congratulate", "give", "rotation"]
candidates = st.lists(
    st.builds(
        candidate,
        key=st.sampled_from([f"k{i}" for i in range(30)]),
        kind=st.sampled_from(KINDS),
        urgency=st.floats(0, 1),
        importance=st.floats(0, 1),
        person_id=st.none() | st.integers(1, 8),
        is_give=st.booleans(),
    ),
    max_size=25,
)
limits = st.integers(1, 10)


@given(candidates, limits)
def test_never_more_than_the_limit(pool, limit):
    result = plan(pool, limit=limit)
    assert len(result.chosen) <= limit
    assert len(set(keys(result.chosen))) == len(result.chosen)


@given(candidates, limits)
def test_deterministic_whatever_the_input_order(pool, limit):
    assert plan(pool, limit=limit) == plan(list(reversed(pool)), limit=limit)


@given(candidates, limits)
def test_a_give_is_chosen_whenever_one_is_available(pool, limit):
    result = plan(pool, limit=limit)
    if any(c.is_give for c in pool):
        assert any(c.is_give for c in result.chosen)


@given(candidates, st.integers(2, 10))
def test_not_all_of_one_kind_when_other_kinds_are_available(pool, limit):
    result = plan(pool, limit=limit, more_limit=100)
    kinds_available = {c.kind for c in result.chosen + result.more}
    if len(kinds_available) > 1 and result.chosen:
        assert len({c.kind for c in result.chosen}) > 1


@given(candidates, limits, st.sets(st.sampled_from([f"k{i}" for i in range(30)])))
def test_excluded_keys_never_come_back(pool, limit, excluded):
    result = plan(pool, limit=limit, excluded=excluded, more_limit=100)
    assert not set(keys(result.chosen + result.more)) & excluded


@given(candidates, limits)
def test_the_chosen_fill_the_day_when_enough_candidates(pool, limit):
    result = plan(pool, limit=limit, more_limit=100)
    assert len(result.chosen) == min(limit, len(result.chosen) + len(result.more))
