"""Forms of the dues pages (fields only; the rules are in the services)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional


class PaymentForm(FlaskForm):
    amount = StringField(_l("Amount (e.g. 100.00)"))
    method = SelectField(
        _l("Paid by"),
        choices=[SelectChoice("check", _l("Check")), SelectChoice("transfer", _l("Bank transfer"))],
        validate_choice=False,
    )
    reference = StringField(_l("Check number or transfer reference"), validators=[Optional()])
    received_on = DateField(_l("Received on"), validators=[Optional()])


class TicketForm(FlaskForm):
    subject = StringField(_l("Subject"))
    body = TextAreaField(_l("What is the problem?"))
    public = BooleanField(_l("Anyone may read this ticket (public)"))


class AnswerForm(FlaskForm):
    body = TextAreaField(_l("Your answer"))
