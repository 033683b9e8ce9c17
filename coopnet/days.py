"""Calendar arithmetic shared by the capabilities: months later or earlier, on the same day
of the month or the month's last day when it is shorter (January 31 + 1 month = February 28)."""

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` (negative moves back), clamped to the month's last day."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))
