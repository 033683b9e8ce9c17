"""Money as integer cents with a currency: parsing what people type, and showing it."""

import re
from decimal import Decimal

from flask_babel import gettext as _

from coopnet.errors import ValidationFailed
from coopnet.i18n import money
from coopnet.money import show

_AMOUNT = re.compile(r"^\d{1,12}(\.\d{1,2})?$")


def amount_problem(value) -> str | None:
    text = str(value).strip() if value is not None else ""
    if text.startswith("-"):
        return _("An amount cannot be negative.")
    if re.match(r"^\d+\.\d{3,}$", text):
        return _("An amount is whole cents: at most two decimal places.")
    if not _AMOUNT.match(text):
        return _("Write an amount like 100.00.")
    return None


def to_cents(value, field="amount") -> int:
    """ "100.00" -> 10000; a negative or fractional-cent amount is refused."""
    problem = amount_problem(value)
    if problem:
        raise ValidationFailed(problem, {field: problem})
    return int(Decimal(str(value).strip()) * 100)


def decimal_string(cents: int | None) -> str | None:
    return None if cents is None else show(cents)


def shown(cents: int, currency: str) -> str:
    """Cents with their currency, as a person reads them in the current language."""
    return money(cents, currency)


def monthly_share(annual: int) -> int:
    """A twelfth of the annual dues, rounded half up to the cent."""
    return (annual * 2 + 12) // 24
