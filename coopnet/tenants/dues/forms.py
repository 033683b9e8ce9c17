"""Forms of the dues pages (fields only; the rules are in the services)."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional


class PaymentForm(FlaskForm):
    amount = StringField("Amount (e.g. 100.00)")
    method = SelectField("Paid by", choices=[("check", "Check"), ("transfer", "Bank transfer")], validate_choice=False)
    reference = StringField("Check number or transfer reference", validators=[Optional()])
    received_on = DateField("Received on", validators=[Optional()])


class TicketForm(FlaskForm):
    subject = StringField("Subject")
    body = TextAreaField("What is the problem?")
    public = BooleanField("Anyone may read this ticket (public)")


class AnswerForm(FlaskForm):
    body = TextAreaField("Your answer")
