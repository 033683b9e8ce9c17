"""Forms of the pay pages (fields only; the rules are in the services)."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField
from wtforms.validators import Optional


class TimeForm(FlaskForm):
    worked_on = DateField("Day", validators=[Optional()])
    minutes = IntegerField("Minutes", validators=[Optional()])
    kind = SelectField("Kind of work", validate_choice=False)
    billable = BooleanField("Billable")
    note = StringField("Note")
