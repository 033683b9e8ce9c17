"""Forms of the pay pages (fields only; the rules are in the services)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField
from wtforms.validators import Optional


class TimeForm(FlaskForm):
    worked_on = DateField(_l("Day"), validators=[Optional()])
    minutes = IntegerField(_l("Minutes"), validators=[Optional()])
    kind = SelectField(_l("Kind of work"), validate_choice=False)
    billable = BooleanField(_l("Billable"))
    note = StringField(_l("Note"))
