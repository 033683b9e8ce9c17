"""Money and hours as the network keeps them: integer cents and two-place Decimals, never floats."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from flask_babel import gettext as _

MAX_CENTS = 10**12


def to_cents(value, field: str, problems: dict, allow_zero: bool = True) -> int | None:
    """A decimal string such as "95.00" as cents; a problem is recorded under ``field``."""
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        problems[field] = _('Give an amount such as "95.00".')
        return None
    if not amount.is_finite() or amount.as_tuple().exponent < -2:
        problems[field] = _("Give an amount with at most two decimal places.")
        return None
    if amount < 0 or (amount == 0 and not allow_zero):
        problems[field] = _("The amount cannot be negative.") if amount < 0 else _("The amount must be more than zero.")
        return None
    # Compared before any arithmetic: "1e999999999" overflows a multiplication and int() of it
    # would build a billion-digit number.
    if amount >= Decimal(MAX_CENTS) / 100:
        problems[field] = _("That amount is too large.")
        return None
    return int(amount * 100)


def to_hours(value, field: str, problems: dict, most: Decimal = Decimal("1000")) -> Decimal | None:
    try:
        hours = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        problems[field] = _('Give hours such as "7.5".')
        return None
    if not hours.is_finite() or hours.as_tuple().exponent < -2:
        problems[field] = _("Give hours with at most two decimal places.")
        return None
    if hours <= 0 or hours > most:
        problems[field] = _("Give more than 0 and at most %(most)s hours.", most=most)
        return None
    return hours


def cents_text(cents: int | None) -> str | None:
    if cents is None:
        return None
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def share(hours: Decimal, cents_per_hour: int) -> int:
    """The overhead on ``hours``, rounded half up to the cent."""
    return int((hours * cents_per_hour).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def hours_text(hours: Decimal | None) -> str | None:
    return None if hours is None else f"{Decimal(hours):.2f}"
