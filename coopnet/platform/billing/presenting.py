"""A tenant's plan as the JSON API shows it."""

from coopnet.money import show


def plan(found, covers: bool) -> dict:
    return {
        "code": found.code,
        "label": str(found.label),
        "amount": show(found.amount),
        "currency": found.currency,
        "interval": "month",
        "people": found.people,
        "covers_you": covers,
    }


def overview(seen: dict) -> dict:
    return {
        **{k: v for k, v in seen.items() if k not in ("plan", "plans", "payments", "amount")},
        "plan": plan(seen["plan"], seen["plan"].covers(seen["people"])),
        "amount": show(seen["amount"]),
        "plans": [plan(p, covers) for p, covers in seen["plans"]],
        "payments": [
            {"amount": show(p.amount), "currency": p.currency, "plan": p.plan, "paid_on": p.paid_on}
            for p in seen["payments"]
        ],
    }
