"""Tallies in, outcomes out: every preset's methods, from the guide's stories, and the invariants."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopnet.tenants.governance.rules import (
    PRESETS,
    STANCES,
    Rule,
    RuleProblem,
    decide,
    parse_fraction,
    rule_from_dict,
    rule_to_dict,
    stance_problem,
)


def tally(agree=0, abstain=0, stand_aside=0, disagree=0, block=0):
    return {"agree": agree, "abstain": abstain, "stand_aside": stand_aside, "disagree": disagree, "block": block}


def rule(preset, category):
    return PRESETS[preset].categories[category]


CASES = [
    # (preset, category, tally, eligible, outcome, why)
    ("design-action", "day-to-day", tally(agree=4, disagree=2), 6, "passed", "4 of 6 is exactly two-thirds"),
    ("design-action", "day-to-day", tally(agree=3, disagree=2), 6, "failed", "3 of 5 cast is under two-thirds"),
    ("design-action", "day-to-day", tally(agree=4, disagree=2, abstain=3), 9, "passed", "abstentions are not cast"),
    ("design-action", "day-to-day", tally(agree=2), 6, "no_quorum", "2 of 6 is under half"),
    ("design-action", "hiring", tally(agree=5, disagree=1), 6, "failed", "hiring is by consensus"),
    ("design-action", "hiring", tally(agree=6), 6, "passed", "everyone agrees to hire"),
    ("design-action", "hiring", tally(agree=5), 6, "no_quorum", "hiring needs everyone"),
    ("quilted", "day-to-day", tally(agree=2, stand_aside=2), 4, "passed", "two may stand aside"),
    ("quilted", "day-to-day", tally(agree=1, stand_aside=3), 4, "failed", "a third stand-aside is too many"),
    ("quilted", "day-to-day", tally(agree=3, disagree=1), 4, "failed", "an objection stops informal consensus"),
    ("web-collective", "day-to-day", tally(agree=5, block=1), 6, "blocked", "a block stops formal consensus"),
    ("web-collective", "day-to-day", tally(agree=3, abstain=1), 6, "passed", "two-thirds took part"),
    ("web-collective", "day-to-day", tally(agree=3), 6, "no_quorum", "under two-thirds took part"),
    ("electric-embers", "day-to-day", tally(agree=3), 3, "passed", "all three agree"),
    ("electric-embers", "day-to-day", tally(agree=2), 3, "no_quorum", "all three must take part"),
    ("gaia-host", "pay", tally(agree=1, disagree=1), 2, "failed", "two members agreed to disagree"),
    ("brattleboro", "spending", tally(agree=4, abstain=1), 8, "passed", "consensus of those at the meeting"),
    ("majority", "day-to-day", tally(agree=3, disagree=3), 6, "failed", "a tie is not more than half"),
    ("majority", "day-to-day", tally(agree=4, disagree=3), 7, "passed", "more than half"),
    ("majority", "day-to-day", tally(agree=0), 0, "no_quorum", "nobody may vote"),
]


@pytest.mark.parametrize(
    ("preset", "category", "counts", "eligible", "outcome", "why"), CASES, ids=[c[5] for c in CASES]
)
def test_presets_decide_as_the_stories_do(preset, category, counts, eligible, outcome, why):
    assert decide(rule(preset, category), counts, eligible) == outcome, why


def test_counted_against_all_eligible_voters():
    against_eligible = Rule(method="supermajority", threshold=Fraction(2, 3), counted_against="eligible")
    assert decide(against_eligible, tally(agree=4, disagree=1, abstain=1), 6) == "passed"
    assert decide(against_eligible, tally(agree=3, disagree=1), 6) == "failed"  # 3 of 6 eligible


def test_seventy_five_percent_supermajority():
    three_quarters = rule_from_dict({"method": "supermajority", "threshold": "75%", "quorum": "1/2"})
    assert three_quarters.threshold == Fraction(3, 4)
    assert decide(three_quarters, tally(agree=3, disagree=1), 4) == "passed"
    assert decide(three_quarters, tally(agree=5, disagree=2), 7) == "failed"  # 71%


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"method": "majority", "threshold": "1/2", "quorum": "101/100"}, "quorum"),
        ({"method": "majority", "threshold": "1/2", "quorum": "150%"}, "quorum"),
        ({"method": "supermajority", "threshold": "0"}, "threshold"),
        ({"method": "supermajority", "threshold": "4/3"}, "threshold"),
        ({"method": "supermajority", "threshold": "-1/2"}, "threshold"),
        ({"method": "supermajority", "threshold": "two thirds"}, "threshold"),
        ({"method": "supermajority"}, "threshold"),
        ({"method": "majority", "threshold": "1/2", "blocks": True}, "blocks"),
        ({"method": "sortition"}, "method"),
        ({"method": "consensus", "window_days": 0}, "window_days"),
        ({"method": "consensus", "block_needs_reason": True}, "block_needs_reason"),
        ({"method": "consensus", "stand_aside_limit": -1}, "stand_aside_limit"),
        ({"method": "consensus", "counted_against": "present"}, "counted_against"),
    ],
)
def test_impossible_rules_are_refused_naming_the_field(data, field):
    with pytest.raises(RuleProblem) as raised:
        rule_from_dict(data)
    assert raised.value.field == field


def test_blocks_only_where_the_method_has_them():
    assert stance_problem(rule("design-action", "day-to-day"), "block", "no")[0] == "stance"
    assert stance_problem(rule("web-collective", "hiring"), "block", "")[0] == "reason"
    assert stance_problem(rule("web-collective", "hiring"), "block", "It breaks our values") is None
    assert stance_problem(rule("quilted", "pay"), "stand_aside", None) is None


def test_rules_round_trip_through_json():
    for preset in PRESETS.values():
        for r in preset.categories.values():
            assert rule_from_dict(rule_to_dict(r)) == r


def test_fractions_are_exact():
    assert parse_fraction("2/3", "t") == Fraction(2, 3)
    assert parse_fraction("0.6667", "t") != Fraction(2, 3)
    assert rule_to_dict(rule("design-action", "day-to-day"))["threshold"] == "2/3"


counts = st.fixed_dictionaries({stance: st.integers(0, 12) for stance in STANCES})
rules = st.sampled_from([r for p in PRESETS.values() for r in p.categories.values()])


@given(rules, counts, st.integers(0, 6))
def test_a_block_always_stops_consensus(r, c, extra):
    if r.method in ("consensus", "formal_consensus") and c["block"]:
        eligible = sum(c.values()) + extra
        assert decide(r, c, eligible) in ("blocked", "failed", "no_quorum")


@given(counts, st.integers(0, 6), st.fractions(Fraction(1, 100), 1), st.fractions(Fraction(1, 100), 1))
def test_raising_a_threshold_never_turns_a_fail_into_a_pass(c, extra, low, high):
    low, high = min(low, high), max(low, high)
    eligible = sum(c.values()) + extra
    lower = Rule(method="supermajority", threshold=low)
    higher = Rule(method="supermajority", threshold=high)
    if decide(lower, c, eligible) == "failed":
        assert decide(higher, c, eligible) != "passed"


@given(rules, counts, st.integers(1, 6))
def test_adding_an_agree_never_turns_a_pass_into_a_fail(r, c, extra):
    eligible = sum(c.values()) + extra
    if decide(r, c, eligible) == "passed":
        assert decide(r, {**c, "agree": c["agree"] + 1}, eligible) == "passed"
