"""Forms for inviting and joining."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice

from coopnet.platform.roles import LABELS

# The likeliest first.
ROLE_CHOICES = [SelectChoice(role, LABELS[role]) for role in ("member", "candidate", "admin")]


class InviteForm(FlaskForm):
    email = EmailField(_l("Email"))
    role = SelectField(_l("Role"), choices=ROLE_CHOICES, default="member", validate_choice=False)


class JoinForm(FlaskForm):
    """A new person accepting an invitation creates their account here."""

    name = StringField(_l("Your name"))
    password = PasswordField(_l("Choose a password"), description=_l("At least 10 characters."))


class WelcomeForm(FlaskForm):
    """Someone the co-op entered in its register chooses their first password."""

    password = PasswordField(_l("Choose a password"), description=_l("At least 10 characters."))
