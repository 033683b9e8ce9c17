"""Days and years shared by the capabilities: months later or earlier, on the same day of the
month or the month's last day when it is shorter (January 31 + 1 month = February 28), and
days and years as people send them, within the years the books cover."""

import calendar
import re
from datetime import date

from flask_babel import gettext as _

from coopnet.errors import ValidationFailed


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` (negative moves back), clamped to the month's last day."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


# The years the books cover: a day or a fiscal year outside them is a typo, and the calendar
# arithmetic on a fiscal year (which may end in the next calendar year) stays within Python's.
FIRST_YEAR, LAST_YEAR = 1900, 2200
ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_day(value) -> date | None:
    """A day sent as ``2026-03-02`` (that form only, not the other ISO forms) within the
    years the books cover; None for anything else."""
    if not isinstance(value, str) or not ISO_DAY.fullmatch(value):
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    return day if FIRST_YEAR <= day.year <= LAST_YEAR else None


def checked_year(value, field: str = "fiscal_year") -> int:
    """A (fiscal) year sent as a JSON whole number within the years the books cover."""
    if isinstance(value, bool) or not isinstance(value, int) or not FIRST_YEAR <= value <= LAST_YEAR:
        raise ValidationFailed(_("Which fiscal year?"), {field: _("A year such as 2026.")})
    return value


def year_from_text(text: str | None) -> int | None:
    """A year typed into a query string (``?fiscal_year=2026``), or None when it is not one."""
    if text and text.isascii() and text.isdigit() and len(text) == 4 and FIRST_YEAR <= int(text) <= LAST_YEAR:
        return int(text)
    return None
