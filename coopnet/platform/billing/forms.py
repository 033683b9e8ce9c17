"""Forms of the plan page (fields only; the rules are in the services)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField


class PlanForm(FlaskForm):
    plan = HiddenField()


class CardForm(FlaskForm):
    payment_method = StringField(
        _l("Card (the pm_… id Stripe's payment step gives)"),
        description=_l("Stripe keeps the card; this space keeps only its id."),
    )
