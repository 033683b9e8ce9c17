"""HTML forms of the platform pages (fields only; the rules are in the services)."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from coopnet.platform.roles import KIND_LABELS, KINDS

SLUG_HELP = "3-40 lower-case letters, digits and dashes; your space will be at /c/<address>/"
KIND_CHOICES = [SelectChoice(kind, KIND_LABELS[kind]) for kind in KINDS]


class SignupForm(FlaskForm):
    name = StringField("Co-op name")
    slug = StringField("Address", description=SLUG_HELP)
    kind = SelectField("Kind", choices=KIND_CHOICES, default="coop", validate_choice=False)
    founder_name = StringField("Your name")
    email = EmailField("Your email")
    password = PasswordField("Password", description="At least 10 characters.")


class FoundAnotherForm(FlaskForm):
    """Signup for someone already logged in: the co-op only."""

    name = StringField("Co-op name")
    slug = StringField("Address", description=SLUG_HELP)
    kind = SelectField("Kind", choices=KIND_CHOICES, default="coop", validate_choice=False)


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[InputRequired("Enter your email.")])
    password = PasswordField("Password", validators=[InputRequired("Enter your password.")])
    next = HiddenField()


EXPIRY_CHOICES = [("", "Never"), ("30", "In 30 days"), ("90", "In 90 days"), ("365", "In a year")]


class TokenForm(FlaskForm):
    name = StringField("Token name")
    expires_in_days = SelectField(
        "Expires",
        choices=[SelectChoice(value, label) for value, label in EXPIRY_CHOICES],
        default="90",
        validate_choice=False,
    )
    read_only = BooleanField("Read only (the token cannot change anything)")
    tenant = SelectField(
        "Works in", choices=[SelectChoice("", "All your co-ops and your account")], validate_choice=False
    )


# Service field names (API shape) to the form's field names.
SIGNUP_FIELDS = {"founder.name": "founder_name", "founder.email": "email", "founder.password": "password"}
