"""Money as people and programs send it: decimal strings to integer cents, and back.

Amounts are integer cents in the database and decimal strings ("1234.50") in JSON;
a JSON number with a fraction (a binary float) is refused, never rounded."""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

from flask_babel import gettext as _

from coopnet.errors import ValidationFailed

MAX_CENTS = 10**14  # a trillion in any currency: larger is a typo
# ASCII digits only: \d would take Arabic-Indic or Devanagari digits for an amount.
AMOUNT_TEXT = re.compile(r"-?[0-9]{1,15}(\.[0-9]{1,6})?")
SHARE_TEXT = re.compile(r"[0-9]{1,6}(\.[0-9]{1,6})?|[0-9]{1,6}/[0-9]{1,6}")


def cents(value, field: str, allow_negative: bool = False) -> int:
    """'1234.50' or 1234 to 123450; refuses floats, over-precise values and junk."""
    if isinstance(value, (bool, float)) or value is None:
        raise ValidationFailed(
            _("Send amounts as decimal strings."), {field: _('Send the amount as a string, such as "1234.50".')}
        )
    text = str(value).strip()
    if not AMOUNT_TEXT.fullmatch(text):
        raise ValidationFailed(_("Not an amount."), {field: _('Write an amount such as "1234.50".')})
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValidationFailed(_("Not an amount."), {field: _('Write an amount such as "1234.50".')}) from None
    if not amount.is_finite():
        raise ValidationFailed(_("Not an amount."), {field: _('Write an amount such as "1234.50".')})
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationFailed(_("Amounts are in whole cents."), {field: _("Use at most two decimals (whole cents).")})
    if amount < 0 and not allow_negative:
        raise ValidationFailed(_("Amounts cannot be negative."), {field: _("An amount cannot be negative.")})
    result = int(amount * 100)
    if abs(result) >= MAX_CENTS:
        raise ValidationFailed(_("That amount is too large."), {field: _("That amount is too large.")})
    return result


def show(amount_cents: int) -> str:
    """123450 to '1234.50' (and -5 to '-0.05')."""
    sign = "-" if amount_cents < 0 else ""
    whole, part = divmod(abs(int(amount_cents)), 100)
    return f"{sign}{whole}.{part:02d}"


def show_hours(minutes: int) -> str:
    """Minutes as hours to the hundredth, exactly (decimal, never float): 90 -> '1.50', -750 -> '-12.50'."""
    return str((Decimal(int(minutes)) / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def share(value, field: str) -> Fraction:
    """A share such as "0.25" or "1/4" as an exact fraction from 0 to 1."""
    if isinstance(value, (bool, float)) or value is None:
        raise ValidationFailed(_("Send shares as strings."), {field: _('Send the share as a string, such as "0.25".')})
    text = str(value).strip()
    if not SHARE_TEXT.fullmatch(text):  # before Fraction(), which would expand "1e-3000000"
        raise ValidationFailed(_("Not a share."), {field: _('Write a share such as "0.25".')})
    try:
        result = Fraction(text)
    except (ValueError, ZeroDivisionError):
        raise ValidationFailed(_("Not a share."), {field: _('Write a share such as "0.25".')}) from None
    if not 0 <= result <= 1:
        raise ValidationFailed(_("A share is from 0 to 1."), {field: _("A share is from 0 to 1 (100%).")})
    if result.denominator > 10_000:
        raise ValidationFailed(_("Write a simpler share."), {field: _('Write a share such as "0.25".')})
    return result


def show_share(value: Fraction) -> str:
    """Fraction(1, 4) to '0.25'; a share with no short decimal form as '1/3'."""
    decimal = Decimal(value.numerator) / Decimal(value.denominator)
    text = format(decimal.normalize(), "f")
    return text if Fraction(text) == value else f"{value.numerator}/{value.denominator}"
