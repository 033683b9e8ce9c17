"""The year-end surplus split, exact to the cent: pure functions over integers and fractions.

The reserve and each fund are computed first and rounded down to the cent; the
members' pool is what remains, divided by the largest-remainder method (ties go to
more hours, then the lower account id), so the parts sum exactly to the surplus.
Each member's allocation is split into cash, rounded up to the cent so it never
falls below the cash share, and a retained part credited to their capital account.
"""

import math
from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True)
class MemberShare:
    account_id: int
    weight: int  # minutes worked (or pay in cents)
    allocation: int
    cash: int
    retained: int


@dataclass(frozen=True)
class Split:
    surplus: int
    reserve: int
    funds: list[tuple[str, int]]
    members: list[MemberShare]


def largest_remainder(pool: int, weights: dict[int, int]) -> dict[int, int]:
    """``pool`` cents over account ids in proportion to their weights, summing exactly."""
    total = sum(weights.values())
    if total <= 0:
        raise ValueError("no weight to split by")
    quotas = {account: Fraction(pool * weight, total) for account, weight in weights.items()}
    parts = {account: math.floor(quota) for account, quota in quotas.items()}
    left = pool - sum(parts.values())
    order = sorted(weights, key=lambda a: (-(quotas[a] - parts[a]), -weights[a], a))
    for account in order[:left]:
        parts[account] += 1
    return parts


def split(
    surplus: int,
    reserve_share: Fraction,
    funds: list[tuple[str, Fraction]],
    weights: dict[int, int],
    cash_share: Fraction,
) -> Split:
    if surplus < 0:
        raise ValueError("a surplus cannot be negative")
    reserve = math.floor(surplus * reserve_share)
    fund_amounts = [(name, math.floor(surplus * fund_share)) for name, fund_share in funds]
    pool = surplus - reserve - sum(amount for _, amount in fund_amounts)
    parts = largest_remainder(pool, {a: w for a, w in weights.items() if w > 0})
    members = []
    for account in sorted(weights):
        allocation = parts.get(account, 0)
        cash = math.ceil(allocation * cash_share)
        members.append(MemberShare(account, weights[account], allocation, cash, allocation - cash))
    return Split(surplus, reserve, fund_amounts, members)
