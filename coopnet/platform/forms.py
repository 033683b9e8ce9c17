"""HTML forms of the platform pages (fields only; the rules are in the services)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from coopnet.platform.roles import KIND_LABELS, KINDS

SLUG_HELP = _l("3-40 lower-case letters, digits and dashes; your space will be at /c/<address>/")
KIND_CHOICES = [SelectChoice(kind, KIND_LABELS[kind]) for kind in KINDS]


class SignupForm(FlaskForm):
    name = StringField(_l("Co-op name"))
    slug = StringField(_l("Address"), description=SLUG_HELP)
    kind = SelectField(_l("Kind"), choices=KIND_CHOICES, default="coop", validate_choice=False)
    founder_name = StringField(_l("Your name"))
    email = EmailField(_l("Your email"))
    password = PasswordField(_l("Password"), description=_l("At least 10 characters."))


class FoundAnotherForm(FlaskForm):
    """Signup for someone already logged in: the co-op only."""

    name = StringField(_l("Co-op name"))
    slug = StringField(_l("Address"), description=SLUG_HELP)
    kind = SelectField(_l("Kind"), choices=KIND_CHOICES, default="coop", validate_choice=False)


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[InputRequired(_l("Enter your email."))])
    password = PasswordField(_l("Password"), validators=[InputRequired(_l("Enter your password."))])
    next = HiddenField()


EXPIRY_CHOICES = [("", _l("Never")), ("30", _l("In 30 days")), ("90", _l("In 90 days")), ("365", _l("In a year"))]


class TokenForm(FlaskForm):
    name = StringField(_l("Token name"))
    expires_in_days = SelectField(
        _l("Expires"),
        choices=[SelectChoice(value, label) for value, label in EXPIRY_CHOICES],
        default="90",
        validate_choice=False,
    )
    read_only = BooleanField(_l("Read only (the token cannot change anything)"))
    tenant = SelectField(
        _l("Works in"), choices=[SelectChoice("", _l("All your co-ops and your account"))], validate_choice=False
    )


# Service field names (API shape) to the form's field names.
SIGNUP_FIELDS = {"founder.name": "founder_name", "founder.email": "email", "founder.password": "password"}
