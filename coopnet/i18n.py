"""Languages: which locale a request or job speaks, and dates, numbers and money shown in it.

The locale is the person's own choice (``accounts.locale``), else their co-op's
default (``tenants.locale``), else the browser's ``Accept-Language``, else English.
Strings are marked with flask_babel's ``gettext as _`` (``lazy_gettext as _l`` for
module-level text such as form labels); catalogues live in ``coopnet/translations``
(``babel.cfg`` says what is extracted; see the README for the commands)."""

from contextlib import nullcontext
from datetime import date, datetime, timezone, tzinfo
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from flask import g, has_app_context, has_request_context, request
from flask_babel import force_locale, get_locale, gettext
from flask_babel.speaklater import LazyString

from coopnet.platform.roles import LABELS
from coopnet.terms import term

# Each language in its own words, as the language picker shows it.
LANGUAGES = {"en": "English", "es": "Español", "ru": "Русский"}
DEFAULT_LOCALE = "en"


def supported(code) -> str | None:
    """``code`` if it names a language we ship ('es', 'es-MX' -> 'es'), else None."""
    if not code:
        return None
    language = str(code).replace("-", "_").split("_")[0].lower()
    return language if language in LANGUAGES else None


def select_locale() -> str | None:
    """Flask-Babel's locale selector: person, then co-op, then browser, then English."""
    person = supported(getattr(_loaded_user(), "locale", None))
    if person:
        return person
    tenant = g.get("tenant")
    coop = supported(getattr(tenant, "locale", None))
    if coop:
        return coop
    if has_request_context():
        # Highest quality first; a regional tag ('ru-RU') counts as its language even when a
        # language we ship is named exactly further down (werkzeug's best_match prefers that).
        for value, _quality in request.accept_languages:
            if language := supported(value):
                return language
    return DEFAULT_LOCALE


def _loaded_user():
    """The request's account if the request has loaded it already, else None. The
    selector never loads it itself: an error page (a refused token, a malformed path)
    must not run the loader again."""
    if not has_request_context():
        return None
    user = g.get("_login_user")
    return user if getattr(user, "is_authenticated", False) else None


def locale_for(account=None, tenant=None) -> str:
    """The locale to write to someone outside a request (mail composed by a job)."""
    return supported(getattr(account, "locale", None)) or supported(getattr(tenant, "locale", None)) or DEFAULT_LOCALE


def speaking(account=None, tenant=None):
    """``with speaking(account, tenant):`` composes text in that person's language."""
    return force_locale(locale_for(account, tenant))


def speaking_to(account=None):
    """``with speaking_to(account):`` composes mail to an account's owner, during a request,
    in the language they chose; with none chosen (or no account), in the request's."""
    own = supported(getattr(account, "locale", None))
    return force_locale(own) if own else nullcontext()


def current_locale() -> Locale:
    """The request's or job's locale; English outside any app context (a plain CLI call).
    Formatting below passes it to Babel explicitly rather than through flask_babel's
    format_* helpers, which need an app context."""
    return get_locale() or Locale.parse(DEFAULT_LOCALE)


def amount(cents: int | None) -> str:
    """Integer cents as a number in the current locale, exactly: 123450 -> '1,234.50' / '1.234,50'."""
    if cents is None:
        return ""
    return babel_numbers.format_decimal(
        Decimal(int(cents)).scaleb(-2), format="#,##0.00", locale=current_locale(), decimal_quantization=False
    )


def money(cents: int | None, currency: str | None = None) -> str:
    """Integer cents with their currency in the current locale: '$1,234.50', '1234,50 $'."""
    if cents is None:
        return ""
    if not currency:
        return amount(cents)
    return babel_numbers.format_currency(
        Decimal(int(cents)).scaleb(-2), currency.upper(), locale=current_locale(), currency_digits=False
    )


def decimal_money(value, currency: str | None = None) -> str:
    """An amount already in units ("1234.50", a Decimal) with its currency, in the current locale."""
    if value is None or value == "":
        return ""
    amount_ = Decimal(str(value))
    if not currency:
        return babel_numbers.format_decimal(amount_, format="#,##0.00", locale=current_locale())
    return babel_numbers.format_currency(amount_, currency.upper(), locale=current_locale(), currency_digits=False)


def number(value, digits: int | None = None) -> str:
    """A plain number (hours, counts) in the current locale."""
    if value is None:
        return ""
    pattern = "#,##0" if digits is None else "#,##0." + "0" * digits
    if digits is not None and not isinstance(value, Decimal):
        value = Decimal(str(value))
    return babel_numbers.format_decimal(value, format=pattern, locale=current_locale())


def hours(minutes: int | None) -> str:
    """Minutes as hours with two decimals: 90 -> '1.50' ('1,50' in Spanish)."""
    if minutes is None:
        return ""
    return number(Decimal(int(minutes)) / Decimal(60), 2)


def day(value: date | datetime | None, format: str = "medium") -> str:
    """A date in the current locale: 'Nov 25, 2026' in English, '25 nov 2026' in Spanish."""
    if value is None:
        return ""
    if isinstance(value, str):  # an ISO date as a form or JSON carried it
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime):
        value = value.astimezone(zone()).date() if value.tzinfo else value.date()
    return babel_dates.format_date(value, format, locale=current_locale())


def moment(value: datetime | None, format: str = "short") -> str:
    """A date and time in the current locale and the co-op's time zone, which it names:
    '11/25/26, 6:05 AM America/Los_Angeles', '25.11.2026, 14:05 UTC'."""
    if value is None:
        return ""
    shown_in = zone()
    formatted = babel_dates.format_datetime(value, format, tzinfo=shown_in, locale=current_locale())
    return f"{formatted} {getattr(shown_in, 'key', 'UTC')}"


def today() -> date:
    """The co-op's day now (in its time zone), which is when deadlines and due dates fall."""
    return datetime.now(zone()).date()


def zone_name() -> str:
    """The name of the zone times are shown and typed in: 'Europe/Madrid', 'UTC'."""
    return getattr(zone(), "key", "UTC")


def from_local(value: datetime | None) -> datetime | None:
    """A time typed into a form (no zone: the co-op's) as an aware UTC time."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone())
    return value.astimezone(timezone.utc)


# A form field's note, read when the page is drawn (the zone is the co-op's on that request).
IN_LOCAL_TIME = LazyString(lambda: gettext("In the co-op's time zone, %(zone)s.", zone=zone_name()))


def zone() -> tzinfo:
    """The time zone a request or job shows times in: its co-op's, else UTC (the app's
    own, in which times are stored)."""
    name = getattr(g.get("tenant"), "time_zone", None) if has_app_context() else None
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return timezone.utc


def register(app):
    """Jinja filters and globals; called by create_app after Babel is bound."""
    app.jinja_env.filters.update(
        money=money,
        decimal_money=decimal_money,
        amount=amount,
        hours=hours,
        day=day,
        moment=moment,
        number=number,
        term=term,
    )

    @app.context_processor
    def language_globals():
        return {"languages": LANGUAGES, "current_locale": current_locale, "role_labels": LABELS}
