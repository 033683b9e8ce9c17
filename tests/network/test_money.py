"""Amounts as the network reads them: a huge exponent is refused at once, never computed."""

import time

from coopnet.network.money import to_cents


def test_an_amount_with_a_huge_exponent_is_too_large_and_quick():
    problems = {}
    start = time.perf_counter()
    assert to_cents("1e999999999", "rate", problems) is None
    assert problems == {"rate": "That amount is too large."}
    assert time.perf_counter() - start < 1


def test_the_largest_amount_still_fits():
    problems = {}
    assert to_cents("9999999999.99", "rate", problems) == 999_999_999_999 and problems == {}
