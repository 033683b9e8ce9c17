"""The year-end split from the stories, to the cent, and its invariants."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopnet.tenants.pay.split import largest_remainder, split

HOURS = {1: 1800, 2: 1650, 3: 1500, 4: 1200, 5: 900, 6: 450}  # six Design Action members


@pytest.mark.parametrize(
    ("surplus", "reserve", "allocations", "cash"),
    [
        # 25% retained by the co-op, 75% shared by hours worked (Design Action), 20% of each share in cash.
        (
            12_000_000,
            3_000_000,
            [2_160_000, 1_980_000, 1_800_000, 1_440_000, 1_080_000, 540_000],
            [432_000, 396_000, 360_000, 288_000, 216_000, 108_000],
        ),
        # One cent over: the reserve rounds down, the cent left in the pool goes to the largest remainder.
        (
            10_000_001,
            2_500_000,
            [1_800_001, 1_650_000, 1_500_000, 1_200_000, 900_000, 450_000],
            [360_001, 330_000, 300_000, 240_000, 180_000, 90_000],
        ),
    ],
)
def test_design_action_splits_by_hours_to_the_cent(surplus, reserve, allocations, cash):
    result = split(surplus, Fraction(1, 4), [], {a: h * 60 for a, h in HOURS.items()}, Fraction(1, 5))
    assert result.reserve == reserve
    assert [m.allocation for m in result.members] == allocations
    assert [m.cash for m in result.members] == cash
    assert result.reserve + sum(allocations) == surplus


def test_quilted_funds_come_first_and_round_down():
    result = split(
        10_000_001,
        Fraction(1, 10),
        [("Reinvestment", Fraction(1, 10)), ("Subsidised projects", Fraction(1, 20))],
        {1: 100, 2: 100, 3: 100},
        Fraction(1, 5),
    )
    assert result.reserve == 1_000_000 and result.funds == [
        ("Reinvestment", 1_000_000),
        ("Subsidised projects", 500_000),
    ]
    assert [m.allocation for m in result.members] == [2_500_001, 2_500_000, 2_500_000]  # tie: lower account id


def test_ties_go_to_more_hours_then_the_lower_account_id():
    assert largest_remainder(10, {7: 3, 3: 3, 5: 3}) == {3: 4, 5: 3, 7: 3}
    assert largest_remainder(2, {1: 1, 2: 2, 3: 3}) == {1: 0, 2: 1, 3: 1}


weights = st.dictionaries(st.integers(1, 500), st.integers(0, 200_000), min_size=1, max_size=30).filter(
    lambda w: sum(w.values()) > 0
)
shares = st.fractions(0, Fraction(1, 2), max_denominator=1000)


@given(st.integers(0, 10**11), shares, shares, weights, st.fractions(0, 1, max_denominator=100))
def test_every_split_sums_exactly_and_nothing_is_negative(surplus, reserve, fund, members, cash):
    result = split(surplus, reserve, [("fund", fund)], members, cash)
    assert result.reserve + sum(a for _, a in result.funds) + sum(m.allocation for m in result.members) == surplus
    for m in result.members:
        assert min(m.allocation, m.cash, m.retained) >= 0
        assert m.cash + m.retained == m.allocation
        assert m.cash >= m.allocation * cash  # never below the cash share


@given(st.integers(0, 10**9), weights, st.data())
def test_more_hours_never_lower_a_members_allocation(surplus, members, data):
    account = data.draw(st.sampled_from(sorted(members)))
    extra = data.draw(st.integers(1, 10_000))
    before = {m.account_id: m.allocation for m in split(surplus, Fraction(1, 4), [], members, Fraction(1, 5)).members}
    after = {
        m.account_id: m.allocation
        for m in split(
            surplus, Fraction(1, 4), [], {**members, account: members[account] + extra}, Fraction(1, 5)
        ).members
    }
    assert after[account] >= before[account]
