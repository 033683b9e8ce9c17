"""The platform's plans: free for small co-ops, paid by the month above it. A plan is
priced in integer cents with its currency and says how many people it covers."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

# How many people (accounts with access to a tenant) the free plan covers.
FREE_PEOPLE = 10


@dataclass(frozen=True)
class Plan:
    code: str
    label: object  # lazy text
    amount: int  # cents a month
    currency: str
    people: int | None  # the most people it covers; None: no limit

    @property
    def paid(self) -> bool:
        return self.amount > 0

    def covers(self, people: int) -> bool:
        return self.people is None or people <= self.people

    @property
    def stripe_plan_id(self) -> str:
        return f"coopnet-platform-{self.code}-month-{self.currency}-{self.amount}"


PLANS = (
    Plan("free", _l("Free"), 0, "usd", FREE_PEOPLE),
    Plan("cooperative", _l("Co-op"), 2000, "usd", 50),
    Plan("federation", _l("Federation"), 6000, "usd", None),
)
BY_CODE = {plan.code: plan for plan in PLANS}
FREE = BY_CODE["free"]


def get(code) -> Plan | None:
    return BY_CODE.get(code) if isinstance(code, str) else None


def smallest_for(people: int) -> Plan:
    return next(plan for plan in PLANS if plan.covers(people))
