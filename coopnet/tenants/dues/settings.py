"""The organisation's dues settings (Stripe keys, currency, grace, reminders, what lapsing
does) and its dues schedule (tiers by kind, sliding scale, minimum, period).

Who commits: the view, command or job that calls these; they flush and return."""

import re

from flask_babel import gettext as _

from coopnet.database import utcnow
from coopnet.errors import Conflict, ValidationFailed
from coopnet.tenants.dues import gateway
from coopnet.tenants.dues.models import DuesSchedule, DuesSettings
from coopnet.tenants.dues.money import to_cents

KINDS = ("organization", "individual")
PERIODS = ("annual", "monthly")
CURRENCIES = ("usd", "eur", "gbp", "cad", "mxn")
_SECRET_KEY = re.compile(r"^(sk|rk)_[A-Za-z0-9_]{6,200}$")
_WEBHOOK_SECRET = re.compile(r"^whsec_[A-Za-z0-9_+/=]{6,200}$")


def current(session) -> DuesSettings | None:
    return session.get(DuesSettings, 1)


def require_connected(session) -> tuple[DuesSettings, str]:
    """The settings and the decrypted secret key, or 409 when Stripe is not connected."""
    found = current(session)
    key = gateway.decrypt(found.stripe_secret_key) if found else None
    if key is None:
        raise Conflict(_("This organisation has not connected Stripe yet."), code="stripe_not_connected")
    return found, key


def save(session, values: dict, check_key=gateway.check_key) -> DuesSettings:
    """Save the settings; a new secret key is checked against Stripe before anything is stored."""
    problems = {}
    key = values.get("stripe_secret_key")
    webhook = values.get("stripe_webhook_secret")
    if key is not None and not _SECRET_KEY.match(key):
        problems["stripe_secret_key"] = _("A Stripe secret key starts with sk_ (or rk_ for a restricted key).")
    if webhook is not None and not _WEBHOOK_SECRET.match(webhook):
        problems["stripe_webhook_secret"] = _("A webhook signing secret starts with whsec_.")
    currency = values.get("currency")
    if currency is not None and currency not in CURRENCIES:
        problems["currency"] = _("Choose one of: %(values)s.", values=", ".join(CURRENCIES))
    for name, low, high in (("grace_days", 0, 365), ("reminder_days", 0, 90)):
        value = values.get(name)
        if value is not None and not low <= value <= high:
            problems[name] = _("Between %(low)s and %(high)s days.", low=low, high=high)
    if problems:
        raise ValidationFailed(_("Some settings are not right."), problems)
    if key is not None:
        check_key(key)
    found = current(session)
    if found is None:
        found = DuesSettings(id=1)
        session.add(found)
    if key is not None:
        found.stripe_secret_key = gateway.encrypt(key)
        found.key_hint = gateway.mask(key)
        found.connected_at = utcnow()
    if webhook is not None:
        found.stripe_webhook_secret = gateway.encrypt(webhook)
    for name in (
        "currency",
        "grace_days",
        "reminder_days",
        "lapse_suspends_votes",
        "lapse_flags_services",
        "support_queue",
    ):
        if values.get(name) is not None:
            setattr(found, name, values[name])
    found.updated_at = utcnow()
    session.flush()
    return found


def defaults() -> DuesSettings:
    return DuesSettings(
        id=1,
        currency="usd",
        grace_days=60,
        reminder_days=14,
        lapse_suspends_votes=True,
        lapse_flags_services=True,
        support_queue=False,
    )


def effective(session) -> DuesSettings:
    return current(session) or defaults()


def schedule(session) -> DuesSchedule | None:
    return session.get(DuesSchedule, 1)


def save_schedule(session, period: str, tiers: dict, bands: list, minimum) -> DuesSchedule:
    """Tiers by kind and sliding-scale bands, none under the minimum; bands ascending."""
    problems = {}
    if period not in PERIODS:
        problems["period"] = _("Choose annual or monthly.")
    minimum_cents = _cents(minimum, "minimum", problems)
    tier_cents = {}
    for kind, amount in (tiers or {}).items():
        if kind not in KINDS:
            problems[f"tiers.{kind}"] = _("A tier is for 'organization' or 'individual'.")
            continue
        tier_cents[kind] = _cents(amount, f"tiers.{kind}", problems)
    band_cents = []
    for i, band in enumerate(bands or []):
        up_to = band.get("income_up_to")
        band_cents.append(
            {
                "income_up_to": None if up_to is None else _cents(up_to, f"bands.{i}.income_up_to", problems),
                "amount": _cents(band.get("amount"), f"bands.{i}.amount", problems),
            }
        )
    if not problems:
        for name, amount in [(f"tiers.{k}", v) for k, v in tier_cents.items()] + [
            (f"bands.{i}.amount", b["amount"]) for i, b in enumerate(band_cents)
        ]:
            if amount < minimum_cents or amount <= 0:
                problems[name] = _("Dues cannot be under the minimum (or zero).")
        limits = [b["income_up_to"] for b in band_cents]
        open_ended = [i for i, limit in enumerate(limits) if limit is None]
        if open_ended and open_ended != [len(limits) - 1]:
            problems["bands"] = _("Only the last band may be open-ended.")
        bounded = [limit for limit in limits if limit is not None]
        if bounded != sorted(set(bounded)):
            problems["bands"] = _("List the bands from the lowest income up, each higher than the one before.")
    if problems:
        raise ValidationFailed(_("The schedule is not right."), problems)
    found = schedule(session)
    if found is None:
        found = DuesSchedule(id=1)
        session.add(found)
    found.period, found.tiers, found.bands, found.minimum = period, tier_cents, band_cents, minimum_cents
    found.updated_at = utcnow()
    session.flush()
    return found


def _cents(value, field, problems):
    try:
        return to_cents(value, field)
    except ValidationFailed as error:
        problems.update(error.fields)
        return 0


def annual_dues(found: DuesSchedule, kind: str, declared_income: int | None) -> int:
    """What a member owes a year: the sliding-scale band for its declared income, else
    its kind's tier; never under the minimum."""
    per_period = None
    if declared_income is not None and found.bands:
        per_period = found.bands[-1]["amount"]
        for band in found.bands:
            if band["income_up_to"] is None or declared_income <= band["income_up_to"]:
                per_period = band["amount"]
                break
    if per_period is None:
        per_period = found.tiers.get(kind)
    if per_period is None:
        raise ValidationFailed(
            _("The schedule has no dues for this member."),
            {"kind": _("The schedule has no tier for '%(kind)s' and no sliding scale to place it on.", kind=kind)},
        )
    per_period = max(per_period, found.minimum)
    return per_period * 12 if found.period == "monthly" else per_period
