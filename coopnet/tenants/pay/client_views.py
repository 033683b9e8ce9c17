"""Client pages: the report of subsidised work (value given on the sliding scale).

Its routes join the pay pages blueprint (imported at the end of views.py)."""

from datetime import date

from flask import render_template, request
from flask_babel import gettext as _

from coopnet.errors import ValidationFailed
from coopnet.extensions import db
from coopnet.platform.context import require_officer
from coopnet.tenants.pay import subsidised
from coopnet.tenants.pay.views import blueprint


def _dates(today: date) -> tuple[date, date, dict]:
    """The period asked for in the query (default: this year so far), and problems by field."""
    found, problems = {}, {}
    for name, default in (("from", today.replace(month=1, day=1)), ("to", today)):
        try:
            found[name] = date.fromisoformat(request.args.get(name) or default.isoformat())
        except ValueError:
            found[name], problems[name] = default, _("A date such as 2026-03-01.")
    return found["from"], found["to"], problems


@blueprint.get("/subsidised-work")
def subsidised_work():
    require_officer()
    start, end, problems = _dates(date.today())
    report = None
    if not problems:
        try:
            report = subsidised.report(db.session, start, end)
        except ValidationFailed as error:
            problems = error.fields
    page = render_template("pay/subsidised.html", report=report, start=start, end=end, problems=problems)
    return page, 422 if problems else 200
